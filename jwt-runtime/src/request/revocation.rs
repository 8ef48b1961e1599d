//! Step 5, the revocation check: the registered store (one round trip,
//! bounded by `jwt_revocation_timeout_ms`, failing closed), then the
//! `#[token_in_blocklist]` loader; either one saying "revoked" revokes.

use std::future::Future;

use rocket::request::Request;

use crate::config::{Expiry, JwtConfig};
use crate::error::JwtError;
use crate::loaders::LoaderArgs;
use crate::state::JwtState;
use crate::store::{Check, StoreError};
use crate::token::{now_secs, Claims, REFRESH_JTI_CLAIM};

/// Whether the token is revoked, by the store or the blocklist loader.
pub(crate) async fn is_revoked(
    req: &Request<'_>,
    state: &JwtState,
    args: LoaderArgs<'_>,
) -> Result<bool, JwtError> {
    if check_token(state, args.claims, args.identity).await? {
        return Ok(true);
    }
    match state.loaders().token_in_blocklist {
        Some((_, f)) => f(req, args).await,
        None => Ok(false),
    }
}

/// The store's check for a token: its `jti`, its paired refresh `jti`, its
/// identity. A token without a `jti` cannot be revoked individually: refused.
pub(crate) async fn check_token(
    state: &JwtState,
    claims: &Claims,
    identity: &str,
) -> Result<bool, JwtError> {
    let Some(store) = state.store() else {
        return Ok(false);
    };
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
        now: now_secs(),
    };
    bounded(state, store.is_revoked(check)).await
}

/// Runs a store operation within `jwt_revocation_timeout_ms`; a failure or a
/// timeout is a 503, never an answer.
pub(crate) async fn bounded<T>(
    state: &JwtState,
    op: impl Future<Output = Result<T, StoreError>>,
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

/// `exp + leeway`, never less than one second from now; `None` without `exp`.
pub(crate) fn entry_expiry(cfg: &JwtConfig, exp: Option<i64>, now: i64) -> Option<i64> {
    let leeway = i64::try_from(cfg.leeway).unwrap_or(i64::MAX / 4);
    exp.map(|exp| exp.saturating_add(leeway).max(now + 1))
}

/// The longest any token lives, for "logout everywhere" marks.
pub(crate) fn longest_lifetime(cfg: &JwtConfig) -> Option<i64> {
    let secs = |e: Expiry| match e {
        Expiry::After(d) => Some(i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 4)),
        Expiry::Never => None,
    };
    Some(secs(cfg.access_expires)?.max(secs(cfg.refresh_expires)?))
}
