//! Typed claims: the verified token's claims deserialized into the
//! application's own `serde` struct, so a handler reads fields, not a JSON map.

use std::sync::Arc;

use rocket::request::{FromRequest, Outcome, Request};
use rocket::{Ignite, Rocket, Sentinel};
use serde::de::DeserializeOwned;

use super::jwt::JwtGuard;
use crate::error::JwtError;
use crate::request::fail;
use crate::request::VerifyOptions;
use crate::token::{DecodeError, VerifiedJwt};

/// A request guard: a valid access token (the checks of `#[jwt_required]`,
/// with the options packed in `OPTS`), its claims deserialized into `T`.
/// Claims `T` does not name are ignored; claims that do not fit `T` answer
/// 422 with serde's reason (`Invalid claims: missing field `role``), like
/// any invalid token. The identity is a `&str`, never an `Option`.
///
/// ```
/// # #[macro_use] extern crate rocket;
/// use rocket::serde::Deserialize;
/// use rocket_jwt_extended_runtime::JwtClaims;
///
/// #[derive(Deserialize)]
/// struct Claims {
///     sub: String,
///     #[serde(default)]
///     roles: Vec<String>,
/// }
///
/// #[get("/me")]
/// fn me(token: JwtClaims<Claims>) -> String {
///     format!("{} ({})", token.identity(), token.claims.roles.join(", "))
/// }
/// ```
///
/// The token must be one a request guard can find (headers, cookies, query
/// string): put the route under `#[jwt_required(..)]` and read
/// [`get_jwt`](crate::get_jwt) for the JSON body. The options are those of
/// [`JwtGuard`]; refresh routes, say:
/// `JwtClaims<T, { VerifyOptions::new().refresh().bits() }>`. An `optional`
/// route has no claims to give: use [`OptionalJwt`](crate::OptionalJwt) there.
pub struct JwtClaims<T, const OPTS: u32 = { VerifyOptions::new().bits() }> {
    /// The claims as `T`.
    pub claims: T,
    token: Arc<VerifiedJwt>,
}

impl<T, const OPTS: u32> JwtClaims<T, OPTS> {
    /// The identity (`get_jwt_identity()`).
    pub fn identity(&self) -> &str {
        self.token.identity()
    }

    /// The verified token, with its untyped claims and header.
    pub fn token(&self) -> &Arc<VerifiedJwt> {
        &self.token
    }

    /// The claims, owned.
    pub fn into_inner(self) -> T {
        self.claims
    }
}

impl<T, const OPTS: u32> std::ops::Deref for JwtClaims<T, OPTS> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.claims
    }
}

#[rocket::async_trait]
impl<'r, T: DeserializeOwned + Send + 'r, const OPTS: u32> FromRequest<'r> for JwtClaims<T, OPTS> {
    type Error = JwtError;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, JwtError> {
        let guard = match JwtGuard::<OPTS>::from_request(req).await {
            Outcome::Success(guard) => guard,
            Outcome::Error(e) => return Outcome::Error(e),
            Outcome::Forward(s) => return Outcome::Forward(s),
        };
        let Some(token) = guard.token().cloned() else {
            // An optional route without a token, or an OPTIONS request.
            let msg = "Missing Authorization Header";
            return fail(req, JwtError::NoAuthorization(msg.into()));
        };
        let value = serde_json::Value::Object(token.claims().as_map().clone());
        match serde_json::from_value::<T>(value) {
            Ok(claims) => Outcome::Success(JwtClaims { claims, token }),
            Err(e) => fail(req, DecodeError::ClaimsShape(e.to_string()).into()),
        }
    }
}

/// The launch checks of [`JwtGuard`].
impl<T, const OPTS: u32> Sentinel for JwtClaims<T, OPTS> {
    fn abort(rocket: &Rocket<Ignite>) -> bool {
        <JwtGuard<OPTS> as Sentinel>::abort(rocket)
    }
}
