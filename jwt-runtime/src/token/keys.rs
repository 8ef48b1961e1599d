//! Signing and verification keys, built once at ignite: one HMAC secret, one
//! asymmetric key pair, or a key set with `kid`s; the checks every key passes
//! before it is used (HMAC secret lengths of RFC 7518 §3.2, RSA of at least
//! 2048 bits, the curve of the algorithm, a private key that matches its
//! public key); and the one rule that picks the key verifying a token.

use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, ThumbprintHash};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};
use serde_json::{Map, Value};

use super::error::DecodeError;

/// The family of an algorithm: which kind of key it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// HS256/384/512: a shared secret.
    Hmac,
    /// RS256/384/512 and PS256/384/512: an RSA key.
    Rsa,
    /// ES256 (P-256) and ES384 (P-384).
    Ec,
    /// EdDSA (Ed25519).
    Ed,
    /// An algorithm this crate does not sign or verify with.
    Unsupported,
}

impl Family {
    /// The family of `alg`.
    pub fn of(alg: Algorithm) -> Family {
        use Algorithm::*;
        match alg {
            HS256 | HS384 | HS512 => Family::Hmac,
            RS256 | RS384 | RS512 | PS256 | PS384 | PS512 => Family::Rsa,
            ES256 | ES384 => Family::Ec,
            EdDSA => Family::Ed,
            _ => Family::Unsupported,
        }
    }

    /// Every algorithm of the family, `alg` first (the one a published key
    /// names): what one key of it may verify. The verification policy's
    /// allow-list still decides which are accepted.
    pub fn algorithms(self, alg: Algorithm) -> Vec<Algorithm> {
        use Algorithm::*;
        let all = match self {
            Family::Hmac => vec![HS256, HS384, HS512],
            Family::Rsa => vec![RS256, RS384, RS512, PS256, PS384, PS512],
            // An EC key is on one curve: it verifies that curve's algorithm only.
            Family::Ec | Family::Ed | Family::Unsupported => vec![],
        };
        std::iter::once(alg)
            .chain(all.into_iter().filter(|a| *a != alg))
            .collect()
    }
}

/// Every algorithm we sign and verify with, by JOSE name.
pub const SUPPORTED_ALGORITHMS: &str =
    "HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, EdDSA";

/// The smallest RSA modulus accepted, in bits (RFC 7518 §3.3).
pub const MIN_RSA_BITS: usize = 2048;

/// The key new tokens are signed with.
#[derive(Clone)]
pub struct Signer {
    /// Written into the `kid` header of every token it signs.
    pub kid: Option<String>,
    /// The private key (or secret).
    pub key: EncodingKey,
}

/// One key that verifies tokens.
#[derive(Clone)]
pub struct VerifyKey {
    /// The key's id; a token naming it is verified with this key only.
    pub kid: Option<String>,
    /// The algorithms this key verifies.
    pub algorithms: Vec<Algorithm>,
    /// The verification key.
    pub key: DecodingKey,
    /// The public members of the key as a JWK (`kty`, `n`/`e`, `crv`/`x`/`y`),
    /// for publishing; `None` for HMAC secrets, which are never published.
    pub public_jwk: Option<Map<String, Value>>,
    /// An HMAC secret's pre-keyed states (verification without hashing the
    /// secret per token).
    #[cfg(feature = "rust_crypto")]
    pub(crate) prekeyed: Option<super::hmac::HmacKey>,
}

/// The configured algorithm and its keys.
#[derive(Clone)]
pub struct Keys {
    /// The algorithm new tokens are signed with.
    pub algorithm: Algorithm,
    /// Its JOSE name, written into the `alg` header.
    pub algorithm_name: String,
    /// The signing key; `None` on a server that only verifies.
    pub signer: Option<Signer>,
    /// Every key that verifies, the signer's among them.
    pub verify: Vec<VerifyKey>,
    /// Whether a token's `kid` picks the key (a key set, a JWKS). `false` for
    /// one configured key whose `kid` is only its thumbprint: a token's `kid`
    /// is then ignored, as flask-jwt-extended ignores it.
    pub kid_selects: bool,
}

