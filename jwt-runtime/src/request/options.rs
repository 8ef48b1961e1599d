//! The options of one verification (`#[jwt_required(...)]`'s arguments), and
//! the locations they make the search read.

use crate::config::JwtConfig;
use crate::token::{Location, TokenType};

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
const CHECKED: u32 = 1 << 6;
const USES_USER: u32 = 1 << 7;
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

    /// Checks (`check = ..`, `#[admin_required]`) run after this guard:
    /// `OPTIONS` requests then need a token like any other, since a check
    /// never passes without one. `#[jwt_required]` sets it.
    #[doc(hidden)]
    pub const fn with_checks(self) -> Self {
        VerifyOptions(self.0 | CHECKED)
    }

    /// The handler calls `current_user()`: a `#[user_lookup]` loader must be
    /// registered (checked at launch).
    #[doc(hidden)]
    pub const fn uses_current_user(self) -> Self {
        VerifyOptions(self.0 | USES_USER)
    }

    /// Whether the handler calls `current_user()`.
    pub const fn needs_user_lookup(self) -> bool {
        self.0 & USES_USER != 0
    }

    /// Whether `OPTIONS` requests pass without a token (no check follows).
    pub const fn options_pass(self) -> bool {
        self.0 & CHECKED == 0
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

    /// The type of token the route asks for (its cookie and JSON names).
    pub(crate) const fn token_type(self) -> TokenType {
        TokenType::refresh_if(self.is_refresh())
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
    pub(crate) fn search_key(self) -> u32 {
        self.0 & !(OPTIONAL | FRESH | NO_VERIFY_TYPE | SKIP_REVOCATION | BODY | CHECKED | USES_USER)
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
/// The rule per location is the shared vocabulary's ([`Location::reads_body`],
/// [`Location::may_read_body`]); this adds what the configuration decides.
pub(crate) fn needs_body(cfg: &JwtConfig, locations: &[Location]) -> Option<&'static str> {
    let csrf_form = cfg.csrf_protect && cfg.csrf_check_form;
    if locations.iter().any(|l| l.reads_body()) {
        Some("the \"json\" token location reads the request body")
    } else if csrf_form && locations.iter().any(|l| l.may_read_body()) {
        Some("`jwt_csrf_check_form` reads the CSRF token from the request body")
    } else {
        None
    }
}
