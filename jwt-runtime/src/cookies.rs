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

use std::sync::Mutex;
use std::time::Duration;

use rocket::http::Cookie;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::{self, Responder, Response};
use rocket::time::{Duration as TimeDuration, OffsetDateTime};

use crate::config::{JwtConfig, SameSite};
use crate::error::{DecodeError, JwtError};
use crate::manager::JwtState;

/// `Max-Age` of persistent cookies (`jwt_session_cookie = false`), as flask.
const PERSISTENT_MAX_AGE: Duration = Duration::from_secs(31_540_000);

/// Marks a request whose cookie helpers ran in a handler (see module docs).
const MARKER: &str = "__rocket_jwt_cookies";

/// flask's `max_age` and `domain` arguments of the cookie helpers: each
/// overrides the configuration for one call.
///
/// ```
/// use std::time::Duration;
/// use rocket_jwt_extended_runtime::CookieOptions;
///
/// let opts = CookieOptions::new().max_age(Duration::from_secs(3600)).domain("example.com");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CookieOptions {
    max_age: Option<Duration>,
    domain: Option<String>,
}

impl CookieOptions {
    /// No overrides: everything from the configuration.
    pub fn new() -> Self {
        CookieOptions::default()
    }

    /// `max_age=`: a persistent cookie with this lifetime, whatever
    /// `jwt_session_cookie` says.
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = Some(max_age);
        self
    }

    /// `domain=`: instead of `jwt_cookie_domain`.
    pub fn domain(mut self, domain: impl Into<String>) -> Self {
        self.domain = Some(domain.into());
        self
    }
}

/// Which cookies a helper writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Access,
    Refresh,
}

impl Kind {
    fn refresh(self) -> bool {
        self == Kind::Refresh
    }
}

fn build(
    cfg: &JwtConfig,
    name: &str,
    value: &str,
    path: &str,
    http_only: bool,
    max_age: Option<Duration>,
    domain: Option<&str>,
) -> Cookie<'static> {
    // A `__Host-` cookie is only stored by browsers when Secure, at `/`, with
    // no Domain (the configuration is checked at launch; this also covers a
    // per-call domain override).
    let host_only = name.starts_with("__Host-");
    let (path, domain) = if host_only {
        ("/", None)
    } else {
        (path, domain)
    };
    let mut cookie = Cookie::build((name.to_owned(), value.to_owned()))
        .path(path.to_owned())
        .http_only(http_only)
        .secure(cfg.cookie_secure || host_only)
        .build();
    if let Some(domain) = domain {
        cookie.set_domain(domain.to_owned());
    }
    if let Some(same_site) = cfg.cookie_samesite {
        cookie.set_same_site(match same_site {
            SameSite::Lax => rocket::http::SameSite::Lax,
            SameSite::Strict => rocket::http::SameSite::Strict,
            SameSite::None => rocket::http::SameSite::None,
        });
    }
    if let Some(age) = max_age {
        let secs = i64::try_from(age.as_secs()).unwrap_or(i64::MAX / 2);
        cookie.set_max_age(TimeDuration::seconds(secs));
        cookie.set_expires(OffsetDateTime::now_utc().saturating_add(TimeDuration::seconds(secs)));
    }
    cookie
}

