//! Revocation stores: where revoked tokens are kept, so that they stay
//! revoked across restarts and instances.
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
//! Handlers revoke through the [`Revocations`] guard. A store that fails or
//! does not answer within `jwt_revocation_timeout_ms` (default 1000) fails
//! the request closed: 503 `Revocation store unavailable` (see the
//! `#[store_unavailable]` attribute), never an accepted token.

mod memory;
#[cfg(feature = "redis")]
mod redis;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql;

use std::fmt;
use std::sync::Arc;

use rocket::request::{FromRequest, Outcome, Request};
use rocket::{Build, Orbit, Rocket};
use serde_json::Value;

use crate::claims::Claims;
use crate::codec;
use crate::config::{Expiry, JwtConfig};
use crate::error::JwtError;
use crate::manager::JwtState;
use crate::util::BoxFuture;

#[cfg(feature = "redis")]
pub use self::redis::RedisStore;
pub use memory::MemoryStore;
#[cfg(feature = "postgres")]
pub use sql::PostgresStore;
#[cfg(feature = "sqlite")]
pub use sql::SqliteStore;

/// The claim of an access token created with [`JwtState::create_token_pair`]
/// that names its refresh token: revoking either revokes both.
pub const REFRESH_JTI_CLAIM: &str = "refresh_jti";
/// The refresh token's `exp`, so that revoking the pair through the access
/// token keeps the refresh entry as long as the refresh token lives.
pub const REFRESH_EXP_CLAIM: &str = "refresh_exp";

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
/// out everywhere at or after `iat`?
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

/// A place to keep revocations. Implemented by [`MemoryStore`],
/// `RedisStore<D>`, `SqliteStore<D>` and `PostgresStore<D>`; implement it for
/// any other store.
pub trait RevocationStore: Send + Sync + 'static {
    /// A name for messages.
    fn name(&self) -> &'static str;

    /// Prepares the store at ignite (e.g. creates its table); an error
    /// refuses the launch.
    fn init<'a>(&'a self, rocket: &'a Rocket<Build>) -> BoxFuture<'a, Result<(), String>>;

    /// Whether the token is revoked, in one round trip.
    fn is_revoked<'a>(
        &'a self,
        rocket: &'a Rocket<Orbit>,
        check: Check<'a>,
    ) -> BoxFuture<'a, Result<bool, StoreError>>;

    /// Revokes these `jti`s (all or none).
    fn revoke<'a>(
        &'a self,
        rocket: &'a Rocket<Orbit>,
        entries: &'a [Entry<'a>],
    ) -> BoxFuture<'a, Result<(), StoreError>>;

    /// Revokes every token of `identity` issued at or before `before`; the
    /// mark may go at `expires_at` (when every such token has expired).
    fn revoke_identity<'a>(
        &'a self,
        rocket: &'a Rocket<Orbit>,
        identity: &'a str,
        before: i64,
        expires_at: Option<i64>,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
}

/// The pool of the `rocket_db_pools` database `D`, or why there is none.
#[cfg(any(feature = "redis", feature = "sqlite", feature = "postgres"))]
fn db_pool<D: rocket_db_pools::Database, P: rocket::Phase>(
    rocket: &Rocket<P>,
) -> Result<&D::Pool, StoreError> {
    D::fetch(rocket).map(|db| &**db).ok_or_else(|| {
        StoreError(format!(
            "the database `{}` is not attached: attach `{}::init()` before the JwtManager",
            D::NAME,
            std::any::type_name::<D>()
        ))
    })
}

/// The registered store, shared by the manager and the guards.
pub(crate) type SharedStore = Arc<dyn RevocationStore>;

/// `exp + leeway`, never less than one second from now; `None` without `exp`.
fn entry_expiry(cfg: &JwtConfig, exp: Option<i64>, now: i64) -> Option<i64> {
    let leeway = i64::try_from(cfg.leeway).unwrap_or(i64::MAX / 4);
    exp.map(|exp| exp.saturating_add(leeway).max(now + 1))
}

/// The longest any token lives, for "logout everywhere" marks.
fn longest_lifetime(cfg: &JwtConfig) -> Option<i64> {
    let secs = |e: Expiry| match e {
        Expiry::After(d) => Some(i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 4)),
        Expiry::Never => None,
    };
    Some(secs(cfg.access_expires)?.max(secs(cfg.refresh_expires)?))
}

/// The check for a token: its `jti`, its paired refresh `jti`, its identity.
pub(crate) async fn check_token(
    state: &JwtState,
    rocket: &Rocket<Orbit>,
    claims: &Claims,
    identity: &str,
) -> Result<bool, JwtError> {
    let Some(store) = state.store() else {
        return Ok(false);
    };
    // A token without a `jti` cannot be revoked individually: refuse it.
    let Some(jti) = claims.jti() else {
        return Ok(true);
    };
    let both;
    let jtis: &[&str] = match claims.get_str(REFRESH_JTI_CLAIM) {
        Some(refresh) => {
            both = [jti, refresh];
            &both
        }
        None => std::slice::from_ref(&jti),
    };
    let check = Check {
        jtis,
        identity,
        iat: claims.iat().unwrap_or(i64::MIN),
        now: codec::now_secs(),
    };
    bounded(state, store.is_revoked(rocket, check)).await
}

