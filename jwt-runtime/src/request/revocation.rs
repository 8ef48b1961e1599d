//! Step 5, the revocation check: the registered store (one round trip,
//! bounded by `jwt_revocation_timeout_ms`, failing closed), then the
//! `#[token_in_blocklist]` loader; either one saying "revoked" revokes.

use std::future::Future;

use rocket::request::Request;

use crate::config::JwtConfig;
use crate::error::JwtError;
use crate::loaders::LoaderArgs;
use crate::state::JwtState;
use crate::store::{Check, Entry, StoreError};
use crate::token::{now_secs, Claims, TokenType, REFRESH_EXP_CLAIM, REFRESH_JTI_CLAIM};

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

/// The key under which a revoked session is kept, beside revoked `jti`s:
/// scoped by identity (length-prefixed), so that two identities' tokens
/// carrying the same `sid` never share a session.
pub(crate) fn session_key(identity: &str, sid: &str) -> String {
    format!("session:{}:{identity}:{sid}", identity.len())
}

/// The store's check for a token: its `jti`, its paired refresh `jti`, its
/// session, its identity. A token without a `jti` cannot be revoked
/// individually: refused.
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
    let session = claims.session().map(|sid| session_key(identity, sid));
    let mut keys = [jti; 3];
    let mut len = 1;
    for key in [claims.get_str(REFRESH_JTI_CLAIM), session.as_deref()]
        .into_iter()
        .flatten()
    {
        keys[len] = key;
        len += 1;
    }
    let check = Check {
        jtis: &keys[..len],
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

/// The longest any token lives, for "logout everywhere" and session marks.
pub(crate) fn longest_lifetime(cfg: &JwtConfig) -> Option<i64> {
    cfg.longest_lifetime()
        .map(|l| i64::try_from(l).unwrap_or(i64::MAX / 4))
}

/// The entries that revoke one token: its `jti` and, for an access token of a
/// pair, its refresh token's (revoking either revokes both).
pub(crate) fn token_entries<'c>(
    cfg: &JwtConfig,
    claims: &'c Claims,
    now: i64,
) -> Result<Vec<Entry<'c>>, JwtError> {
    let jti = claims
        .jti()
        .ok_or_else(|| JwtError::Configuration("a token without `jti` cannot be revoked".into()))?;
    if jti.starts_with("session:") {
        // Session keys share the store with `jti`s: such a `jti` is not ours.
        return Err(JwtError::Configuration(
            "a `jti` starting with `session:` is reserved".into(),
        ));
    }
    let identity = claims.get_str(&cfg.identity_claim).unwrap_or("");
    let mut entries = vec![Entry {
        jti,
        token_type: claims.token_type(),
        identity,
        revoked_at: now,
        expires_at: entry_expiry(cfg, claims.exp(), now),
    }];
    if let Some(refresh) = claims.get_str(REFRESH_JTI_CLAIM) {
        let refresh_exp = claims.get(REFRESH_EXP_CLAIM).and_then(|v| v.as_i64());
        entries.push(Entry {
            jti: refresh,
            token_type: TokenType::Refresh.as_str(),
            identity,
            revoked_at: now,
            expires_at: entry_expiry(cfg, refresh_exp, now),
        });
    }
    Ok(entries)
}

/// The entry that revokes a whole session (`key` from [`session_key`]): it
/// lives as long as any token of the session can.
pub(crate) fn session_entry<'c>(
    cfg: &JwtConfig,
    key: &'c str,
    identity: &'c str,
    now: i64,
) -> Entry<'c> {
    let leeway = i64::try_from(cfg.leeway).unwrap_or(i64::MAX / 4);
    Entry {
        jti: key,
        token_type: "session",
        identity,
        revoked_at: now,
        expires_at: longest_lifetime(cfg).map(|l| now.saturating_add(l).saturating_add(leeway)),
    }
}