/// Picks the key that verifies a token from its `kid` and `alg` (after the
/// algorithm allow-list has accepted `alg`).
pub trait KeyLookup {
    /// The key for a token whose header names `kid` and `alg`.
    fn select(&self, kid: Option<&str>, alg: Algorithm) -> Result<&DecodingKey, DecodeError>;

    /// The key for a token, with an HMAC secret's pre-keyed state when the
    /// key has one (configured keys do; a loader's key is keyed per token).
    #[doc(hidden)]
    fn select_verifier(
        &self,
        kid: Option<&str>,
        alg: Algorithm,
    ) -> Result<Verifier<'_>, DecodeError> {
        self.select(kid, alg).map(|key| Verifier {
            key,
            #[cfg(feature = "rust_crypto")]
            prekeyed: None,
        })
    }
}

/// A selected key, and its pre-keyed HMAC state when it has one.
#[doc(hidden)]
pub struct Verifier<'a> {
    /// The key.
    pub key: &'a DecodingKey,
    /// The pre-keyed HMAC state.
    #[cfg(feature = "rust_crypto")]
    pub(crate) prekeyed: Option<&'a super::hmac::HmacKey>,
}

impl Verifier<'_> {
    /// Whether `signature` (decoded; `encoded` is the token's segment) signs
    /// `input` under `alg`: with the pre-keyed HMAC state when there is one,
    /// else through `jsonwebtoken::crypto::verify`.
    pub(crate) fn verify(
        &self,
        alg: Algorithm,
        input: &[u8],
        signature: &[u8],
        encoded: &str,
    ) -> bool {
        #[cfg(feature = "rust_crypto")]
        if let Some(valid) = self.prekeyed.and_then(|k| k.verify(alg, input, signature)) {
            return valid;
        }
        #[cfg(not(feature = "rust_crypto"))]
        let _ = signature;
        jsonwebtoken::crypto::verify(encoded, input, self.key, alg).unwrap_or(false)
    }
}

/// A key a loader picked verifies whatever the allow-list accepts.
impl KeyLookup for DecodingKey {
    fn select(&self, _: Option<&str>, _: Algorithm) -> Result<&DecodingKey, DecodeError> {
        Ok(self)
    }
}

impl KeyLookup for Keys {
    /// A `kid` is looked up among the fixed keys only, and the key it names
    /// must be one for the token's `alg`. A token without `kid` (or with one
    /// where `kid`s do not select, as flask-jwt-extended ignores them) is
    /// verified with the key for its `alg` when there is exactly one.
    fn select(&self, kid: Option<&str>, alg: Algorithm) -> Result<&DecodingKey, DecodeError> {
        self.select_key(kid, alg).map(|k| &k.key)
    }

    fn select_verifier(
        &self,
        kid: Option<&str>,
        alg: Algorithm,
    ) -> Result<Verifier<'_>, DecodeError> {
        self.select_key(kid, alg).map(|k| Verifier {
            key: &k.key,
            #[cfg(feature = "rust_crypto")]
            prekeyed: k.prekeyed.as_ref(),
        })
    }
}

impl Keys {
    /// The one rule that picks a key by `kid` and `alg` (see [`KeyLookup`]).
    fn select_key(&self, kid: Option<&str>, alg: Algorithm) -> Result<&VerifyKey, DecodeError> {
        let named = self.kid_selects && self.verify.iter().any(|k| k.kid.is_some());
        if let (Some(kid), true) = (kid, named) {
            let key = self
                .verify
                .iter()
                .find(|k| k.kid.as_deref() == Some(kid))
                .ok_or(DecodeError::UnknownKid)?;
            if !key.algorithms.contains(&alg) {
                return Err(DecodeError::AlgorithmNotAllowed);
            }
            return Ok(key);
        }
        let mut candidates = self.verify.iter().filter(|k| k.algorithms.contains(&alg));
        match (candidates.next(), candidates.next()) {
            (Some(key), None) => Ok(key),
            (None, _) => Err(DecodeError::NoKey),
            (Some(_), Some(_)) => Err(DecodeError::KidRequired),
        }
    }
}