impl JwtState {
    /// The cookies `set_access_cookies(response, token, max_age, domain)`
    /// writes: the token (`HttpOnly`) and, with `jwt_cookie_csrf_protect` and
    /// `jwt_csrf_in_cookies`, the token's `csrf` claim in the script-readable
    /// CSRF cookie. Fails, as flask does, when `token` does not verify or
    /// lacks the `csrf` claim the CSRF cookie needs.
    pub fn access_cookies(
        &self,
        token: &str,
        options: &CookieOptions,
    ) -> Result<Vec<Cookie<'static>>, JwtError> {
        self.token_cookies(Kind::Access, token, options)
    }

    /// The cookies `set_refresh_cookies(response, token, max_age, domain)` writes.
    pub fn refresh_cookies(
        &self,
        token: &str,
        options: &CookieOptions,
    ) -> Result<Vec<Cookie<'static>>, JwtError> {
        self.token_cookies(Kind::Refresh, token, options)
    }

    /// The removal cookies of `unset_access_cookies(response, domain)`: same
    /// names and paths, empty values, expired.
    pub fn access_cookie_removals(&self, domain: Option<&str>) -> Vec<Cookie<'static>> {
        self.removals(Kind::Access, domain)
    }

    /// The removal cookies of `unset_refresh_cookies(response, domain)`.
    pub fn refresh_cookie_removals(&self, domain: Option<&str>) -> Vec<Cookie<'static>> {
        self.removals(Kind::Refresh, domain)
    }

    fn token_cookies(
        &self,
        kind: Kind,
        token: &str,
        options: &CookieOptions,
    ) -> Result<Vec<Cookie<'static>>, JwtError> {
        let cfg = self.config();
        let names = cfg.cookie_names(kind.refresh());
        let max_age = options
            .max_age
            .or((!cfg.session_cookie).then_some(PERSISTENT_MAX_AGE));
        let domain = options.domain.as_deref().or(cfg.cookie_domain.as_deref());
        let mut out = Vec::with_capacity(2);
        out.push(build(
            cfg,
            names.cookie,
            token,
            names.cookie_path,
            true,
            max_age,
            domain,
        ));
        if cfg.csrf_protect && cfg.csrf_in_cookies {
            // flask: get_csrf_token(token) = decode_token(token, allow_expired=True)["csrf"].
            // With per-token keys (`#[decode_key]`, which needs the request) the
            // claim is read unverified: the cookie grants nothing by itself.
            let claims = if self.loaders().decode_key.is_some() {
                crate::codec::unverified_parts(token, cfg.max_token_size)?.1
            } else {
                self.decode_token(token, true)?.claims().clone()
            };
            let csrf = claims
                .csrf()
                .ok_or_else(|| JwtError::from(DecodeError::MissingClaim("csrf".into())))?;
            out.push(build(
                cfg,
                names.csrf_cookie,
                csrf,
                names.csrf_cookie_path,
                false,
                max_age,
                domain,
            ));
        }
        Ok(out)
    }

    fn removals(&self, kind: Kind, domain: Option<&str>) -> Vec<Cookie<'static>> {
        let cfg = self.config();
        let names = cfg.cookie_names(kind.refresh());
        let domain = domain.or(cfg.cookie_domain.as_deref());
        let mut pairs = vec![(names.cookie, names.cookie_path, true)];
        if cfg.csrf_protect && cfg.csrf_in_cookies {
            pairs.push((names.csrf_cookie, names.csrf_cookie_path, false));
        }
        pairs
            .into_iter()
            .map(|(name, path, http_only)| {
                let mut c = build(cfg, name, "", path, http_only, None, domain);
                c.set_max_age(TimeDuration::ZERO);
                c.set_expires(OffsetDateTime::UNIX_EPOCH);
                c
            })
            .collect()
    }

    fn apply(&self, op: &CookieOp) -> Result<Vec<Cookie<'static>>, JwtError> {
        match op {
            CookieOp::Set(kind, token, options) => self.token_cookies(*kind, token, options),
            CookieOp::Unset(kind, domain) => Ok(self.removals(*kind, domain.as_deref())),
        }
    }
}

/// One call of a cookie helper, applied when the response is written.
#[derive(Debug, Clone)]
enum CookieOp {
    Set(Kind, String, CookieOptions),
    Unset(Kind, Option<String>),
}

