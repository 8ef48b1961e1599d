//! flask's cookie helpers in three forms, generated from one table
//! ([`cookie_helpers!`]) so that every form offers every operation, the
//! domain overrides included:
//!
//! - the [`JwtCookies`] request guard: `cookies.set_access_cookies(&token)?`;
//! - any responder, through [`JwtCookiesExt`]: `Json(body).set_access_cookies(token)`;
//! - [`WithJwtCookies`], what the second returns, to chain more.

use rocket::http::Cookie;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::{self, Responder};

use super::build::{CookieOp, CookieOptions};
use crate::error::JwtError;
use crate::request::{fail, mark_cookies_queued, RequestState};
use crate::state::JwtState;
use crate::token::TokenType::{Access, Refresh};

/// The table: each helper, flask's call it mirrors, and the operations it
/// queues. `$form!` receives it and writes the methods in its own shape;
/// `set` helpers may fail (the token must verify), `unset` helpers cannot.
macro_rules! cookie_helpers {
    ($form:ident) => {
        $form! {
            set "`set_access_cookies(response, token)`."
            set_access_cookies(token: impl Into<String>)
                => [CookieOp::Set(Access, token.into(), CookieOptions::new())];
            set "`set_access_cookies(response, token, max_age=…, domain=…)`."
            set_access_cookies_with(token: impl Into<String>, options: CookieOptions)
                => [CookieOp::Set(Access, token.into(), options)];
            set "`set_refresh_cookies(response, token)`."
            set_refresh_cookies(token: impl Into<String>)
                => [CookieOp::Set(Refresh, token.into(), CookieOptions::new())];
            set "`set_refresh_cookies(response, token, max_age=…, domain=…)`."
            set_refresh_cookies_with(token: impl Into<String>, options: CookieOptions)
                => [CookieOp::Set(Refresh, token.into(), options)];
            unset "`unset_jwt_cookies(response)`: removes all four cookies."
            unset_jwt_cookies()
                => [CookieOp::Unset(Access, None), CookieOp::Unset(Refresh, None)];
            unset "`unset_jwt_cookies(response, domain=…)`."
            unset_jwt_cookies_for_domain(domain: &str)
                => [
                    CookieOp::Unset(Access, Some(domain.to_owned())),
                    CookieOp::Unset(Refresh, Some(domain.to_owned())),
                ];
            unset "`unset_access_cookies(response)`."
            unset_access_cookies()
                => [CookieOp::Unset(Access, None)];
            unset "`unset_access_cookies(response, domain=…)`."
            unset_access_cookies_for_domain(domain: &str)
                => [CookieOp::Unset(Access, Some(domain.to_owned()))];
            unset "`unset_refresh_cookies(response)`."
            unset_refresh_cookies()
                => [CookieOp::Unset(Refresh, None)];
            unset "`unset_refresh_cookies(response, domain=…)`."
            unset_refresh_cookies_for_domain(domain: &str)
                => [CookieOp::Unset(Refresh, Some(domain.to_owned()))];
        }
    };
}

/// flask-jwt-extended's cookie helpers as a request guard.
///
/// ```
/// use rocket::serde::json::{json, Value};
/// use rocket_jwt_extended_runtime::{JwtCookies, JwtError, Tokens};
///
/// #[rocket::post("/login")]
/// async fn login(tokens: Tokens<'_>, cookies: JwtCookies<'_>) -> Result<Value, JwtError> {
///     let token = tokens.access_token("example_user").await?;
///     cookies.set_access_cookies(&token)?;
///     Ok(json!({"msg": "login successful"}))
/// }
///
/// #[rocket::post("/logout")]
/// fn logout(cookies: JwtCookies<'_>) -> Value {
///     cookies.unset_jwt_cookies();
///     json!({"msg": "logout successful"})
/// }
/// ```
pub struct JwtCookies<'r> {
    state: &'r JwtState,
    request: &'r RequestState,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for JwtCookies<'r> {
    type Error = JwtError;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, JwtError> {
        match JwtState::of(req) {
            Ok(state) => {
                mark_cookies_queued(req);
                Outcome::Success(JwtCookies {
                    state,
                    request: RequestState::of(req),
                })
            }
            Err(e) => fail(req, e),
        }
    }
}

