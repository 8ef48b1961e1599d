//! The four locations' readers, each exactly as flask-jwt-extended reads
//! it, and flask's message when none had a token.

use std::borrow::Cow;

use rocket::request::Request;
use serde_json::Value;

use super::body::RequestBody;
use crate::config::JwtConfig;
use crate::error::JwtError;
use crate::token::{truthy, DecodeError, Location, TokenType};

/// A token found in one location, with the double-submit value for cookies.
pub(crate) enum Lookup<'a> {
    Found {
        token: Cow<'a, str>,
        csrf: Option<&'a str>,
    },
    /// The location needs the body, which only the data guard reads.
    NeedsBody,
}

/// Reads `location`: the token, "not found" (`NoAuthorization`), another
/// error that stops the search, or "needs the body".
pub(crate) fn read<'a>(
    location: Location,
    req: &'a Request<'_>,
    cfg: &'a JwtConfig,
    kind: TokenType,
    body: Option<&'a RequestBody>,
) -> Result<Lookup<'a>, JwtError> {
    match location {
        Location::Headers => from_headers(req, cfg).map(|token| Lookup::Found {
            token: token.into(),
            csrf: None,
        }),
        Location::Cookies => from_cookies(req, cfg, kind, body),
        Location::Json => from_json(cfg, kind, body),
        Location::QueryString => from_query_string(req, cfg),
    }
}

/// The access (or refresh) cookie, and on CSRF-protected methods the
/// double-submit value from the header or, when enabled, the form field.
fn from_cookies<'a>(
    req: &'a Request<'_>,
    cfg: &'a JwtConfig,
    kind: TokenType,
    body: Option<&'a RequestBody>,
) -> Result<Lookup<'a>, JwtError> {
    let names = cfg.names(kind);
    let token = req
        .cookies()
        .get(&names.cookie)
        .map(|c| c.value())
        .filter(|v| !v.is_empty())
        .ok_or_else(|| JwtError::NoAuthorization(format!("Missing cookie \"{}\"", names.cookie)))?;
    let method = req.method().as_str();
    if !cfg.csrf_protect || !cfg.csrf_methods.iter().any(|m| m == method) {
        return Ok(Lookup::Found {
            token: token.into(),
            csrf: None,
        });
    }
    let mut csrf = req
        .headers()
        .get_one(&names.csrf_header)
        .filter(|v| !v.is_empty());
    if csrf.is_none() && cfg.csrf_check_form {
        let Some(body) = body else {
            return Ok(Lookup::NeedsBody);
        };
        csrf = body.form_field(&names.csrf_field).filter(|v| !v.is_empty());
    }
    match csrf {
        Some(csrf) => Ok(Lookup::Found {
            token: token.into(),
            csrf: Some(csrf),
        }),
        None => Err(JwtError::Csrf("Missing CSRF token".into())),
    }
}

/// `request.json[<json key>]`, with flask's content-type rule and its
/// truthiness: a missing, null, false, zero or empty value is "missing".
fn from_json<'a>(
    cfg: &'a JwtConfig,
    kind: TokenType,
    body: Option<&'a RequestBody>,
) -> Result<Lookup<'a>, JwtError> {
    let Some(body) = body else {
        return Ok(Lookup::NeedsBody);
    };
    if !body.is_json() {
        return Err(JwtError::NoAuthorization(
            "Invalid content-type. Must be application/json.".into(),
        ));
    }
    let key = &cfg.names(kind).json_key;
    let value = body.json_member(key);
    match value {
        Some(Value::String(s)) if !s.is_empty() => Ok(Lookup::Found {
            token: s.as_str().into(),
            csrf: None,
        }),
        Some(v) if truthy(v) => Err(DecodeError::NotAString.into()),
        _ => Err(JwtError::NoAuthorization(format!(
            "Missing \"{key}\" key in json data."
        ))),
    }
}

/// `request.args[<name>]` (first occurrence, URL-decoded), minus the prefix.
fn from_query_string<'a>(req: &'a Request<'_>, cfg: &'a JwtConfig) -> Result<Lookup<'a>, JwtError> {
    let name = cfg.query_string_name.as_str();
    let value = req
        .uri()
        .query()
        .and_then(|q| q.segments().find(|(k, _)| *k == name).map(|(_, v)| v))
        .filter(|v| !v.is_empty())
        .ok_or_else(|| JwtError::NoAuthorization(format!("Missing '{name}' query paramater")))?;
    let prefix = cfg.query_string_value_prefix.as_str();
    match value.strip_prefix(prefix) {
        Some(token) => Ok(Lookup::Found {
            token: token.into(),
            csrf: None,
        }),
        None => Err(JwtError::InvalidQueryParam(format!(
            "Invalid value for query parameter '{name}'. Expected the value to start with '{prefix}'"
        ))),
    }
}

/// flask's message when no location had a token.
pub(crate) fn missing_message(locations: &[Location], mut missing: Vec<String>) -> String {
    if locations.len() <= 1 {
        return missing.pop().unwrap_or_default();
    }
    let (last, start) = locations.split_last().unwrap_or((&Location::Headers, &[]));
    let start: Vec<&str> = start.iter().map(|l| l.as_str()).collect();
    format!(
        "Missing JWT in {} or {} ({})",
        start.join(", "),
        last.as_str(),
        missing.join("; ")
    )
}

/// The token from the configured header, exactly as flask-jwt-extended reads it.
fn from_headers<'r>(req: &'r Request<'_>, cfg: &JwtConfig) -> Result<&'r str, JwtError> {
    let name = &cfg.header_name;
    let ty = &cfg.header_type;
    let raw = req.headers().get_one(name).unwrap_or("");
    // The common form, `<type> <token>` with a token of printable ASCII and
    // no comma or space, reads the same by flask's rules: one scan instead of
    // the trims and splits below.
    if let Some(token) = raw
        .strip_prefix(ty.as_str())
        .and_then(|rest| rest.strip_prefix(' '))
        .filter(|t| {
            !ty.is_empty() && !t.is_empty() && t.bytes().all(|b| b.is_ascii_graphic() && b != b',')
        })
    {
        return Ok(token);
    }
    let value = raw.trim().trim_matches(',');
    if value.is_empty() {
        return Err(JwtError::NoAuthorization(format!("Missing {name} Header")));
    }
    if ty.is_empty() {
        let mut parts = value.split_whitespace();
        return match (parts.next(), parts.next()) {
            (Some(token), None) => Ok(token),
            _ => Err(JwtError::InvalidHeader(format!(
                "Bad {name} header. Expected '{name}: <JWT>'"
            ))),
        };
    }
    // re.split(r",\s*", value), keeping the fields whose first word is the type.
    let mut matching = value
        .split(',')
        .map(str::trim_start)
        .filter(|field| field.split_whitespace().next() == Some(ty.as_str()));
    let field = match (matching.next(), matching.next()) {
        (Some(field), None) => field,
        _ => {
            return Err(JwtError::NoAuthorization(format!(
                "Missing '{ty}' type in '{name}' header. Expected '{name}: {ty} <JWT>'"
            )))
        }
    };
    let mut parts = field.split_whitespace().skip(1);
    match (parts.next(), parts.next()) {
        (Some(token), None) => Ok(token),
        _ => Err(JwtError::InvalidHeader(format!(
            "Bad {name} header. Expected '{name}: {ty} <JWT>'"
        ))),
    }
}
