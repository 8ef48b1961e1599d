//! Where verification keys are fetched from: `jwt_jwks_url` or
//! `jwt_oidc_issuer`, the rule for URLs keys may come from, and the timings.

use std::time::Duration;

use super::model::{ConfigError, JwksSettings};

/// A number of seconds or milliseconds within `range`, or its default.
fn bounded(
    key: &str,
    value: Option<i64>,
    default: u64,
    range: std::ops::RangeInclusive<i64>,
    unit: &str,
) -> Result<u64, ConfigError> {
    match value {
        None => Ok(default),
        Some(v) if range.contains(&v) => Ok(v as u64),
        Some(_) => Err(ConfigError::new(
            key,
            format!(
                "must be between {} and {} {unit}",
                range.start(),
                range.end()
            ),
        )),
    }
}

/// A URL keys may be fetched from: `https://`, or `http://` on the loopback
/// interface (a key server on the same machine, or a test).
pub fn check_fetch_url(key: &str, url: &str) -> Result<(), ConfigError> {
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| ConfigError::new(key, format!("\"{url}\" is not an http(s) URL")))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host.starts_with('[') {
        host.split(']').next().map(|h| &h[1..]).unwrap_or("")
    } else {
        host.split(':').next().unwrap_or("")
    };
    if host.is_empty() {
        return Err(ConfigError::new(key, format!("\"{url}\" names no host")));
    }
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(()),
        "http" if loopback => Ok(()),
        "http" => Err(ConfigError::new(
            key,
            format!("\"{url}\" is plain http; keys are only fetched over https (or from the loopback interface)"),
        )),
        _ => Err(ConfigError::new(key, format!("\"{url}\" is not an http(s) URL"))),
    }
}

/// `jwt_jwks_url` (or `jwt_oidc_issuer`) and their timings.
/// The `jwt_jwks_*` and `jwt_oidc_issuer` keys as they arrive.
pub(super) struct RawJwks<'a> {
    pub jwt_jwks_url: Option<&'a str>,
    pub jwt_oidc_issuer: Option<&'a str>,
    pub jwt_jwks_timeout_ms: Option<i64>,
    pub jwt_jwks_refresh_secs: Option<i64>,
    pub jwt_jwks_min_refetch_secs: Option<i64>,
    pub jwt_jwks_max_stale_secs: Option<i64>,
}

pub(super) fn jwks_settings(raw: RawJwks<'_>) -> Result<Option<JwksSettings>, ConfigError> {
    let jwks_url = raw.jwt_jwks_url.filter(|u| !u.is_empty());
    let issuer = raw.jwt_oidc_issuer.filter(|u| !u.is_empty());
    let (url, issuer) = match (jwks_url, issuer) {
        (Some(_), Some(_)) => {
            return Err(ConfigError::new(
                "jwt_oidc_issuer",
                "jwt_jwks_url and jwt_oidc_issuer are both set; set one of them",
            ))
        }
        (Some(url), None) => {
            check_fetch_url("jwt_jwks_url", url)?;
            (url.to_owned(), None)
        }
        (None, Some(issuer)) => {
            check_fetch_url("jwt_oidc_issuer", issuer)?;
            let discovery = format!(
                "{}/.well-known/openid-configuration",
                issuer.trim_end_matches('/')
            );
            (discovery, Some(issuer.to_owned()))
        }
        (None, None) => {
            for (set, key) in [
                (raw.jwt_jwks_timeout_ms.is_some(), "jwt_jwks_timeout_ms"),
                (raw.jwt_jwks_refresh_secs.is_some(), "jwt_jwks_refresh_secs"),
                (
                    raw.jwt_jwks_min_refetch_secs.is_some(),
                    "jwt_jwks_min_refetch_secs",
                ),
                (
                    raw.jwt_jwks_max_stale_secs.is_some(),
                    "jwt_jwks_max_stale_secs",
                ),
            ] {
                if set {
                    return Err(ConfigError::new(
                        key,
                        "only applies with jwt_jwks_url or jwt_oidc_issuer",
                    ));
                }
            }
            return Ok(None);
        }
    };
    let secs = Duration::from_secs;
    Ok(Some(JwksSettings {
        url,
        issuer,
        timeout: Duration::from_millis(bounded(
            "jwt_jwks_timeout_ms",
            raw.jwt_jwks_timeout_ms,
            3000,
            1..=60_000,
            "milliseconds",
        )?),
        refresh: secs(bounded(
            "jwt_jwks_refresh_secs",
            raw.jwt_jwks_refresh_secs,
            300,
            1..=86_400,
            "seconds",
        )?),
        min_refetch: secs(bounded(
            "jwt_jwks_min_refetch_secs",
            raw.jwt_jwks_min_refetch_secs,
            30,
            1..=3_600,
            "seconds",
        )?),
        max_stale: secs(bounded(
            "jwt_jwks_max_stale_secs",
            raw.jwt_jwks_max_stale_secs,
            3_600,
            0..=604_800,
            "seconds",
        )?),
    }))
}
