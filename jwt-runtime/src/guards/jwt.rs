//! Typed request guards: the checks of `#[jwt_required]` without any macro.

use std::sync::Arc;

use rocket::request::{FromRequest, Outcome, Request};
use rocket::{Ignite, Rocket, Sentinel};

use crate::error::JwtError;
use crate::request::{fail, needs_body, needs_body_error, verify, Authenticated, RequestState};
use crate::request::{RouteId, Verified, VerifyOptions};
use crate::state::JwtState;
use crate::token::{Claims, JwtHeader, Location, VerifiedJwt};

/// A request guard that verifies the request's JWT with the options packed in
/// `OPTS` (see [`VerifyOptions`]). Failing requests get flask-jwt-extended's
/// response; the handler never runs.
///
/// Use the aliases [`Jwt`], [`OptionalJwt`], [`FreshJwt`], [`RefreshJwt`], or
/// any combination:
///
/// ```
/// use rocket_jwt_extended_runtime::{JwtGuard, Location, VerifyOptions};
///
/// type FreshFromHeaders = JwtGuard<{ VerifyOptions::new().fresh().locations(&[Location::Headers]).bits() }>;
/// ```
pub struct JwtGuard<const OPTS: u32> {
    passed: Option<Authenticated>,
    /// The search continues in the route's body data guard.
    deferred: bool,
}

/// `@jwt_required()`: a valid access token.
pub type Jwt = JwtGuard<{ VerifyOptions::new().bits() }>;
/// `@jwt_required(optional=True)`: an access token if there is one.
pub type OptionalJwt = JwtGuard<{ VerifyOptions::new().optional().bits() }>;
/// `@jwt_required(fresh=True)`: a fresh access token.
pub type FreshJwt = JwtGuard<{ VerifyOptions::new().fresh().bits() }>;
/// `@jwt_required(refresh=True)`: a refresh token.
pub type RefreshJwt = JwtGuard<{ VerifyOptions::new().refresh().bits() }>;

impl<const OPTS: u32> JwtGuard<OPTS> {
    /// The options this guard verifies with.
    pub const OPTIONS: VerifyOptions = VerifyOptions::from_bits(OPTS);

    /// The verified token; `None` on an optional route without token or an `OPTIONS` request.
    pub fn token(&self) -> Option<&Arc<VerifiedJwt>> {
        self.passed.as_ref().map(Authenticated::token)
    }

    /// The identity (`get_jwt_identity()`).
    pub fn identity(&self) -> Option<&str> {
        self.token().map(|t| t.identity())
    }

    /// The claims (`get_jwt()`), empty without token.
    pub fn claims(&self) -> &Claims {
        match self.token() {
            Some(t) => t.claims(),
            None => Claims::empty_ref(),
        }
    }

    /// The header (`get_jwt_header()`), empty without token.
    pub fn header(&self) -> &JwtHeader {
        match self.token() {
            Some(t) => t.header(),
            None => JwtHeader::empty_ref(),
        }
    }

    /// Where the token was found (`get_jwt_request_location()`).
    pub fn location(&self) -> Option<Location> {
        self.token().and_then(|t| t.location())
    }

    /// The user the `#[user_lookup]` loader returned (flask's `current_user`),
    /// if there is one and it is a `U`.
    pub fn user<U: std::any::Any + Send + Sync>(&self) -> Option<Arc<U>> {
        self.passed.as_ref().and_then(Authenticated::user::<U>)
    }

    /// Hands the verified token to the accessors of a decorated handler.
    #[doc(hidden)]
    pub fn into_context(self) -> Option<Authenticated> {
        self.passed
    }

    /// Like `into_context`, with what the route's body data guard resolved
    /// when the search continued there.
    #[doc(hidden)]
    pub fn into_context_with(self, body: Option<Option<Authenticated>>) -> Option<Authenticated> {
        match (self.deferred, body) {
            (true, Some(passed)) => passed,
            (true, None) => panic!(
                "the JWT search was left to the route's body data guard, which did not finish it"
            ),
            (false, _) => self.passed,
        }
    }
}

#[rocket::async_trait]
impl<'r, const OPTS: u32> FromRequest<'r> for JwtGuard<OPTS> {
    type Error = JwtError;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, JwtError> {
        let options = Self::OPTIONS;
        match verify(req, options, None).await {
            Ok(Verified::Done(passed)) => Outcome::Success(JwtGuard {
                passed,
                deferred: false,
            }),
            Ok(Verified::NeedsBody) if options.has_body() => {
                RequestState::of(req).defer(RouteId::of(req), options);
                Outcome::Success(JwtGuard {
                    passed: None,
                    deferred: true,
                })
            }
            Ok(Verified::NeedsBody) => fail(req, needs_body_error(req, options)),
            Err(e) => fail(req, e),
        }
    }
}

/// Checked at launch: the manager is attached, and the locations this guard
/// searches can be searched by it. A request guard cannot read the body, so
/// a typed guard (or a `#[jwt_required]` route whose data guard is neither
/// absent nor `Json<T>`) refuses to launch when the token may be in the JSON
/// body or the CSRF token in a form field.
impl<const OPTS: u32> Sentinel for JwtGuard<OPTS> {
    fn abort(rocket: &Rocket<Ignite>) -> bool {
        let Some(state) = rocket.state::<JwtState>() else {
            rocket::log::private::error!(
                "a route is protected by a JWT guard but JwtManager is not attached: \
                 add `.attach(JwtManager::new())`"
            );
            return true;
        };
        let options = Self::OPTIONS;
        if options.needs_user_lookup() && state.loaders().user_lookup.is_none() {
            rocket::log::private::error!(
                "a #[jwt_required] route calls current_user(), but no #[user_lookup] loader is \
                 registered, so it would have no user: add one with \
                 JwtManager::new().loaders(loaders![..])"
            );
            return true;
        }
        if options.has_body() {
            return false;
        }
        let cfg = state.config();
        match needs_body(cfg, &options.active_locations(cfg)) {
            None => false,
            Some(why) => {
                rocket::log::private::error!(
                    "{why}, which a request guard cannot do: protect the route with \
                     #[jwt_required] (on a route without a data guard or with a `Json<T>` one), \
                     or remove that location from this route's locations"
                );
                true
            }
        }
    }
}
