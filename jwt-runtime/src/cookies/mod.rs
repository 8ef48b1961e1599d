//! flask-jwt-extended's cookie helpers: `set_access_cookies`,
//! `set_refresh_cookies`, `unset_jwt_cookies`, `unset_access_cookies`,
//! `unset_refresh_cookies`.
//!
//! Two ways to use them, as in flask (where they modify a response):
//!
//! - the [`JwtCookies`] request guard, beside Rocket's `CookieJar`:
//!   `cookies.set_access_cookies(&token)?`;
//! - on any responder, through [`JwtCookiesExt`]:
//!   `Json(body).set_access_cookies(token)`.
//!
//! Every attribute comes from the configuration and is written explicitly:
//! the JWT cookies are `HttpOnly`, the CSRF cookies readable by scripts;
//! `Secure`, `Domain`, `SameSite` (absent unless `jwt_cookie_samesite` is set)
//! and `Max-Age`/`Expires` (none for session cookies) follow the `jwt_*` keys.
//! Rocket's `CookieJar::add` would add `SameSite=Strict` on its own, so these
//! cookies are written as `Set-Cookie` headers by the manager's response
//! fairing, and dropped, like the jar's, when a catcher answers instead.

mod build;
mod helpers;

use rocket::request::Request;
use rocket::response::Response;

use crate::request::{take_marker, RequestState, COOKIES_QUEUED};

pub use build::CookieOptions;
pub use helpers::{JwtCookies, JwtCookiesExt, WithJwtCookies};

/// Whether this request's handler queued a cookie called `name`.
pub(crate) fn pending_sets(req: &Request<'_>, name: &str) -> bool {
    RequestState::of(req).has_queued_cookie(name)
}

/// Writes the queued cookies, unless a catcher answered instead of the handler.
pub(crate) fn write_pending(req: &Request<'_>, res: &mut Response<'_>) {
    if !take_marker(res, COOKIES_QUEUED) {
        return;
    }
    for cookie in RequestState::of(req).take_cookies() {
        res.adjoin_raw_header("Set-Cookie", cookie.to_string());
    }
}