/// The cookies the handler's helpers queued, written by the manager's
/// response fairing.
#[derive(Default)]
pub(crate) struct Pending(Mutex<Vec<Cookie<'static>>>);

/// Whether this request's handler queued a cookie called `name`.
pub(crate) fn pending_sets(req: &Request<'_>, name: &str) -> bool {
    req.local_cache(Pending::default)
        .0
        .lock()
        .is_ok_and(|p| p.iter().any(|c| c.name() == name))
}

/// Writes the queued cookies, unless a catcher answered instead of the handler.
pub(crate) fn write_pending(req: &Request<'_>, res: &mut Response<'_>) {
    if !crate::respond::take_marker(res, MARKER) {
        return;
    }
    let cookies = match req.local_cache(Pending::default).0.lock() {
        Ok(mut p) => std::mem::take(&mut *p),
        Err(_) => return,
    };
    for cookie in cookies {
        res.adjoin_raw_header("Set-Cookie", cookie.to_string());
    }
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
    pending: &'r Pending,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for JwtCookies<'r> {
    type Error = JwtError;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, JwtError> {
        match JwtState::of(req) {
            Ok(state) => {
                req.cookies().add(Cookie::new(MARKER, "1"));
                Outcome::Success(JwtCookies {
                    state,
                    pending: req.local_cache(Pending::default),
                })
            }
            Err(e) => crate::respond::fail(req, e),
        }
    }
}

impl JwtCookies<'_> {
    fn queue(&self, op: CookieOp) -> Result<(), JwtError> {
        let cookies = self.state.apply(&op)?;
        if let Ok(mut pending) = self.pending.0.lock() {
            for cookie in cookies {
                // A later helper call replaces an earlier cookie of the same name and path.
                pending.retain(|c| c.name() != cookie.name() || c.path() != cookie.path());
                pending.push(cookie);
            }
        }
        Ok(())
    }

    /// `set_access_cookies(response, token)`.
    pub fn set_access_cookies(&self, token: &str) -> Result<(), JwtError> {
        self.set_access_cookies_with(token, CookieOptions::new())
    }

    /// `set_access_cookies(response, token, max_age=…, domain=…)`.
    pub fn set_access_cookies_with(
        &self,
        token: &str,
        options: CookieOptions,
    ) -> Result<(), JwtError> {
        self.queue(CookieOp::Set(Kind::Access, token.to_owned(), options))
    }

    /// `set_refresh_cookies(response, token)`.
    pub fn set_refresh_cookies(&self, token: &str) -> Result<(), JwtError> {
        self.set_refresh_cookies_with(token, CookieOptions::new())
    }

    /// `set_refresh_cookies(response, token, max_age=…, domain=…)`.
    pub fn set_refresh_cookies_with(
        &self,
        token: &str,
        options: CookieOptions,
    ) -> Result<(), JwtError> {
        self.queue(CookieOp::Set(Kind::Refresh, token.to_owned(), options))
    }

    /// `unset_jwt_cookies(response)`: removes all four cookies.
    pub fn unset_jwt_cookies(&self) {
        self.unset_access_cookies();
        self.unset_refresh_cookies();
    }

    /// `unset_jwt_cookies(response, domain=…)`.
    pub fn unset_jwt_cookies_for_domain(&self, domain: &str) {
        self.unset_access_cookies_for_domain(domain);
        self.unset_refresh_cookies_for_domain(domain);
    }

    /// `unset_access_cookies(response)`.
    pub fn unset_access_cookies(&self) {
        let _ = self.queue(CookieOp::Unset(Kind::Access, None));
    }

    /// `unset_access_cookies(response, domain=…)`.
    pub fn unset_access_cookies_for_domain(&self, domain: &str) {
        let _ = self.queue(CookieOp::Unset(Kind::Access, Some(domain.to_owned())));
    }

    /// `unset_refresh_cookies(response)`.
    pub fn unset_refresh_cookies(&self) {
        let _ = self.queue(CookieOp::Unset(Kind::Refresh, None));
    }

    /// `unset_refresh_cookies(response, domain=…)`.
    pub fn unset_refresh_cookies_for_domain(&self, domain: &str) {
        let _ = self.queue(CookieOp::Unset(Kind::Refresh, Some(domain.to_owned())));
    }
}

/// A responder with JWT cookies added, from [`JwtCookiesExt`]. Chain more
/// helpers on it; they apply in order when the response is written.
pub struct WithJwtCookies<R> {
    inner: R,
    ops: Vec<CookieOp>,
}

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
    /// `set_access_cookies(response, token)`.
    fn set_access_cookies(self, token: impl Into<String>) -> WithJwtCookies<Self> {
        self.set_access_cookies_with(token, CookieOptions::new())
    }
    /// `set_access_cookies(response, token, max_age=…, domain=…)`.
    fn set_access_cookies_with(
        self,
        token: impl Into<String>,
        options: CookieOptions,
    ) -> WithJwtCookies<Self> {
        WithJwtCookies::new(self).set_access_cookies_with(token, options)
    }
    /// `set_refresh_cookies(response, token)`.
    fn set_refresh_cookies(self, token: impl Into<String>) -> WithJwtCookies<Self> {
        self.set_refresh_cookies_with(token, CookieOptions::new())
    }
    /// `set_refresh_cookies(response, token, max_age=…, domain=…)`.
    fn set_refresh_cookies_with(
        self,
        token: impl Into<String>,
        options: CookieOptions,
    ) -> WithJwtCookies<Self> {
        WithJwtCookies::new(self).set_refresh_cookies_with(token, options)
    }
    /// `unset_jwt_cookies(response)`.
    fn unset_jwt_cookies(self) -> WithJwtCookies<Self> {
        WithJwtCookies::new(self).unset_jwt_cookies()
    }
    /// `unset_access_cookies(response)`.
    fn unset_access_cookies(self) -> WithJwtCookies<Self> {
        WithJwtCookies::new(self).unset_access_cookies()
    }
    /// `unset_refresh_cookies(response)`.
    fn unset_refresh_cookies(self) -> WithJwtCookies<Self> {
        WithJwtCookies::new(self).unset_refresh_cookies()
    }
}

