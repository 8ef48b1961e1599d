//! Reading the `jwt_*` keys from Rocket's figment and validating them, so
//! that a bad value refuses the launch with a message naming the key.

use std::str::FromStr;
use std::time::Duration;

use rocket::figment::Figment;
use serde::Deserialize;

use rocket_jwt_extended_spec::closest;

use super::jwks::{jwks_settings, RawJwks};
use super::keys::{self, RawKey, RawKeys};
use super::model::{ConfigError, Expiry, JwtConfig, SameSite, TokenNames};
use crate::token::{Location, Policy, TokenType};

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawExpiry {
    Seconds(i64),
    Flag(bool),
}

/// The keys as they arrive from the figment, all optional, and the list of
/// their names (for refusing a misspelt key): one table.
macro_rules! raw_config {
    ($($key:ident: $ty:ty,)*) => {
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct RawConfig {
            $($key: Option<$ty>,)*
        }

        /// Every `jwt_*` key there is.
        const KEYS: &[&str] = &[$(stringify!($key)),*];
    };
}

raw_config! {
    jwt_access_token_expires: RawExpiry,
    jwt_refresh_token_expires: RawExpiry,
    jwt_algorithm: String,
    jwt_decode_algorithms: OneOrMany,
    jwt_secret_key: String,
    jwt_private_key: String,
    jwt_public_key: String,
    jwt_private_key_file: String,
    jwt_public_key_file: String,
    jwt_keys: Vec<RawKey>,
    jwt_jwks_url: String,
    jwt_oidc_issuer: String,
    jwt_jwks_timeout_ms: i64,
    jwt_jwks_refresh_secs: i64,
    jwt_jwks_min_refetch_secs: i64,
    jwt_jwks_max_stale_secs: i64,
    jwt_jwks_cache_max_age: i64,
    jwt_decode_audience: OneOrMany,
    jwt_encode_audience: OneOrMany,
    jwt_decode_issuer: OneOrMany,
    jwt_encode_issuer: String,
    jwt_decode_leeway: i64,
    jwt_encode_nbf: bool,
    jwt_identity_claim: String,
    jwt_verify_sub: bool,
    jwt_error_message_key: String,
    jwt_token_location: OneOrMany,
    jwt_header_name: String,
    jwt_header_type: String,
    jwt_query_string_name: String,
    jwt_admin_claim: String,
    jwt_revocation_timeout_ms: i64,
    jwt_query_string_value_prefix: String,
    jwt_json_key: String,
    jwt_refresh_json_key: String,
    jwt_access_cookie_name: String,
    jwt_refresh_cookie_name: String,
    jwt_access_cookie_path: String,
    jwt_refresh_cookie_path: String,
    jwt_cookie_secure: bool,
    jwt_cookie_domain: String,
    jwt_cookie_samesite: String,
    jwt_session_cookie: bool,
    jwt_cookie_csrf_protect: bool,
    jwt_csrf_methods: OneOrMany,
    jwt_csrf_in_cookies: bool,
    jwt_csrf_check_form: bool,
    jwt_access_csrf_cookie_name: String,
    jwt_refresh_csrf_cookie_name: String,
    jwt_access_csrf_cookie_path: String,
    jwt_refresh_csrf_cookie_path: String,
    jwt_access_csrf_header_name: String,
    jwt_refresh_csrf_header_name: String,
    jwt_access_csrf_field_name: String,
    jwt_refresh_csrf_field_name: String,
    jwt_max_token_size: i64,
    jwt_www_authenticate: bool,
    jwt_sessions: bool,
    jwt_refresh_token_rotation: bool,
    jwt_refresh_token_reuse_grace: i64,
}

fn expiry(key: &str, raw: Option<RawExpiry>, default: u64) -> Result<Expiry, ConfigError> {
    match raw {
        None => Ok(Expiry::After(Duration::from_secs(default))),
        Some(RawExpiry::Flag(false)) => Ok(Expiry::Never),
        Some(RawExpiry::Flag(true)) => Err(ConfigError::new(
            key,
            "expected a number of seconds, or `false` for tokens that never expire",
        )),
        Some(RawExpiry::Seconds(0)) => Err(ConfigError::new(
            key,
            "0 seconds would make every token expire at once; use `false` for tokens that never expire",
        )),
        Some(RawExpiry::Seconds(s)) if s < 0 => Err(ConfigError::new(
            key,
            format!("{s} is negative; expected a positive number of seconds or `false`"),
        )),
        Some(RawExpiry::Seconds(s)) => Ok(Expiry::After(Duration::from_secs(s as u64))),
    }
}