/// Runs a store operation within `jwt_revocation_timeout_ms`; a failure or a
/// timeout is a 503, never an answer.
async fn bounded<T>(
    state: &JwtState,
    op: BoxFuture<'_, Result<T, StoreError>>,
) -> Result<T, JwtError> {
    let limit = state.config().revocation_timeout;
    let name = state.store().map_or("revocation store", |s| s.name());
    match rocket::tokio::time::timeout(limit, op).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => {
            rocket::log::private::error!("{name}: {e}");
            Err(JwtError::StoreUnavailable(e.0))
        }
        Err(_) => {
            rocket::log::private::error!("{name}: no answer within {limit:?}");
            Err(JwtError::StoreUnavailable(format!(
                "no answer within {} ms",
                limit.as_millis()
            )))
        }
    }
}

/// Revoking tokens from a handler: flask leaves this to the application; here
/// it writes to the registered store.
///
/// ```ignore
/// #[jwt_required(verify_type = false)]
/// #[delete("/logout")]
/// async fn logout(revocations: Revocations<'_>) -> Result<Value, JwtError> {
///     let token = get_jwt();
///     revocations.revoke(&token).await?;
///     Ok(json!({ "msg": format!("{} token successfully revoked", token.token_type()) }))
/// }
/// ```
pub struct Revocations<'r> {
    state: &'r JwtState,
    rocket: &'r Rocket<Orbit>,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Revocations<'r> {
    type Error = JwtError;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, JwtError> {
        match JwtState::of(req) {
            Ok(state) if state.store().is_some() => Outcome::Success(Revocations {
                state,
                rocket: req.rocket(),
            }),
            Ok(_) => crate::respond::fail(
                req,
                JwtError::Configuration(
                    "no revocation store is registered: JwtManager::new().revocation_store(..)"
                        .into(),
                ),
            ),
            Err(e) => crate::respond::fail(req, e),
        }
    }
}

impl Revocations<'_> {
    fn store(&self) -> &dyn RevocationStore {
        self.state
            .store()
            .map(|s| &**s)
            .expect("checked by the guard")
    }

    /// Revokes a token by its claims until it expires. An access token created
    /// with [`JwtState::create_token_pair`] revokes its refresh token too.
    pub async fn revoke(&self, claims: &Claims) -> Result<(), JwtError> {
        let cfg = self.state.config();
        let now = codec::now_secs();
        let jti = claims.jti().ok_or_else(|| {
            JwtError::Configuration("a token without `jti` cannot be revoked".into())
        })?;
        let identity = claims.get_str(&cfg.identity_claim).unwrap_or("");
        let mut entries = vec![Entry {
            jti,
            token_type: claims.token_type(),
            identity,
            revoked_at: now,
            expires_at: entry_expiry(cfg, claims.exp(), now),
        }];
        if let Some(refresh) = claims.get_str(REFRESH_JTI_CLAIM) {
            let refresh_exp = claims.get(REFRESH_EXP_CLAIM).and_then(Value::as_i64);
            entries.push(Entry {
                jti: refresh,
                token_type: "refresh",
                identity,
                revoked_at: now,
                expires_at: entry_expiry(cfg, refresh_exp, now),
            });
        }
        bounded(self.state, self.store().revoke(self.rocket, &entries)).await
    }

    /// "Logout everywhere": revokes every token of `identity` issued until
    /// now (including this second), checked in the same round trip as `jti`.
    pub async fn revoke_all(&self, identity: &str) -> Result<(), JwtError> {
        let cfg = self.state.config();
        let now = codec::now_secs();
        let expires_at =
            longest_lifetime(cfg).map(|l| now.saturating_add(l).saturating_add(cfg.leeway as i64));
        bounded(
            self.state,
            self.store()
                .revoke_identity(self.rocket, identity, now, expires_at),
        )
        .await
    }

    /// Whether a token is revoked (what protected routes check).
    pub async fn is_revoked(&self, claims: &Claims) -> Result<bool, JwtError> {
        let identity = claims
            .get_str(&self.state.config().identity_claim)
            .unwrap_or("");
        check_token(self.state, self.rocket, claims, identity).await
    }
}

impl JwtState {
    /// An access and a refresh token for `identity` that are revoked together:
    /// the access token carries the refresh token's `jti` (and `exp`), and the
    /// store checks both.
    pub async fn create_token_pair<I: crate::tokens::Identity + ?Sized + Sync>(
        &self,
        identity: &I,
    ) -> Result<(String, String), crate::error::EncodeError> {
        let refresh = self.refresh_token(identity).await?;
        let claims = codec::unverified_parts(&refresh, usize::MAX)
            .map_err(|e| crate::error::EncodeError::Loader(e.to_string()))?
            .1;
        let mut pair = serde_json::Map::new();
        if let Some(jti) = claims.jti() {
            pair.insert(REFRESH_JTI_CLAIM.into(), jti.into());
        }
        if let Some(exp) = claims.exp() {
            pair.insert(REFRESH_EXP_CLAIM.into(), exp.into());
        }
        let access = self.access_token(identity).additional_claims(pair).await?;
        Ok((access, refresh))
    }
}
