//! The key configuration: `jwt_secret_key`, `jwt_private_key(_file)`,
//! `jwt_public_key(_file)`, or a key set (`jwt_keys`), with the algorithm
//! and the decode algorithms; and every refusal that names its key.
//!
//! The rules are flask-jwt-extended's (asymmetric algorithms sign with the
//! private key and verify with the public one), made strict: every decode
//! algorithm must have a key of its own family, so that a public key is
//! never an HMAC secret; keys are checked (size, curve, pair) before launch.

use std::str::FromStr;

use jsonwebtoken::Algorithm;
use serde::Deserialize;

use super::model::ConfigError;
use crate::token::{
    alg_name, check_hmac_secret, check_pair, looks_like_asymmetric_key, private_pem, thumbprint,
    Family, Keys, Signer, VerifyKey, SUPPORTED_ALGORITHMS,
};

/// One entry of `jwt_keys`.
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawKey {
    kid: Option<String>,
    algorithm: Option<String>,
    secret: Option<String>,
    private_key: Option<String>,
    private_key_file: Option<String>,
    public_key: Option<String>,
    public_key_file: Option<String>,
    #[serde(default)]
    signing: bool,
}

/// The key-related keys as they arrive.
pub(super) struct RawKeys {
    pub algorithm: Option<String>,
    pub decode_algorithms: Vec<String>,
    pub secret: Option<String>,
    pub private_key: Option<String>,
    pub private_key_file: Option<String>,
    pub public_key: Option<String>,
    pub public_key_file: Option<String>,
    pub keys: Option<Vec<RawKey>>,
    /// Keys also come from a JWKS URL: local keys are then optional.
    pub remote: bool,
}

/// Every asymmetric algorithm: what a JWKS-only server accepts by default.
const ASYMMETRIC: [Algorithm; 9] = [
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::EdDSA,
];

pub(super) fn parse_algorithm(key: &str, name: &str) -> Result<Algorithm, ConfigError> {
    Algorithm::from_str(name)
        .ok()
        .filter(|a| Family::of(*a) != Family::Unsupported)
        .ok_or_else(|| {
            ConfigError::new(
                key,
                format!("unknown algorithm \"{name}\"; supported: {SUPPORTED_ALGORITHMS}"),
            )
        })
}

/// PEM text from a value or from a file read now; never both.
fn pem(
    text: Option<String>,
    file: Option<String>,
    text_key: &str,
    file_key: &str,
) -> Result<Option<(Vec<u8>, String)>, ConfigError> {
    match (text, file) {
        (Some(_), Some(_)) => Err(ConfigError::new(
            file_key,
            format!("{text_key} and {file_key} are both set; set one of them"),
        )),
        // A PEM in one line of an environment variable, with `\n` written out.
        (Some(t), None) if !t.contains('\n') && t.contains("\\n") => Ok(Some((
            t.replace("\\n", "\n").into_bytes(),
            text_key.to_owned(),
        ))),
        (Some(t), None) => Ok(Some((t.into_bytes(), text_key.to_owned()))),
        (None, Some(path)) => match std::fs::read(&path) {
            Ok(bytes) => Ok(Some((bytes, file_key.to_owned()))),
            Err(e) => Err(ConfigError::new(
                file_key,
                format!("cannot read \"{path}\": {e}"),
            )),
        },
        (None, None) => Ok(None),
    }
}

/// A key pair (either half optional) for `alg`, checked: type, size,
/// curve, and that the private key matches the public one.
fn pair(
    alg: Algorithm,
    private: Option<(Vec<u8>, String)>,
    public: Option<(Vec<u8>, String)>,
    kid: Option<String>,
) -> Result<(Option<Signer>, Option<VerifyKey>), ConfigError> {
    let derived = match &private {
        Some((bytes, key)) => Some(private_pem(alg, bytes).map_err(|m| ConfigError::new(key, m))?),
        None => None,
    };
    let given = match &public {
        Some((bytes, key)) => Some(
            VerifyKey::from_public_pem(None, alg, bytes).map_err(|m| ConfigError::new(key, m))?,
        ),
        None => None,
    };
    if let (Some((signing, _)), Some(public_key), Some((_, key))) = (&derived, &given, &private) {
        check_pair(alg, signing, &public_key.key).map_err(|m| ConfigError::new(key, m))?;
    }
    let (signer, mut verify) = match (derived, given) {
        (Some((signing, _)), Some(public_key)) => (Some(signing), Some(public_key)),
        (Some((signing, derived)), None) => (Some(signing), Some(derived)),
        (None, given) => (None, given),
    };
    let kid = kid.or_else(|| {
        verify
            .as_ref()
            .and_then(|v| v.public_jwk.as_ref())
            .and_then(thumbprint)
    });
    if let Some(v) = &mut verify {
        v.kid = kid.clone();
    }
    Ok((signer.map(|key| Signer { kid, key }), verify))
}