fn non_empty(key: &str, value: Option<String>, default: &str) -> Result<String, ConfigError> {
    let v = value.unwrap_or_else(|| default.to_owned());
    if v.trim().is_empty() {
        return Err(ConfigError::new(key, "must not be empty"));
    }
    Ok(v)
}

fn header_name(key: &str, value: Option<String>, default: &str) -> Result<String, ConfigError> {
    let v = non_empty(key, value, default)?;
    let token_char = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if !v.chars().all(token_char) {
        return Err(ConfigError::new(
            key,
            format!("\"{v}\" is not a valid HTTP header name"),
        ));
    }
    Ok(v)
}

fn cookie_name(key: &str, value: Option<String>, default: &str) -> Result<String, ConfigError> {
    let v = non_empty(key, value, default)?;
    let ok = v
        .chars()
        .all(|c| c.is_ascii_graphic() && !"()<>@,;:\\\"/[]?={}".contains(c));
    if !ok {
        return Err(ConfigError::new(
            key,
            format!("\"{v}\" is not a valid cookie name"),
        ));
    }
    Ok(v)
}

impl JwtConfig {
    /// Reads and validates every `jwt_*` key of `figment`.
    ///
    /// ```
    /// use rocket::figment::Figment;
    /// use rocket_jwt_extended_runtime::JwtConfig;
    ///
    /// let figment = Figment::from(rocket::Config::default())
    ///     .merge(("jwt_secret_key", "a-development-secret-of-32-bytes!!"))
    ///     .merge(("jwt_access_token_expires", 3));
    /// let config = JwtConfig::from_figment(&figment).unwrap();
    /// assert_eq!(config.identity_claim, "sub");
    ///
    /// let short = Figment::new().merge(("jwt_secret_key", "short"));
    /// let err = JwtConfig::from_figment(&short).unwrap_err();
    /// assert_eq!(err.key, "jwt_secret_key");
    /// ```
    pub fn from_figment(figment: &Figment) -> Result<JwtConfig, ConfigError> {
        // A misspelt key would otherwise be ignored and its default apply.
        if let Ok(all) = figment.extract::<rocket::figment::value::Dict>() {
            let unknown = all
                .keys()
                .filter(|k| k.starts_with("jwt_") && !KEYS.contains(&k.as_str()))
                .min();
            if let Some(key) = unknown {
                let hint = closest(key, KEYS)
                    .map(|k| format!("; did you mean `{k}`?"))
                    .unwrap_or_default();
                return Err(ConfigError::new(
                    key,
                    format!("there is no such JWT option{hint}"),
                ));
            }
        }
        let raw: RawConfig = figment.extract().map_err(|e| {
            // The top-level key is at fault; a nested path (an entry of
            // `jwt_keys`) is named in the message.
            let key = e.path.first().cloned().unwrap_or_else(|| "jwt_*".into());
            let at = match e.path.len() {
                0 | 1 => String::new(),
                _ => format!(" (at {})", e.path.join(".")),
            };
            ConfigError::new(&key, format!("{}{at}", e.kind))
        })?;
        Self::from_raw(raw)
    }

