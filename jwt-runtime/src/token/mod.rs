//! The token core: everything about a JWT that does not need a web framework.
//!
//! Locations, claims, the verification policy, keys and the codec live here,
//! with no Rocket import, so they can be unit-tested and fuzzed on their own
//! (see the `tests` modules beside each file). The codec returns token errors
//! only; what a failure means for a request is decided above this layer.

mod claims;
mod codec;
mod error;
#[cfg(feature = "rust_crypto")]
mod generate;
#[cfg(feature = "rust_crypto")]
mod hmac;
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
#[cfg(feature = "rust_crypto")]
pub use generate::{generate_key_pair, generate_rsa_key_pair, KeyPair};
pub use keys::{
    alg_name, check_hmac_secret, check_pair, loader_decoding_key, loader_encoding_key,
    looks_like_asymmetric_key, new_session_id, private_pem, random_secret, thumbprint, Family,
    KeyLookup, Keys, Signer, Verifier, VerifyKey, MIN_RSA_BITS, SUPPORTED_ALGORITHMS,
};
pub use policy::Policy;
pub use rocket_jwt_extended_spec::Location;
pub use time::{now_f64, now_secs};
