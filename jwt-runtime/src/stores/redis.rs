//! The Redis store, through a `rocket_db_pools` database (`deadpool_redis`).
//!
//! Keys (under a prefix, `jwt:revoked:` by default):
//! - `<prefix>jti:<jti>` → revoked-at, expiring with the token (`exp` +
//!   leeway, at least one second from now; kept without `exp`);
//! - `<prefix>identity:<identity>` → "revoked before" (logout everywhere),
//!   expiring when the longest-lived token issued before it has.
//!
//! A check is one `MGET` of the token's `jti` key(s) and its identity key.
//!
//! Requests share one multiplexed connection taken from the pool (Redis
//! pipelines them), instead of checking a connection out of the pool — and
//! pinging it — for every request. A command that fails drops the shared
//! connection; the next request takes a new one from the pool, so the store
//! recovers by itself when Redis comes back.

use std::marker::PhantomData;
use std::sync::Mutex;

use rocket::{Build, Orbit, Phase, Rocket};
use rocket_db_pools::deadpool_redis::{self, redis};
use rocket_db_pools::Database;

use super::{db_pool, Check, Entry, RevocationStore, StoreError};
use crate::util::BoxFuture;

/// Revocations in Redis, through the `rocket_db_pools` database `D`
/// (`#[derive(Database)] #[database("blocklist")] struct Blocklist(deadpool_redis::Pool);`).
///
/// ```ignore
/// rocket::build()
///     .attach(Blocklist::init())
///     .attach(JwtManager::new().revocation_store(RedisStore::<Blocklist>::new()))
/// ```
pub struct RedisStore<D> {
    prefix: String,
    shared: Mutex<Option<redis::aio::MultiplexedConnection>>,
    db: PhantomData<fn() -> D>,
}

impl<D> RedisStore<D> {
    /// Keys under `jwt:revoked:`.
    pub fn new() -> Self {
        RedisStore {
            prefix: "jwt:revoked:".into(),
            shared: Mutex::new(None),
            db: PhantomData,
        }
    }

    /// Keys under another prefix (several applications in one Redis).
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    fn jti_key(&self, jti: &str) -> String {
        format!("{}jti:{jti}", self.prefix)
    }

    fn identity_key(&self, identity: &str) -> String {
        format!("{}identity:{identity}", self.prefix)
    }
}

impl<D> Default for RedisStore<D> {
    fn default() -> Self {
        RedisStore::new()
    }
}

fn redis_error(e: redis::RedisError) -> StoreError {
    StoreError(format!("redis: {e}"))
}

impl<D: Database<Pool = deadpool_redis::Pool>> RedisStore<D> {
    /// The shared connection, taken from the pool when there is none.
    async fn connection<P: Phase>(
        &self,
        rocket: &Rocket<P>,
    ) -> Result<redis::aio::MultiplexedConnection, StoreError> {
        if let Some(conn) = self.shared.lock().ok().and_then(|c| c.clone()) {
            return Ok(conn);
        }
        let pooled = db_pool::<D, _>(rocket)?
            .get()
            .await
            .map_err(|e| StoreError(format!("redis: {e}")))?;
        let conn = deadpool_redis::Connection::take(pooled);
        if let Ok(mut shared) = self.shared.lock() {
            *shared = Some(conn.clone());
        }
        Ok(conn)
    }

    /// A command's result; a failure drops the shared connection.
    fn checked<T>(&self, result: redis::RedisResult<T>) -> Result<T, StoreError> {
        if result.is_err() {
            self.drop_shared();
        }
        result.map_err(redis_error)
    }

    fn drop_shared(&self) {
        if let Ok(mut shared) = self.shared.lock() {
            *shared = None;
        }
    }

    /// Armed while a command is in flight: if the caller gives up (the
    /// revocation timeout), the shared connection is dropped, so a connection
    /// to a host that no longer answers is not kept until the kernel gives up.
    fn in_flight(&self) -> InFlight<'_, D> {
        InFlight {
            store: self,
            done: false,
        }
    }
}

struct InFlight<'a, D: Database<Pool = deadpool_redis::Pool>> {
    store: &'a RedisStore<D>,
    done: bool,
}

impl<D: Database<Pool = deadpool_redis::Pool>> InFlight<'_, D> {
    fn finish<T>(mut self, result: redis::RedisResult<T>) -> Result<T, StoreError> {
        self.done = true;
        self.store.checked(result)
    }
}

impl<D: Database<Pool = deadpool_redis::Pool>> Drop for InFlight<'_, D> {
    fn drop(&mut self) {
        if !self.done {
            self.store.drop_shared();
        }
    }
}

impl<D: Database<Pool = deadpool_redis::Pool>> RevocationStore for RedisStore<D> {
    fn name(&self) -> &'static str {
        "redis revocation store"
    }

    fn init<'a>(&'a self, rocket: &'a Rocket<Build>) -> BoxFuture<'a, Result<(), String>> {
        // Only the pool is needed: Redis may be down at launch and come back later.
        Box::pin(async move { db_pool::<D, _>(rocket).map(|_| ()).map_err(|e| e.0) })
    }

    fn is_revoked<'a>(
        &'a self,
        rocket: &'a Rocket<Orbit>,
        check: Check<'a>,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        Box::pin(async move {
            let mut keys: Vec<String> = check.jtis.iter().map(|j| self.jti_key(j)).collect();
            keys.push(self.identity_key(check.identity));
            let mut mget = redis::cmd("MGET");
            mget.arg(&keys);
            let mut conn = self.connection(rocket).await?;
            let flight = self.in_flight();
            let values: Vec<Option<String>> = flight.finish(mget.query_async(&mut conn).await)?;
            let (identity, jtis) = values.split_last().unwrap_or((&None, &[]));
            let by_jti = jtis.iter().any(Option::is_some);
            // A mark that is not a timestamp (a foreign value) refuses: fail closed.
            let by_identity = identity
                .as_deref()
                .is_some_and(|before| before.parse::<i64>().map_or(true, |b| check.iat <= b));
            Ok(by_jti || by_identity)
        })
    }

    fn revoke<'a>(
        &'a self,
        rocket: &'a Rocket<Orbit>,
        entries: &'a [Entry<'a>],
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let mut pipe = redis::pipe();
            pipe.atomic();
            for e in entries {
                let cmd = pipe.cmd("SET").arg(self.jti_key(e.jti)).arg(e.revoked_at);
                if let Some(at) = e.expires_at {
                    cmd.arg("EX").arg((at - e.revoked_at).max(1));
                }
                cmd.ignore();
            }
            let mut conn = self.connection(rocket).await?;
            let flight = self.in_flight();
            flight.finish(pipe.query_async::<_, ()>(&mut conn).await)
        })
    }

    fn revoke_identity<'a>(
        &'a self,
        rocket: &'a Rocket<Orbit>,
        identity: &'a str,
        before: i64,
        expires_at: Option<i64>,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let mut cmd = redis::cmd("SET");
            cmd.arg(self.identity_key(identity)).arg(before);
            if let Some(at) = expires_at {
                cmd.arg("EX").arg((at - before).max(1));
            }
            let mut conn = self.connection(rocket).await?;
            let flight = self.in_flight();
            flight.finish(cmd.query_async::<_, ()>(&mut conn).await)
        })
    }
}