impl JwtCookies<'_> {
    /// Builds every cookie first, so that a failing call queues nothing.
    fn queue<const N: usize>(&self, ops: [CookieOp; N]) -> Result<(), JwtError> {
        let mut cookies: Vec<Cookie<'static>> = Vec::new();
        for op in &ops {
            cookies.extend(self.state.apply_cookie_op(op)?);
        }
        for cookie in cookies {
            self.request.queue_cookie(cookie);
        }
        Ok(())
    }
}

macro_rules! guard_form {
    ($($kind:ident $doc:literal $name:ident($($arg:ident: $ty:ty),*) => $ops:expr;)*) => {
        impl JwtCookies<'_> {
            $(guard_form!(@ $kind $doc $name($($arg: $ty),*) => $ops);)*
        }
    };
    (@ set $doc:literal $name:ident($($arg:ident: $ty:ty),*) => $ops:expr) => {
        #[doc = $doc]
        pub fn $name(&self, $($arg: $ty),*) -> Result<(), JwtError> {
            self.queue($ops)
        }
    };
    (@ unset $doc:literal $name:ident($($arg:ident: $ty:ty),*) => $ops:expr) => {
        #[doc = $doc]
        pub fn $name(&self, $($arg: $ty),*) {
            // Removals are built from the configuration alone: they cannot fail.
            let _ = self.queue($ops);
        }
    };
}

cookie_helpers!(guard_form);

/// A responder with JWT cookies added, from [`JwtCookiesExt`]. Chain more
/// helpers on it; they apply in order when the response is written.
pub struct WithJwtCookies<R> {
    inner: R,
    ops: Vec<CookieOp>,
}

impl<R> WithJwtCookies<R> {
    fn with<const N: usize>(mut self, ops: [CookieOp; N]) -> Self {
        self.ops.extend(ops);
        self
    }
}

macro_rules! chained_form {
    ($($kind:ident $doc:literal $name:ident($($arg:ident: $ty:ty),*) => $ops:expr;)*) => {
        impl<R> WithJwtCookies<R> {
            $(
                #[doc = $doc]
                pub fn $name(self, $($arg: $ty),*) -> Self {
                    self.with($ops)
                }
            )*
        }
    };
}

cookie_helpers!(chained_form);

macro_rules! responder_form {
    ($($kind:ident $doc:literal $name:ident($($arg:ident: $ty:ty),*) => $ops:expr;)*) => {
        /// flask's cookie helpers on any Rocket responder, the way flask applies them
        /// to a response object:
        ///
        /// ```
        /// use rocket::serde::json::{json, Json, Value};
        /// use rocket_jwt_extended_runtime::{JwtCookiesExt, WithJwtCookies};
        ///
        /// fn login_response(access: String, refresh: String) -> WithJwtCookies<Json<Value>> {
        ///     Json(json!({"msg": "login successful"}))
        ///         .set_access_cookies(access)
        ///         .set_refresh_cookies(refresh)
        /// }
        ///
        /// fn logout_response() -> WithJwtCookies<Json<Value>> {
        ///     Json(json!({"msg": "logout successful"})).unset_jwt_cookies()
        /// }
        /// ```
        ///
        /// A token that does not verify answers 500 with flask's message, as
        /// `set_access_cookies` raises in flask.
        pub trait JwtCookiesExt: Sized {
            $(
                #[doc = $doc]
                fn $name(self, $($arg: $ty),*) -> WithJwtCookies<Self> {
                    WithJwtCookies { inner: self, ops: Vec::new() }.with($ops)
                }
            )*
        }
    };
}

cookie_helpers!(responder_form);

impl<'r, R: Responder<'r, 'static>> JwtCookiesExt for R {}

impl<'r, R: Responder<'r, 'static>> Responder<'r, 'static> for WithJwtCookies<R> {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        let state = match JwtState::of(req) {
            Ok(state) => state,
            Err(e) => return e.respond_to(req),
        };
        let mut cookies = Vec::new();
        for op in &self.ops {
            match state.apply_cookie_op(op) {
                Ok(c) => cookies.extend(c),
                Err(e) => return e.respond_to(req),
            }
        }
        let mut res = self.inner.respond_to(req)?;
        for cookie in cookies {
            res.adjoin_raw_header("Set-Cookie", cookie.to_string());
        }
        Ok(res)
    }
}