impl Keys {
    /// HMAC keys from one shared secret (which verifies every HS algorithm
    /// the policy allows, as in flask-jwt-extended).
    pub fn hmac(algorithm: Algorithm, secret: &[u8]) -> Keys {
        Keys {
            algorithm,
            algorithm_name: alg_name(algorithm),
            signer: Some(Signer {
                kid: None,
                key: EncodingKey::from_secret(secret),
            }),
            verify: vec![VerifyKey::hmac(None, secret)],
            kid_selects: false,
        }
    }

    /// Keys that only verify (a resource server): tokens are signed elsewhere.
    pub fn verify_only(algorithm: Algorithm, verify: Vec<VerifyKey>) -> Keys {
        Keys {
            algorithm,
            algorithm_name: alg_name(algorithm),
            signer: None,
            verify,
            kid_selects: true,
        }
    }

    /// The JWKS document (RFC 7517) of every public verification key with a
    /// `kid`: `kty`, `kid`, `alg` (the algorithm the key signs with), `use:
    /// "sig"` and the key's members. HMAC secrets are never in it.
    pub fn jwks(&self) -> Value {
        let keys: Vec<Value> = self
            .verify
            .iter()
            .filter_map(|k| {
                let mut jwk = k.public_jwk.clone()?;
                jwk.insert("kid".into(), k.kid.clone()?.into());
                if let Some(alg) = k.algorithms.first() {
                    jwk.insert("alg".into(), alg_name(*alg).into());
                }
                jwk.insert("use".into(), "sig".into());
                Some(Value::Object(jwk))
            })
            .collect();
        serde_json::json!({ "keys": keys })
    }
}

impl VerifyKey {
    /// A shared secret that verifies the HS algorithms.
    pub fn hmac(kid: Option<String>, secret: &[u8]) -> VerifyKey {
        VerifyKey {
            kid,
            algorithms: Family::Hmac.algorithms(Algorithm::HS256),
            key: DecodingKey::from_secret(secret),
            public_jwk: None,
            #[cfg(feature = "rust_crypto")]
            prekeyed: super::hmac::HmacKey::new(secret),
        }
    }

    /// A public key from its JWK members, checked for `alg`: RSA of at least
    /// 2048 bits, the curve of the algorithm. Secrets (`kty: "oct"`) are refused:
    /// a key set fetched or published holds public keys only.
    pub fn from_jwk(kid: Option<String>, alg: Algorithm, jwk: &Jwk) -> Result<VerifyKey, String> {
        check_public(alg, &jwk.algorithm)?;
        let key = DecodingKey::from_jwk(jwk).map_err(|e| format!("the key is unusable: {e}"))?;
        Ok(VerifyKey {
            kid,
            algorithms: vec![alg],
            key,
            public_jwk: Some(public_members(&jwk.algorithm)?),
            #[cfg(feature = "rust_crypto")]
            prekeyed: None,
        })
    }

    /// A public key in PEM for `alg` (SubjectPublicKeyInfo, or PKCS#1 for RSA).
    pub fn from_public_pem(
        kid: Option<String>,
        alg: Algorithm,
        pem: &[u8],
    ) -> Result<VerifyKey, String> {
        let family = Family::of(alg);
        let parsed = match family {
            Family::Rsa => DecodingKey::from_rsa_pem(pem),
            Family::Ec => DecodingKey::from_ec_pem(pem),
            Family::Ed => DecodingKey::from_ed_pem(pem),
            Family::Hmac => return Err("an HMAC algorithm takes a secret, not a key".into()),
            Family::Unsupported => return Err(format!("{} is not supported", alg_name(alg))),
        };
        let key = parsed.map_err(|_| not_a_key(alg, "public"))?;
        let jwk = Jwk::from_decoding_key(&key, Some(alg)).map_err(|_| not_a_key(alg, "public"))?;
        check_public(alg, &jwk.algorithm)?;
        let key = DecodingKey::from_jwk(&jwk).map_err(|_| not_a_key(alg, "public"))?;
        Ok(VerifyKey {
            kid,
            algorithms: family.algorithms(alg),
            key,
            public_jwk: Some(public_members(&jwk.algorithm)?),
            #[cfg(feature = "rust_crypto")]
            prekeyed: None,
        })
    }
}

