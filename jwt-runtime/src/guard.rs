//! Typed request guards: the checks of `#[jwt_required]` without any macro.

use std::sync::Arc;

use rocket::request::{FromRequest, Outcome, Request};

use crate::claims::{Claims, JwtHeader, VerifiedJwt};
use crate::config::Location;
use crate::context::{empty_claims, empty_header};
use crate::error::JwtError;
use crate::verify::{verify_jwt_in_request, VerifyOptions};

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
    token: Option<Arc<VerifiedJwt>>,
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
        self.token.as_ref()
    }

    /// The identity (`get_jwt_identity()`).
    pub fn identity(&self) -> Option<&str> {
        self.token.as_deref().map(VerifiedJwt::identity)
    }

    /// The claims (`get_jwt()`), empty without token.
    pub fn claims(&self) -> &Claims {
        match self.token.as_deref() {
            Some(t) => t.claims(),
            None => empty_claims(),
        }
    }

    /// The header (`get_jwt_header()`), empty without token.
    pub fn header(&self) -> &JwtHeader {
        match self.token.as_deref() {
            Some(t) => t.header(),
            None => empty_header(),
        }
    }

    /// Where the token was found (`get_jwt_request_location()`).
    pub fn location(&self) -> Option<Location> {
        self.token.as_deref().and_then(VerifiedJwt::location)
    }

    /// Hands the verified token to the accessors of a decorated handler.
    #[doc(hidden)]
    pub fn into_context(self) -> Option<Arc<VerifiedJwt>> {
        self.token
    }
}

#[rocket::async_trait]
impl<'r, const OPTS: u32> FromRequest<'r> for JwtGuard<OPTS> {
    type Error = JwtError;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, JwtError> {
        match verify_jwt_in_request(req, Self::OPTIONS).await {
            Ok(token) => Outcome::Success(JwtGuard { token }),
            Err(e) => crate::respond::fail(req, e),
        }
    }
}
