//! Why a request was refused: [`JwtError`], and the one table that ties each
//! [`ErrorKind`] to its handler attribute, its default status and its
//! flask-jwt-extended callback. Every `Display` is the exact message
//! flask-jwt-extended (or PyJWT underneath it) writes, so default responses
//! match it to the letter. Rendering lives in `response`; a handler that
//! returns one is answered through `request::refusal`.

use std::fmt;
use std::sync::Arc;

use rocket::http::Status;

use crate::token::{DecodeError, EncodeError, TokenError, VerifiedJwt};

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

/// The one table of error handler attributes: each kind with a handler and
/// the name of its attribute.
macro_rules! handler_attributes {
    ($($variant:ident => $attr:literal,)*) => {
        impl ErrorKind {
            /// The name of the attribute that registers a handler for this
            /// kind (`expired_token` for `#[expired_token]`); `None` for
            /// configuration errors, which have no handler.
            pub const fn attribute_name(self) -> Option<&'static str> {
                match self {
                    $(ErrorKind::$variant => Some($attr),)*
                    ErrorKind::Configuration => None,
                }
            }

            /// The attribute that registers a handler for this kind, for messages.
            pub fn attribute(self) -> &'static str {
                match self {
                    $(ErrorKind::$variant => concat!("#[", $attr, "]"),)*
                    ErrorKind::Configuration => "(no attribute: configuration errors)",
                }
            }
        }
    };
}

handler_attributes! {
    Unauthorized => "unauthorized",
    InvalidToken => "invalid_token",
    Expired => "expired_token",
    NeedsFresh => "needs_fresh_token",
    Revoked => "revoked_token",
    VerificationFailed => "token_verification_failed",
    UserLookup => "user_lookup_error",
    StoreUnavailable => "store_unavailable",
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

    /// The kind whose handler attribute is called `name`; what the error
    /// handler attributes expand to, so that the mapping lives only here.
    /// Evaluated in a constant: an attribute without a kind does not compile.
    pub const fn for_attribute(name: &str) -> ErrorKind {
        let mut i = 0;
        while i < ErrorKind::ALL.len() {
            if let Some(attr) = ErrorKind::ALL[i].attribute_name() {
                if const_str_eq(attr, name) {
                    return ErrorKind::ALL[i];
                }
            }
            i += 1;
        }
        panic!("no JWT error kind has a handler attribute of this name")
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
    /// The key server is down and no key fetched from it may be used (the
    /// reason is logged; the request fails closed). Answered like a store
    /// that is down: 503, through `#[store_unavailable]`.
    KeysUnavailable(String),
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
            JwtError::StoreUnavailable(_) | JwtError::KeysUnavailable(_) => {
                ErrorKind::StoreUnavailable
            }
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
            JwtError::KeysUnavailable(_) => f.write_str("Verification keys unavailable"),
        }
    }
}

impl std::error::Error for JwtError {}

const fn const_str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

impl From<TokenError> for JwtError {
    fn from(e: TokenError) -> Self {
        match e {
            TokenError::Invalid(e) => JwtError::Decode(e),
            TokenError::Expired(token) => JwtError::Expired(Some(Arc::new(*token))),
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_handled_kind_has_one_attribute() {
        for kind in ErrorKind::ALL {
            match kind.attribute_name() {
                Some(name) => {
                    assert_eq!(ErrorKind::for_attribute(name), kind);
                    assert_eq!(kind.attribute(), format!("#[{name}]"));
                }
                None => assert_eq!(kind, ErrorKind::Configuration),
            }
        }
    }
}
