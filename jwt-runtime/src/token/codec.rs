//! The token engine: JWS compact serialization, signature, and claim checks.
//!
//! Signing and signature verification use `jsonwebtoken::crypto`; everything
//! around them is done here so that each check happens in PyJWT's order with
//! PyJWT's message, and so that the checks jsonwebtoken leaves out are made:
//! canonical base64, duplicate members, `crit`, `iat` in the future, integer
//! times, typed `iss`/`aud`/`sub`/`jti`, and a size cap before any work.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use jsonwebtoken::EncodingKey;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use rocket_jwt_extended_spec::Location;

use super::claims::{Claims, JwtHeader, VerifiedJwt};
use super::error::{DecodeError, EncodeError, TokenError};
use super::keys::{KeyLookup, Keys};
use super::policy::Policy;
use super::time::now_secs;

/// Options of one decode.
#[derive(Debug, Clone, Copy, Default)]
pub struct DecodeOptions {
    /// Return an expired token instead of [`TokenError::Expired`] (flask's `allow_expired`).
    pub allow_expired: bool,
    /// Where the token came from (recorded in the result).
    pub location: Option<Location>,
}

/// Decodes base64url strictly: no padding, no whitespace, no `+`/`/`, canonical trailing bits.
fn b64(segment: &str, name: &'static str) -> Result<Vec<u8>, DecodeError> {
    URL_SAFE_NO_PAD
        .decode(segment)
        .map_err(|_| DecodeError::Padding(name))
}

/// A JSON document that must be an object; duplicate top-level members are an error.
enum Parsed {
    Object(Map<String, Value>),
    NotObject,
}

struct TopLevel;

impl<'de> DeserializeSeed<'de> for TopLevel {
    type Value = Parsed;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Parsed, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TopLevel {
    type Value = Parsed;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Parsed, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            match map.entry(key) {
                serde_json::map::Entry::Occupied(e) => {
                    return Err(de::Error::custom(format_args!(
                        "duplicate member \"{}\"",
                        e.key()
                    )))
                }
                serde_json::map::Entry::Vacant(e) => {
                    e.insert(access.next_value::<Value>()?);
                }
            }
        }
        Ok(Parsed::Object(map))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut access: A) -> Result<Parsed, A::Error> {
        while access.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Parsed::NotObject)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Parsed, E> {
        Ok(Parsed::NotObject)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Parsed, E> {
        Ok(Parsed::NotObject)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Parsed, E> {
        Ok(Parsed::NotObject)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Parsed, E> {
        Ok(Parsed::NotObject)
    }
    fn visit_str<E>(self, _: &str) -> Result<Parsed, E> {
        Ok(Parsed::NotObject)
    }
    fn visit_unit<E>(self) -> Result<Parsed, E> {
        Ok(Parsed::NotObject)
    }
}

fn parse_object(bytes: &[u8]) -> Result<Parsed, String> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let parsed = TopLevel.deserialize(&mut de).map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())?;
    Ok(parsed)
}

/// An integer time claim; floats, strings, booleans are refused.
fn int_claim(v: &Value, err: DecodeError) -> Result<i64, DecodeError> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_u64().map(|_| i64::MAX))
            .ok_or(err),
        _ => Err(err),
    }
}

fn check_header(header: &Map<String, Value>) -> Result<(), DecodeError> {
    if let Some(kid) = header.get("kid") {
        if !kid.is_string() {
            return Err(DecodeError::KidNotString);
        }
    }
    if let Some(b64) = header.get("b64") {
        if b64 != &Value::Bool(true) {
            return Err(DecodeError::Crit(
                "Unsupported critical extension: b64".into(),
            ));
        }
    }
    if let Some(crit) = header.get("crit") {
        let list = match crit {
            Value::Array(l) if !l.is_empty() => l,
            _ => {
                return Err(DecodeError::Crit(
                    "Invalid 'crit' header: must be a non-empty list".into(),
                ))
            }
        };
        // No critical extension is supported: every listed one is refused.
        return Err(match list.iter().find_map(Value::as_str) {
            Some(ext) if list.iter().all(Value::is_string) => {
                DecodeError::Crit(format!("Unsupported critical extension: {ext}"))
            }
            _ => DecodeError::Crit("Invalid 'crit' header: values must be strings".into()),
        });
    }
    Ok(())
}