    fn from_raw(mut raw: RawConfig) -> Result<JwtConfig, ConfigError> {
        let jwks = jwks_settings(RawJwks {
            jwt_jwks_url: raw.jwt_jwks_url.as_deref(),
            jwt_oidc_issuer: raw.jwt_oidc_issuer.as_deref(),
            jwt_jwks_timeout_ms: raw.jwt_jwks_timeout_ms,
            jwt_jwks_refresh_secs: raw.jwt_jwks_refresh_secs,
            jwt_jwks_min_refetch_secs: raw.jwt_jwks_min_refetch_secs,
            jwt_jwks_max_stale_secs: raw.jwt_jwks_max_stale_secs,
        })?;
        let (keys, decode_algorithms) = keys::build(RawKeys {
            algorithm: raw.jwt_algorithm.take(),
            decode_algorithms: raw
                .jwt_decode_algorithms
                .take()
                .map(OneOrMany::into_vec)
                .unwrap_or_default(),
            secret: raw.jwt_secret_key.take(),
            private_key: raw.jwt_private_key.take(),
            private_key_file: raw.jwt_private_key_file.take(),
            public_key: raw.jwt_public_key.take(),
            public_key_file: raw.jwt_public_key_file.take(),
            keys: raw.jwt_keys.take(),
            remote: jwks.is_some(),
        })?;
        let algorithm = keys.algorithm;

        let token_location = match raw.jwt_token_location {
            None => vec![Location::Headers],
            Some(list) => {
                let names = list.into_vec();
                if names.is_empty() {
                    return Err(ConfigError::new(
                        "jwt_token_location",
                        "must name at least one of headers, cookies, json, query_string",
                    ));
                }
                let mut out = Vec::with_capacity(names.len());
                for n in names {
                    let loc = Location::from_str(&n)
                        .map_err(|m| ConfigError::new("jwt_token_location", m))?;
                    if out.contains(&loc) {
                        return Err(ConfigError::new(
                            "jwt_token_location",
                            format!("'{n}' is listed twice"),
                        ));
                    }
                    out.push(loc);
                }
                out
            }
        };

        let leeway = match raw.jwt_decode_leeway {
            None => 0,
            Some(l) if l < 0 => {
                return Err(ConfigError::new(
                    "jwt_decode_leeway",
                    "must be a non-negative number of seconds",
                ))
            }
            Some(l) => l as u64,
        };

        let max_token_size = match raw.jwt_max_token_size {
            None => 8192,
            Some(n) if n < 64 => {
                return Err(ConfigError::new(
                    "jwt_max_token_size",
                    "must be at least 64 bytes",
                ))
            }
            Some(n) => n as usize,
        };

        let cookie_samesite = match raw.jwt_cookie_samesite.as_deref() {
            None => None,
            Some(s) => Some(match s.to_ascii_lowercase().as_str() {
                "lax" => SameSite::Lax,
                "strict" => SameSite::Strict,
                "none" => SameSite::None,
                _ => {
                    return Err(ConfigError::new(
                        "jwt_cookie_samesite",
                        format!("\"{s}\" is not one of Lax, Strict, None"),
                    ))
                }
            }),
        };

        let csrf_methods = raw
            .jwt_csrf_methods
            .map(OneOrMany::into_vec)
            .unwrap_or_else(|| {
                ["POST", "PUT", "PATCH", "DELETE"]
                    .map(String::from)
                    .to_vec()
            })
            .into_iter()
            .map(|m| m.to_ascii_uppercase())
            .collect();

        let list_or_none =
            |v: Option<OneOrMany>| v.map(OneOrMany::into_vec).filter(|v| !v.is_empty());
        let encode_audience = raw.jwt_encode_audience.and_then(|a| match a {
            OneOrMany::One(s) if s.is_empty() => None,
            OneOrMany::One(s) => Some(serde_json::Value::String(s)),
            OneOrMany::Many(v) if v.is_empty() => None,
            OneOrMany::Many(v) => Some(serde_json::Value::from(v)),
        });

        let config = JwtConfig {
            access_expires: expiry(
                "jwt_access_token_expires",
                raw.jwt_access_token_expires,
                15 * 60,
            )?,
            refresh_expires: expiry(
                "jwt_refresh_token_expires",
                raw.jwt_refresh_token_expires,
                30 * 24 * 3600,
            )?,
            algorithm,
            decode_algorithms,
            decode_audience: list_or_none(raw.jwt_decode_audience),
            encode_audience,
            // An OIDC issuer's tokens must name it, unless configured otherwise.
            decode_issuer: list_or_none(raw.jwt_decode_issuer.take()).or_else(|| {
                jwks.as_ref()
                    .and_then(|j| j.issuer.clone())
                    .map(|i| vec![i])
            }),
            encode_issuer: raw.jwt_encode_issuer.filter(|s| !s.is_empty()),
            leeway,
            encode_nbf: raw.jwt_encode_nbf.unwrap_or(true),
            identity_claim: non_empty("jwt_identity_claim", raw.jwt_identity_claim, "sub")?,
            verify_sub: raw.jwt_verify_sub.unwrap_or(true),
            error_msg_key: non_empty("jwt_error_message_key", raw.jwt_error_message_key, "msg")?,
            token_location,
            header_name: header_name("jwt_header_name", raw.jwt_header_name, "Authorization")?,
            header_type: raw.jwt_header_type.unwrap_or_else(|| "Bearer".into()),
            revocation_timeout: match raw.jwt_revocation_timeout_ms {
                None => std::time::Duration::from_millis(1000),
                Some(ms) if (1..=600_000).contains(&ms) => {
                    std::time::Duration::from_millis(ms as u64)
                }
                Some(_) => {
                    return Err(ConfigError::new(
                        "jwt_revocation_timeout_ms",
                        "must be between 1 and 600000 milliseconds",
                    ))
                }
            },
            admin_claim: non_empty("jwt_admin_claim", raw.jwt_admin_claim, "is_administrator")?,
            refresh_token_rotation: raw.jwt_refresh_token_rotation.unwrap_or(false),
            sessions: raw.jwt_sessions.unwrap_or(false)
                || raw.jwt_refresh_token_rotation.unwrap_or(false),
            refresh_reuse_grace: match raw.jwt_refresh_token_reuse_grace {
                None => Duration::ZERO,
                Some(s) if (0..=300).contains(&s) => Duration::from_secs(s as u64),
                Some(_) => {
                    return Err(ConfigError::new(
                        "jwt_refresh_token_reuse_grace",
                        "must be between 0 and 300 seconds",
                    ))
                }
            },
            query_string_name: non_empty(
                "jwt_query_string_name",
                raw.jwt_query_string_name,
                "jwt",
            )?,
            query_string_value_prefix: raw.jwt_query_string_value_prefix.unwrap_or_default(),
            json_key: non_empty("jwt_json_key", raw.jwt_json_key, "access_token")?,
            refresh_json_key: non_empty(
                "jwt_refresh_json_key",
                raw.jwt_refresh_json_key,
                "refresh_token",
            )?,
            access_cookie_name: cookie_name(
                "jwt_access_cookie_name",
                raw.jwt_access_cookie_name,
                "access_token_cookie",
            )?,
            refresh_cookie_name: cookie_name(
                "jwt_refresh_cookie_name",
                raw.jwt_refresh_cookie_name,
                "refresh_token_cookie",
            )?,
            access_cookie_path: raw.jwt_access_cookie_path.unwrap_or_else(|| "/".into()),
            refresh_cookie_path: raw.jwt_refresh_cookie_path.unwrap_or_else(|| "/".into()),
            cookie_secure: raw.jwt_cookie_secure.unwrap_or(false),
            cookie_domain: raw.jwt_cookie_domain.filter(|d| !d.is_empty()),
            cookie_samesite,
            session_cookie: raw.jwt_session_cookie.unwrap_or(true),
            csrf_protect: raw.jwt_cookie_csrf_protect.unwrap_or(true),
            csrf_methods,
            csrf_in_cookies: raw.jwt_csrf_in_cookies.unwrap_or(true),
            csrf_check_form: raw.jwt_csrf_check_form.unwrap_or(false),
            access_csrf_cookie_name: cookie_name(
                "jwt_access_csrf_cookie_name",
                raw.jwt_access_csrf_cookie_name,
                "csrf_access_token",
            )?,
            refresh_csrf_cookie_name: cookie_name(
                "jwt_refresh_csrf_cookie_name",
                raw.jwt_refresh_csrf_cookie_name,
                "csrf_refresh_token",
            )?,
            access_csrf_cookie_path: raw
                .jwt_access_csrf_cookie_path
                .unwrap_or_else(|| "/".into()),
            refresh_csrf_cookie_path: raw
                .jwt_refresh_csrf_cookie_path
                .unwrap_or_else(|| "/".into()),
            access_csrf_header_name: header_name(
                "jwt_access_csrf_header_name",
                raw.jwt_access_csrf_header_name,
                "X-CSRF-TOKEN",
            )?,
            refresh_csrf_header_name: header_name(
                "jwt_refresh_csrf_header_name",
                raw.jwt_refresh_csrf_header_name,
                "X-CSRF-TOKEN",
            )?,
            access_csrf_field_name: non_empty(
                "jwt_access_csrf_field_name",
                raw.jwt_access_csrf_field_name,
                "csrf_token",
            )?,
            refresh_csrf_field_name: non_empty(
                "jwt_refresh_csrf_field_name",
                raw.jwt_refresh_csrf_field_name,
                "csrf_token",
            )?,
            max_token_size,
            www_authenticate: raw.jwt_www_authenticate.unwrap_or(false),
            policy: Policy::new(Vec::new()),
            keys,
            jwks,
            jwks_max_age: match raw.jwt_jwks_cache_max_age {
                None => 300,
                Some(s) if (0..=86_400).contains(&s) => s as u64,
                Some(_) => {
                    return Err(ConfigError::new(
                        "jwt_jwks_cache_max_age",
                        "must be between 0 and 86400 seconds",
                    ))
                }
            },
            names: Default::default(),
        };
        let mut config = config;
        config.policy = Policy {
            algorithms: config.decode_algorithms.clone(),
            leeway: config.leeway,
            issuers: config.decode_issuer.clone(),
            audiences: config.decode_audience.clone(),
            verify_sub: config.verify_sub,
            identity_claim: config.identity_claim.clone(),
            max_token_size: config.max_token_size,
        };
        config.names = [
            TokenNames {
                cookie: config.access_cookie_name.clone(),
                cookie_path: config.access_cookie_path.clone(),
                csrf_cookie: config.access_csrf_cookie_name.clone(),
                csrf_cookie_path: config.access_csrf_cookie_path.clone(),
                csrf_header: config.access_csrf_header_name.clone(),
                csrf_field: config.access_csrf_field_name.clone(),
                json_key: config.json_key.clone(),
            },
            TokenNames {
                cookie: config.refresh_cookie_name.clone(),
                cookie_path: config.refresh_cookie_path.clone(),
                csrf_cookie: config.refresh_csrf_cookie_name.clone(),
                csrf_cookie_path: config.refresh_csrf_cookie_path.clone(),
                csrf_header: config.refresh_csrf_header_name.clone(),
                csrf_field: config.refresh_csrf_field_name.clone(),
                json_key: config.refresh_json_key.clone(),
            },
        ];
        config.check_host_prefix()?;
        Ok(config)
    }

