//! What a token must satisfy to verify, carved out of the configuration:
//! the codec reads this and nothing else of it.

use jsonwebtoken::Algorithm;

/// The verification policy (flask-jwt-extended's `JWT_DECODE_*`,
/// `JWT_IDENTITY_CLAIM`, `JWT_VERIFY_SUB` and our size cap).
#[derive(Debug, Clone)]
pub struct Policy {
    /// Algorithms a token may be signed with (`jwt_algorithm` plus
    /// `jwt_decode_algorithms`); the token's `alg` only selects among them.
    pub algorithms: Vec<Algorithm>,
    /// Clock skew allowed for `exp`, `nbf` and `iat`, in seconds.
    pub leeway: u64,
    /// Accepted issuers; `None`: `iss` is not checked.
    pub issuers: Option<Vec<String>>,
    /// Accepted audiences; `None`: `aud` is not checked.
    pub audiences: Option<Vec<String>>,
    /// Refuse a `sub` that is not a string.
    pub verify_sub: bool,
    /// The claim holding the identity (`sub`).
    pub identity_claim: String,
    /// Tokens longer than this are refused before any decoding.
    pub max_token_size: usize,
}

impl Policy {
    /// A policy accepting `algorithms` with flask-jwt-extended's defaults.
    pub fn new(algorithms: Vec<Algorithm>) -> Policy {
        Policy {
            algorithms,
            leeway: 0,
            issuers: None,
            audiences: None,
            verify_sub: true,
            identity_claim: "sub".into(),
            max_token_size: 8192,
        }
    }

    /// The leeway as a signed number of seconds, for time arithmetic.
    pub(crate) fn leeway_secs(&self) -> i64 {
        i64::try_from(self.leeway).unwrap_or(i64::MAX)
    }
}
