//! Signing and verification keys, built once at ignite, and the one rule for
//! HMAC secret lengths (RFC 7518 §3.2) that the configuration and the key
//! loaders (`#[encode_key]`, `#[decode_key]`) all apply.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};

/// The configured algorithm and its keys.
#[derive(Clone)]
pub struct Keys {
    /// The algorithm new tokens are signed with.
    pub algorithm: Algorithm,
    /// Its JOSE name, written into the `alg` header.
    pub algorithm_name: String,
    /// The signing key.
    pub encoding: EncodingKey,
    /// The verification key.
    pub decoding: DecodingKey,
}

impl Keys {
    /// HMAC keys from one shared secret.
    pub fn hmac(algorithm: Algorithm, secret: &[u8]) -> Keys {
        Keys {
            algorithm,
            algorithm_name: alg_name(algorithm),
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }
}

/// A secret from the operating system's random source, long enough for every
/// HMAC algorithm (128 hex digits, 488 random bits).
pub fn random_secret() -> String {
    (0..4)
        .map(|_| uuid::Uuid::new_v4().simple().to_string())
        .collect()
}

/// A new session id (random, 128 bits).
pub fn new_session_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// The JOSE name of an algorithm (`HS256`, …), as jsonwebtoken serializes it.
pub fn alg_name(alg: Algorithm) -> String {
    match serde_json::to_value(alg) {
        Ok(serde_json::Value::String(name)) => name,
        _ => format!("{alg:?}"),
    }
}

/// Minimum HMAC secret length for an HS algorithm (RFC 7518 §3.2), `None` otherwise.
pub fn hmac_min_len(alg: Algorithm) -> Option<usize> {
    match alg {
        Algorithm::HS256 => Some(32),
        Algorithm::HS384 => Some(48),
        Algorithm::HS512 => Some(64),
        _ => None,
    }
}

/// Refuses a secret shorter than `alg` needs: the message says how long it
/// is and what is needed. An empty or short key would let anyone forge tokens.
pub fn check_hmac_secret(alg: Algorithm, len: usize) -> Result<(), String> {
    let min = hmac_min_len(alg).unwrap_or(0);
    if len < min {
        return Err(format!(
            "the secret is {len} bytes; {} needs at least {min} bytes (RFC 7518 §3.2)",
            alg_name(alg)
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_lengths_follow_rfc_7518() {
        for (alg, min) in [
            (Algorithm::HS256, 32),
            (Algorithm::HS384, 48),
            (Algorithm::HS512, 64),
        ] {
            assert!(check_hmac_secret(alg, min).is_ok());
            let e = check_hmac_secret(alg, min - 1).unwrap_err();
            assert!(e.contains(&format!("needs at least {min} bytes")), "{e}");
            assert!(e.contains(&alg_name(alg)), "{e}");
        }
    }

    #[test]
    fn random_secrets_are_long_enough_and_differ() {
        let (a, b) = (random_secret(), random_secret());
        assert_ne!(a, b);
        assert!(check_hmac_secret(Algorithm::HS512, a.len()).is_ok());
    }

    #[test]
    fn alg_names_are_jose_names() {
        assert_eq!(alg_name(Algorithm::HS384), "HS384");
        assert_eq!(
            Keys::hmac(Algorithm::HS512, &[7; 64]).algorithm_name,
            "HS512"
        );
    }
}
