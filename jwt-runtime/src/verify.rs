//! `verify_jwt_in_request`: flask-jwt-extended's check order, once per request.
//!
//! 1 find the token (locations in order) → 2 decode (+CSRF for cookies) →
//! 3 token type → 4 fresh → 5 blocklist → 6 token verification → 7 user lookup.

use std::sync::{Arc, Mutex};

use rocket::http::Method;
use rocket::request::Request;

use crate::claims::VerifiedJwt;
use crate::codec::{self, DecodeOptions};
use crate::config::{JwtConfig, Location};
use crate::error::JwtError;
use crate::manager::JwtState;

/// The arguments of `@jwt_required(...)` / `verify_jwt_in_request(...)`,
/// packable into a `u32` so that guards can carry them as a const generic.
///
/// ```
/// use rocket_jwt_extended_runtime::{Location, VerifyOptions};
///
/// const OPTS: VerifyOptions = VerifyOptions::new().fresh().locations(&[Location::Headers]);
/// assert!(OPTS.is_fresh());
/// assert_eq!(VerifyOptions::from_bits(OPTS.bits()), OPTS);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct VerifyOptions(u32);

const OPTIONAL: u32 = 1;
const FRESH: u32 = 1 << 1;
const REFRESH: u32 = 1 << 2;
const NO_VERIFY_TYPE: u32 = 1 << 3;
const SKIP_REVOCATION: u32 = 1 << 4;
const LOC_SHIFT: u32 = 8;

impl VerifyOptions {
    /// `jwt_required()`: a valid access token, from the configured locations.
    pub const fn new() -> Self {
        VerifyOptions(0)
    }

    /// `optional=True`: no token is fine (any other error still fails).
    pub const fn optional(self) -> Self {
        VerifyOptions(self.0 | OPTIONAL)
    }

    /// `fresh=True`: the token must be fresh.
    pub const fn fresh(self) -> Self {
        VerifyOptions(self.0 | FRESH)
    }

    /// `refresh=True`: a refresh token is required (and refresh cookie/JSON names are read).
    pub const fn refresh(self) -> Self {
        VerifyOptions(self.0 | REFRESH)
    }

    /// `verify_type=False`: access and refresh tokens are both accepted.
    pub const fn no_verify_type(self) -> Self {
        VerifyOptions(self.0 | NO_VERIFY_TYPE)
    }

    /// `skip_revocation_check=True`.
    pub const fn skip_revocation_check(self) -> Self {
        VerifyOptions(self.0 | SKIP_REVOCATION)
    }

    /// `locations=[...]`: these locations, in this order, instead of
    /// `jwt_token_location`. At most four, no repeats (repeats are ignored).
    pub const fn locations(self, locations: &[Location]) -> Self {
        let mut packed = 0u32;
        let mut slot = 0;
        let mut i = 0;
        while i < locations.len() && slot < 4 {
            let code = locations[i].code();
            let mut seen = false;
            let mut j = 0;
            while j < slot {
                if (packed >> (4 * j)) & 0xF == code {
                    seen = true;
                }
                j += 1;
            }
            if !seen {
                packed |= code << (4 * slot);
                slot += 1;
            }
            i += 1;
        }
        VerifyOptions((self.0 & ((1 << LOC_SHIFT) - 1)) | (packed << LOC_SHIFT))
    }

    /// The packed form.
    pub const fn bits(self) -> u32 {
        self.0
    }

    /// From the packed form.
    pub const fn from_bits(bits: u32) -> Self {
        VerifyOptions(bits)
    }

    /// `optional`.
    pub const fn is_optional(self) -> bool {
        self.0 & OPTIONAL != 0
    }
    /// `fresh`.
    pub const fn is_fresh(self) -> bool {
        self.0 & FRESH != 0
    }
    /// `refresh`.
    pub const fn is_refresh(self) -> bool {
        self.0 & REFRESH != 0
    }
    /// `verify_type`.
    pub const fn verifies_type(self) -> bool {
        self.0 & NO_VERIFY_TYPE == 0
    }
    /// `skip_revocation_check`.
    pub const fn skips_revocation_check(self) -> bool {
        self.0 & SKIP_REVOCATION != 0
    }

