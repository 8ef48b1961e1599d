//! Implicit refresh of access cookies: flask-jwt-extended's documented
//! `after_request` pattern, built in and opt-in.

use std::time::Duration;

use rocket::fairing::{Fairing, Info, Kind};
use rocket::{Request, Response};

use crate::cookies::{pending_sets, CookieOptions};
use crate::loaders::LoaderArgs;
use crate::request::{authenticated, is_revoked};
use crate::state::JwtState;
use crate::token::{now_f64, Location, REFRESH_EXP_CLAIM, REFRESH_JTI_CLAIM};

/// A response fairing that renews the access cookies of a request
/// authenticated by an access cookie that expires within `window`: the
/// response carries a new access token (same identity, loaders applied,
/// not fresh) in the cookies `set_access_cookies` writes.
///
/// It never refreshes from a token that no guard of the answering route
/// accepted in this request (expired, revoked, invalid, or none; a route with
/// `skip_revocation_check` does not count when a blocklist is registered),
/// from a token revoked while the handler ran (the blocklist is asked again),
/// from a token that has expired by the time the response is written, from a
/// refresh token, or from a token that came from anywhere but the access
/// cookie; never on an error response; and never on a response whose handler
/// set or unset the access cookie itself (a logout stays a logout).
///
/// ```no_run
/// use std::time::Duration;
/// use rocket_jwt_extended_runtime::{ImplicitRefresh, JwtManager};
///
/// let rocket = rocket::build()
///     .attach(JwtManager::new())
///     .attach(ImplicitRefresh::within(Duration::from_secs(30 * 60)));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ImplicitRefresh {
    window: Duration,
}

impl ImplicitRefresh {
    /// Refresh when fewer than `window` remain before the access token expires.
    pub fn within(window: Duration) -> Self {
        ImplicitRefresh { window }
    }

    /// The configured window.
    pub fn window(&self) -> Duration {
        self.window
    }
}

#[rocket::async_trait]
impl Fairing for ImplicitRefresh {
    fn info(&self) -> Info {
        Info {
            name: "JWT implicit refresh",
            kind: Kind::Response,
        }
    }

    async fn on_response<'r>(&self, req: &'r Request<'_>, res: &mut Response<'r>) {
        // Only a response the protected handler produced (not an error, not
        // a catcher, not another route the request was forwarded to).
        if res.status().code >= 400 {
            return;
        }
        let Some(token) = authenticated(req) else {
            return;
        };
        if token.location() != Some(Location::Cookies) || token.claims().is_refresh() {
            return;
        }
        let Some(exp) = token.claims().exp() else {
            return;
        };
        let now = now_f64();
        let exp = exp as f64;
        if exp <= now || exp >= now + self.window.as_secs_f64() {
            return;
        }
        let Ok(state) = JwtState::of(req) else {
            return;
        };
        let name = state.config().access_cookie_name.as_str();
        let handler_set_it = pending_sets(req, name)
            || res
                .headers()
                .get("Set-Cookie")
                .any(|c| c.split_once('=').is_some_and(|(n, _)| n.trim() == name));
        if handler_set_it {
            return;
        }
        // The handler may have revoked the token (a logout that keeps the
        // cookie): ask the blocklist again, bypassing the request's answers.
        let args = LoaderArgs::token(&token);
        if !matches!(is_revoked(req, state, args).await, Ok(false)) {
            return;
        }
        // A renewed token stays in its session and linked to its refresh
        // token, so that revoking the session or either token of the pair
        // still refuses it: a renewal cannot outlive a revocation, even one
        // that lands while this response is being written.
        let claims = token.claims();
        let mut renewal = state.access_token(token.identity());
        if let Some(sid) = claims.session() {
            renewal = renewal.session(sid);
        }
        if let Some(jti) = claims.get_str(REFRESH_JTI_CLAIM) {
            renewal =
                renewal.paired_with(jti, claims.get(REFRESH_EXP_CLAIM).and_then(|v| v.as_i64()));
        }
        let fresh = match renewal.await {
            Ok(fresh) => fresh,
            Err(e) => {
                rocket::log::private::warn!(
                    "implicit refresh: cannot create a new access token: {e}"
                );
                return;
            }
        };
        match state.access_cookies(&fresh, &CookieOptions::new()) {
            Ok(cookies) => {
                for cookie in cookies {
                    res.adjoin_raw_header("Set-Cookie", cookie.to_string());
                }
            }
            Err(e) => rocket::log::private::warn!("implicit refresh: {e}"),
        }
    }
}
