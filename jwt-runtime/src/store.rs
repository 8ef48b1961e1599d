//! The revocation store trait: where revoked tokens are kept, so that they
//! stay revoked across restarts and instances.
//!
//! Register one on the manager and every protected request consults it (step
//! 5 of flask's order, skipped by `skip_revocation_check`), in one round trip
//! that checks the token's `jti`, the `jti` of the refresh token it was paired
//! with, and its identity's "logout everywhere" mark:
//!
//! ```ignore
//! rocket::build()
//!     .attach(Blocklist::init())                        // a rocket_db_pools database
//!     .attach(JwtManager::new().revocation_store(RedisStore::<Blocklist>::new()))
//! ```
//!
//! Handlers revoke through the [`Revocations`](crate::Revocations) guard. A
//! store that fails or does not answer within `jwt_revocation_timeout_ms`
//! (default 1000) fails the request closed: 503 `Revocation store
//! unavailable` (see the `#[store_unavailable]` attribute), never an accepted
//! token. `MemoryStore` is in this crate; the Redis and SQL stores are in
//! the `rocket-jwt-extended-stores` crate.

use std::fmt;

use rocket::{Build, Rocket};

/// A store failed or refused; requests fail closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError(pub String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

/// What one check asks: is any of `jtis` revoked, or was `identity` logged
/// out everywhere at or after `iat`? `jtis` holds the token's `jti`, its
/// paired refresh token's, and its session's key (`session:<sid>`), so one
/// round trip answers for the token, its pair and its session.
#[derive(Debug, Clone, Copy)]
pub struct Check<'a> {
    /// The token's `jti` and, for a paired access token, its refresh token's.
    pub jtis: &'a [&'a str],
    /// The token's identity.
    pub identity: &'a str,
    /// The token's `iat` (a token without one predates any logout).
    pub iat: i64,
    /// Now, in seconds.
    pub now: i64,
}

/// One revoked `jti`.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// The revoked `jti`.
    pub jti: &'a str,
    /// `access` or `refresh`.
    pub token_type: &'a str,
    /// The token's identity.
    pub identity: &'a str,
    /// When it was revoked (seconds).
    pub revoked_at: i64,
    /// When the entry may go: the token's own `exp` plus leeway (`None`: never).
    pub expires_at: Option<i64>,
}

/// A place to keep revocations. Implemented by [`MemoryStore`](crate::MemoryStore),
/// `RedisStore<D>`, `SqliteStore<D>` and `PostgresStore<D>`; implement it for
/// any other store with `#[rocket::async_trait]`:
///
/// ```
/// use rocket::{Build, Rocket};
/// use rocket_jwt_extended_runtime::{Check, Entry, RevocationStore, StoreError};
///
/// struct Nothing;
///
/// #[rocket::async_trait]
/// impl RevocationStore for Nothing {
///     fn name(&self) -> &'static str { "nothing" }
///     async fn init(&self, _: &Rocket<Build>) -> Result<(), String> { Ok(()) }
///     async fn is_revoked(&self, _: Check<'_>) -> Result<bool, StoreError> { Ok(false) }
///     async fn revoke(&self, _: &[Entry<'_>]) -> Result<(), StoreError> { Ok(()) }
///     async fn revoke_identity(&self, _: &str, _: i64, _: Option<i64>) -> Result<(), StoreError> {
///         Ok(())
///     }
/// }
/// ```
#[rocket::async_trait]
pub trait RevocationStore: Send + Sync + 'static {
    /// A name for messages.
    fn name(&self) -> &'static str;

    /// Prepares the store at ignite: takes what it needs from the Rocket
    /// (e.g. a `rocket_db_pools` pool, attached before the manager) and
    /// creates its tables. An error refuses the launch.
    async fn init(&self, rocket: &Rocket<Build>) -> Result<(), String>;

    /// Whether the token is revoked, in one round trip.
    async fn is_revoked(&self, check: Check<'_>) -> Result<bool, StoreError>;

    /// Revokes these `jti`s (all or none).
    async fn revoke(&self, entries: &[Entry<'_>]) -> Result<(), StoreError>;

    /// Revokes every token of `identity` issued at or before `before`; the
    /// mark may go at `expires_at` (when every such token has expired).
    async fn revoke_identity(
        &self,
        identity: &str,
        before: i64,
        expires_at: Option<i64>,
    ) -> Result<(), StoreError>;

    /// Marks the refresh token `jti` used at `now`, in one atomic step (never
    /// read-then-write): `None` when this is its first use, `Some(used_at)`
    /// of the first use otherwise. Of two concurrent calls exactly one gets
    /// `None`. The mark may go at `expires_at`. What refresh-token rotation
    /// (`jwt_refresh_token_rotation`) is built on; a store that does not
    /// implement it refuses (rotation then fails closed).
    async fn consume(
        &self,
        jti: &str,
        now: i64,
        expires_at: Option<i64>,
    ) -> Result<Option<i64>, StoreError> {
        let _ = (jti, now, expires_at);
        Err(StoreError(format!(
            "{} cannot rotate refresh tokens (RevocationStore::consume)",
            self.name()
        )))
    }
}

/// The registered store, shared by the manager and the guards.
pub(crate) type SharedStore = std::sync::Arc<dyn RevocationStore>;
