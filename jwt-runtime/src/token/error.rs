//! Token errors: why a token could not be decoded, created, or was refused
//! by the codec. Every `Display` is the exact message PyJWT (under
//! flask-jwt-extended) writes, so default responses match it to the letter.

use std::fmt;

use super::claims::VerifiedJwt;

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
    /// The header's `kid` names no key of the key set.
    UnknownKid,
    /// No key verifies the token's `alg`.
    NoKey,
    /// The token has no `kid` and several keys verify its `alg`.
    KidRequired,
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
    /// The claims do not fit the application's type (`JwtClaims<T>`).
    ClaimsShape(String),
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
            UnknownKid => f.write_str("Unable to find a signing key that matches the token's kid"),
            NoKey => f.write_str("Unable to find a signing key for the token's alg"),
            KidRequired => f.write_str("The token has no kid and several keys could verify it"),
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
            ClaimsShape(e) => write!(f, "Invalid claims: {e}"),
        }
    }
}

impl std::error::Error for DecodeError {}

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
    /// No signing key is configured (a server that only verifies tokens).
    NoSigningKey,
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
            EncodeError::NoSigningKey => f.write_str(
                "no signing key is configured: set jwt_private_key (or jwt_private_key_file, \
                 or a signing entry of jwt_keys) to create tokens",
            ),
        }
    }
}

impl std::error::Error for EncodeError {}

/// What the codec refuses a token for.
#[derive(Debug, Clone)]
pub enum TokenError {
    /// The token is malformed or a claim does not validate.
    Invalid(DecodeError),
    /// The token verified but has expired; it is carried decoded, so that a
    /// later check (CSRF) can still report its own error first, as flask does.
    Expired(Box<VerifiedJwt>),
}

impl From<DecodeError> for TokenError {
    fn from(e: DecodeError) -> Self {
        TokenError::Invalid(e)
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenError::Invalid(e) => e.fmt(f),
            TokenError::Expired(_) => f.write_str("Token has expired"),
        }
    }
}

impl std::error::Error for TokenError {}