/// The keys, the signing algorithm and the decode algorithms.
pub(super) fn build(raw: RawKeys) -> Result<(Keys, Vec<Algorithm>), ConfigError> {
    let algorithm = match raw.algorithm.as_deref() {
        None => None,
        Some(name) => Some(parse_algorithm("jwt_algorithm", name)?),
    };
    let mut extra = Vec::new();
    for name in &raw.decode_algorithms {
        let alg = parse_algorithm("jwt_decode_algorithms", name)?;
        if !extra.contains(&alg) {
            extra.push(alg);
        }
    }
    match raw.keys {
        Some(set) => {
            for (given, key) in [
                (raw.secret.is_some(), "jwt_secret_key"),
                (raw.private_key.is_some(), "jwt_private_key"),
                (raw.private_key_file.is_some(), "jwt_private_key_file"),
                (raw.public_key.is_some(), "jwt_public_key"),
                (raw.public_key_file.is_some(), "jwt_public_key_file"),
            ] {
                if given {
                    return Err(ConfigError::new(
                        key,
                        format!("jwt_keys holds every key; move {key} into an entry of jwt_keys"),
                    ));
                }
            }
            key_set(set, algorithm, extra)
        }
        None => single(raw, algorithm, extra),
    }
}

/// `jwt_secret_key` or one asymmetric key pair, as flask-jwt-extended has it.
fn single(
    raw: RawKeys,
    algorithm: Option<Algorithm>,
    extra: Vec<Algorithm>,
) -> Result<(Keys, Vec<Algorithm>), ConfigError> {
    let remote_only = raw.remote
        && raw.secret.is_none()
        && raw.private_key.is_none()
        && raw.private_key_file.is_none()
        && raw.public_key.is_none()
        && raw.public_key_file.is_none();
    if remote_only {
        // A resource server: every key comes from the JWKS. The algorithms
        // named (jwt_algorithm, jwt_decode_algorithms), else every asymmetric one.
        let mut algorithms: Vec<Algorithm> = algorithm.into_iter().chain(extra).collect();
        if algorithms.is_empty() {
            algorithms = ASYMMETRIC.to_vec();
        }
        if let Some(hs) = algorithms.iter().find(|a| Family::of(**a) == Family::Hmac) {
            return Err(ConfigError::new(
                "jwt_decode_algorithms",
                format!(
                    "{} needs a shared secret; a JWKS holds public keys only",
                    alg_name(*hs)
                ),
            ));
        }
        let mut unique = Vec::new();
        for alg in algorithms {
            if !unique.contains(&alg) {
                unique.push(alg);
            }
        }
        return Ok((Keys::verify_only(unique[0], Vec::new()), unique));
    }
    let algorithm = algorithm.unwrap_or(Algorithm::HS256);
    let mut decode = vec![algorithm];
    for alg in extra {
        if !decode.contains(&alg) {
            decode.push(alg);
        }
    }
    let mut verify = Vec::new();
    let mut signer = None;

    // The shared secret: needed by every HS algorithm in use.
    let hs: Vec<Algorithm> = decode
        .iter()
        .copied()
        .filter(|a| Family::of(*a) == Family::Hmac)
        .collect();
    if !hs.is_empty() {
        let Some(secret) = &raw.secret else {
            return Err(ConfigError::new(
                "jwt_secret_key",
                format!(
                    "jwt_secret_key must be set when using symmetric algorithm \"{}\" \
                     (Rocket.toml `jwt_secret_key = \"...\"` or ROCKET_JWT_SECRET_KEY)",
                    alg_name(hs[0])
                ),
            ));
        };
        if looks_like_asymmetric_key(secret.as_bytes()) {
            return Err(ConfigError::new(
                "jwt_secret_key",
                "holds a PEM or SSH key, which is never an HMAC secret; for an asymmetric \
                 algorithm set jwt_algorithm and jwt_private_key or jwt_public_key",
            ));
        }
        for alg in &hs {
            check_hmac_secret(*alg, secret.len())
                .map_err(|m| ConfigError::new("jwt_secret_key", m))?;
        }
        if Family::of(algorithm) == Family::Hmac {
            signer = Some(Signer {
                kid: None,
                key: jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
            });
        }
        verify.push(VerifyKey::hmac(None, secret.as_bytes()));
    }

    // The key pair: needed by every asymmetric algorithm in use, all of one key.
    let asym: Vec<Algorithm> = decode
        .iter()
        .copied()
        .filter(|a| Family::of(*a) != Family::Hmac)
        .collect();
    let private = pem(
        raw.private_key,
        raw.private_key_file,
        "jwt_private_key",
        "jwt_private_key_file",
    )?;
    let public = pem(
        raw.public_key,
        raw.public_key_file,
        "jwt_public_key",
        "jwt_public_key_file",
    )?;
    match asym.first() {
        // The key server holds the keys of these algorithms.
        Some(_) if private.is_none() && public.is_none() && raw.remote => {}
        None => {
            if let Some((_, key)) = private.as_ref().or(public.as_ref()) {
                return Err(ConfigError::new(
                    key,
                    format!(
                        "{key} is set but \"{}\" signs with jwt_secret_key; set jwt_algorithm \
                         to the key's algorithm (e.g. RS256)",
                        alg_name(algorithm)
                    ),
                ));
            }
        }
        Some(first) => {
            // The key's algorithm: the signing one when it is asymmetric.
            let key_alg = if Family::of(algorithm) != Family::Hmac {
                algorithm
            } else {
                *first
            };
            if private.is_none() && public.is_none() {
                return Err(ConfigError::new(
                    "jwt_public_key",
                    format!(
                        "jwt_public_key must be set to use asymmetric cryptography algorithm \"{}\" \
                         (or jwt_private_key, which also signs; each has a _file variant)",
                        alg_name(key_alg)
                    ),
                ));
            }
            let (pair_signer, pair_verify) = pair(key_alg, private, public, None)?;
            let pair_verify = pair_verify.expect("a key pair has a public half");
            for alg in &asym {
                if !pair_verify.algorithms.contains(alg) {
                    return Err(ConfigError::new(
                        "jwt_decode_algorithms",
                        format!(
                            "{} needs a key of its own; the configured key is for {} \
                             (use jwt_keys for keys of several types)",
                            alg_name(*alg),
                            alg_name(key_alg)
                        ),
                    ));
                }
            }
            if Family::of(algorithm) != Family::Hmac {
                signer = pair_signer;
            }
            verify.push(pair_verify);
        }
    }
    Ok((
        Keys {
            algorithm,
            algorithm_name: alg_name(algorithm),
            signer,
            verify,
            kid_selects: false,
        },
        decode,
    ))
}

