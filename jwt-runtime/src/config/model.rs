//! The validated configuration: one field per flask-jwt-extended key, plus
//! what is derived from them once (the verification policy, the keys, the
//! names per token type).

use std::fmt;
use std::time::Duration;

use jsonwebtoken::Algorithm;

use crate::token::{Keys, Location, Policy, TokenType};

/// A token lifetime: a number of seconds, or none (`false`: no `exp` claim).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    /// The token expires this long after it is issued.
    After(Duration),
    /// The token never expires (no `exp` claim).
    Never,
}

/// Where verification keys are fetched from, and how often.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct JwksSettings {
    /// `jwt_jwks_url`: the only URL ever fetched (`https://`, or `http://`
    /// on the loopback interface). With `issuer`, the issuer's discovery
    /// document, which names the JWKS URL.
    pub url: String,
    /// `jwt_oidc_issuer`: the OpenID Connect issuer whose discovery document
    /// (`<issuer>/.well-known/openid-configuration`) names the JWKS; its
    /// `issuer` must be this exactly. Also the default `jwt_decode_issuer`.
    pub issuer: Option<String>,
    /// `jwt_jwks_timeout_ms` (default 3000): the bound on one fetch.
    pub timeout: Duration,
    /// `jwt_jwks_refresh_secs` (default 300): how long fetched keys are fresh;
    /// they are re-fetched in the background when this lapses.
    pub refresh: Duration,
    /// `jwt_jwks_min_refetch_secs` (default 30): the least time between two
    /// fetches caused by tokens naming an unknown `kid`.
    pub min_refetch: Duration,
    /// `jwt_jwks_max_stale_secs` (default 3600): while the key server is
    /// down, how long keys fetched before keep verifying.
    pub max_stale: Duration,
}

/// `SameSite` attribute of the JWT cookies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SameSite {
    /// `SameSite=Lax`
    Lax,
    /// `SameSite=Strict`
    Strict,
    /// `SameSite=None`
    None,
}

/// The validated configuration. Built by [`JwtConfig::from_figment`] at ignite;
/// field meanings are those of the flask-jwt-extended key of the same name.
#[derive(Clone)]
#[non_exhaustive]
pub struct JwtConfig {
    /// `jwt_access_token_expires` (default 900 s).
    pub access_expires: Expiry,
    /// `jwt_refresh_token_expires` (default 30 days).
    pub refresh_expires: Expiry,
    /// `jwt_algorithm` (default HS256).
    pub algorithm: Algorithm,
    /// `jwt_decode_algorithms` plus `jwt_algorithm`.
    pub decode_algorithms: Vec<Algorithm>,
    /// `jwt_decode_audience`.
    pub decode_audience: Option<Vec<String>>,
    /// `jwt_encode_audience` (a single string is written as a string).
    pub encode_audience: Option<serde_json::Value>,
    /// `jwt_decode_issuer`.
    pub decode_issuer: Option<Vec<String>>,
    /// `jwt_encode_issuer`.
    pub encode_issuer: Option<String>,
    /// `jwt_decode_leeway` in seconds.
    pub leeway: u64,
    /// `jwt_encode_nbf`.
    pub encode_nbf: bool,
    /// `jwt_identity_claim` (default `sub`).
    pub identity_claim: String,
    /// `jwt_verify_sub`.
    pub verify_sub: bool,
    /// `jwt_error_message_key` (default `msg`).
    pub error_msg_key: String,
    /// `jwt_token_location` in lookup order.
    pub token_location: Vec<Location>,
    /// `jwt_header_name`.
    pub header_name: String,
    /// `jwt_header_type` ("" = bare token).
    pub header_type: String,
    /// `jwt_query_string_name`.
    pub query_string_name: String,
    /// `jwt_query_string_value_prefix`.
    pub query_string_value_prefix: String,
    /// `jwt_json_key`.
    pub json_key: String,
    /// `jwt_refresh_json_key`.
    pub refresh_json_key: String,
    /// `jwt_access_cookie_name`.
    pub access_cookie_name: String,
    /// `jwt_refresh_cookie_name`.
    pub refresh_cookie_name: String,
    /// `jwt_access_cookie_path`.
    pub access_cookie_path: String,
    /// `jwt_refresh_cookie_path`.
    pub refresh_cookie_path: String,
    /// `jwt_cookie_secure`.
    pub cookie_secure: bool,
    /// `jwt_cookie_domain`.
    pub cookie_domain: Option<String>,
    /// `jwt_cookie_samesite`.
    pub cookie_samesite: Option<SameSite>,
    /// `jwt_session_cookie`.
    pub session_cookie: bool,
    /// `jwt_cookie_csrf_protect`.
    pub csrf_protect: bool,
    /// `jwt_csrf_methods` (upper case).
    pub csrf_methods: Vec<String>,
    /// `jwt_csrf_in_cookies`.
    pub csrf_in_cookies: bool,
    /// `jwt_csrf_check_form`.
    pub csrf_check_form: bool,
    /// `jwt_access_csrf_cookie_name`.
    pub access_csrf_cookie_name: String,
    /// `jwt_refresh_csrf_cookie_name`.
    pub refresh_csrf_cookie_name: String,
    /// `jwt_access_csrf_cookie_path`.
    pub access_csrf_cookie_path: String,
    /// `jwt_refresh_csrf_cookie_path`.
    pub refresh_csrf_cookie_path: String,
    /// `jwt_access_csrf_header_name`.
    pub access_csrf_header_name: String,
    /// `jwt_refresh_csrf_header_name`.
    pub refresh_csrf_header_name: String,
    /// `jwt_access_csrf_field_name`.
    pub access_csrf_field_name: String,
    /// `jwt_refresh_csrf_field_name`.
    pub refresh_csrf_field_name: String,
    /// `jwt_revocation_timeout_ms` (default 1000): how long a revocation store
    /// may take before the request fails closed (503).
    pub revocation_timeout: std::time::Duration,
    /// `jwt_sessions` (default `false`; on with rotation): every token carries
    /// a `sid` claim; the tokens of one login share it.
    pub sessions: bool,
    /// `jwt_refresh_token_rotation` (default `false`): each refresh token works
    /// once through [`Tokens::refresh_session`](crate::Tokens::refresh_session);
    /// a retired one presented again revokes its whole session.
    pub refresh_token_rotation: bool,
    /// `jwt_refresh_token_reuse_grace` (seconds, default 0): how long a
    /// retired refresh token may still be exchanged (a client retrying after
    /// a lost response) before a reuse counts as theft.
    pub refresh_reuse_grace: Duration,
    /// `jwt_admin_claim` (default `is_administrator`): the claim `#[admin_required]` checks.
    pub admin_claim: String,
    /// `jwt_max_token_size`: tokens longer than this many bytes are refused
    /// before any decoding (default 8192).
    pub max_token_size: usize,
    /// `jwt_www_authenticate` (default `false`): 401 answers carry RFC 6750's
    /// `WWW-Authenticate: Bearer …` challenge (`error="invalid_token"` and a
    /// description for a token that was refused). The bodies stay flask's.
    pub www_authenticate: bool,
    /// What the codec verifies against, built from the keys above.
    pub(crate) policy: Policy,
    /// The signing and verification keys.
    pub(crate) keys: Keys,
    /// `jwt_jwks_url` or `jwt_oidc_issuer` and their timings: verification
    /// keys fetched from a key server (with the `jwks` feature).
    pub jwks: Option<JwksSettings>,
    /// `jwt_jwks_cache_max_age` (seconds, default 300): the `Cache-Control`
    /// max-age of the JWKS this server publishes.
    pub jwks_max_age: u64,
    /// Cookie, CSRF and JSON names, per token type.
    pub(crate) names: [TokenNames; 2],
}