    /// `__Host-` cookies must be Secure, have `Path=/` and no Domain (RFC 6265bis);
    /// a configuration that contradicts it is refused rather than silently ignored.
    fn check_host_prefix(&self) -> Result<(), ConfigError> {
        for kind in [TokenType::Access, TokenType::Refresh] {
            let names = self.names(kind);
            let t = kind.as_str();
            let cookies = [
                (
                    format!("jwt_{t}_cookie_name"),
                    &names.cookie,
                    format!("jwt_{t}_cookie_path"),
                    &names.cookie_path,
                ),
                (
                    format!("jwt_{t}_csrf_cookie_name"),
                    &names.csrf_cookie,
                    format!("jwt_{t}_csrf_cookie_path"),
                    &names.csrf_cookie_path,
                ),
            ];
            for (name_key, name, path_key, path) in cookies {
                if !name.starts_with("__Host-") {
                    continue;
                }
                if !self.cookie_secure {
                    return Err(ConfigError::new(
                        "jwt_cookie_secure",
                        format!("{name_key} \"{name}\" uses the __Host- prefix, which requires jwt_cookie_secure = true"),
                    ));
                }
                if self.cookie_domain.is_some() {
                    return Err(ConfigError::new(
                        "jwt_cookie_domain",
                        format!("{name_key} \"{name}\" uses the __Host- prefix, which forbids a cookie domain"),
                    ));
                }
                if path != "/" {
                    return Err(ConfigError::new(
                        &path_key,
                        format!("{name_key} \"{name}\" uses the __Host- prefix, which requires the path \"/\""),
                    ));
                }
            }
        }
        Ok(())
    }
}
