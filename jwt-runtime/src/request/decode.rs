//! Decoding a token found in the request: with the configured key or the one
//! a `#[decode_key]` loader picks, then the double-submit CSRF comparison for
//! cookie tokens (after the claim checks, before "expired", as flask orders
//! them).

use std::borrow::Cow;
use std::sync::Arc;

use jsonwebtoken::DecodingKey;
use rocket::request::Request;
use serde_json::Value;

use crate::error::JwtError;
use crate::loaders::LoaderArgs;
use crate::state::JwtState;
use crate::token::{self, check_hmac_secret, Claims, DecodeError, DecodeOptions, Location};
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
    let key = decoding_key(req, state, token).await?;
    let opts = DecodeOptions {
        allow_expired: false,
        location: Some(location),
    };
    let decoded = token::decode(state.config().policy(), &key, token, opts);
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
    let key = decoding_key(req, state, token).await?;
    let opts = DecodeOptions {
        allow_expired,
        location: None,
    };
    Ok(token::decode(state.config().policy(), &key, token, opts)?)
}

/// The configured key, or the one the `#[decode_key]` loader picks from the
/// unverified header and claims.
///
/// The loader only runs for a token whose `alg` the allow-list accepts: any
/// other token is left to the codec with the configured key, which refuses
/// it for what it is (422) before looking at a signature. A loader's key is
/// held to the same length rule as the configured secret; a short one is a
/// server-side misconfiguration, logged in detail and answered without it.
async fn decoding_key<'s>(
    req: &Request<'_>,
    state: &'s JwtState,
    token: &str,
) -> Result<Cow<'s, DecodingKey>, JwtError> {
    let cfg = state.config();
    let configured = Cow::Borrowed(&cfg.keys().decoding);
    let Some((name, loader)) = state.loaders().decode_key else {
        return Ok(configured);
    };
    let policy = cfg.policy();
    let (header, claims) = token::unverified_parts(token, policy.max_token_size)?;
    let allowed = header
        .alg()
        .and_then(|a| a.parse::<jsonwebtoken::Algorithm>().ok())
        .filter(|a| policy.algorithms.contains(a));
    let Some(alg) = allowed else {
        return Ok(configured);
    };
    let args = LoaderArgs {
        header: &header,
        claims: &claims,
        identity: claims.get_str(&policy.identity_claim).unwrap_or(""),
        reason: "",
    };
    let secret = loader(req, args).await?;
    if let Err(why) = check_hmac_secret(alg, secret.len()) {
        rocket::log::private::error!("#[decode_key] loader `{name}`: {why}");
        return Err(JwtError::Configuration(
            "the key that verifies this token is misconfigured".into(),
        ));
    }
    Ok(Cow::Owned(DecodingKey::from_secret(&secret)))
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
