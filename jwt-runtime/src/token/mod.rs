//! The token core: everything about a JWT that does not need a web framework.
//!
//! Locations, claims, the verification policy, keys and the codec live here,
//! with no Rocket import, so they can be unit-tested and fuzzed on their own
//! (see the `tests` modules beside each file). The codec returns token errors
//! only; what a failure means for a request is decided above this layer.

mod claims;
mod codec;
mod error;
mod keys;
mod policy;
mod time;

#[cfg(test)]
mod codec_tests;
#[cfg(test)]
mod fuzz;

pub use claims::{
    truthy, Claims, JwtHeader, TokenType, VerifiedJwt, REFRESH_EXP_CLAIM, REFRESH_JTI_CLAIM,
    SESSION_CLAIM,
};
pub use codec::{decode, encode, unverified_header, unverified_parts, DecodeOptions};
pub use error::{DecodeError, EncodeError, TokenError};
pub use keys::{alg_name, check_hmac_secret, hmac_min_len, new_session_id, random_secret, Keys};
pub use policy::Policy;
pub use rocket_jwt_extended_spec::Location;
pub use time::{now_f64, now_secs};
