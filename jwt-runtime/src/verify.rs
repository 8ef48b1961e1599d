//! `verify_jwt_in_request`: flask-jwt-extended's check order, once per request.
//!
//! 1 find the token (locations in order) → 2 decode (+CSRF for cookies) →
//! 3 token type → 4 fresh → 5 blocklist → 6 token verification → 7 user lookup.

use std::any::Any;
use std::borrow::Cow;
use std::sync::{Arc, Mutex};

use rocket::http::Method;
use rocket::request::Request;

use serde_json::Value;

use crate::body::RequestBody;
use crate::claims::VerifiedJwt;
use crate::codec::{self, DecodeOptions};
use crate::config::{JwtConfig, Location};
use crate::error::{DecodeError, JwtError};
use crate::loaders::{AnyUser, LoaderArgs};
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
const BODY: u32 = 1 << 5;
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

    /// A data guard that reads the request body (JSON token, CSRF form field)
    /// accompanies this guard; `#[jwt_required]` sets it when it adds one.
    #[doc(hidden)]
    pub const fn with_body(self) -> Self {
        VerifyOptions(self.0 | BODY)
    }

    /// Whether a body-reading data guard accompanies the guard.
    #[doc(hidden)]
    pub const fn has_body(self) -> bool {
        self.0 & BODY != 0
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

    /// The locations searched: the route's own, else the configuration's.
    pub(crate) fn active_locations<'c>(self, cfg: &'c JwtConfig) -> ActiveLocations<'c> {
        let (slots, len) = self.location_slots();
        if len > 0 {
            ActiveLocations::Route(slots, len)
        } else {
            ActiveLocations::Config(&cfg.token_location)
        }
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
        self.0 & !(OPTIONAL | FRESH | NO_VERIFY_TYPE | SKIP_REVOCATION | BODY)
    }
}

/// The locations a request is searched in, borrowed without allocating.
pub(crate) enum ActiveLocations<'c> {
    Route([Location; 4], usize),
    Config(&'c [Location]),
}

impl std::ops::Deref for ActiveLocations<'_> {
    type Target = [Location];
    fn deref(&self) -> &[Location] {
        match self {
            ActiveLocations::Route(slots, len) => &slots[..*len],
            ActiveLocations::Config(locs) => locs,
        }
    }
}

/// Why a request guard alone cannot complete the search: the token may be in
/// the body (JSON location, CSRF form field), which only a data guard reads.
pub(crate) fn needs_body(cfg: &JwtConfig, locations: &[Location]) -> Option<&'static str> {
    if locations.contains(&Location::Json) {
        Some("the \"json\" token location reads the request body")
    } else if locations.contains(&Location::Cookies) && cfg.csrf_protect && cfg.csrf_check_form {
        Some("`jwt_csrf_check_form` reads the CSRF token from the request body")
    } else {
        None
    }
}

type Found = Result<Arc<VerifiedJwt>, JwtError>;

#[derive(Default)]
struct SearchCache(Mutex<Vec<(u32, Found)>>);

/// A request that passed every check: its token and, with a `#[user_lookup]`
/// loader, the loaded user.
#[derive(Clone)]
pub struct Authenticated {
    pub(crate) token: Arc<VerifiedJwt>,
    pub(crate) user: Option<AnyUser>,
}

impl Authenticated {
    /// The verified token.
    pub fn token(&self) -> &Arc<VerifiedJwt> {
        &self.token
    }

    /// The user the `#[user_lookup]` loader returned, if it returned a `U`.
    pub fn user<U: Any + Send + Sync>(&self) -> Option<Arc<U>> {
        self.user.clone().and_then(|u| u.downcast::<U>().ok())
    }
}

/// The token a guard of the route that answers accepted after every check,
/// revocation included (read by the implicit-refresh fairing).
#[derive(Default)]
struct LastAuthenticated(Mutex<Option<(usize, Arc<VerifiedJwt>)>>);

