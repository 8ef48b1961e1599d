//! Errors. Every `Display` is the exact message flask-jwt-extended (or PyJWT
//! underneath it) writes, so default responses match it to the letter.

use std::fmt;
use std::sync::Arc;

use rocket::http::Status;

use crate::claims::VerifiedJwt;

/// Why a token could not be decoded or its claims did not validate.
///
/// Messages follow PyJWT 2.x where it has one; a few cases PyJWT accepts and we
/// refuse (four segments, padded base64, a `crit` header, float times) carry a
/// message of our own in the same style.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// Fewer than three dot-separated segments.
    NotEnoughSegments,
    /// More than three dot-separated segments.
    TooManySegments,
    /// The token is longer than `jwt_max_token_size`.
    TooLarge(usize),
    /// A segment is not canonical unpadded base64url (`name` = header, payload, crypto).
    Padding(&'static str),
    /// The header is not valid JSON (or repeats a member).
    HeaderString(String),
    /// The header is JSON but not an object.
    HeaderNotObject,
    /// The payload is not valid JSON (or repeats a claim).
    PayloadString(String),
    /// The payload is JSON but not an object.
    PayloadNotObject,
    /// The header has no `alg`.
    AlgorithmNotSpecified,
    /// The header's `alg` is not in the configured allow-list.
    AlgorithmNotAllowed,
    /// The header's `kid` is not a string.
    KidNotString,
    /// The header's `crit` is malformed or names an extension we do not support.
    Crit(String),
    /// The signature does not match.
    Signature,
    /// `exp` is not an integer.
    ExpNotInteger,
    /// `nbf` is not an integer.
    NbfNotInteger,
    /// `iat` is not an integer.
    IatNotInteger,
    /// `nbf` is in the future.
    ImmatureNbf,
    /// `iat` is in the future.
    ImmatureIat,
    /// A registered claim required by the configuration is absent (`aud`, `iss`).
    MissingRequiredClaim(&'static str),
    /// A claim flask-jwt-extended requires is absent (`sub`/identity claim, `csrf`).
    MissingClaim(String),
    /// `aud` does not contain the configured audience.
    AudienceMismatch,
    /// `aud` is neither a string nor a list of strings.
    AudienceFormat,
    /// `iss` differs from the configured issuer.
    InvalidIssuer,
    /// `iss` is not a string.
    IssuerNotString,
    /// `sub` is not a string.
    SubjectNotString,
    /// `jti` is not a string.
    JtiNotString,
    /// The token found is not a string (e.g. a number in the JSON body).
    NotAString,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use DecodeError::*;
        match self {
            NotEnoughSegments => f.write_str("Not enough segments"),
            TooManySegments => f.write_str("Too many segments"),
            TooLarge(max) => write!(f, "Token is larger than {max} bytes"),
            Padding(name) => write!(f, "Invalid {name} padding"),
            HeaderString(e) => write!(f, "Invalid header string: {e}"),
            HeaderNotObject => f.write_str("Invalid header string: must be a json object"),
            PayloadString(e) => write!(f, "Invalid payload string: {e}"),
            PayloadNotObject => f.write_str("Invalid payload string: must be a json object"),
            AlgorithmNotSpecified => f.write_str("Algorithm not specified"),
            AlgorithmNotAllowed => f.write_str("The specified alg value is not allowed"),
            KidNotString => f.write_str("Key ID header parameter must be a string"),
            Crit(m) => f.write_str(m),
            Signature => f.write_str("Signature verification failed"),
            ExpNotInteger => f.write_str("Expiration Time claim (exp) must be an integer."),
            NbfNotInteger => f.write_str("Not Before claim (nbf) must be an integer."),
            IatNotInteger => f.write_str("Issued At claim (iat) must be an integer."),
            ImmatureNbf => f.write_str("The token is not yet valid (nbf)"),
            ImmatureIat => f.write_str("The token is not yet valid (iat)"),
            MissingRequiredClaim(c) => write!(f, "Token is missing the \"{c}\" claim"),
            MissingClaim(c) => write!(f, "Missing claim: {c}"),
            AudienceMismatch => f.write_str("Audience doesn't match"),
            AudienceFormat => f.write_str("Invalid claim format in token"),
            InvalidIssuer => f.write_str("Invalid issuer"),
            IssuerNotString => f.write_str("Payload Issuer (iss) must be a string"),
            SubjectNotString => f.write_str("Subject must be a string"),
            JtiNotString => f.write_str("JWT ID must be a string"),
            NotAString => f.write_str("Invalid token type. Token must be a <class 'bytes'>"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// Which flask-jwt-extended callback answers an error; each has its own
/// default status and can be overridden as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `unauthorized_loader`: no token found, CSRF failures (401).
    Unauthorized,
    /// `invalid_token_loader`: decode and validation failures, wrong type, bad header (422).
    InvalidToken,
    /// `expired_token_loader` (401).
    Expired,
    /// `needs_fresh_token_loader` (401).
    NeedsFresh,
    /// `revoked_token_loader` (401).
    Revoked,
    /// `token_verification_failed_loader` (400).
    VerificationFailed,
    /// `user_lookup_error_loader` (401).
    UserLookup,
    /// The revocation store failed or did not answer in time (503).
    StoreUnavailable,
    /// The application is misconfigured (500); never produced by client input.
    Configuration,
}

impl ErrorKind {
    /// Every kind.
    pub const ALL: [ErrorKind; 9] = [
        ErrorKind::Unauthorized,
        ErrorKind::InvalidToken,
        ErrorKind::Expired,
        ErrorKind::NeedsFresh,
        ErrorKind::Revoked,
        ErrorKind::VerificationFailed,
        ErrorKind::UserLookup,
        ErrorKind::StoreUnavailable,
        ErrorKind::Configuration,
    ];

    /// The attribute that registers a handler for this kind.
    pub fn attribute(self) -> &'static str {
        match self {
            ErrorKind::Unauthorized => "#[unauthorized]",
            ErrorKind::InvalidToken => "#[invalid_token]",
            ErrorKind::Expired => "#[expired_token]",
            ErrorKind::NeedsFresh => "#[needs_fresh_token]",
            ErrorKind::Revoked => "#[revoked_token]",
            ErrorKind::VerificationFailed => "#[token_verification_failed]",
            ErrorKind::UserLookup => "#[user_lookup_error]",
            ErrorKind::StoreUnavailable => "#[store_unavailable]",
            ErrorKind::Configuration => "(no attribute: configuration errors)",
        }
    }

    /// The status flask-jwt-extended's default callback answers with.
    pub fn default_status(self) -> Status {
        match self {
            ErrorKind::Unauthorized
            | ErrorKind::Expired
            | ErrorKind::NeedsFresh
            | ErrorKind::Revoked
            | ErrorKind::UserLookup => Status::Unauthorized,
            ErrorKind::InvalidToken => Status::UnprocessableEntity,
            ErrorKind::VerificationFailed => Status::BadRequest,
            ErrorKind::StoreUnavailable => Status::ServiceUnavailable,
            ErrorKind::Configuration => Status::InternalServerError,
        }
    }
}

/// A request could not be authenticated. `Display` is the message of the
/// default `{"msg": …}` body.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum JwtError {
    /// No token in the searched locations (the message names what was missing).
    NoAuthorization(String),
    /// Double-submit CSRF failure.
    Csrf(String),
    /// The header carrying the token is malformed.
    InvalidHeader(String),
    /// The query-string value lacks the configured prefix.
    InvalidQueryParam(String),
    /// The token itself is malformed or fails validation.
    Decode(DecodeError),
    /// The token has expired; carries the token decoded without the expiry check.
    Expired(Option<Arc<VerifiedJwt>>),
    /// A refresh token on an access route (`refresh_required == false`) or the reverse.
    WrongTokenType {
        /// Whether the route wanted a refresh token.
        refresh_required: bool,
    },
    /// The route requires a fresh token.
    FreshTokenRequired(Arc<VerifiedJwt>),
    /// The token is in the blocklist.
    Revoked(Arc<VerifiedJwt>),
    /// The token-verification loader refused the claims.
    VerificationFailed(Arc<VerifiedJwt>),
    /// The user-lookup loader found no user for the identity.
    UserLookup(Arc<VerifiedJwt>),
    /// The revocation store failed or did not answer in time (the reason is
    /// logged; the request fails closed).
    StoreUnavailable(String),
    /// The application is misconfigured (e.g. the manager is not attached).
    Configuration(String),
}

impl JwtError {
    /// The callback family this error belongs to.
    pub fn kind(&self) -> ErrorKind {
        match self {
            JwtError::NoAuthorization(_) | JwtError::Csrf(_) => ErrorKind::Unauthorized,
            JwtError::InvalidHeader(_)
            | JwtError::InvalidQueryParam(_)
            | JwtError::Decode(_)
            | JwtError::WrongTokenType { .. } => ErrorKind::InvalidToken,
            JwtError::Expired(_) => ErrorKind::Expired,
            JwtError::FreshTokenRequired(_) => ErrorKind::NeedsFresh,
            JwtError::Revoked(_) => ErrorKind::Revoked,
            JwtError::VerificationFailed(_) => ErrorKind::VerificationFailed,
            JwtError::UserLookup(_) => ErrorKind::UserLookup,
            JwtError::StoreUnavailable(_) => ErrorKind::StoreUnavailable,
            JwtError::Configuration(_) => ErrorKind::Configuration,
        }
    }

    /// The status of flask-jwt-extended's default response.
    pub fn status(&self) -> Status {
        self.kind().default_status()
    }

    /// The token the error is about, when it got far enough to be decoded.
    pub fn token(&self) -> Option<&Arc<VerifiedJwt>> {
        match self {
            JwtError::Expired(t) => t.as_ref(),
            JwtError::FreshTokenRequired(t)
            | JwtError::Revoked(t)
            | JwtError::VerificationFailed(t)
            | JwtError::UserLookup(t) => Some(t),
            _ => None,
        }
    }
}

impl fmt::Display for JwtError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JwtError::NoAuthorization(m)
            | JwtError::Csrf(m)
            | JwtError::InvalidHeader(m)
            | JwtError::InvalidQueryParam(m)
            | JwtError::Configuration(m) => f.write_str(m),
            JwtError::Decode(e) => e.fmt(f),
            JwtError::Expired(_) => f.write_str("Token has expired"),
            JwtError::WrongTokenType {
                refresh_required: true,
            } => f.write_str("Only refresh tokens are allowed"),
            JwtError::WrongTokenType {
                refresh_required: false,
            } => f.write_str("Only non-refresh tokens are allowed"),
            JwtError::FreshTokenRequired(_) => f.write_str("Fresh token required"),
            JwtError::Revoked(_) => f.write_str("Token has been revoked"),
            JwtError::VerificationFailed(_) => f.write_str("User claims verification failed"),
            JwtError::UserLookup(t) => write!(f, "Error loading the user {}", t.identity()),
            JwtError::StoreUnavailable(_) => f.write_str("Revocation store unavailable"),
        }
    }
}

