//! The Redis store, through a `rocket_db_pools` database (`deadpool_redis`).
//!
//! Keys (under a prefix, `jwt:revoked:` by default):
//! - `<prefix>jti:<jti>` → revoked-at, expiring with the token (`exp` +
//!   leeway, at least one second from now; kept without `exp`);
//! - `<prefix>identity:<identity>` → "revoked before" (logout everywhere),
//!   expiring when the longest-lived token issued before it has;
//! - `<prefix>used:<jti>` → when a refresh token was used (rotation), set with
//!   `SET NX` so that of two concurrent uses exactly one is first.
//!
//! A check is one `MGET` of the token's `jti` key(s) (its own, its pair's,
//! its session's) and its identity key.
//!
//! Requests share one multiplexed connection taken from the pool (Redis
//! pipelines them), instead of checking a connection out of the pool — and
//! pinging it — for every request. A command that fails drops the shared
//! connection; the next request takes a new one from the pool, so the store
//! recovers by itself when Redis comes back.

use std::sync::{Mutex, OnceLock};

use rocket::{Build, Rocket};
use rocket_db_pools::deadpool_redis::{self, redis};
use rocket_db_pools::Database;

use rocket_jwt_extended_runtime::{Check, Entry, RevocationStore, StoreError};

use crate::pool::Captured;
use crate::redis_common::{error, InFlight, SharedConnection};

/// Revocations in Redis, through the `rocket_db_pools` database `D`
/// (`#[derive(Database)] #[database("blocklist")] struct Blocklist(deadpool_redis::Pool);`).
///
/// ```ignore
/// rocket::build()
///     .attach(Blocklist::init())
///     .attach(JwtManager::new().revocation_store(RedisStore::<Blocklist>::new()))
/// ```
pub struct RedisStore<D: Database> {
    prefix: String,
    /// The connection every command shares (multiplexed), with the task that
    /// drives its socket. Replacing it (a host that stopped answering) aborts
    /// that task, which closes the socket at once even while commands are
    /// still waiting on it: one connection is open at a time, however long
    /// the store stalls.
    shared: Mutex<Option<Shared>>,
    /// Held while a connection is made, so concurrent requests make one.
    connecting: rocket::tokio::sync::Mutex<()>,
    /// The client for the database's URL (`databases.<name>.url`), read at launch.
    client: OnceLock<redis::Client>,
    pool: Captured<D>,
}

impl<D: Database<Pool = deadpool_redis::Pool>> RedisStore<D> {
    /// Keys under `jwt:revoked:`.
    pub fn new() -> Self {
        RedisStore {
            prefix: "jwt:revoked:".into(),
            shared: Mutex::new(None),
            connecting: rocket::tokio::sync::Mutex::const_new(()),
            client: OnceLock::new(),
            pool: Captured::new(),
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

    fn used_key(&self, jti: &str) -> String {
        format!("{}used:{jti}", self.prefix)
    }
}

impl<D: Database<Pool = deadpool_redis::Pool>> Default for RedisStore<D> {
    fn default() -> Self {
        RedisStore::new()
    }
}

/// The shared connection and the task driving its socket.
struct Shared {
    conn: redis::aio::MultiplexedConnection,
    driver: rocket::tokio::task::AbortHandle,
}

impl<D: Database> Drop for RedisStore<D> {
    fn drop(&mut self) {
        if let Some(old) = self.shared.get_mut().ok().and_then(Option::take) {
            old.driver.abort();
        }
    }
}

impl<D: Database<Pool = deadpool_redis::Pool>> RedisStore<D> {
    /// The shared connection, made when there is none.
    async fn connection(&self) -> Result<redis::aio::MultiplexedConnection, StoreError> {
        if let Some(conn) = self.current() {
            return Ok(conn);
        }
        let _one_at_a_time = self.connecting.lock().await;
        if let Some(conn) = self.current() {
            return Ok(conn);
        }
        let client = self
            .client
            .get()
            .ok_or_else(|| StoreError("the redis store was not prepared at launch".into()))?;
        let (conn, driver) = client
            .create_multiplexed_tokio_connection()
            .await
            .map_err(|e| error(self.label(), e))?;
        let driver = rocket::tokio::spawn(driver).abort_handle();
        if let Ok(mut shared) = self.shared.lock() {
            if let Some(old) = shared.replace(Shared {
                conn: conn.clone(),
                driver,
            }) {
                old.driver.abort();
            }
        }
        Ok(conn)
    }

    fn current(&self) -> Option<redis::aio::MultiplexedConnection> {
        self.shared
            .lock()
            .ok()
            .and_then(|s| s.as_ref().map(|s| s.conn.clone()))
    }
}

impl<D: Database<Pool = deadpool_redis::Pool>> SharedConnection for RedisStore<D> {
    fn drop_shared(&self) {
        if let Some(old) = self.shared.lock().ok().and_then(|mut s| s.take()) {
            old.driver.abort();
        }
    }

    fn label(&self) -> &'static str {
        "redis"
    }
}

#[rocket::async_trait]
impl<D: Database<Pool = deadpool_redis::Pool>> RevocationStore for RedisStore<D> {
    fn name(&self) -> &'static str {
        "redis revocation store"
    }