/// The token that authenticated this request for the route that answered it,
/// if a JWT guard accepted one with the revocation check done.
pub(crate) fn authenticated(req: &Request<'_>) -> Option<Arc<VerifiedJwt>> {
    let route = crate::body::route_id(req);
    req.local_cache(LastAuthenticated::default)
        .0
        .lock()
        .ok()
        .and_then(|t| t.clone())
        .filter(|(r, _)| *r == route)
        .map(|(_, t)| t)
}

/// The outcome of a verification that may need the request body.
pub(crate) enum Verified {
    /// Verified: the token, or `None` (optional route without token, `OPTIONS`).
    Done(Option<Authenticated>),
    /// A location before the token needs the body; the data guard finishes.
    NeedsBody,
}

/// flask's `verify_jwt_in_request(optional, fresh, refresh, locations,
/// verify_type, skip_revocation_check)` for custom guards.
///
/// Returns the verified token, or `None` on an optional route without token
/// and on `OPTIONS` requests (which pass without a token, as in flask). The
/// token search and decode run once per request, however many guards ask,
/// and so does each loader.
///
/// A request guard cannot read the body: when the search reaches the `json`
/// location (or a CSRF form field) this returns a configuration error (500).
/// Routes protected with `#[jwt_required]` read the body through a data guard
/// the attribute adds; the typed guards refuse such a configuration at launch.
pub async fn verify_jwt_in_request(
    req: &Request<'_>,
    options: VerifyOptions,
) -> Result<Option<Arc<VerifiedJwt>>, JwtError> {
    match verify(req, options, None).await? {
        Verified::Done(passed) => Ok(passed.map(|p| p.token)),
        Verified::NeedsBody => Err(needs_body_error(req, options)),
    }
}

/// The error when a request guard alone reaches a location that needs the
/// body (the launch checks make this rare: custom guards only).
pub(crate) fn needs_body_error(req: &Request<'_>, options: VerifyOptions) -> JwtError {
    let why = JwtState::of(req)
        .ok()
        .and_then(|s| needs_body(s.config(), &options.active_locations(s.config())))
        .unwrap_or("the token search reads the body");
    JwtError::Configuration(format!(
        "{why}, which a request guard cannot do: protect the route with #[jwt_required]"
    ))
}

/// The whole check, with the body when a data guard has read it.
pub(crate) async fn verify(
    req: &Request<'_>,
    options: VerifyOptions,
    body: Option<&RequestBody>,
) -> Result<Verified, JwtError> {
    let state = JwtState::of(req)?;
    if req.method() == Method::Options {
        return Ok(Verified::Done(None));
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
            let found = match find_and_decode(req, state, options, body).await {
                Ok(Search::NeedsBody) => return Ok(Verified::NeedsBody),
                Ok(Search::Found(token)) => Ok(Arc::new(token)),
                Err(e) => Err(e),
            };
            if let Ok(mut c) = cache.0.lock() {
                c.push((key, found.clone()));
            }
            found
        }
    };
    let token = match found {
        Ok(token) => token,
        Err(JwtError::NoAuthorization(_)) if options.is_optional() => {
            return Ok(Verified::Done(None))
        }
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
    let user = run_loaders(req, state, &token, options).await?;
    let revocation_checked = !options.skips_revocation_check()
        || (state.loaders().token_in_blocklist.is_none() && state.store().is_none());
    if revocation_checked {
        if let Ok(mut slot) = req.local_cache(LastAuthenticated::default).0.lock() {
            *slot = Some((crate::body::route_id(req), token.clone()));
        }
    }
    Ok(Verified::Done(Some(Authenticated { token, user })))
}

/// What the request-side loaders answered for one token of this request, so
/// that each runs at most once however many guards verify.
#[derive(Default, Clone)]
struct LoaderAnswers {
    revoked: Option<bool>,
    verified: Option<bool>,
    user: Option<Option<AnyUser>>,
}