/// A private key in PEM for `alg` (PKCS#8, or PKCS#1/SEC1), checked like a
/// public one, and its public half derived from it.
pub fn private_pem(alg: Algorithm, pem: &[u8]) -> Result<(EncodingKey, VerifyKey), String> {
    let family = Family::of(alg);
    let parsed = match family {
        Family::Rsa => EncodingKey::from_rsa_pem(pem),
        // OpenSSL's `ecparam -genkey` writes SEC1, perhaps after the curve's
        // parameters: read as the PKCS#8 the backends take.
        Family::Ec => match sec1_to_pkcs8(alg, pem) {
            Some(der) => Ok(EncodingKey::from_ec_der(&der)),
            None => EncodingKey::from_ec_pem(pem),
        },
        // PKCS#8 v2 (with the public key, as ed25519-dalek writes it) is read
        // as the v1 the backends take.
        Family::Ed => match pkcs8_v2_to_v1(pem) {
            Some(der) => Ok(EncodingKey::from_ed_der(&der)),
            None => EncodingKey::from_ed_pem(pem),
        },
        Family::Hmac => return Err("an HMAC algorithm takes a secret, not a key".into()),
        Family::Unsupported => return Err(format!("{} is not supported", alg_name(alg))),
    };
    let key = parsed.map_err(|_| not_a_key(alg, "private"))?;
    let jwk = Jwk::from_encoding_key(&key, alg).map_err(|_| wrong_curve_or_type(alg, &key))?;
    check_public(alg, &jwk.algorithm)?;
    let decoding = DecodingKey::from_jwk(&jwk).map_err(|_| not_a_key(alg, "private"))?;
    let verify = VerifyKey {
        kid: None,
        algorithms: family.algorithms(alg),
        key: decoding,
        public_jwk: Some(public_members(&jwk.algorithm)?),
        #[cfg(feature = "rust_crypto")]
        prekeyed: None,
    };
    Ok((key, verify))
}