impl fmt::Debug for JwtConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwtConfig")
            .field("algorithm", &self.algorithm)
            .field("decode_algorithms", &self.decode_algorithms)
            .field("access_expires", &self.access_expires)
            .field("refresh_expires", &self.refresh_expires)
            .field("token_location", &self.token_location)
            .field("identity_claim", &self.identity_claim)
            .finish_non_exhaustive()
    }
}

/// The names one type of token (access or refresh) uses in cookies, in the
/// CSRF header and form field, and in the JSON body: flask's twin
/// `JWT_ACCESS_*` / `JWT_REFRESH_*` keys, paired once when the configuration
/// is built.
#[derive(Debug, Clone, Default)]
pub(crate) struct TokenNames {
    pub cookie: String,
    pub cookie_path: String,
    pub csrf_cookie: String,
    pub csrf_cookie_path: String,
    pub csrf_header: String,
    pub csrf_field: String,
    pub json_key: String,
}

impl JwtConfig {
    /// The cookie, CSRF and JSON names of access or refresh tokens.
    pub(crate) fn names(&self, kind: TokenType) -> &TokenNames {
        &self.names[usize::from(kind.is_refresh())]
    }

    /// The verification policy the codec applies.
    pub(crate) fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The configured signing and verification keys.
    pub(crate) fn keys(&self) -> &Keys {
        &self.keys
    }

    /// The longest lifetime a configured token has, in seconds (`None` when
    /// one of them never expires): how long a mark that must outlive every
    /// token ("logout everywhere", a revoked session) is kept.
    pub fn longest_lifetime(&self) -> Option<u64> {
        let secs = |e: Expiry| match e {
            Expiry::After(d) => Some(d.as_secs()),
            Expiry::Never => None,
        };
        Some(secs(self.access_expires)?.max(secs(self.refresh_expires)?))
    }

    /// The expiry configured for a token type.
    pub fn expires_for(&self, refresh: bool) -> Expiry {
        if refresh {
            self.refresh_expires
        } else {
            self.access_expires
        }
    }
}

/// A configuration key is missing or invalid; the message names the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The Rocket config key at fault, e.g. `jwt_secret_key`.
    pub key: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl ConfigError {
    pub(crate) fn new(key: &str, message: impl Into<String>) -> Self {
        ConfigError {
            key: key.to_owned(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid JWT configuration `{}`: {}",
            self.key, self.message
        )
    }
}

impl std::error::Error for ConfigError {}