#[derive(Default)]
struct LoaderCache(Mutex<Vec<(usize, LoaderAnswers)>>);

impl LoaderCache {
    fn get(&self, token: &Arc<VerifiedJwt>) -> LoaderAnswers {
        let id = Arc::as_ptr(token) as usize;
        self.0
            .lock()
            .ok()
            .and_then(|c| c.iter().find(|(k, _)| *k == id).map(|(_, a)| a.clone()))
            .unwrap_or_default()
    }

    fn put(&self, token: &Arc<VerifiedJwt>, answers: LoaderAnswers) {
        let id = Arc::as_ptr(token) as usize;
        if let Ok(mut c) = self.0.lock() {
            c.retain(|(k, _)| *k != id);
            c.push((id, answers));
        }
    }
}

/// Steps 5–7: blocklist (unless skipped), token verification, user lookup.
async fn run_loaders(
    req: &Request<'_>,
    state: &JwtState,
    token: &Arc<VerifiedJwt>,
    options: VerifyOptions,
) -> Result<Option<AnyUser>, JwtError> {
    let loaders = state.loaders();
    let revocation = !options.skips_revocation_check()
        && (loaders.token_in_blocklist.is_some() || state.store().is_some());
    if !revocation && loaders.token_verification.is_none() && loaders.user_lookup.is_none() {
        return Ok(None);
    }
    // A loader whose request guard verifies the JWT again (a `Jwt` or
    // `CurrentUser` parameter) would call itself forever: refuse instead.
    let running = &req.local_cache(LoadersRunning::default).0;
    if running.swap(true, std::sync::atomic::Ordering::SeqCst) {
        return Err(JwtError::Configuration(
            "a loader's parameter verifies the JWT again (e.g. a `Jwt` or `CurrentUser` guard); \
             take `&Claims`/`&JwtHeader` instead"
                .into(),
        ));
    }
    let cache = req.local_cache(LoaderCache::default);
    let mut answers = cache.get(token);
    let args = LoaderArgs::token(token);
    let result = async {
        if revocation {
            let revoked = match answers.revoked {
                Some(r) => r,
                None => *answers.revoked.insert(is_revoked(req, state, args).await?),
            };
            if revoked {
                return Err(JwtError::Revoked(token.clone()));
            }
        }
        if let Some((_, f)) = loaders.token_verification {
            let verified = match answers.verified {
                Some(v) => v,
                None => *answers.verified.insert(f(req, args).await?),
            };
            if !verified {
                return Err(JwtError::VerificationFailed(token.clone()));
            }
        }
        if let Some((_, lookup)) = loaders.user_lookup {
            let user = match &answers.user {
                Some(u) => u.clone(),
                None => answers.user.insert((lookup.f)(req, args).await?).clone(),
            };
            return match user {
                Some(user) => Ok(Some(user)),
                None => Err(JwtError::UserLookup(token.clone())),
            };
        }
        Ok(None)
    }
    .await;
    running.store(false, std::sync::atomic::Ordering::SeqCst);
    cache.put(token, answers);
    result
}

/// Set while the request-side loaders run.
#[derive(Default)]
struct LoadersRunning(std::sync::atomic::AtomicBool);

/// Step 5: the registered store, then the `#[token_in_blocklist]` loader;
/// either one saying "revoked" revokes.
pub(crate) async fn is_revoked(
    req: &Request<'_>,
    state: &JwtState,
    args: LoaderArgs<'_>,
) -> Result<bool, JwtError> {
    if crate::stores::check_token(state, req.rocket(), args.claims, args.identity).await? {
        return Ok(true);
    }
    match state.loaders().token_in_blocklist {
        Some((_, f)) => f(req, args).await,
        None => Ok(false),
    }
}

enum Search {
    Found(VerifiedJwt),
    NeedsBody,
}

/// A token found in one location, with the double-submit value for cookies.
enum Lookup<'a> {
    Found {
        token: Cow<'a, str>,
        csrf: Option<&'a str>,
    },
    NeedsBody,
}

