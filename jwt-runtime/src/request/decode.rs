//! Decoding a token found in the request: with the configured key or the one
//! a `#[decode_key]` loader picks, then the double-submit CSRF comparison for
//! cookie tokens (after the claim checks, before "expired", as flask orders
//! them).

use std::sync::Arc;

use jsonwebtoken::DecodingKey;
use rocket::request::Request;
use serde_json::Value;

use crate::error::JwtError;
use crate::loaders::LoaderArgs;
use crate::state::JwtState;
use crate::token::{
    self, loader_decoding_key, looks_like_asymmetric_key, Claims, DecodeError, DecodeOptions,
    Family, Location,
};
use crate::token::{TokenError, VerifiedJwt};
use crate::util::constant_time_eq;

/// Decodes `token` found at `location`; `csrf` is the double-submit value
/// when the location asks for one.
pub(crate) async fn decode_found(
    req: &Request<'_>,
    state: &JwtState,
    token: &str,
    location: Location,
    csrf: Option<&str>,
) -> Result<VerifiedJwt, JwtError> {
    let opts = DecodeOptions {
        allow_expired: false,
        location: Some(location),
    };
    let decoded = decode_with_keys(req, state, token, opts).await?;
    let Some(csrf) = csrf else {
        return Ok(decoded?);
    };
    match decoded {
        Ok(verified) => {
            check_csrf(verified.claims(), csrf)?;
            Ok(verified)
        }
        Err(TokenError::Expired(verified)) => {
            check_csrf(verified.claims(), csrf)?;
            Err(JwtError::Expired(Some(Arc::new(*verified))))
        }
        Err(e) => Err(e.into()),
    }
}

/// flask's `decode_token(token, allow_expired)` inside a request: with the
/// key the `#[decode_key]` loader picks, when one is registered.
pub(crate) async fn decode_in_request(
    req: &Request<'_>,
    state: &JwtState,
    token: &str,
    allow_expired: bool,
) -> Result<VerifiedJwt, JwtError> {
    let opts = DecodeOptions {
        allow_expired,
        location: None,
    };
    Ok(decode_with_keys(req, state, token, opts).await??)
}

/// The codec's verdict with the right key: the `#[decode_key]` loader's,
/// else the configured keys, else those of the key source. The outer error
/// is a failure to get a key at all (a loader's, the key server's).
async fn decode_with_keys(
    req: &Request<'_>,
    state: &JwtState,
    token: &str,
    opts: DecodeOptions,
) -> Result<Result<VerifiedJwt, TokenError>, JwtError> {
    let policy = state.config().policy();
    if let Some(key) = loader_key(req, state, token).await? {
        return Ok(token::decode(policy, &key, token, opts));
    }
    let local_keys = state.config().keys();
    let Some(source) = state.key_source() else {
        return Ok(token::decode(policy, local_keys, token, opts));
    };
    // A resource server with no keys of its own goes straight to the source.
    // Keys of its own first; a token they do not know (or whose signature
    // they do not verify: a key server's token of the same algorithm) is
    // tried with the key source's.
    if !local_keys.verify.is_empty() {
        let local = token::decode(policy, local_keys, token, opts);
        let elsewhere = unknown_key(&local)
            || matches!(local, Err(TokenError::Invalid(DecodeError::Signature)));
        if !elsewhere {
            return Ok(local);
        }
    }
    let mut cached = None;
    let fetched = match source.current() {
        Ok(keys) => {
            let verdict = token::decode(policy, &*keys, token, opts);
            if !unknown_key(&verdict) {
                return Ok(verdict);
            }
            cached = Some((keys, verdict));
            source.refetch().await
        }
        Err(_) => source.refetch().await,
    };
    match fetched {
        // A throttled re-fetch hands back the same keys: their verdict stands.
        Ok(keys) => match cached {
            Some((before, verdict)) if Arc::ptr_eq(&before, &keys) => Ok(verdict),
            _ => Ok(token::decode(policy, &*keys, token, opts)),
        },
        Err(e) => {
            rocket::log::private::error!("{}: {e}", source.name());
            Err(JwtError::KeysUnavailable(e.0))
        }
    }
}

/// The token names a key (or an algorithm) no key here has.
fn unknown_key(verdict: &Result<VerifiedJwt, TokenError>) -> bool {
    matches!(
        verdict,
        Err(TokenError::Invalid(
            DecodeError::UnknownKid | DecodeError::NoKey
        ))
    )
}

/// The key the `#[decode_key]` loader picks from the unverified header and
/// claims, when one is registered.
///
/// The loader only runs for a token whose `alg` the allow-list accepts: any
/// other token is left to the codec with the configured keys, which refuse
/// it for what it is (422) before looking at a signature. A loader's key is
/// held to the rules of a configured one (secret length; for asymmetric
/// algorithms a PEM key of the algorithm's type, size and curve); a bad one
/// is a server-side misconfiguration, logged in detail and answered without it.
async fn loader_key(
    req: &Request<'_>,
    state: &JwtState,
    token: &str,
) -> Result<Option<DecodingKey>, JwtError> {
    let cfg = state.config();
    let Some((name, loader)) = state.loaders().decode_key else {
        return Ok(None);
    };
    let policy = cfg.policy();
    let (header, claims) = token::unverified_parts(token, policy.max_token_size)?;
    let allowed = header
        .alg()
        .and_then(|a| a.parse::<jsonwebtoken::Algorithm>().ok())
        .filter(|a| policy.algorithms.contains(a));
    let Some(alg) = allowed else {
        return Ok(None);
    };
    let args = LoaderArgs {
        header: &header,
        claims: &claims,
        identity: claims.get_str(&policy.identity_claim).unwrap_or(""),
        reason: "",
        error: None,
    };
    let secret = loader(req, args).await?;
    // A public key for a token that claims an HMAC algorithm: the RS→HS
    // confusion. The token is refused for its `alg`, the key is not used.
    if Family::of(alg) == Family::Hmac && looks_like_asymmetric_key(&secret) {
        return Err(DecodeError::AlgorithmNotAllowed.into());
    }
    match loader_decoding_key(alg, &secret) {
        Ok(key) => Ok(Some(key)),
        Err(why) => {
            rocket::log::private::error!("#[decode_key] loader `{name}`: {why}");
            Err(JwtError::Configuration(
                "the key that verifies this token is misconfigured".into(),
            ))
        }
    }
}

/// flask's double-submit check: the `csrf` claim equals the value sent,
/// compared in constant time.
fn check_csrf(claims: &Claims, value: &str) -> Result<(), JwtError> {
    let claim = match claims.get("csrf") {
        Some(Value::String(c)) => c.as_str(),
        Some(_) => "",
        None => return Err(DecodeError::MissingClaim("csrf".into()).into()),
    };
    if !constant_time_eq(claim.as_bytes(), value.as_bytes()) {
        return Err(JwtError::Csrf(
            "CSRF double submit tokens do not match".into(),
        ));
    }
    Ok(())
}
