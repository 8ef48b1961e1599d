//! The pipeline: flask-jwt-extended's `verify_jwt_in_request`, once per
//! request however many guards ask.
//!
//! 1 find the token (locations in order) → 2 decode (+CSRF for cookies) →
//! 3 token type → 4 fresh → 5 revocation → 6 token verification → 7 user lookup.

use std::any::Any;
use std::sync::Arc;

use rocket::http::Method;
use rocket::request::Request;

use super::body::RequestBody;
use super::decode::decode_found;
use super::loaders::{revocation_configured, run_loaders};
use super::locations::{self, missing_message, Lookup};
use super::options::{needs_body, VerifyOptions};
use super::state::{RequestState, RouteId};
use crate::error::JwtError;
use crate::loaders::AnyUser;
use crate::state::JwtState;
use crate::token::{now_f64, VerifiedJwt};

/// A request that passed every check: its token and, with a `#[user_lookup]`
/// loader, the loaded user.
#[derive(Clone)]
pub struct Authenticated {
    pub(crate) token: Arc<VerifiedJwt>,
    pub(crate) user: Option<AnyUser>,
}

impl Authenticated {
    /// The verified token.
    pub fn token(&self) -> &Arc<VerifiedJwt> {
        &self.token
    }

    /// The user the `#[user_lookup]` loader returned, if it returned a `U`.
    pub fn user<U: Any + Send + Sync>(&self) -> Option<Arc<U>> {
        self.user.clone().and_then(|u| u.downcast::<U>().ok())
    }
}

/// The token that authenticated this request for the route that answered it,
/// if a JWT guard accepted one with the revocation check done (read by the
/// implicit-refresh fairing).
pub(crate) fn authenticated(req: &Request<'_>) -> Option<Arc<VerifiedJwt>> {
    RequestState::of(req).authenticated(RouteId::of(req))
}

/// The outcome of a verification that may need the request body.
pub(crate) enum Verified {
    /// Verified: the token, or `None` (optional route without token, `OPTIONS`).
    Done(Option<Authenticated>),
    /// A location before the token needs the body; the data guard finishes.
    NeedsBody,
}

/// flask's `verify_jwt_in_request(optional, fresh, refresh, locations,
/// verify_type, skip_revocation_check)` for custom guards.
///
/// Returns the verified token, or `None` on an optional route without token
/// and on `OPTIONS` requests (which pass without a token, as in flask, unless
/// the route has checks: see [`VerifyOptions::with_checks`]). The
/// token search and decode run once per request, however many guards ask,
/// and so does each loader.
///
/// A request guard cannot read the body: when the search reaches the `json`
/// location (or a CSRF form field) this returns a configuration error (500).
/// Routes protected with `#[jwt_required]` read the body through a data guard
/// the attribute adds; the typed guards refuse such a configuration at launch.
pub async fn verify_jwt_in_request(
    req: &Request<'_>,
    options: VerifyOptions,
) -> Result<Option<Arc<VerifiedJwt>>, JwtError> {
    match verify(req, options, None).await? {
        Verified::Done(passed) => Ok(passed.map(|p| p.token)),
        Verified::NeedsBody => Err(needs_body_error(req, options)),
    }
}

/// The error when a request guard alone reaches a location that needs the
/// body (the launch checks make this rare: custom guards only).
pub(crate) fn needs_body_error(req: &Request<'_>, options: VerifyOptions) -> JwtError {
    let why = JwtState::of(req)
        .ok()
        .and_then(|s| needs_body(s.config(), &options.active_locations(s.config())))
        .unwrap_or("the token search reads the body");
    JwtError::Configuration(format!(
        "{why}, which a request guard cannot do: protect the route with #[jwt_required]"
    ))
}

/// The whole check, with the body when a data guard has read it.
pub(crate) async fn verify(
    req: &Request<'_>,
    options: VerifyOptions,
    body: Option<&RequestBody>,
) -> Result<Verified, JwtError> {
    let state = JwtState::of(req)?;
    if req.method() == Method::Options && options.options_pass() {
        return Ok(Verified::Done(None));
    }
    let key = options.search_key();
    let request = RequestState::of(req);
    let found = match request.search(key) {
        Some(found) => found,
        None => {
            let found = match find_and_decode(req, state, options, body).await {
                Ok(Search::NeedsBody) => return Ok(Verified::NeedsBody),
                Ok(Search::Found(token)) => Ok(Arc::new(token)),
                Err(e) => Err(e),
            };
            request.put_search(key, found.clone());
            found
        }
    };
    let token = match found {
        Ok(token) => token,
        Err(JwtError::NoAuthorization(_)) if options.is_optional() => {
            return Ok(Verified::Done(None))
        }
        Err(e) => return Err(e),
    };
    if options.verifies_type() && token.claims.is_refresh() != options.is_refresh() {
        return Err(JwtError::WrongTokenType {
            refresh_required: options.is_refresh(),
        });
    }
    if options.is_fresh() && !token.claims.is_fresh_at(now_f64()) {
        return Err(JwtError::FreshTokenRequired(token));
    }
    let user = run_loaders(req, state, &token, options).await?;
    // Accepted with the revocation check done, or with nothing to check.
    if !options.skips_revocation_check() || !revocation_configured(state) {
        request.authenticate(RouteId::of(req), token.clone());
    }
    Ok(Verified::Done(Some(Authenticated { token, user })))
}

enum Search {
    Found(VerifiedJwt),
    NeedsBody,
}

async fn find_and_decode(
    req: &Request<'_>,
    state: &JwtState,
    options: VerifyOptions,
    body: Option<&RequestBody>,
) -> Result<Search, JwtError> {
    let cfg = state.config();
    let locations = options.active_locations(cfg);
    let mut missing = Vec::new();
    for &location in locations.iter() {
        match locations::read(location, req, cfg, options.token_type(), body) {
            Ok(Lookup::Found { token, csrf }) => {
                return decode_found(req, state, &token, location, csrf)
                    .await
                    .map(Search::Found);
            }
            Ok(Lookup::NeedsBody) => return Ok(Search::NeedsBody),
            Err(JwtError::NoAuthorization(m)) => missing.push(m),
            Err(e) => return Err(e),
        }
    }
    Err(JwtError::NoAuthorization(missing_message(
        &locations, missing,
    )))
}