/// Verifies `token` against `policy` with `key`: signature, times, audience,
/// issuer, identity claim. CSRF, type, freshness and revocation are the
/// request side's.
pub fn decode<K: KeyLookup + ?Sized>(
    policy: &Policy,
    keys: &K,
    token: &str,
    opts: DecodeOptions,
) -> Result<VerifiedJwt, TokenError> {
    if token.len() > policy.max_token_size {
        return Err(DecodeError::TooLarge(policy.max_token_size).into());
    }
    let (signing_input, sig_segment) = token
        .rsplit_once('.')
        .ok_or(DecodeError::NotEnoughSegments)?;
    let (header_segment, payload_segment) = signing_input
        .split_once('.')
        .ok_or(DecodeError::NotEnoughSegments)?;
    if payload_segment.contains('.') {
        return Err(DecodeError::TooManySegments.into());
    }

    // PyJWT's `_load`, then flask's unverified payload parse, then the header checks.
    let header = match parse_object(&b64(header_segment, "header")?) {
        Ok(Parsed::Object(m)) => m,
        Ok(Parsed::NotObject) => return Err(DecodeError::HeaderNotObject.into()),
        Err(e) => return Err(DecodeError::HeaderString(e).into()),
    };
    let payload = b64(payload_segment, "payload")?;
    let signature = b64(sig_segment, "crypto")?;
    let mut claims = match parse_object(&payload) {
        Ok(Parsed::Object(m)) => m,
        Ok(Parsed::NotObject) => return Err(DecodeError::PayloadNotObject.into()),
        Err(e) => return Err(DecodeError::PayloadString(e).into()),
    };
    check_header(&header)?;

    let alg = match header.get("alg") {
        None => return Err(DecodeError::AlgorithmNotSpecified.into()),
        Some(Value::String(s)) => s
            .parse::<jsonwebtoken::Algorithm>()
            .ok()
            .filter(|a| policy.algorithms.contains(a))
            .ok_or(DecodeError::AlgorithmNotAllowed)?,
        Some(_) => return Err(DecodeError::AlgorithmNotAllowed.into()),
    };
    // The key is picked from the fixed set by `kid` and `alg` only after the
    // allow-list has accepted `alg`; embedded `jwk`/`jku`/`x5u`/`x5c` are never read.
    let kid = header.get("kid").and_then(Value::as_str);
    let valid = keys.select_verifier(kid, alg)?.verify(
        alg,
        signing_input.as_bytes(),
        &signature,
        sig_segment,
    );
    if !valid {
        return Err(DecodeError::Signature.into());
    }

    // PyJWT's `_validate_claims` order: iat, nbf, exp, iss, aud, sub, jti.
    let now = now_secs();
    let leeway = policy.leeway_secs();
    if let Some(v) = claims.get("iat") {
        if int_claim(v, DecodeError::IatNotInteger)? > now.saturating_add(leeway) {
            return Err(DecodeError::ImmatureIat.into());
        }
    }
    if let Some(v) = claims.get("nbf") {
        if int_claim(v, DecodeError::NbfNotInteger)? > now.saturating_add(leeway) {
            return Err(DecodeError::ImmatureNbf.into());
        }
    }
    let mut expired = false;
    if let Some(v) = claims.get("exp") {
        expired = int_claim(v, DecodeError::ExpNotInteger)? <= now.saturating_sub(leeway);
    }
    if let Some(issuers) = &policy.issuers {
        match claims.get("iss") {
            None => return Err(DecodeError::MissingRequiredClaim("iss").into()),
            Some(Value::String(iss)) if issuers.iter().any(|i| i == iss) => {}
            Some(Value::String(_)) => return Err(DecodeError::InvalidIssuer.into()),
            Some(_) => return Err(DecodeError::IssuerNotString.into()),
        }
    }
    if let Some(audiences) = &policy.audiences {
        let ok = match claims.get("aud") {
            None => return Err(DecodeError::MissingRequiredClaim("aud").into()),
            Some(Value::String(a)) => audiences.iter().any(|x| x == a),
            Some(Value::Array(list)) => {
                if !list.iter().all(Value::is_string) {
                    return Err(DecodeError::AudienceFormat.into());
                }
                list.iter()
                    .any(|a| audiences.iter().any(|x| Some(x.as_str()) == a.as_str()))
            }
            Some(_) => return Err(DecodeError::AudienceFormat.into()),
        };
        if !ok {
            return Err(DecodeError::AudienceMismatch.into());
        }
    }
    if policy.verify_sub {
        if let Some(sub) = claims.get("sub") {
            if !sub.is_string() {
                return Err(DecodeError::SubjectNotString.into());
            }
        }
    }
    if let Some(jti) = claims.get("jti") {
        if !jti.is_string() {
            return Err(DecodeError::JtiNotString.into());
        }
    }
    let identity = match claims.get(&policy.identity_claim) {
        None => return Err(DecodeError::MissingClaim(policy.identity_claim.clone()).into()),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    // flask's defaults for absent claims; `entry` would allocate the key
    // even when the claim is present, so look first.
    if !claims.contains_key("type") {
        claims.insert("type".into(), Value::String("access".into()));
    }
    if !claims.contains_key("fresh") {
        claims.insert("fresh".into(), Value::Bool(false));
    }
    if !claims.contains_key("jti") {
        claims.insert("jti".into(), Value::Null);
    }

    let verified = VerifiedJwt {
        header: JwtHeader::from_map(header),
        claims: Claims::from_map(claims),
        identity,
        location: opts.location,
        token: token.to_owned(),
    };
    if expired && !opts.allow_expired {
        return Err(TokenError::Expired(Box::new(verified)));
    }
    Ok(verified)
}

/// Reads the header of a token without verifying anything else
/// (flask's `get_unverified_jwt_headers`).
pub fn unverified_header(token: &str, max: usize) -> Result<JwtHeader, DecodeError> {
    if token.len() > max {
        return Err(DecodeError::TooLarge(max));
    }
    let (header_segment, rest) = token
        .split_once('.')
        .ok_or(DecodeError::NotEnoughSegments)?;
    if !rest.contains('.') {
        return Err(DecodeError::NotEnoughSegments);
    }
    match parse_object(&b64(header_segment, "header")?) {
        Ok(Parsed::Object(m)) => {
            check_header(&m)?;
            Ok(JwtHeader::from_map(m))
        }
        Ok(Parsed::NotObject) => Err(DecodeError::HeaderNotObject),
        Err(e) => Err(DecodeError::HeaderString(e)),
    }
}

/// The header and claims of a token, unverified (what flask hands the
/// decode-key loader before it knows which key verifies the token).
pub fn unverified_parts(token: &str, max: usize) -> Result<(JwtHeader, Claims), DecodeError> {
    let header = unverified_header(token, max)?;
    let payload_segment = token.split('.').nth(1).unwrap_or("");
    match parse_object(&b64(payload_segment, "payload")?) {
        Ok(Parsed::Object(m)) => Ok((header, Claims::from_map(m))),
        Ok(Parsed::NotObject) => Err(DecodeError::PayloadNotObject),
        Err(e) => Err(DecodeError::PayloadString(e)),
    }
}

/// Serializes and signs with `keys` (or `key`, a loader's, with the same
/// algorithm). `extra_headers` may not carry `alg`; a `typ` of `null` or `""`
/// removes the `typ` member, as in PyJWT. The configured signer's `kid`, when
/// it has one, is written last, so that no header can name another key.
pub fn encode(
    keys: &Keys,
    key: Option<&EncodingKey>,
    extra_headers: Map<String, Value>,
    claims: &Map<String, Value>,
) -> Result<String, EncodeError> {
    let mut header = Map::new();
    header.insert("typ".into(), Value::String("JWT".into()));
    for (k, v) in extra_headers {
        if k == "alg" {
            return Err(EncodeError::AlgHeader);
        }
        header.insert(k, v);
    }
    if matches!(
        header.get("typ"),
        Some(Value::Null) | Some(Value::Bool(false))
    ) || header.get("typ").and_then(Value::as_str) == Some("")
    {
        header.remove("typ");
    }
    let signing_key = match (key, &keys.signer) {
        (Some(key), _) => key,
        (None, Some(signer)) => {
            if let Some(kid) = &signer.kid {
                header.insert("kid".into(), kid.clone().into());
            }
            &signer.key
        }
        (None, None) => return Err(EncodeError::NoSigningKey),
    };
    header.insert("alg".into(), keys.algorithm_name.clone().into());

    let header_json =
        serde_json::to_vec(&header).map_err(|e| EncodeError::Serialize(e.to_string()))?;
    let claims_json =
        serde_json::to_vec(claims).map_err(|e| EncodeError::Serialize(e.to_string()))?;
    let mut out = String::with_capacity((header_json.len() + claims_json.len()) * 4 / 3 + 96);
    URL_SAFE_NO_PAD.encode_string(&header_json, &mut out);
    out.push('.');
    URL_SAFE_NO_PAD.encode_string(&claims_json, &mut out);
    let signature = jsonwebtoken::crypto::sign(out.as_bytes(), signing_key, keys.algorithm)
        .map_err(|e| EncodeError::Crypto(e.to_string()))?;
    out.push('.');
    out.push_str(&signature);
    Ok(out)
}
