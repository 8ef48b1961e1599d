//! HMAC verification with the key already mixed in: the inner and outer
//! pads are hashed once when the key is configured, and each token clones
//! that state instead of hashing the secret again (two compressions and an
//! allocation per request with `jsonwebtoken::crypto::verify`).

use hmac::{Hmac, Mac};
use jsonwebtoken::Algorithm;
use sha2::{Sha256, Sha384, Sha512};

/// One shared secret, pre-keyed for each HS algorithm.
#[derive(Clone)]
pub struct HmacKey {
    s256: Hmac<Sha256>,
    s384: Hmac<Sha384>,
    s512: Hmac<Sha512>,
}

impl HmacKey {
    /// The pre-keyed states for `secret` (any length is accepted by HMAC; the
    /// configuration checks the length beforehand).
    pub fn new(secret: &[u8]) -> Option<HmacKey> {
        Some(HmacKey {
            s256: Hmac::new_from_slice(secret).ok()?,
            s384: Hmac::new_from_slice(secret).ok()?,
            s512: Hmac::new_from_slice(secret).ok()?,
        })
    }

    /// Whether `signature` is the MAC of `input` under `alg` (compared in
    /// constant time); `None` when `alg` is not an HS algorithm.
    pub fn verify(&self, alg: Algorithm, input: &[u8], signature: &[u8]) -> Option<bool> {
        fn check<M: Mac + Clone>(state: &M, input: &[u8], signature: &[u8]) -> bool {
            let mut mac = state.clone();
            mac.update(input);
            mac.verify_slice(signature).is_ok()
        }
        match alg {
            Algorithm::HS256 => Some(check(&self.s256, input, signature)),
            Algorithm::HS384 => Some(check(&self.s384, input, signature)),
            Algorithm::HS512 => Some(check(&self.s512, input, signature)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_jsonwebtoken_for_every_hs_algorithm() {
        let secret = b"a-test-secret-that-is-long-enough-for-hs512-keys-0123456789abcdef";
        let key = HmacKey::new(secret).unwrap();
        for alg in [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512] {
            let input = b"header.payload";
            let encoded = jsonwebtoken::crypto::sign(
                input,
                &jsonwebtoken::EncodingKey::from_secret(secret),
                alg,
            )
            .unwrap();
            use base64::Engine;
            let sig = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(encoded)
                .unwrap();
            assert_eq!(key.verify(alg, input, &sig), Some(true));
            let mut wrong = sig.clone();
            wrong[0] ^= 1;
            assert_eq!(key.verify(alg, input, &wrong), Some(false));
            assert_eq!(key.verify(alg, b"header.payloaD", &sig), Some(false));
            assert_eq!(key.verify(alg, input, &sig[..sig.len() - 1]), Some(false));
        }
        assert_eq!(key.verify(Algorithm::RS256, b"x", b"y"), None);
    }
}
