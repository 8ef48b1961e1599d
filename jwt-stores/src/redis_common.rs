//! The Redis protocol rules both Redis stores (single node and cluster)
//! share: the commands they send, how they read the replies (a check's
//! `MGET`, a consumed refresh token's mark), and the in-flight guard that
//! drops a shared connection a command gave up on.

#[cfg(feature = "redis-cluster")]
use redis_crate as redis;
#[cfg(not(feature = "redis-cluster"))]
use rocket_db_pools::deadpool_redis::redis;
use rocket_jwt_extended_runtime::{Check, StoreError};

/// `SET key value [EX seconds]`, the seconds until `expires_at` (at least one).
pub(crate) fn set_until(key: &str, value: i64, expires_at: Option<i64>) -> redis::Cmd {
    let mut cmd = redis::cmd("SET");
    cmd.arg(key).arg(value);
    if let Some(at) = expires_at {
        cmd.arg("EX").arg((at - value).max(1));
    }
    cmd
}

/// `consume`'s two steps: `SET key now NX [EX ..]`, the atomic one (of two
/// concurrent uses, one sets the mark), then `GET key` when the mark was
/// already there.
pub(crate) fn consume_commands(
    key: &str,
    now: i64,
    expires_at: Option<i64>,
) -> (redis::Cmd, redis::Cmd) {
    let mut set = redis::cmd("SET");
    set.arg(key).arg(now).arg("NX");
    if let Some(at) = expires_at {
        set.arg("EX").arg((at - now).max(1));
    }
    let mut get = redis::cmd("GET");
    get.arg(key);
    (set, get)
}

/// The verdict of a check's `MGET` (the `jti` keys, then the identity's
/// mark): revoked if any `jti` is marked or the identity was logged out at or
/// after the token's `iat`. A reply that does not fit the question (a
/// cluster mid-failover can give an empty one) is an error, never "not
/// revoked"; a mark that is not a timestamp refuses.
pub(crate) fn verdict(
    store: &str,
    check: &Check<'_>,
    values: &[Option<String>],
) -> Result<bool, StoreError> {
    let asked = check.jtis.len() + 1;
    if values.len() != asked {
        return Err(StoreError(format!(
            "{store}: MGET of {asked} keys answered {} values",
            values.len()
        )));
    }
    let Some((identity, jtis)) = values.split_last() else {
        return Err(StoreError(format!("{store}: MGET answered nothing")));
    };
    let by_jti = jtis.iter().any(Option::is_some);
    let by_identity = identity
        .as_deref()
        .is_some_and(|before| before.parse::<i64>().map_or(true, |b| check.iat <= b));
    Ok(by_jti || by_identity)
}

/// When a consumed token was first used, from its mark; a mark that vanished
/// (expired in between) or is not a timestamp still means "used".
pub(crate) fn used_at(mark: Option<String>) -> i64 {
    mark.and_then(|a| a.parse().ok()).unwrap_or(i64::MIN)
}

/// A store with one shared connection that a failed or abandoned command
/// drops (the next command makes a new one).
pub(crate) trait SharedConnection {
    /// Drops the shared connection (closing its socket).
    fn drop_shared(&self);
    /// The store's name in errors, e.g. `redis`.
    fn label(&self) -> &'static str;
}

/// Armed while a command is in flight: if the caller gives up (the
/// revocation timeout) the shared connection is dropped, so a connection to
/// a host that no longer answers is not kept until the kernel gives up; a
/// failed command drops it too.
pub(crate) struct InFlight<'a, S: SharedConnection> {
    store: &'a S,
    done: bool,
}

impl<'a, S: SharedConnection> InFlight<'a, S> {
    pub(crate) fn new(store: &'a S) -> Self {
        InFlight { store, done: false }
    }

    /// The command's result, as a store error.
    pub(crate) fn finish<T>(mut self, result: redis::RedisResult<T>) -> Result<T, StoreError> {
        self.done = true;
        result.map_err(|e| {
            self.store.drop_shared();
            error(self.store.label(), e)
        })
    }
}

impl<S: SharedConnection> Drop for InFlight<'_, S> {
    fn drop(&mut self) {
        if !self.done {
            self.store.drop_shared();
        }
    }
}

/// A Redis error as a store error.
pub(crate) fn error(label: &str, e: redis::RedisError) -> StoreError {
    StoreError(format!("{label}: {e}"))
}