impl std::error::Error for JwtError {}

/// Creating a token failed (a server-side error, 500), so that handlers that
/// create tokens and set cookies can return one error type.
impl From<EncodeError> for JwtError {
    fn from(e: EncodeError) -> Self {
        JwtError::Configuration(e.to_string())
    }
}

impl From<DecodeError> for JwtError {
    fn from(e: DecodeError) -> Self {
        JwtError::Decode(e)
    }
}

/// Creating a token failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EncodeError {
    /// `alg` was given as an additional header; the algorithm is fixed by configuration.
    AlgHeader,
    /// Additional claims or headers were not a JSON object.
    NotAnObject(&'static str),
    /// A loader failed (its message says which and why).
    Loader(String),
    /// The crypto backend refused to sign.
    Crypto(String),
    /// Claims could not be serialized.
    Serialize(String),
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodeError::AlgHeader => f.write_str(
                "`alg` cannot be set through additional headers: the algorithm is fixed by `jwt_algorithm`",
            ),
            EncodeError::NotAnObject(what) => write!(f, "{what} must be a JSON object"),
            EncodeError::Loader(m) => f.write_str(m),
            EncodeError::Crypto(m) => write!(f, "signing failed: {m}"),
            EncodeError::Serialize(m) => write!(f, "claims could not be serialized: {m}"),
        }
    }
}