async fn find_and_decode(
    req: &Request<'_>,
    state: &JwtState,
    options: VerifyOptions,
    body: Option<&RequestBody>,
) -> Result<Search, JwtError> {
    let cfg = state.config();
    let locations = options.active_locations(cfg);
    let refresh = options.is_refresh();
    let mut missing = Vec::new();
    for &location in locations.iter() {
        let found = match location {
            Location::Headers => from_headers(req, cfg).map(|token| Lookup::Found {
                token: token.into(),
                csrf: None,
            }),
            Location::Cookies => from_cookies(req, cfg, refresh, body),
            Location::Json => from_json(cfg, refresh, body),
            Location::QueryString => from_query_string(req, cfg),
        };
        match found {
            Ok(Lookup::Found { token, csrf }) => {
                let opts = DecodeOptions {
                    location: Some(location),
                    csrf,
                    ..DecodeOptions::default()
                };
                return decode(req, state, &token, opts).await.map(Search::Found);
            }
            Ok(Lookup::NeedsBody) => return Ok(Search::NeedsBody),
            Err(JwtError::NoAuthorization(m)) => missing.push(m),
            Err(e) => return Err(e),
        }
    }
    Err(JwtError::NoAuthorization(missing_message(
        &locations, missing,
    )))
}

/// Decodes with the configured key, or the one a `#[decode_key]` loader picks
/// from the unverified header and claims (the algorithm allow-list still applies).
async fn decode(
    req: &Request<'_>,
    state: &JwtState,
    token: &str,
    opts: DecodeOptions<'_>,
) -> Result<VerifiedJwt, JwtError> {
    let cfg = state.config();
    let Some((name, loader)) = state.loaders().decode_key else {
        return codec::decode(cfg, token, opts);
    };
    let (header, claims) = codec::unverified_parts(token, cfg.max_token_size)?;
    let args = LoaderArgs {
        header: &header,
        claims: &claims,
        identity: claims.get_str(&cfg.identity_claim).unwrap_or(""),
        reason: "",
    };
    let secret = loader(req, args).await?;
    // The launch check on secret lengths (RFC 7518 §3.2) holds for a loader's
    // keys too: an empty or short key would let anyone forge tokens.
    let alg = header
        .alg()
        .and_then(|a| a.parse::<jsonwebtoken::Algorithm>().ok())
        .unwrap_or(cfg.algorithm);
    let min = crate::config::hmac_min_len(alg).unwrap_or(0);
    if secret.len() < min {
        return Err(JwtError::Configuration(format!(
            "#[decode_key] loader `{name}` returned a {}-byte secret; {alg:?} needs at least {min} bytes",
            secret.len()
        )));
    }
    let key = jsonwebtoken::DecodingKey::from_secret(&secret);
    codec::decode(
        cfg,
        token,
        DecodeOptions {
            key: Some(&key),
            ..opts
        },
    )
}

/// The access (or refresh) cookie, and on CSRF-protected methods the
/// double-submit value from the header or, when enabled, the form field.
fn from_cookies<'a>(
    req: &'a Request<'_>,
    cfg: &'a JwtConfig,
    refresh: bool,
    body: Option<&'a RequestBody>,
) -> Result<Lookup<'a>, JwtError> {
    let names = cfg.cookie_names(refresh);
    let token = req
        .cookies()
        .get(names.cookie)
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
        .get_one(names.csrf_header)
        .filter(|v| !v.is_empty());
    if csrf.is_none() && cfg.csrf_check_form {
        let Some(body) = body else {
            return Ok(Lookup::NeedsBody);
        };
        csrf = body.form_field(names.csrf_field).filter(|v| !v.is_empty());
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
    refresh: bool,
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
    let key = if refresh {
        &cfg.refresh_json_key
    } else {
        &cfg.json_key
    };
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

pub(crate) fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
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
