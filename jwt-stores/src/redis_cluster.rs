//! The Redis Cluster store: the same revocations as [`RedisStore`](crate::RedisStore),
//! over a cluster client, with every key one check reads on one slot.
//!
//! Keys are `<prefix>{<identity>}:jti:<jti>`, `<prefix>{<identity>}:identity`
//! and `<prefix>{used:<jti>}`: the hash tag (`{..}`) is the token's identity,
//! so a check's `MGET` (the token's `jti`, its refresh token's, the identity's
//! "logout everywhere" mark) goes to one node in one round trip. Braces and
//! `%` in an identity are escaped so the tag is the whole identity.

use std::sync::Mutex;

use redis_crate::cluster::ClusterClient;
use redis_crate::cluster_async::ClusterConnection;
use rocket::{Build, Rocket};

use rocket_jwt_extended_runtime::{Check, Entry, RevocationStore, StoreError};

use crate::redis_common::{error, InFlight, SharedConnection};

/// Revocations in a Redis Cluster, given its nodes' URLs (any reachable
/// node is enough to discover the rest).
///
/// ```no_run
/// # use rocket_jwt_extended_stores::RedisClusterStore;
/// let store = RedisClusterStore::new(["redis://10.0.0.1:6379", "redis://10.0.0.2:6379"]);
/// # let _ = store;
/// ```
///
/// The cluster client follows `MOVED`/`ASK` redirections and refreshes the
/// slot map when a node fails; a check the cluster cannot answer, or whose
/// answer does not fit the question, fails closed (503).
pub struct RedisClusterStore {
    prefix: String,
    nodes: Vec<String>,
    client: std::sync::OnceLock<ClusterClient>,
    shared: Mutex<Option<ClusterConnection>>,
    connecting: rocket::tokio::sync::Mutex<()>,
}

impl RedisClusterStore {
    /// A store over the cluster that `nodes` belong to, keys under `jwt:revoked:`.
    pub fn new<I, S>(nodes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        RedisClusterStore {
            prefix: "jwt:revoked:".into(),
            nodes: nodes.into_iter().map(Into::into).collect(),
            client: std::sync::OnceLock::new(),
            shared: Mutex::new(None),
            connecting: rocket::tokio::sync::Mutex::const_new(()),
        }
    }

    /// Keys under another prefix (several applications in one cluster).
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// `{<identity>}`, escaped so that the hash tag is the whole identity.
    fn tag(identity: &str) -> String {
        let mut out = String::with_capacity(identity.len() + 2);
        out.push('{');
        for c in identity.chars() {
            match c {
                '%' => out.push_str("%25"),
                '{' => out.push_str("%7B"),
                '}' => out.push_str("%7D"),
                c => out.push(c),
            }
        }
        out.push('}');
        out
    }

    /// The key of a revoked `jti` of `identity`.
    pub fn jti_key(&self, identity: &str, jti: &str) -> String {
        format!("{}{}:jti:{jti}", self.prefix, Self::tag(identity))
    }

    /// The key of `identity`'s "logout everywhere" mark.
    pub fn identity_key(&self, identity: &str) -> String {
        format!("{}{}:identity", self.prefix, Self::tag(identity))
    }

    fn used_key(&self, jti: &str) -> String {
        format!("{}{}", self.prefix, Self::tag(&format!("used:{jti}")))
    }

    async fn connection(&self) -> Result<ClusterConnection, StoreError> {
        if let Some(conn) = self.current() {
            return Ok(conn);
        }
        let _one_at_a_time = self.connecting.lock().await;
        if let Some(conn) = self.current() {
            return Ok(conn);
        }
        let client = self.client.get().ok_or_else(|| {
            StoreError("the redis cluster store was not prepared at launch".into())
        })?;
        let conn = client
            .get_async_connection()
            .await
            .map_err(|e| error(self.label(), e))?;
        if let Ok(mut shared) = self.shared.lock() {
            *shared = Some(conn.clone());
        }
        Ok(conn)
    }

    fn current(&self) -> Option<ClusterConnection> {
        self.shared.lock().ok().and_then(|s| s.clone())
    }
}

impl SharedConnection for RedisClusterStore {
    fn drop_shared(&self) {
        if let Ok(mut shared) = self.shared.lock() {
            *shared = None;
        }
    }

    fn label(&self) -> &'static str {
        "redis cluster"
    }
}

#[rocket::async_trait]
impl RevocationStore for RedisClusterStore {
    fn name(&self) -> &'static str {
        "redis cluster revocation store"
    }

    async fn init(&self, _: &Rocket<Build>) -> Result<(), String> {
        if self.nodes.is_empty() {
            return Err("RedisClusterStore::new needs at least one node URL".into());
        }
        // The cluster may be unreachable at launch and come up later.
        let client = ClusterClient::new(self.nodes.clone())
            .map_err(|e| format!("the cluster nodes' URLs: {e}"))?;
        self.client
            .set(client)
            .map_err(|_| "this store is already prepared for another Rocket".to_owned())
    }

    async fn is_revoked(&self, check: Check<'_>) -> Result<bool, StoreError> {
        let mut keys: Vec<String> = check
            .jtis
            .iter()
            .map(|j| self.jti_key(check.identity, j))
            .collect();
        keys.push(self.identity_key(check.identity));
        let mut mget = redis_crate::cmd("MGET");
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
        let mut conn = self.connection().await?;
        // Entries of one identity share a slot: one atomic pipeline per identity.
        let mut identities: Vec<&str> = entries.iter().map(|e| e.identity).collect();
        identities.sort_unstable();
        identities.dedup();
        for identity in identities {
            let mut pipe = redis_crate::pipe();
            pipe.atomic();
            for e in entries.iter().filter(|e| e.identity == identity) {
                let cmd = pipe
                    .cmd("SET")
                    .arg(self.jti_key(e.identity, e.jti))
                    .arg(e.revoked_at);
                if let Some(at) = e.expires_at {
                    cmd.arg("EX").arg((at - e.revoked_at).max(1));
                }
                cmd.ignore();
            }
            let flight = InFlight::new(self);
            flight.finish(pipe.query_async::<_, ()>(&mut conn).await)?;
        }
        Ok(())
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