impl<'r, R: Responder<'r, 'static>> JwtCookiesExt for R {}

impl<R> WithJwtCookies<R> {
    fn new(inner: R) -> Self {
        WithJwtCookies {
            inner,
            ops: Vec::new(),
        }
    }

    fn push(mut self, op: CookieOp) -> Self {
        self.ops.push(op);
        self
    }

    /// `set_access_cookies(response, token)`.
    pub fn set_access_cookies(self, token: impl Into<String>) -> Self {
        self.set_access_cookies_with(token, CookieOptions::new())
    }

    /// `set_access_cookies(response, token, max_age=…, domain=…)`.
    pub fn set_access_cookies_with(self, token: impl Into<String>, options: CookieOptions) -> Self {
        self.push(CookieOp::Set(Kind::Access, token.into(), options))
    }

    /// `set_refresh_cookies(response, token)`.
    pub fn set_refresh_cookies(self, token: impl Into<String>) -> Self {
        self.set_refresh_cookies_with(token, CookieOptions::new())
    }

    /// `set_refresh_cookies(response, token, max_age=…, domain=…)`.
    pub fn set_refresh_cookies_with(
        self,
        token: impl Into<String>,
        options: CookieOptions,
    ) -> Self {
        self.push(CookieOp::Set(Kind::Refresh, token.into(), options))
    }

    /// `unset_jwt_cookies(response)`.
    pub fn unset_jwt_cookies(self) -> Self {
        self.unset_access_cookies().unset_refresh_cookies()
    }

    /// `unset_jwt_cookies(response, domain=…)`.
    pub fn unset_jwt_cookies_for_domain(self, domain: &str) -> Self {
        self.push(CookieOp::Unset(Kind::Access, Some(domain.to_owned())))
            .push(CookieOp::Unset(Kind::Refresh, Some(domain.to_owned())))
    }

    /// `unset_access_cookies(response)`.
    pub fn unset_access_cookies(self) -> Self {
        self.push(CookieOp::Unset(Kind::Access, None))
    }

    /// `unset_refresh_cookies(response)`.
    pub fn unset_refresh_cookies(self) -> Self {
        self.push(CookieOp::Unset(Kind::Refresh, None))
    }
}

impl<'r, R: Responder<'r, 'static>> Responder<'r, 'static> for WithJwtCookies<R> {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        let state = match JwtState::of(req) {
            Ok(state) => state,
            Err(e) => return e.respond_to(req),
        };
        let mut cookies = Vec::new();
        for op in &self.ops {
            match state.apply(op) {
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