impl std::error::Error for EncodeError {}

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

/// A handler can return `Result<_, EncodeError>`: a failure answers 500 with
/// `{"msg": …}` (creating a token only fails on a programming error).
impl<'r> rocket::response::Responder<'r, 'static> for EncodeError {
    fn respond_to(self, _: &'r rocket::Request<'_>) -> rocket::response::Result<'static> {
        let body = crate::respond::json_body("msg", &self.to_string());
        rocket::Response::build()
            .status(Status::InternalServerError)
            .header(rocket::http::ContentType::JSON)
            .sized_body(body.len(), std::io::Cursor::new(body))
            .ok()
    }
}

/// A handler can return `Result<_, JwtError>` (e.g. from the cookie helpers):
/// the error answers as a failing guard would, with flask-jwt-extended's
/// status and `{"<jwt_error_message_key>": …}`.
impl<'r> rocket::response::Responder<'r, 'static> for JwtError {
    fn respond_to(self, req: &'r rocket::Request<'_>) -> rocket::response::Result<'static> {
        let key = req
            .rocket()
            .state::<crate::manager::JwtState>()
            .map(|s| s.config().error_msg_key.as_str())
            .unwrap_or("msg");
        let body = crate::respond::json_body(key, &self.to_string());
        rocket::Response::build()
            .status(self.status())
            .header(rocket::http::ContentType::JSON)
            .sized_body(body.len(), std::io::Cursor::new(body))
            .ok()
    }
}