/// DER: one tag-length-value, and what follows it.
fn der_next(bytes: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = bytes.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

/// A PKCS#8 v2 `PRIVATE KEY` (RFC 5958 OneAsymmetricKey, version 1, with
/// its public key) as the v1 DER the backends read: version 0, the algorithm
/// and the private key; `None` for anything else.
fn pkcs8_v2_to_v1(pem_bytes: &[u8]) -> Option<Vec<u8>> {
    let blocks = pem::parse_many(pem_bytes).ok()?;
    let block = blocks.iter().find(|b| b.tag() == "PRIVATE KEY")?;
    let (tag, fields, _) = der_next(block.contents())?;
    (tag == 0x30).then_some(())?;
    let (version_tag, version, rest) = der_next(fields)?;
    (version_tag == 0x02 && version == [0x01]).then_some(())?;
    let (algorithm_tag, algorithm, rest) = der_next(rest)?;
    let (key_tag, key, _) = der_next(rest)?;
    (algorithm_tag == 0x30 && key_tag == 0x04).then_some(())?;
    let body = [
        &[0x02, 0x01, 0x00][..],
        &der(0x30, algorithm),
        &der(0x04, key),
    ]
    .concat();
    Some(der(0x30, &body))
}

/// A SEC1 `EC PRIVATE KEY` (RFC 5915) wrapped as PKCS#8 DER, with the curve
/// its parameters name (or, without them, the curve of the private key's
/// length, else `alg`'s); `None` when the PEM holds no such key.
fn sec1_to_pkcs8(alg: Algorithm, pem_bytes: &[u8]) -> Option<Vec<u8>> {
    const EC_PUBLIC_KEY: &[u8] = &[0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
    const P256: &[u8] = &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
    const P384: &[u8] = &[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22];
    let blocks = pem::parse_many(pem_bytes).ok()?;
    let sec1 = blocks.iter().find(|b| b.tag() == "EC PRIVATE KEY")?;
    let (tag, mut fields, _) = der_next(sec1.contents())?;
    if tag != 0x30 {
        return None;
    }
    let mut curve = None;
    let mut scalar_len = 0;
    while let Some((tag, content, rest)) = der_next(fields) {
        if tag == 0x04 {
            scalar_len = content.len();
        }
        if tag == 0xa0 {
            let (oid_tag, oid, _) = der_next(content)?;
            (oid_tag == 0x06).then_some(())?;
            curve = Some(der(0x06, oid));
        }
        fields = rest;
    }
    let curve = match (curve, scalar_len, alg) {
        (Some(curve), _, _) => curve,
        (None, 32, _) => P256.to_vec(),
        (None, 48, _) => P384.to_vec(),
        (None, _, Algorithm::ES384) => P384.to_vec(),
        (None, _, _) => P256.to_vec(),
    };
    let algorithm = der(0x30, &[EC_PUBLIC_KEY, &curve].concat());
    let body = [
        &[0x02, 0x01, 0x00][..],
        &algorithm,
        &der(0x04, sec1.contents()),
    ]
    .concat();
    Some(der(0x30, &body))
}

/// Signs a test message with `private` and verifies it with `public`: a pair
/// that does not match is refused at launch, not at the first request.
pub fn check_pair(
    alg: Algorithm,
    private: &EncodingKey,
    public: &DecodingKey,
) -> Result<(), String> {
    let message = b"rocket-jwt-extended key check";
    let signature = jsonwebtoken::crypto::sign(message, private, alg)
        .map_err(|e| format!("the private key cannot sign {}: {e}", alg_name(alg)))?;
    match jsonwebtoken::crypto::verify(&signature, message, public, alg) {
        Ok(true) => Ok(()),
        _ => Err("the private key does not match the public key".into()),
    }
}

/// The RFC 7638 thumbprint (SHA-256, base64url) of a public key: the `kid`
/// of a key configured without one.
pub fn thumbprint(public_jwk: &Map<String, Value>) -> Option<String> {
    let jwk: Jwk = serde_json::from_value(Value::Object(public_jwk.clone())).ok()?;
    jwk.thumbprint(ThumbprintHash::SHA256).ok()
}

fn not_a_key(alg: Algorithm, which: &str) -> String {
    let kind = match Family::of(alg) {
        Family::Rsa => "an RSA",
        Family::Ec => "an EC",
        Family::Ed => "an Ed25519",
        Family::Hmac | Family::Unsupported => "a",
    };
    format!("not {kind} {which} key in PEM, as {} needs", alg_name(alg))
}

/// Why an EC private key did not convert: on another curve, or not EC.
fn wrong_curve_or_type(alg: Algorithm, key: &EncodingKey) -> String {
    let other = match alg {
        Algorithm::ES256 => Some(Algorithm::ES384),
        Algorithm::ES384 => Some(Algorithm::ES256),
        _ => None,
    };
    if let Some(other) = other {
        if Jwk::from_encoding_key(key, other).is_ok() {
            return format!(
                "the key is on curve {}; {} needs {}",
                curve_of(other),
                alg_name(alg),
                curve_of(alg)
            );
        }
    }
    not_a_key(alg, "private")
}

fn curve_of(alg: Algorithm) -> &'static str {
    match alg {
        Algorithm::ES256 => "P-256",
        Algorithm::ES384 => "P-384",
        Algorithm::EdDSA => "Ed25519",
        _ => "none",
    }
}

fn curve_name(c: &EllipticCurve) -> &'static str {
    match c {
        EllipticCurve::P256 => "P-256",
        EllipticCurve::P384 => "P-384",
        EllipticCurve::P521 => "P-521",
        EllipticCurve::Ed25519 => "Ed25519",
        _ => "an unsupported curve",
    }
}