    /// The route's own locations, if it overrides the configuration.
    pub fn route_locations(self) -> Option<Vec<Location>> {
        let (slots, len) = self.location_slots();
        (len > 0).then(|| slots[..len].to_vec())
    }

    /// The packed locations unpacked without allocating: slots and how many are used.
    fn location_slots(self) -> ([Location; 4], usize) {
        let packed = self.0 >> LOC_SHIFT;
        let mut slots = [Location::Headers; 4];
        let mut len = 0;
        while let Some(loc) = Location::from_code((packed >> (4 * len)) & 0xF) {
            slots[len] = loc;
            len += 1;
            if len == 4 {
                break;
            }
        }
        (slots, len)
    }

    /// What the token search depends on (locations and refresh), used to share
    /// one decode between guards of the same request.
    fn search_key(self) -> u32 {
        self.0 & !(OPTIONAL | FRESH | NO_VERIFY_TYPE | SKIP_REVOCATION)
    }
}

type Found = Result<Arc<VerifiedJwt>, JwtError>;

#[derive(Default)]
struct SearchCache(Mutex<Vec<(u32, Found)>>);

/// flask's `verify_jwt_in_request(optional, fresh, refresh, locations,
/// verify_type, skip_revocation_check)` for custom guards.
///
/// Returns the verified token, or `None` on an optional route without token
/// and on `OPTIONS` requests (which pass without a token, as in flask). The
/// token search and decode run once per request, however many guards ask.
pub async fn verify_jwt_in_request(
    req: &Request<'_>,
    options: VerifyOptions,
) -> Result<Option<Arc<VerifiedJwt>>, JwtError> {
    let state = JwtState::of(req)?;
    if req.method() == Method::Options {
        return Ok(None);
    }
    let key = options.search_key();
    let cache = req.local_cache(SearchCache::default);
    let cached = cache
        .0
        .lock()
        .ok()
        .and_then(|c| c.iter().find(|(k, _)| *k == key).map(|(_, f)| f.clone()));
    let found = match cached {
        Some(found) => found,
        None => {
            let found = find_and_decode(req, state.config(), options).map(Arc::new);
            if let Ok(mut c) = cache.0.lock() {
                c.push((key, found.clone()));
            }
            found
        }
    };
    let token = match found {
        Ok(token) => token,
        Err(JwtError::NoAuthorization(_)) if options.is_optional() => return Ok(None),
        Err(e) => return Err(e),
    };
    if options.verifies_type() && token.claims.is_refresh() != options.is_refresh() {
        return Err(JwtError::WrongTokenType {
            refresh_required: options.is_refresh(),
        });
    }
    if options.is_fresh() && !token.claims.is_fresh_at(codec::now_f64()) {
        return Err(JwtError::FreshTokenRequired(token));
    }
    Ok(Some(token))
}

fn find_and_decode(
    req: &Request<'_>,
    cfg: &JwtConfig,
    options: VerifyOptions,
) -> Result<VerifiedJwt, JwtError> {
    let (slots, len) = options.location_slots();
    let locations = if len > 0 {
        &slots[..len]
    } else {
        &cfg.token_location[..]
    };
    let mut missing = Vec::new();
    for &location in locations {
        let found = match location {
            Location::Headers => from_headers(req, cfg),
            other => Err(JwtError::Configuration(format!(
                "token location '{other}' is not supported yet"
            ))),
        };
        match found {
            Ok(token) => {
                let opts = DecodeOptions {
                    location: Some(location),
                    ..DecodeOptions::default()
                };
                return codec::decode(cfg, token, opts);
            }
            Err(JwtError::NoAuthorization(m)) => missing.push(m),
            Err(e) => return Err(e),
        }
    }
    Err(JwtError::NoAuthorization(missing_message(
        locations, missing,
    )))
}

/// flask's message when no location had a token.
fn missing_message(locations: &[Location], mut missing: Vec<String>) -> String {
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
    let value = req
        .headers()
        .get_one(name)
        .unwrap_or("")
        .trim()
        .trim_matches(',');
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