/// `jwt_keys`: several keys with ids; exactly one signs, all verify.
fn key_set(
    set: Vec<RawKey>,
    algorithm: Option<Algorithm>,
    extra: Vec<Algorithm>,
) -> Result<(Keys, Vec<Algorithm>), ConfigError> {
    const KEY: &str = "jwt_keys";
    if set.is_empty() {
        return Err(ConfigError::new(KEY, "must hold at least one key"));
    }
    let mut verify: Vec<VerifyKey> = Vec::new();
    let mut signers: Vec<(Algorithm, Signer, bool)> = Vec::new();
    for (i, entry) in set.into_iter().enumerate() {
        let at = |what: &str| format!("entry {i}{what}");
        let kid = match entry.kid {
            Some(k) if !k.trim().is_empty() => k,
            _ => {
                return Err(ConfigError::new(
                    KEY,
                    format!("{}: every key needs a non-empty `kid`", at("")),
                ))
            }
        };
        let here = format!("{} (kid \"{kid}\")", at(""));
        if verify
            .iter()
            .any(|v| v.kid.as_deref() == Some(kid.as_str()))
        {
            return Err(ConfigError::new(
                KEY,
                format!("{here}: the kid is used twice"),
            ));
        }
        let alg = match entry.algorithm.as_deref() {
            Some(name) => parse_algorithm(KEY, name)
                .map_err(|e| ConfigError::new(KEY, format!("{here}: {}", e.message)))?,
            None => {
                return Err(ConfigError::new(
                    KEY,
                    format!("{here}: every key needs an `algorithm`"),
                ))
            }
        };
        let fail = |m: String| ConfigError::new(KEY, format!("{here}: {m}"));
        if Family::of(alg) == Family::Hmac {
            if entry.private_key.is_some()
                || entry.private_key_file.is_some()
                || entry.public_key.is_some()
                || entry.public_key_file.is_some()
            {
                return Err(fail(format!(
                    "{} takes a `secret`, not a key",
                    alg_name(alg)
                )));
            }
            let secret = entry
                .secret
                .ok_or_else(|| fail(format!("{} needs a `secret`", alg_name(alg))))?;
            if looks_like_asymmetric_key(secret.as_bytes()) {
                return Err(fail(
                    "the `secret` holds a PEM or SSH key, never an HMAC secret".into(),
                ));
            }
            check_hmac_secret(alg, secret.len()).map_err(fail)?;
            let mut key = VerifyKey::hmac(Some(kid.clone()), secret.as_bytes());
            key.algorithms = vec![alg];
            verify.push(key);
            signers.push((
                alg,
                Signer {
                    kid: Some(kid),
                    key: jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
                },
                entry.signing,
            ));
            continue;
        }
        if entry.secret.is_some() {
            return Err(fail(format!(
                "{} takes a key, not a `secret`",
                alg_name(alg)
            )));
        }
        let private = pem(
            entry.private_key,
            entry.private_key_file,
            "private_key",
            "private_key_file",
        )
        .map_err(|e| fail(e.message))?;
        let public = pem(
            entry.public_key,
            entry.public_key_file,
            "public_key",
            "public_key_file",
        )
        .map_err(|e| fail(e.message))?;
        if private.is_none() && public.is_none() {
            return Err(fail(
                "needs private_key or public_key (or a _file variant)".into(),
            ));
        }
        if entry.signing && private.is_none() {
            return Err(fail("signs, so it needs a private key".into()));
        }
        let (signer, public) = pair(alg, private, public, Some(kid))
            .map_err(|e| fail(format!("{}: {}", e.key, e.message)))?;
        let mut public = public.expect("a key pair has a public half");
        public.algorithms = vec![alg];
        verify.push(public);
        if let Some(signer) = signer {
            signers.push((alg, signer, entry.signing));
        }
    }
    let marked: Vec<usize> = (0..signers.len()).filter(|i| signers[*i].2).collect();
    let signer = match (marked.len(), signers.len()) {
        (1, _) => Some(signers.swap_remove(marked[0])),
        (0, 0) => None,
        (0, 1) => signers.pop(),
        (0, _) => {
            return Err(ConfigError::new(
                KEY,
                "several keys can sign; mark the one that does with `signing = true`",
            ))
        }
        _ => {
            return Err(ConfigError::new(
                KEY,
                "more than one key is marked `signing = true`; exactly one signs",
            ))
        }
    };
    let signing_alg = signer.as_ref().map(|s| s.0);
    if let (Some(want), Some(has)) = (algorithm, signing_alg) {
        if want != has {
            return Err(ConfigError::new(
                "jwt_algorithm",
                format!(
                    "is {} but the signing key of jwt_keys is {}",
                    alg_name(want),
                    alg_name(has)
                ),
            ));
        }
    }
    let algorithm = signing_alg.or(algorithm).unwrap_or(verify[0].algorithms[0]);
    let mut decode = vec![algorithm];
    for key in &verify {
        for alg in &key.algorithms {
            if !decode.contains(alg) {
                decode.push(*alg);
            }
        }
    }
    if let Some(alg) = extra.iter().find(|a| !decode.contains(a)) {
        return Err(ConfigError::new(
            "jwt_decode_algorithms",
            format!("{} has no key in jwt_keys", alg_name(*alg)),
        ));
    }
    if let Some(alg) = decode
        .iter()
        .find(|a| !verify.iter().any(|k| k.algorithms.contains(a)))
    {
        return Err(ConfigError::new(
            "jwt_algorithm",
            format!("{} has no key in jwt_keys", alg_name(*alg)),
        ));
    }
    Ok((
        Keys {
            algorithm,
            algorithm_name: alg_name(algorithm),
            signer: signer.map(|s| s.1),
            verify,
            kid_selects: true,
        },
        decode,
    ))
}
