//! The one cookie builder and what each helper call writes.

use std::time::Duration;

use rocket::http::Cookie;
use rocket::time::{Duration as TimeDuration, OffsetDateTime};

use crate::config::{JwtConfig, SameSite};
use crate::error::JwtError;
use crate::state::JwtState;
use crate::token::{self, DecodeError, TokenType};

/// `Max-Age` of persistent cookies (`jwt_session_cookie = false`), as flask.
const PERSISTENT_MAX_AGE: Duration = Duration::from_secs(31_540_000);

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

/// The one cookie builder: every cookie the helpers write or remove.
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
        self.token_cookies(TokenType::Access, token, options)
    }

    /// The cookies `set_refresh_cookies(response, token, max_age, domain)` writes.
    pub fn refresh_cookies(
        &self,
        token: &str,
        options: &CookieOptions,
    ) -> Result<Vec<Cookie<'static>>, JwtError> {
        self.token_cookies(TokenType::Refresh, token, options)
    }

    /// The removal cookies of `unset_access_cookies(response, domain)`: same
    /// names and paths, empty values, expired.
    pub fn access_cookie_removals(&self, domain: Option<&str>) -> Vec<Cookie<'static>> {
        self.removals(TokenType::Access, domain)
    }

    /// The removal cookies of `unset_refresh_cookies(response, domain)`.
    pub fn refresh_cookie_removals(&self, domain: Option<&str>) -> Vec<Cookie<'static>> {
        self.removals(TokenType::Refresh, domain)
    }

    fn token_cookies(
        &self,
        kind: TokenType,
        token: &str,
        options: &CookieOptions,
    ) -> Result<Vec<Cookie<'static>>, JwtError> {
        let cfg = self.config();
        let names = cfg.names(kind);
        let max_age = options
            .max_age
            .or((!cfg.session_cookie).then_some(PERSISTENT_MAX_AGE));
        let domain = options.domain.as_deref().or(cfg.cookie_domain.as_deref());
        let mut out = Vec::with_capacity(2);
        out.push(build(
            cfg,
            &names.cookie,
            token,
            &names.cookie_path,
            true,
            max_age,
            domain,
        ));
        if cfg.csrf_protect && cfg.csrf_in_cookies {
            // flask: get_csrf_token(token) = decode_token(token, allow_expired=True)["csrf"].
            // With per-token keys (`#[decode_key]`, which needs the request) the
            // claim is read unverified: the cookie grants nothing by itself.
            let claims = if self.loaders().decode_key.is_some() {
                token::unverified_parts(token, cfg.max_token_size)?.1
            } else {
                self.decode_token(token, true)?.claims().clone()
            };
            let csrf = claims
                .csrf()
                .ok_or_else(|| JwtError::from(DecodeError::MissingClaim("csrf".into())))?;
            out.push(build(
                cfg,
                &names.csrf_cookie,
                csrf,
                &names.csrf_cookie_path,
                false,
                max_age,
                domain,
            ));
        }
        Ok(out)
    }

    fn removals(&self, kind: TokenType, domain: Option<&str>) -> Vec<Cookie<'static>> {
        let cfg = self.config();
        let names = cfg.names(kind);
        let domain = domain.or(cfg.cookie_domain.as_deref());
        let mut pairs = vec![(names.cookie.as_str(), names.cookie_path.as_str(), true)];
        if cfg.csrf_protect && cfg.csrf_in_cookies {
            pairs.push((
                names.csrf_cookie.as_str(),
                names.csrf_cookie_path.as_str(),
                false,
            ));
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

    /// The cookies one helper call writes.
    pub(crate) fn apply_cookie_op(&self, op: &CookieOp) -> Result<Vec<Cookie<'static>>, JwtError> {
        match op {
            CookieOp::Set(kind, token, options) => self.token_cookies(*kind, token, options),
            CookieOp::Unset(kind, domain) => Ok(self.removals(*kind, domain.as_deref())),
        }
    }
}

/// One call of a cookie helper, applied when the response is written.
#[derive(Debug, Clone)]
pub(crate) enum CookieOp {
    Set(TokenType, String, CookieOptions),
    Unset(TokenType, Option<String>),
}