/// The checks a public key passes for `alg`: its type, RSA size, its curve.
fn check_public(alg: Algorithm, params: &AlgorithmParameters) -> Result<(), String> {
    let name = alg_name(alg);
    match (Family::of(alg), params) {
        (Family::Rsa, AlgorithmParameters::RSA(rsa)) => {
            let bits = rsa_bits(&rsa.n).ok_or("the RSA modulus is not valid base64url")?;
            if bits < MIN_RSA_BITS {
                return Err(format!(
                    "the RSA key is {bits} bits; {name} needs at least {MIN_RSA_BITS} bits"
                ));
            }
            Ok(())
        }
        (Family::Ec, AlgorithmParameters::EllipticCurve(ec)) => {
            if curve_name(&ec.curve) != curve_of(alg) {
                return Err(format!(
                    "the key is on curve {}; {name} needs {}",
                    curve_name(&ec.curve),
                    curve_of(alg)
                ));
            }
            Ok(())
        }
        (Family::Ed, AlgorithmParameters::OctetKeyPair(okp)) => {
            if okp.curve != EllipticCurve::Ed25519 {
                return Err(format!(
                    "the key is on curve {}; {name} needs Ed25519",
                    curve_name(&okp.curve)
                ));
            }
            Ok(())
        }
        (_, AlgorithmParameters::OctetKey(_)) => {
            Err("a shared secret (\"oct\") is never accepted as a public key".into())
        }
        _ => Err(format!("the key is not of the type {name} needs")),
    }
}

/// The bit length of a base64url big-endian modulus.
fn rsa_bits(n: &str) -> Option<usize> {
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(n.trim_end_matches('='))
        .ok()?;
    let first = bytes.iter().position(|b| *b != 0)?;
    Some((bytes.len() - first) * 8 - bytes[first].leading_zeros() as usize)
}

