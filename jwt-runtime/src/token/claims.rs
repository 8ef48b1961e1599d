//! Decoded tokens: header, claims, and where the token was found; the two
//! token types; the claims this crate adds; JSON truthiness as flask reads it.

use std::ops::Index;
use std::sync::LazyLock;

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use rocket_jwt_extended_spec::Location;

static NULL: Value = Value::Null;
static EMPTY: LazyLock<(Claims, JwtHeader)> = LazyLock::new(Default::default);

/// The claim of an access token created with `create_token_pair` that names
/// its refresh token: revoking either revokes both.
pub const REFRESH_JTI_CLAIM: &str = "refresh_jti";
/// The refresh token's `exp`, so that revoking the pair through the access
/// token keeps the refresh entry as long as the refresh token lives.
pub const REFRESH_EXP_CLAIM: &str = "refresh_exp";
/// The session a token belongs to (with `jwt_sessions`): every token issued
/// from one login carries the same value, so revoking the session refuses
/// them all, those issued after the revocation included.
pub const SESSION_CLAIM: &str = "sid";

/// Access or refresh: the `type` claim, and which cookies, CSRF names and
/// JSON key a token of that type uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenType {
    /// An access token (`"type": "access"`; any type but refresh counts as access).
    Access,
    /// A refresh token (`"type": "refresh"`).
    Refresh,
}

impl TokenType {
    /// The `type` claim's value.
    pub const fn as_str(self) -> &'static str {
        match self {
            TokenType::Access => "access",
            TokenType::Refresh => "refresh",
        }
    }

    /// `Refresh` when `refresh`, else `Access`.
    pub const fn refresh_if(refresh: bool) -> TokenType {
        if refresh {
            TokenType::Refresh
        } else {
            TokenType::Access
        }
    }

    /// Whether this is [`TokenType::Refresh`].
    pub const fn is_refresh(self) -> bool {
        matches!(self, TokenType::Refresh)
    }
}

/// Python's truthiness of a JSON value, as flask-jwt-extended tests claims
/// and body members: `null`, `false`, `0`, `""`, `[]` and `{}` are false.
pub fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// The claims of a verified token (flask's `get_jwt()` dict).
///
/// As in flask-jwt-extended, `type`, `fresh` and `jti` are always present after
/// decoding (`"access"`, `false` and `null` when the token lacks them).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Claims {
    map: Map<String, Value>,
}

impl Claims {
    pub(crate) fn from_map(map: Map<String, Value>) -> Self {
        Claims { map }
    }

    /// An empty claim set (what `get_jwt()` returns on an optional route without token).
    pub fn empty() -> Self {
        Claims::default()
    }

    /// A shared empty claim set.
    pub(crate) fn empty_ref() -> &'static Claims {
        &EMPTY.0
    }

    /// A claim by name.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.map.get(name)
    }

    /// A string claim by name.
    pub fn get_str(&self, name: &str) -> Option<&str> {
        self.map.get(name).and_then(Value::as_str)
    }

    /// Whether the claim set is empty.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// All claims.
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.map
    }

    /// All claims, owned.
    pub fn into_map(self) -> Map<String, Value> {
        self.map
    }

    /// The `jti` claim.
    pub fn jti(&self) -> Option<&str> {
        self.get_str("jti")
    }

    /// The `type` claim (`access` or `refresh`).
    pub fn token_type(&self) -> &str {
        self.get_str("type").unwrap_or("access")
    }

    /// Whether this is a refresh token (any other type counts as access).
    pub fn is_refresh(&self) -> bool {
        self.token_type() == TokenType::Refresh.as_str()
    }

    /// `exp` as Unix seconds, when present.
    pub fn exp(&self) -> Option<i64> {
        self.get("exp").and_then(Value::as_i64)
    }

    /// `iat` as Unix seconds, when present.
    pub fn iat(&self) -> Option<i64> {
        self.get("iat").and_then(Value::as_i64)
    }

    /// `nbf` as Unix seconds, when present.
    pub fn nbf(&self) -> Option<i64> {
        self.get("nbf").and_then(Value::as_i64)
    }

    /// The session the token belongs to (`sid`, with `jwt_sessions`).
    pub fn session(&self) -> Option<&str> {
        self.get_str(SESSION_CLAIM)
    }

    /// The `csrf` claim.
    pub fn csrf(&self) -> Option<&str> {
        self.get_str("csrf")
    }

    /// Whether the token is fresh at Unix time `now`: `fresh` is `true`, or a
    /// "fresh until" timestamp not yet passed.
    pub fn is_fresh_at(&self, now: f64) -> bool {
        match self.get("fresh") {
            Some(Value::Bool(b)) => *b,
            Some(Value::Number(n)) => n.as_f64().is_some_and(|until| until >= now),
            _ => false,
        }
    }
}

impl Index<&str> for Claims {
    type Output = Value;

    /// `claims["foo"]`, `Value::Null` when absent (like `serde_json::Value`).
    fn index(&self, name: &str) -> &Value {
        self.map.get(name).unwrap_or(&NULL)
    }
}

impl Serialize for Claims {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.map.serialize(s)
    }
}

/// The JOSE header of a token (flask's `get_jwt_header()` dict).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JwtHeader {
    map: Map<String, Value>,
}

impl JwtHeader {
    pub(crate) fn from_map(map: Map<String, Value>) -> Self {
        JwtHeader { map }
    }

    /// An empty header (optional route without token).
    pub fn empty() -> Self {
        JwtHeader::default()
    }

    /// A shared empty header.
    pub(crate) fn empty_ref() -> &'static JwtHeader {
        &EMPTY.1
    }

    /// A member by name.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.map.get(name)
    }

    /// `alg`.
    pub fn alg(&self) -> Option<&str> {
        self.map.get("alg").and_then(Value::as_str)
    }

    /// `typ`.
    pub fn typ(&self) -> Option<&str> {
        self.map.get("typ").and_then(Value::as_str)
    }

    /// `kid`.
    pub fn kid(&self) -> Option<&str> {
        self.map.get("kid").and_then(Value::as_str)
    }

    /// All members.
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.map
    }
}

impl Index<&str> for JwtHeader {
    type Output = Value;

    fn index(&self, name: &str) -> &Value {
        self.map.get(name).unwrap_or(&NULL)
    }
}

impl Serialize for JwtHeader {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.map.serialize(s)
    }
}

/// A token that passed verification: header, claims, identity, and where it came from.
///
/// Its `Debug` leaves the encoded token out, so that logs (Rocket logs a
/// failing guard's error) never hold a token someone could replay.
#[derive(Clone)]
pub struct VerifiedJwt {
    pub(crate) header: JwtHeader,
    pub(crate) claims: Claims,
    pub(crate) identity: String,
    pub(crate) location: Option<Location>,
    pub(crate) token: String,
}

impl std::fmt::Debug for VerifiedJwt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifiedJwt")
            .field("header", &self.header)
            .field("claims", &self.claims)
            .field("identity", &self.identity)
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

impl VerifiedJwt {
    /// The JOSE header.
    pub fn header(&self) -> &JwtHeader {
        &self.header
    }

    /// The claims.
    pub fn claims(&self) -> &Claims {
        &self.claims
    }

    /// The identity (value of `jwt_identity_claim`, `sub` by default).
    pub fn identity(&self) -> &str {
        &self.identity
    }

    /// Where the token was found (`None` for tokens decoded with `decode_token`).
    pub fn location(&self) -> Option<Location> {
        self.location
    }

    /// The encoded token as received.
    pub fn encoded(&self) -> &str {
        &self.token
    }
}
