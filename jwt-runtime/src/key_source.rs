//! The key source trait: verification keys that live elsewhere (a key
//! server's JWKS), fetched and cached by an implementation such as
//! `rocket-jwt-extended-jwks`'s `Jwks`.
//!
//! Register one on the manager with `jwt_jwks_url` configured, and a token
//! whose `kid` (or `alg`) the configured keys do not know is verified with
//! the source's keys:
//!
//! ```ignore
//! rocket::build().attach(JwtManager::new().key_source(Jwks::new()))
//! ```
//!
//! The request path reads [`KeySource::current`] (no I/O: the keys as last
//! fetched) and calls [`KeySource::refetch`] only when a token names a key
//! that is not there; the source bounds how often that fetches. A source
//! that cannot answer fails the request closed: 503, never an accepted token.

use std::fmt;
use std::sync::Arc;

use crate::config::JwksSettings;
use crate::token::Keys;
use crate::util::BoxFuture;

/// The key server could not be reached (or answered nonsense) and no keys
/// fetched before are recent enough to use; the reason is logged, the
/// request fails closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySourceError(pub String);

impl fmt::Display for KeySourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for KeySourceError {}

/// Where verification keys come from when they are not configured.
pub trait KeySource: Send + Sync + 'static {
    /// A name for logs (`Jwks`).
    fn name(&self) -> &'static str;

    /// Called once at ignite with the `jwt_jwks_*` settings: start fetching.
    /// An error refuses the launch (a key server that is down is not one:
    /// the source keeps trying, and requests fail closed meanwhile).
    fn init<'a>(&'a self, settings: &'a JwksSettings) -> BoxFuture<'a, Result<(), String>>;

    /// The keys as last fetched, without I/O; an error when there are none
    /// yet or they are older than `jwt_jwks_max_stale_secs` allows.
    fn current(&self) -> Result<Arc<Keys>, KeySourceError>;

    /// A token named a key `current` does not have: fetch again, unless a
    /// fetch happened within `jwt_jwks_min_refetch_secs` (then the current
    /// keys are the answer), bounded by `jwt_jwks_timeout_ms`.
    fn refetch(&self) -> BoxFuture<'_, Result<Arc<Keys>, KeySourceError>>;
}

/// A registered key source, shared by every request.
pub(crate) type SharedKeySource = Arc<dyn KeySource>;