/// The public members of a key as a JSON object (`kty` and its parameters).
fn public_members(params: &AlgorithmParameters) -> Result<Map<String, Value>, String> {
    match serde_json::to_value(params) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err("the key cannot be written as a JWK".into()),
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

/// Whether `bytes` look like an asymmetric key (PEM, an OpenSSH public key,
/// or one DER structure), which must never serve as an HMAC secret: that is
/// the RS→HS confusion (PyJWT refuses such keys for HMAC the same way).
pub fn looks_like_asymmetric_key(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start();
    if text.contains("-----BEGIN") {
        return true;
    }
    const SSH: [&str; 5] = ["ssh-rsa ", "ssh-ed25519 ", "ssh-dss ", "ecdsa-sha2-", "sk-"];
    if SSH.iter().any(|p| text.starts_with(p)) {
        return true;
    }
    matches!(der_next(bytes), Some((0x30, _, rest)) if rest.is_empty())
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

/// A key a `#[encode_key]` loader returned, for `alg`: a secret for HS
/// algorithms (held to the length rule), a private key in PEM otherwise.
pub fn loader_encoding_key(alg: Algorithm, bytes: &[u8]) -> Result<EncodingKey, String> {
    match Family::of(alg) {
        Family::Hmac => {
            if looks_like_asymmetric_key(bytes) {
                return Err(format!("{} takes a secret, not a key", alg_name(alg)));
            }
            check_hmac_secret(alg, bytes.len())?;
            Ok(EncodingKey::from_secret(bytes))
        }
        _ => Ok(private_pem(alg, bytes)?.0),
    }
}

/// A key a `#[decode_key]` loader returned, for the token's `alg`: a secret
/// for HS algorithms, a public (or private) key in PEM otherwise.
pub fn loader_decoding_key(alg: Algorithm, bytes: &[u8]) -> Result<DecodingKey, String> {
    match Family::of(alg) {
        Family::Hmac => {
            if looks_like_asymmetric_key(bytes) {
                return Err(format!("{} takes a secret, not a key", alg_name(alg)));
            }
            check_hmac_secret(alg, bytes.len())?;
            Ok(DecodingKey::from_secret(bytes))
        }
        _ => match VerifyKey::from_public_pem(None, alg, bytes) {
            Ok(k) => Ok(k.key),
            Err(public) => private_pem(alg, bytes)
                .map(|(_, k)| k.key)
                .map_err(|_| public),
        },
    }
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
        assert_eq!(alg_name(Algorithm::EdDSA), "EdDSA");
        assert_eq!(
            Keys::hmac(Algorithm::HS512, &[7; 64]).algorithm_name,
            "HS512"
        );
    }

    #[test]
    fn rsa_bits_count_from_the_top_bit() {
        use base64::Engine as _;
        let enc = |b: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
        assert_eq!(rsa_bits(&enc(&[0x80, 0, 0])), Some(24));
        assert_eq!(rsa_bits(&enc(&[0, 0x01, 0xff])), Some(9));
        assert_eq!(rsa_bits(&enc(&[0, 0])), None);
    }

    fn set(keys: Vec<VerifyKey>) -> Keys {
        Keys::verify_only(Algorithm::HS256, keys)
    }

    #[test]
    fn a_kid_selects_from_the_fixed_set_only() {
        let keys = set(vec![
            VerifyKey::hmac(Some("a".into()), &[1; 32]),
            VerifyKey::hmac(Some("b".into()), &[2; 32]),
        ]);
        let a = keys.select(Some("a"), Algorithm::HS256).unwrap();
        let b = keys.select(Some("b"), Algorithm::HS256).unwrap();
        assert_eq!(a.try_get_as_bytes().unwrap(), &[1; 32]);
        assert_eq!(b.try_get_as_bytes().unwrap(), &[2; 32]);
        for kid in [
            "",
            "../../dev/null",
            "x' UNION SELECT '1';--",
            "|sleep 10",
            "A",
        ] {
            assert_eq!(
                keys.select(Some(kid), Algorithm::HS256).err(),
                Some(DecodeError::UnknownKid),
                "{kid:?}"
            );
        }
        // Two keys and no kid: which one is not guessed.
        assert_eq!(
            keys.select(None, Algorithm::HS256).err(),
            Some(DecodeError::KidRequired)
        );
    }

    #[test]
    fn a_kid_never_lends_its_key_to_another_family() {
        let keys = set(vec![VerifyKey::hmac(Some("h".into()), &[1; 32])]);
        assert_eq!(
            keys.select(Some("h"), Algorithm::RS256).err(),
            Some(DecodeError::AlgorithmNotAllowed)
        );
        assert_eq!(
            keys.select(None, Algorithm::RS256).err(),
            Some(DecodeError::NoKey)
        );
    }

    #[test]
    fn without_ids_a_kid_is_ignored_as_flask_does() {
        let keys = Keys::hmac(Algorithm::HS256, &[3; 32]);
        assert!(keys.select(Some("anything"), Algorithm::HS256).is_ok());
        assert!(keys.select(None, Algorithm::HS512).is_ok());
    }

    #[test]
    fn asymmetric_keys_are_recognised_as_never_secrets() {
        assert!(looks_like_asymmetric_key(
            b"-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n"
        ));
        assert!(looks_like_asymmetric_key(
            b"  -----BEGIN RSA PUBLIC KEY-----"
        ));
        assert!(looks_like_asymmetric_key(
            b"ssh-rsa AAAAB3NzaC1yc2E user@host"
        ));
        assert!(looks_like_asymmetric_key(&[0x30, 0x03, 0x02, 0x01, 0x00]));
        assert!(!looks_like_asymmetric_key(
            b"test-secret-key-that-is-at-least-32-bytes-long"
        ));
        assert!(!looks_like_asymmetric_key(&[
            0x30, 0x82, 0xff, 0xff, 1, 2, 3
        ]));
    }

    #[test]
    fn hmac_secrets_are_never_published() {
        let keys = set(vec![VerifyKey::hmac(Some("h".into()), &[1; 32])]);
        assert_eq!(keys.jwks(), serde_json::json!({ "keys": [] }));
    }
}
