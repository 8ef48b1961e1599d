//! Fresh key pairs from the operating system's random source (with the
//! `rust_crypto` backend): the ephemeral keys of an app that has none
//! configured, and the keys tests generate.

use jsonwebtoken::Algorithm;
use rand_core::OsRng;

use super::keys::{alg_name, Family, MIN_RSA_BITS};

/// A private key and its public key, both PEM (PKCS#8 and SubjectPublicKeyInfo).
#[derive(Clone)]
pub struct KeyPair {
    /// The private key, PKCS#8 PEM.
    pub private_pem: String,
    /// The public key, SubjectPublicKeyInfo PEM.
    pub public_pem: String,
}

impl std::fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyPair")
            .field("public_pem", &self.public_pem)
            .finish_non_exhaustive()
    }
}

/// A new key pair for `alg`: RSA of 2048 bits, P-256, P-384 or Ed25519.
pub fn generate_key_pair(alg: Algorithm) -> Result<KeyPair, String> {
    generate(alg, MIN_RSA_BITS)
}

/// A new RSA key pair of `bits` bits (for tests of the size rule).
pub fn generate_rsa_key_pair(bits: usize) -> Result<KeyPair, String> {
    generate(Algorithm::RS256, bits)
}

fn generate(alg: Algorithm, bits: usize) -> Result<KeyPair, String> {
    use p256::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
    let err = |e: &dyn std::fmt::Display| format!("cannot generate a {} key: {e}", alg_name(alg));
    let lf = LineEnding::LF;
    let (private, public) = match (Family::of(alg), alg) {
        (Family::Rsa, _) => {
            let key = rsa::RsaPrivateKey::new(&mut OsRng, bits).map_err(|e| err(&e))?;
            (
                key.to_pkcs8_pem(lf).map_err(|e| err(&e))?.to_string(),
                key.to_public_key()
                    .to_public_key_pem(lf)
                    .map_err(|e| err(&e))?,
            )
        }
        (Family::Ec, Algorithm::ES256) => {
            let key = p256::SecretKey::random(&mut OsRng);
            (
                key.to_pkcs8_pem(lf).map_err(|e| err(&e))?.to_string(),
                key.public_key()
                    .to_public_key_pem(lf)
                    .map_err(|e| err(&e))?,
            )
        }
        (Family::Ec, _) => {
            let key = p384::SecretKey::random(&mut OsRng);
            (
                key.to_pkcs8_pem(lf).map_err(|e| err(&e))?.to_string(),
                key.public_key()
                    .to_public_key_pem(lf)
                    .map_err(|e| err(&e))?,
            )
        }
        (Family::Ed, _) => {
            let key = ed25519_dalek::SigningKey::generate(&mut OsRng);
            // PKCS#8 v1 (the private key alone), as OpenSSL writes it.
            let bytes = ed25519_dalek::pkcs8::KeypairBytes {
                secret_key: key.to_bytes(),
                public_key: None,
            };
            (
                bytes.to_pkcs8_pem(lf).map_err(|e| err(&e))?.to_string(),
                key.verifying_key()
                    .to_public_key_pem(lf)
                    .map_err(|e| err(&e))?,
            )
        }
        _ => return Err(format!("{} takes a secret, not a key pair", alg_name(alg))),
    };
    Ok(KeyPair {
        private_pem: private,
        public_pem: public,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::keys::{check_pair, private_pem, VerifyKey};

    #[test]
    fn generated_pairs_load_and_match() {
        for alg in [
            Algorithm::RS256,
            Algorithm::ES256,
            Algorithm::ES384,
            Algorithm::EdDSA,
        ] {
            let pair = generate_key_pair(alg).unwrap();
            let (signing, derived) = private_pem(alg, pair.private_pem.as_bytes()).unwrap();
            let public = VerifyKey::from_public_pem(None, alg, pair.public_pem.as_bytes()).unwrap();
            check_pair(alg, &signing, &public.key).unwrap();
            assert_eq!(derived.public_jwk, public.public_jwk, "{alg:?}");
            assert!(!format!("{pair:?}").contains("PRIVATE"));
        }
        assert!(generate_key_pair(Algorithm::HS256).is_err());
    }

    #[test]
    fn pkcs8_v2_ed25519_keys_load() {
        use ed25519_dalek::pkcs8::EncodePrivateKey;
        let key = ed25519_dalek::SigningKey::generate(&mut OsRng);
        // ed25519-dalek writes v2: the public key embedded.
        let v2 = key
            .to_pkcs8_pem(p256::pkcs8::LineEnding::LF)
            .unwrap()
            .to_string();
        let public = {
            use ed25519_dalek::pkcs8::EncodePublicKey;
            key.verifying_key()
                .to_public_key_pem(p256::pkcs8::LineEnding::LF)
                .unwrap()
        };
        let public = VerifyKey::from_public_pem(None, Algorithm::EdDSA, public.as_bytes()).unwrap();
        let (signing, derived) = private_pem(Algorithm::EdDSA, v2.as_bytes()).unwrap();
        check_pair(Algorithm::EdDSA, &signing, &public.key).unwrap();
        assert_eq!(derived.public_jwk, public.public_jwk);
    }

    #[test]
    fn sec1_ec_keys_load_as_openssl_writes_them() {
        use p256::elliptic_curve::pkcs8::LineEnding;
        let key = p256::SecretKey::random(&mut OsRng);
        let sec1 = key.to_sec1_pem(LineEnding::LF).unwrap().to_string();
        assert!(sec1.starts_with("-----BEGIN EC PRIVATE KEY-----"));
        // `openssl ecparam -genkey` writes the curve's parameters first.
        let with_params = format!(
            "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n{sec1}"
        );
        let public = {
            use p256::pkcs8::EncodePublicKey;
            key.public_key().to_public_key_pem(LineEnding::LF).unwrap()
        };
        let public = VerifyKey::from_public_pem(None, Algorithm::ES256, public.as_bytes()).unwrap();
        for pem in [&sec1, &with_params] {
            let (signing, derived) = private_pem(Algorithm::ES256, pem.as_bytes()).unwrap();
            check_pair(Algorithm::ES256, &signing, &public.key).unwrap();
            assert_eq!(derived.public_jwk, public.public_jwk);
        }
        let p384 = p384::SecretKey::random(&mut OsRng)
            .to_sec1_pem(LineEnding::LF)
            .unwrap()
            .to_string();
        let e = private_pem(Algorithm::ES256, p384.as_bytes())
            .err()
            .unwrap();
        assert!(e.contains("curve P-384"), "{e}");
        assert!(private_pem(Algorithm::ES384, p384.as_bytes()).is_ok());
        let e = private_pem(
            Algorithm::ES256,
            b"-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n",
        )
        .err()
        .unwrap();
        assert!(e.contains("not an EC private key"), "{e}");
    }
}