    async fn init(&self, rocket: &Rocket<Build>) -> Result<(), String> {
        // The database must be attached (its settings are Rocket's); the store
        // makes its own connection from the URL, so Redis may be down at
        // launch and come back later.
        self.pool.capture(rocket)?;
        let key = format!("databases.{}.url", D::NAME);
        let url: String = rocket
            .figment()
            .extract_inner(&key)
            .map_err(|e| format!("`{key}`: {e}"))?;
        let client = redis::Client::open(url.as_str()).map_err(|e| format!("`{key}`: {e}"))?;
        self.client
            .set(client)
            .map_err(|_| "this store is already prepared for another Rocket".to_owned())
    }

    async fn is_revoked(&self, check: Check<'_>) -> Result<bool, StoreError> {
        let mut keys: Vec<String> = check.jtis.iter().map(|j| self.jti_key(j)).collect();
        keys.push(self.identity_key(check.identity));
        let mut mget = redis::cmd("MGET");
        mget.arg(&keys);
        let mut conn = self.connection().await?;
        let flight = InFlight::new(self);
        let values: Vec<Option<String>> = flight.finish(mget.query_async(&mut conn).await)?;
        let verdict = crate::redis_common::verdict(self.label(), &check, &values);
        if verdict.is_err() {
            self.drop_shared();
        }
        verdict
    }

    async fn revoke(&self, entries: &[Entry<'_>]) -> Result<(), StoreError> {
        let mut pipe = redis::pipe();
        pipe.atomic();
        for e in entries {
            let cmd = pipe.cmd("SET").arg(self.jti_key(e.jti)).arg(e.revoked_at);
            if let Some(at) = e.expires_at {
                cmd.arg("EX").arg((at - e.revoked_at).max(1));
            }
            cmd.ignore();
        }
        let mut conn = self.connection().await?;
        let flight = InFlight::new(self);
        flight.finish(pipe.query_async::<_, ()>(&mut conn).await)
    }

    async fn revoke_identity(
        &self,
        identity: &str,
        before: i64,
        expires_at: Option<i64>,
    ) -> Result<(), StoreError> {
        let cmd = crate::redis_common::set_until(&self.identity_key(identity), before, expires_at);
        let mut conn = self.connection().await?;
        let flight = InFlight::new(self);
        flight.finish(cmd.query_async::<_, ()>(&mut conn).await)
    }

    async fn consume(
        &self,
        jti: &str,
        now: i64,
        expires_at: Option<i64>,
    ) -> Result<Option<i64>, StoreError> {
        let (set, get) =
            crate::redis_common::consume_commands(&self.used_key(jti), now, expires_at);
        let mut conn = self.connection().await?;
        let flight = InFlight::new(self);
        let first: Option<String> = flight.finish(set.query_async(&mut conn).await)?;
        if first.is_some() {
            return Ok(None);
        }
        let flight = InFlight::new(self);
        let at: Option<String> = flight.finish(get.query_async(&mut conn).await)?;
        Ok(Some(crate::redis_common::used_at(at)))
    }
}
