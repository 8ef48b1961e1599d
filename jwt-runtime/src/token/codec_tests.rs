//! Unit tests pinning the codec's rules one by one: the JWS compact form and
//! its strict base64url, the header checks (`alg` allow-list, `kid`, `crit`,
//! duplicate members), the signature, the claim checks in PyJWT's order with
//! PyJWT's messages, the defaults flask-jwt-extended fills in, and `encode`'s
//! header rules.
//!
//! Tokens are built with [`encode`] where that is possible and by hand
//! (base64url of hand-written JSON, HMAC by `jsonwebtoken::crypto::sign`)
//! for the malformed ones, so that each test fails if its rule is dropped.
//! The property-based fuzzer beside this file (`fuzz.rs`) covers what these
//! examples do not; its long run is described there.

use base64::alphabet;
use base64::engine::general_purpose::{
    GeneralPurpose, GeneralPurposeConfig, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD,
};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};
use serde_json::{json, Map, Value};

use super::{
    decode, encode, now_secs, unverified_header, unverified_parts, DecodeError, DecodeOptions,
    EncodeError, Keys, Location, Policy, TokenError, VerifiedJwt,
};

const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";
const OTHER_SECRET: &[u8] = b"fedcba9876543210fedcba9876543210";
const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

// ---------------------------------------------------------------- helpers

fn keys() -> Keys {
    Keys::hmac(Algorithm::HS256, SECRET)
}

fn policy() -> Policy {
    Policy::new(vec![Algorithm::HS256])
}

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        other => panic!("not a JSON object: {other}"),
    }
}

/// A token made by the codec itself, HS256 with [`SECRET`].
fn mint(claims: Value) -> String {
    mint_with(Value::Null, claims)
}

fn mint_with(headers: Value, claims: Value) -> String {
    encode(&keys(), None, obj_or_empty(headers), &obj(claims)).expect("encode")
}

fn obj_or_empty(v: Value) -> Map<String, Value> {
    match v {
        Value::Null => Map::new(),
        other => obj(other),
    }
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn hmac(input: &str, secret: &[u8], alg: Algorithm) -> String {
    jsonwebtoken::crypto::sign(input.as_bytes(), &EncodingKey::from_secret(secret), alg)
        .expect("sign")
}

/// `header.payload.signature` from already-encoded segments, signed with [`SECRET`].
fn signed(header_segment: &str, payload_segment: &str) -> String {
    let input = format!("{header_segment}.{payload_segment}");
    let signature = hmac(&input, SECRET, Algorithm::HS256);
    format!("{input}.{signature}")
}

/// A hand-built token of raw header and payload JSON text, HS256 with [`SECRET`].
fn raw(header: &str, payload: &str) -> String {
    signed(&b64(header.as_bytes()), &b64(payload.as_bytes()))
}

/// A hand-built token with the standard header.
fn raw_claims(payload: &str) -> String {
    raw(HEADER, payload)
}

fn segments(token: &str) -> [&str; 3] {
    let parts: Vec<&str> = token.split('.').collect();
    match parts[..] {
        [h, p, s] => [h, p, s],
        _ => panic!("not three segments: {token}"),
    }
}

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The same bytes, with a non-zero unused trailing bit: a lax decoder reads
/// it as `segment`, a canonical one refuses it.
fn with_trailing_bits(segment: &str) -> String {
    assert_ne!(
        segment.len() % 4,
        0,
        "{segment} has no unused trailing bits"
    );
    let (head, last) = segment.split_at(segment.len() - 1);
    let index = ALPHABET
        .iter()
        .position(|&c| c == last.as_bytes()[0])
        .expect("base64url character");
    let altered = format!("{head}{}", ALPHABET[index | 1] as char);
    let lax = GeneralPurpose::new(
        &alphabet::URL_SAFE,
        GeneralPurposeConfig::new()
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    assert_eq!(
        lax.decode(&altered).expect("lax decode"),
        lax.decode(segment).expect("lax decode"),
        "the altered segment must mean the same bytes to a lax decoder"
    );
    assert_ne!(altered, segment);
    altered
}

fn decode_with(
    policy: &Policy,
    token: &str,
    opts: DecodeOptions,
) -> Result<VerifiedJwt, TokenError> {
    decode(policy, &keys(), token, opts)
}

fn accepted_by(policy: &Policy, token: &str) -> VerifiedJwt {
    match decode_with(policy, token, DecodeOptions::default()) {
        Ok(v) => v,
        Err(e) => panic!("refused ({e}): {token}"),
    }
}

fn accepted(token: &str) -> VerifiedJwt {
    accepted_by(&policy(), token)
}

fn refusal_by(policy: &Policy, token: &str) -> DecodeError {
    match decode_with(policy, token, DecodeOptions::default()) {
        Err(TokenError::Invalid(e)) => e,
        Err(TokenError::Expired(v)) => panic!("refused as expired, not invalid: {:?}", v.claims()),
        Ok(v) => panic!("accepted: {:?}", v.claims()),
    }
}

fn refusal(token: &str) -> DecodeError {
    refusal_by(&policy(), token)
}

/// Asserts the refusal and its exact message.
#[track_caller]
fn assert_refused_by(policy: &Policy, token: &str, want: DecodeError, message: &str) {
    let got = refusal_by(policy, token);
    assert_eq!(got, want, "token {token}");
    assert_eq!(got.to_string(), message);
    assert_eq!(TokenError::Invalid(got).to_string(), message);
}

#[track_caller]
fn assert_refused(token: &str, want: DecodeError, message: &str) {
    assert_refused_by(&policy(), token, want, message);
}

// ------------------------------------------------------------- round trip

#[test]
fn round_trip_keeps_header_claims_identity_and_token() {
    let now = now_secs();
    let token = mint(json!({
        "sub": "alice",
        "iat": now,
        "nbf": now,
        "exp": now + 600,
        "roles": ["admin", "ops"],
        "nested": {"k": [1, 2, {"z": null}]},
        "type": "refresh",
        "fresh": true,
        "jti": "id-1",
    }));
    let v = accepted(&token);
    assert_eq!(v.identity(), "alice");
    assert_eq!(v.encoded(), token);
    assert_eq!(v.location(), None);
    assert_eq!(v.header().alg(), Some("HS256"));
    assert_eq!(v.header().typ(), Some("JWT"));
    assert_eq!(v.claims().exp(), Some(now + 600));
    assert_eq!(v.claims().iat(), Some(now));
    assert_eq!(v.claims().nbf(), Some(now));
    assert_eq!(v.claims()["roles"], json!(["admin", "ops"]));
    assert_eq!(v.claims()["nested"], json!({"k": [1, 2, {"z": null}]}));
    assert_eq!(v.claims().token_type(), "refresh");
    assert_eq!(v.claims()["fresh"], json!(true));
    assert_eq!(v.claims().jti(), Some("id-1"));
}

#[test]
fn missing_type_fresh_and_jti_are_filled_with_flask_defaults() {
    let v = accepted(&mint(json!({"sub": "alice"})));
    assert_eq!(v.claims().get("type"), Some(&json!("access")));
    assert_eq!(v.claims().get("fresh"), Some(&json!(false)));
    // Present, and null: flask's `decoded_token["jti"] = None`.
    assert_eq!(v.claims().get("jti"), Some(&Value::Null));
    assert_eq!(v.claims().as_map().len(), 4);
}

#[test]
fn every_hmac_algorithm_the_policy_lists_round_trips() {
    let all = Policy::new(vec![Algorithm::HS256, Algorithm::HS384, Algorithm::HS512]);
    for (alg, len) in [
        (Algorithm::HS256, 32),
        (Algorithm::HS384, 48),
        (Algorithm::HS512, 64),
    ] {
        let secret = vec![b'k'; len];
        let keys = Keys::hmac(alg, &secret);
        let token = encode(&keys, None, Map::new(), &obj(json!({"sub": "x"}))).expect("encode");
        let v = decode(&all, &keys, &token, DecodeOptions::default()).expect("decode");
        assert_eq!(v.header().alg(), Some(keys.algorithm_name.as_str()));
    }
}

// ------------------------------------------------------- size and segments

#[test]
fn token_over_max_size_is_refused_before_any_decoding() {
    let mut small = policy();
    small.max_token_size = 10;
    // Garbage that any later step would refuse differently (not enough segments).
    assert_refused_by(
        &small,
        "xxxxxxxxxxx",
        DecodeError::TooLarge(10),
        "Token is larger than 10 bytes",
    );
    assert_refused_by(
        &small,
        "xxxxxxxxxx",
        DecodeError::NotEnoughSegments,
        "Not enough segments",
    );

    let token = mint(json!({"sub": "alice"}));
    let mut exact = policy();
    exact.max_token_size = token.len();
    accepted_by(&exact, &token);
    exact.max_token_size = token.len() - 1;
    assert_eq!(
        refusal_by(&exact, &token),
        DecodeError::TooLarge(token.len() - 1)
    );
    assert_eq!(
        unverified_header(&token, token.len() - 1),
        Err(DecodeError::TooLarge(token.len() - 1))
    );
    assert_eq!(
        unverified_parts(&token, token.len() - 1).map(|_| ()),
        Err(DecodeError::TooLarge(token.len() - 1))
    );
}

#[test]
fn fewer_than_three_segments_is_not_enough_segments() {
    let token = mint(json!({"sub": "alice"}));
    let [h, p, _] = segments(&token);
    for bad in ["", "abc", &format!("{h}.{p}"), h] {
        assert_refused(bad, DecodeError::NotEnoughSegments, "Not enough segments");
    }
}

#[test]
fn more_than_three_segments_is_too_many_segments() {
    let token = mint(json!({"sub": "alice"}));
    let [h, p, s] = segments(&token);
    for bad in [
        format!("{token}.{s}"),
        format!("{h}.{p}.{p}.{s}"),
        format!("{h}..{p}.{s}"),
        "a.b.c.d".to_owned(),
        "...".to_owned(),
    ] {
        assert_refused(&bad, DecodeError::TooManySegments, "Too many segments");
    }
}

// ------------------------------------------------------------------ base64

#[test]
fn padded_base64_is_refused_in_each_segment() {
    let header = r#"{"alg":"HS256","kid":"k"}"#;
    let payload = r#"{"sub":"alice1"}"#;
    let padded_header = URL_SAFE.encode(header);
    let padded_payload = URL_SAFE.encode(payload);
    assert!(padded_header.ends_with('=') && padded_payload.ends_with('='));

    // Signed over the padded segments: padding is the only fault.
    assert_refused(
        &signed(&padded_header, &b64(payload.as_bytes())),
        DecodeError::Padding("header"),
        "Invalid header padding",
    );
    assert_refused(
        &signed(&b64(header.as_bytes()), &padded_payload),
        DecodeError::Padding("payload"),
        "Invalid payload padding",
    );
    let good = raw(header, payload);
    accepted(&good);
    assert_refused(
        &format!("{good}="),
        DecodeError::Padding("crypto"),
        "Invalid crypto padding",
    );
}

#[test]
fn non_canonical_trailing_bits_are_refused_in_each_segment() {
    let header = r#"{"alg":"HS256","kid":"k"}"#;
    let payload = r#"{"sub":"alice1"}"#;
    let (h, p) = (b64(header.as_bytes()), b64(payload.as_bytes()));
    assert_refused(
        &signed(&with_trailing_bits(&h), &p),
        DecodeError::Padding("header"),
        "Invalid header padding",
    );
    assert_refused(
        &signed(&h, &with_trailing_bits(&p)),
        DecodeError::Padding("payload"),
        "Invalid payload padding",
    );
    let good = signed(&h, &p);
    let [_, _, s] = segments(&good);
    assert_refused(
        &format!("{h}.{p}.{}", with_trailing_bits(s)),
        DecodeError::Padding("crypto"),
        "Invalid crypto padding",
    );
}

#[test]
fn standard_alphabet_and_whitespace_are_refused() {
    let payload = r#"{"sub":"???>>>"}"#;
    let standard = STANDARD_NO_PAD.encode(payload);
    assert!(standard.contains(['+', '/']), "{standard}");
    assert_refused(
        &signed(&b64(HEADER.as_bytes()), &standard),
        DecodeError::Padding("payload"),
        "Invalid payload padding",
    );

    let token = raw_claims(payload);
    let [h, p, s] = segments(&token);
    let (h1, h2) = h.split_at(8);
    for ws in [" ", "\t", "\n", "\r\n"] {
        assert_eq!(
            refusal(&signed(&format!("{h1}{ws}{h2}"), p)),
            DecodeError::Padding("header")
        );
        assert_eq!(
            refusal(&format!("{h}.{p}.{s}{ws}")),
            DecodeError::Padding("crypto")
        );
    }
}

#[test]
fn segments_are_checked_in_pyjwt_load_order() {
    // header base64, header JSON, payload base64, signature base64, payload JSON.
    let bad_b64 = "a=b";
    let h = b64(HEADER.as_bytes());
    let not_json = b64(b"{nope");
    assert_eq!(
        refusal(&format!("{bad_b64}.{bad_b64}.{bad_b64}")),
        DecodeError::Padding("header")
    );
    assert!(matches!(
        refusal(&format!("{not_json}.{bad_b64}.{bad_b64}")),
        DecodeError::HeaderString(_)
    ));
    assert_eq!(
        refusal(&format!("{h}.{bad_b64}.{bad_b64}")),
        DecodeError::Padding("payload")
    );
    assert_eq!(
        refusal(&format!("{h}.{not_json}.{bad_b64}")),
        DecodeError::Padding("crypto")
    );
    assert!(matches!(
        refusal(&format!("{h}.{not_json}.")),
        DecodeError::PayloadString(_)
    ));
}

// ------------------------------------------------------------------ header

#[test]
fn header_that_is_not_json_is_an_invalid_header_string() {
    for text in [
        "{nope",
        "",
        "{\"alg\":\"HS256\"} trailing",
        "{\"alg\":\"HS256\"",
    ] {
        let e = refusal(&raw(text, r#"{"sub":"alice"}"#));
        assert!(matches!(e, DecodeError::HeaderString(_)), "{text}: {e:?}");
        assert!(e.to_string().starts_with("Invalid header string: "), "{e}");
    }
    // Not UTF-8.
    let token = signed(&b64(b"{\"alg\":\"\xff\"}"), &b64(br#"{"sub":"a"}"#));
    assert!(matches!(refusal(&token), DecodeError::HeaderString(_)));
}

#[test]
fn header_that_is_not_an_object_is_refused() {
    for text in ["[1,2]", "\"HS256\"", "1", "null", "true", "[]"] {
        assert_refused(
            &raw(text, r#"{"sub":"alice"}"#),
            DecodeError::HeaderNotObject,
            "Invalid header string: must be a json object",
        );
    }
}

#[test]
fn duplicate_header_member_is_refused() {
    for text in [
        r#"{"alg":"none","alg":"HS256"}"#,
        r#"{"alg":"HS256","alg":"HS256"}"#,
        r#"{"alg":"HS256","\u0061lg":"HS256"}"#,
    ] {
        let e = refusal(&raw(text, r#"{"sub":"alice"}"#));
        match &e {
            DecodeError::HeaderString(m) => assert!(m.contains(r#"duplicate member "alg""#), "{m}"),
            other => panic!("{text}: {other:?}"),
        }
        assert!(e
            .to_string()
            .starts_with(r#"Invalid header string: duplicate member "alg""#));
    }
}

#[test]
fn missing_alg_is_algorithm_not_specified() {
    assert_refused(
        &raw(r#"{"typ":"JWT"}"#, r#"{"sub":"alice"}"#),
        DecodeError::AlgorithmNotSpecified,
        "Algorithm not specified",
    );
}

#[test]
fn alg_outside_the_allow_list_is_not_allowed() {
    let message = "The specified alg value is not allowed";
    // `none`, unknown spellings, non-strings: with a valid HS256 signature.
    for header in [
        r#"{"alg":"none"}"#,
        r#"{"alg":"None"}"#,
        r#"{"alg":"hs256"}"#,
        r#"{"alg":""}"#,
        r#"{"alg":null}"#,
        r#"{"alg":256}"#,
        r#"{"alg":["HS256"]}"#,
    ] {
        assert_refused(
            &raw(header, r#"{"sub":"alice"}"#),
            DecodeError::AlgorithmNotAllowed,
            message,
        );
    }
    // `alg: none` with an empty signature (the classic forgery).
    let none = format!(
        "{}.{}.",
        b64(br#"{"alg":"none","typ":"JWT"}"#),
        b64(br#"{"sub":"admin"}"#)
    );
    assert_refused(&none, DecodeError::AlgorithmNotAllowed, message);

    // A real algorithm, correctly signed, that the policy does not list.
    let hs512 = Keys::hmac(Algorithm::HS512, &[b'k'; 64]);
    let token = encode(&hs512, None, Map::new(), &obj(json!({"sub": "alice"}))).expect("encode");
    let only_256 = Policy::new(vec![Algorithm::HS256]);
    let e = decode(&only_256, &hs512, &token, DecodeOptions::default());
    assert!(
        matches!(
            e,
            Err(TokenError::Invalid(DecodeError::AlgorithmNotAllowed))
        ),
        "{e:?}"
    );
    let both = Policy::new(vec![Algorithm::HS256, Algorithm::HS512]);
    decode(&both, &hs512, &token, DecodeOptions::default()).expect("listed");
}

#[test]
fn listed_alg_without_a_key_of_its_family_finds_no_key() {
    let rsa_too = Policy::new(vec![Algorithm::HS256, Algorithm::RS256]);
    let input = format!(
        "{}.{}",
        b64(br#"{"alg":"RS256"}"#),
        b64(br#"{"sub":"alice"}"#)
    );
    // The secret is never tried as an RSA key: only keys of RS256's family are.
    let token = format!("{input}.{}", hmac(&input, SECRET, Algorithm::HS256));
    assert_refused_by(
        &rsa_too,
        &token,
        DecodeError::NoKey,
        "Unable to find a signing key for the token's alg",
    );
}

#[test]
fn kid_must_be_a_string() {
    accepted(&raw(r#"{"alg":"HS256","kid":"k1"}"#, r#"{"sub":"a"}"#));
    for kid in ["1", "null", "true", "[\"k1\"]", "{}"] {
        let header = format!(r#"{{"alg":"HS256","kid":{kid}}}"#);
        assert_refused(
            &raw(&header, r#"{"sub":"a"}"#),
            DecodeError::KidNotString,
            "Key ID header parameter must be a string",
        );
    }
    // Checked with the other header members, before `alg`.
    assert_eq!(
        refusal(&raw(r#"{"kid":1}"#, r#"{"sub":"a"}"#)),
        DecodeError::KidNotString
    );
}

#[test]
fn crit_is_refused_whatever_it_lists() {
    let cases = [
        (r#"["exp"]"#, "Unsupported critical extension: exp"),
        (r#"["b64","exp"]"#, "Unsupported critical extension: b64"),
        (r#"[]"#, "Invalid 'crit' header: must be a non-empty list"),
        (
            r#""exp""#,
            "Invalid 'crit' header: must be a non-empty list",
        ),
        (r#"null"#, "Invalid 'crit' header: must be a non-empty list"),
        (r#"[1]"#, "Invalid 'crit' header: values must be strings"),
        (
            r#"["exp",1]"#,
            "Invalid 'crit' header: values must be strings",
        ),
    ];
    for (crit, message) in cases {
        let header = format!(r#"{{"alg":"HS256","crit":{crit}}}"#);
        assert_refused(
            &raw(&header, r#"{"sub":"a"}"#),
            DecodeError::Crit(message.into()),
            message,
        );
    }
}

#[test]
fn b64_header_other_than_true_is_refused() {
    accepted(&raw(r#"{"alg":"HS256","b64":true}"#, r#"{"sub":"a"}"#));
    for b64_value in ["false", "null", "\"false\"", "0"] {
        let header = format!(r#"{{"alg":"HS256","b64":{b64_value}}}"#);
        assert_refused(
            &raw(&header, r#"{"sub":"a"}"#),
            DecodeError::Crit("Unsupported critical extension: b64".into()),
            "Unsupported critical extension: b64",
        );
    }
}

// --------------------------------------------------------------- signature

#[test]
fn altered_signature_fails_verification() {
    let token = mint(json!({"sub": "alice"}));
    let [h, p, s] = segments(&token);
    // Another canonical signature: flip the first character's lowest bit.
    let first = ALPHABET
        .iter()
        .position(|&c| c == s.as_bytes()[0])
        .expect("base64url");
    let flipped = format!("{}{}", ALPHABET[first ^ 1] as char, &s[1..]);
    for bad in [format!("{h}.{p}.{flipped}"), format!("{h}.{p}.")] {
        assert_refused(
            &bad,
            DecodeError::Signature,
            "Signature verification failed",
        );
    }
    // A shorter, canonical signature (a prefix of the real one).
    assert_eq!(
        refusal(&format!("{h}.{p}.{}", &s[..40])),
        DecodeError::Signature
    );
}

#[test]
fn signature_of_other_content_or_secret_fails_verification() {
    let alice = mint(json!({"sub": "alice"}));
    let admin = mint(json!({"sub": "admin"}));
    let [h, p, _] = segments(&admin);
    let [_, _, alice_sig] = segments(&alice);
    assert_refused(
        &format!("{h}.{p}.{alice_sig}"),
        DecodeError::Signature,
        "Signature verification failed",
    );

    let forged = encode(
        &keys(),
        Some(&EncodingKey::from_secret(OTHER_SECRET)),
        Map::new(),
        &obj(json!({"sub": "admin"})),
    )
    .expect("encode");
    assert_refused(
        &forged,
        DecodeError::Signature,
        "Signature verification failed",
    );
    // ... and it is the other secret's token: decoding with it accepts.
    let v = decode(
        &policy(),
        &DecodingKey::from_secret(OTHER_SECRET),
        &forged,
        DecodeOptions::default(),
    )
    .expect("the other secret verifies its own token");
    assert_eq!(v.identity(), "admin");
}

#[test]
fn header_is_checked_before_the_signature_and_claims_after_it() {
    // A header fault with a wrong signature reports the header fault.
    let crit = raw(r#"{"alg":"HS256","crit":["x"]}"#, r#"{"sub":"a"}"#);
    let [h, p, _] = segments(&crit);
    let other = raw_claims(r#"{"sub":"b"}"#);
    let [_, _, other_sig] = segments(&other);
    assert!(matches!(
        refusal(&format!("{h}.{p}.{other_sig}")),
        DecodeError::Crit(_)
    ));
    // A claim fault with a wrong signature reports the signature.
    let bad_claim = raw_claims(r#"{"sub":1,"exp":"soon"}"#);
    let [h, p, _] = segments(&bad_claim);
    assert_eq!(
        refusal(&format!("{h}.{p}.{other_sig}")),
        DecodeError::Signature
    );
}

// ------------------------------------------------------------------- payload

#[test]
fn payload_that_is_not_json_is_an_invalid_payload_string() {
    for text in ["{nope", "", "{\"sub\":\"a\"} x", "{\"sub\":\"a\","] {
        let e = refusal(&raw_claims(text));
        assert!(matches!(e, DecodeError::PayloadString(_)), "{text}: {e:?}");
        assert!(e.to_string().starts_with("Invalid payload string: "), "{e}");
    }
}

#[test]
fn payload_that_is_not_an_object_is_refused() {
    for text in ["[1,2]", "\"alice\"", "1", "null", "false", "[[[[[]]]]]"] {
        assert_refused(
            &raw_claims(text),
            DecodeError::PayloadNotObject,
            "Invalid payload string: must be a json object",
        );
    }
}

#[test]
fn duplicate_payload_claim_is_refused() {
    for text in [
        r#"{"sub":"alice","sub":"admin"}"#,
        r#"{"sub":"alice","\u0073ub":"admin"}"#,
    ] {
        let e = refusal(&raw_claims(text));
        match &e {
            DecodeError::PayloadString(m) => {
                assert!(m.contains(r#"duplicate member "sub""#), "{m}")
            }
            other => panic!("{text}: {other:?}"),
        }
    }
    let e = refusal(&raw_claims(r#"{"sub":"a","exp":1,"exp":99999999999}"#));
    assert!(e
        .to_string()
        .starts_with(r#"Invalid payload string: duplicate member "exp""#));
}

#[test]
fn duplicates_below_the_top_level_are_last_wins_like_python() {
    let v = accepted(&raw_claims(r#"{"sub":"a","x":{"k":1,"k":2}}"#));
    assert_eq!(v.claims()["x"], json!({"k": 2}));
}

#[test]
fn deeply_nested_payload_is_refused_without_overflow() {
    let mut roomy = policy();
    roomy.max_token_size = 1 << 20;
    let depth = 100_000;
    let deep_claim = format!(
        r#"{{"sub":"a","x":{}{}}}"#,
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let e = refusal_by(&roomy, &raw_claims(&deep_claim));
    assert!(
        e.to_string()
            .starts_with("Invalid payload string: recursion limit exceeded"),
        "{e}"
    );
    let deep_array = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    assert_eq!(
        refusal_by(&roomy, &raw_claims(&deep_array)),
        DecodeError::PayloadNotObject
    );
    let deep_header = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    assert_eq!(
        refusal_by(&roomy, &raw(&deep_header, r#"{"sub":"a"}"#)),
        DecodeError::HeaderNotObject
    );
}

// ----------------------------------------------------------- time claims

#[test]
fn time_claims_must_be_integers() {
    let cases = [
        (
            "exp",
            DecodeError::ExpNotInteger,
            "Expiration Time claim (exp) must be an integer.",
        ),
        (
            "nbf",
            DecodeError::NbfNotInteger,
            "Not Before claim (nbf) must be an integer.",
        ),
        (
            "iat",
            DecodeError::IatNotInteger,
            "Issued At claim (iat) must be an integer.",
        ),
    ];
    for (claim, error, message) in cases {
        for value in [
            "1700000000.5",
            "1700000000.0",
            "1e9",
            "\"1700000000\"",
            "true",
            "null",
            "[1]",
        ] {
            let payload = format!(r#"{{"sub":"a","{claim}":{value}}}"#);
            assert_refused(&raw_claims(&payload), error.clone(), message);
        }
    }
}

#[test]
fn integer_times_beyond_i64_count_as_far_future() {
    let huge = u64::MAX;
    let v = accepted(&raw_claims(&format!(r#"{{"sub":"a","exp":{huge}}}"#)));
    assert_eq!(v.claims()["exp"], json!(huge));
    assert_eq!(
        refusal(&raw_claims(&format!(r#"{{"sub":"a","iat":{huge}}}"#))),
        DecodeError::ImmatureIat
    );
    // Past the u64 range serde_json reads a float: refused as not an integer.
    let past_u64 = format!(r#"{{"sub":"a","exp":1{}}}"#, "0".repeat(25));
    assert_eq!(refusal(&raw_claims(&past_u64)), DecodeError::ExpNotInteger);
    // Negative times are integers: long expired, long valid.
    let old = raw_claims(r#"{"sub":"a","exp":-1}"#);
    assert!(matches!(
        decode_with(&policy(), &old, DecodeOptions::default()),
        Err(TokenError::Expired(_))
    ));
    accepted(&raw_claims(r#"{"sub":"a","iat":-1,"nbf":-1}"#));
}

#[test]
fn iat_in_the_future_is_refused_beyond_the_leeway() {
    let now = now_secs();
    accepted(&mint(json!({"sub": "a", "iat": now})));
    let token = mint(json!({"sub": "a", "iat": now + 60}));
    assert_refused(
        &token,
        DecodeError::ImmatureIat,
        "The token is not yet valid (iat)",
    );
    let mut lenient = policy();
    lenient.leeway = 120;
    accepted_by(&lenient, &token);
}

#[test]
fn nbf_in_the_future_is_refused_beyond_the_leeway() {
    let now = now_secs();
    accepted(&mint(json!({"sub": "a", "nbf": now})));
    let token = mint(json!({"sub": "a", "nbf": now + 60}));
    assert_refused(
        &token,
        DecodeError::ImmatureNbf,
        "The token is not yet valid (nbf)",
    );
    let mut lenient = policy();
    lenient.leeway = 120;
    accepted_by(&lenient, &token);
}

#[test]
fn expired_token_is_an_expired_error_carrying_the_decoded_token() {
    let now = now_secs();
    let token = mint(json!({"sub": "alice", "exp": now - 10}));
    let opts = DecodeOptions {
        allow_expired: false,
        location: Some(Location::Cookies),
    };
    match decode_with(&policy(), &token, opts) {
        Err(e @ TokenError::Expired(_)) => {
            assert_eq!(e.to_string(), "Token has expired");
            let TokenError::Expired(v) = e else {
                unreachable!()
            };
            assert_eq!(v.identity(), "alice");
            assert_eq!(v.claims().exp(), Some(now - 10));
            assert_eq!(v.claims().token_type(), "access");
            assert_eq!(v.location(), Some(Location::Cookies));
            assert_eq!(v.encoded(), token);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn exp_equal_to_now_is_expired_and_leeway_extends_it() {
    // `exp <= now - leeway` is expired (PyJWT): `exp == now` already is.
    let token = mint(json!({"sub": "a", "exp": now_secs()}));
    assert!(matches!(
        decode_with(&policy(), &token, DecodeOptions::default()),
        Err(TokenError::Expired(_))
    ));
    let mut lenient = policy();
    lenient.leeway = 60;
    accepted_by(&lenient, &token);
    accepted(&mint(json!({"sub": "a", "exp": now_secs() + 60})));
}

#[test]
fn allow_expired_returns_the_expired_token() {
    let token = mint(json!({"sub": "alice", "exp": now_secs() - 10}));
    let opts = DecodeOptions {
        allow_expired: true,
        location: None,
    };
    let v = decode_with(&policy(), &token, opts).expect("allow_expired");
    assert_eq!(v.identity(), "alice");
}

#[test]
fn expired_token_failing_a_later_check_reports_that_check() {
    let past = now_secs() - 10;
    let mut strict = policy();
    strict.issuers = Some(vec!["me".into()]);
    strict.audiences = Some(vec!["api".into()]);

    let bad_iss = mint(json!({"sub": "a", "exp": past, "iss": "other", "aud": "api"}));
    assert_refused_by(
        &strict,
        &bad_iss,
        DecodeError::InvalidIssuer,
        "Invalid issuer",
    );
    let bad_aud = mint(json!({"sub": "a", "exp": past, "iss": "me", "aud": "web"}));
    assert_refused_by(
        &strict,
        &bad_aud,
        DecodeError::AudienceMismatch,
        "Audience doesn't match",
    );
    let bad_sub = mint(json!({"sub": 1, "exp": past, "iss": "me", "aud": "api"}));
    assert_eq!(refusal_by(&strict, &bad_sub), DecodeError::SubjectNotString);
    let no_sub = mint(json!({"exp": past, "iss": "me", "aud": "api"}));
    assert_eq!(
        refusal_by(&strict, &no_sub),
        DecodeError::MissingClaim("sub".into())
    );
    // All later checks pass: expired it is.
    let only_expired = mint(json!({"sub": "a", "exp": past, "iss": "me", "aud": "api"}));
    assert!(matches!(
        decode_with(&strict, &only_expired, DecodeOptions::default()),
        Err(TokenError::Expired(_))
    ));
}

#[test]
fn claims_are_checked_in_pyjwt_order() {
    let now = now_secs();
    let mut strict = policy();
    strict.issuers = Some(vec!["me".into()]);
    strict.audiences = Some(vec!["api".into()]);
    // Each case breaks one check and every later one; the first is reported.
    let cases = [
        (
            json!({
                "iat": now + 99, "nbf": now + 99, "exp": "x",
                "iss": 1, "aud": 1, "sub": 1, "jti": 1,
            }),
            DecodeError::ImmatureIat,
        ),
        (json!({"iat": 1.5, "nbf": 1.5}), DecodeError::IatNotInteger),
        (
            json!({"nbf": now + 99, "exp": "x", "iss": 1, "aud": 1, "sub": 1, "jti": 1}),
            DecodeError::ImmatureNbf,
        ),
        (
            json!({"exp": "x", "iss": 1, "aud": 1, "sub": 1, "jti": 1}),
            DecodeError::ExpNotInteger,
        ),
        (
            json!({"iss": 1, "aud": 1, "sub": 1, "jti": 1}),
            DecodeError::IssuerNotString,
        ),
        (
            json!({"iss": "me", "aud": 1, "sub": 1, "jti": 1}),
            DecodeError::AudienceFormat,
        ),
        (
            json!({"iss": "me", "aud": "api", "sub": 1, "jti": 1}),
            DecodeError::SubjectNotString,
        ),
        (
            json!({"iss": "me", "aud": "api", "sub": "a", "jti": 1}),
            DecodeError::JtiNotString,
        ),
        (
            json!({"iss": "me", "aud": "api", "jti": "j"}),
            DecodeError::MissingClaim("sub".into()),
        ),
    ];
    for (claims, want) in cases {
        let token = mint(claims.clone());
        assert_eq!(refusal_by(&strict, &token), want, "{claims}");
    }
}

// --------------------------------------------------------- iss, aud, sub, jti

#[test]
fn issuer_must_be_present_a_string_and_listed() {
    let mut p = policy();
    p.issuers = Some(vec!["a".into(), "b".into()]);
    accepted_by(&p, &mint(json!({"sub": "x", "iss": "b"})));
    assert_refused_by(
        &p,
        &mint(json!({"sub": "x"})),
        DecodeError::MissingRequiredClaim("iss"),
        "Token is missing the \"iss\" claim",
    );
    assert_refused_by(
        &p,
        &mint(json!({"sub": "x", "iss": "c"})),
        DecodeError::InvalidIssuer,
        "Invalid issuer",
    );
    for iss in [json!(1), json!(["a"]), json!(null)] {
        assert_refused_by(
            &p,
            &mint(json!({"sub": "x", "iss": iss})),
            DecodeError::IssuerNotString,
            "Payload Issuer (iss) must be a string",
        );
    }
    // No configured issuer: `iss` is not looked at.
    accepted(&mint(json!({"sub": "x", "iss": 1})));
}

#[test]
fn audience_must_be_present_and_match_as_string_or_list() {
    let mut p = policy();
    p.audiences = Some(vec!["api".into(), "admin".into()]);
    accepted_by(&p, &mint(json!({"sub": "x", "aud": "api"})));
    accepted_by(&p, &mint(json!({"sub": "x", "aud": "admin"})));
    accepted_by(&p, &mint(json!({"sub": "x", "aud": ["web", "api"]})));
    assert_refused_by(
        &p,
        &mint(json!({"sub": "x"})),
        DecodeError::MissingRequiredClaim("aud"),
        "Token is missing the \"aud\" claim",
    );
    for aud in [json!("web"), json!(["web", "mobile"]), json!("API")] {
        assert_refused_by(
            &p,
            &mint(json!({"sub": "x", "aud": aud})),
            DecodeError::AudienceMismatch,
            "Audience doesn't match",
        );
    }
    for aud in [
        json!(1),
        json!(["api", 1]),
        json!({"api": true}),
        json!(true),
    ] {
        assert_refused_by(
            &p,
            &mint(json!({"sub": "x", "aud": aud})),
            DecodeError::AudienceFormat,
            "Invalid claim format in token",
        );
    }
    // No configured audience: `aud` is not looked at.
    accepted(&mint(json!({"sub": "x", "aud": 1})));
}

#[test]
fn sub_must_be_a_string_when_verify_sub_is_on() {
    for sub in [json!(5), json!({"id": 1}), json!(null), json!(["a"])] {
        let token = mint(json!({ "sub": sub }));
        assert_refused(
            &token,
            DecodeError::SubjectNotString,
            "Subject must be a string",
        );
        let mut lax = policy();
        lax.verify_sub = false;
        let v = accepted_by(&lax, &token);
        // A non-string identity is its JSON text.
        assert_eq!(v.identity(), sub.to_string());
    }
}

#[test]
fn jti_must_be_a_string() {
    accepted(&mint(json!({"sub": "a", "jti": "j"})));
    for jti in [json!(5), json!(null), json!(["j"])] {
        assert_refused(
            &mint(json!({"sub": "a", "jti": jti})),
            DecodeError::JtiNotString,
            "JWT ID must be a string",
        );
    }
}

#[test]
fn missing_identity_claim_is_refused() {
    assert_refused(
        &mint(json!({"user": "alice"})),
        DecodeError::MissingClaim("sub".into()),
        "Missing claim: sub",
    );
}

#[test]
fn custom_identity_claim_is_the_identity() {
    let mut p = policy();
    p.identity_claim = "user_id".into();
    let v = accepted_by(&p, &mint(json!({"user_id": "bob", "sub": "ignored"})));
    assert_eq!(v.identity(), "bob");
    assert_eq!(
        accepted_by(&p, &mint(json!({"user_id": 42}))).identity(),
        "42"
    );
    assert_refused_by(
        &p,
        &mint(json!({"sub": "alice"})),
        DecodeError::MissingClaim("user_id".into()),
        "Missing claim: user_id",
    );
}

// ------------------------------------------------------------------ options

#[test]
fn location_is_recorded_from_the_options() {
    let token = mint(json!({"sub": "a"}));
    for location in Location::ALL {
        let opts = DecodeOptions {
            allow_expired: false,
            location: Some(location),
        };
        let v = decode_with(&policy(), &token, opts).expect("decode");
        assert_eq!(v.location(), Some(location));
    }
    assert_eq!(accepted(&token).location(), None);
}

// ---------------------------------------------------------------- unverified

#[test]
fn unverified_header_reads_without_verifying() {
    let token = mint_with(json!({"kid": "k1"}), json!({"sub": "a", "exp": 1}));
    let [h, p, _] = segments(&token);
    let tampered = format!("{h}.{p}.garbage");
    let header = unverified_header(&tampered, 8192).expect("header");
    assert_eq!(header.kid(), Some("k1"));
    assert_eq!(header.alg(), Some("HS256"));

    assert_eq!(
        unverified_header("abc", 8192),
        Err(DecodeError::NotEnoughSegments)
    );
    assert_eq!(
        unverified_header(&format!("{h}.{p}"), 8192),
        Err(DecodeError::NotEnoughSegments)
    );
    assert_eq!(
        unverified_header("a=.b.c", 8192),
        Err(DecodeError::Padding("header"))
    );
    assert_eq!(
        unverified_header(&format!("{}.e30.x", b64(b"[1]")), 8192),
        Err(DecodeError::HeaderNotObject)
    );
    // The header checks apply.
    let crit = raw(r#"{"alg":"HS256","crit":["x"]}"#, "{}");
    assert_eq!(
        unverified_header(&crit, 8192),
        Err(DecodeError::Crit(
            "Unsupported critical extension: x".into()
        ))
    );
    let kid = raw(r#"{"alg":"HS256","kid":7}"#, "{}");
    assert_eq!(
        unverified_header(&kid, 8192),
        Err(DecodeError::KidNotString)
    );
}

#[test]
fn unverified_parts_reads_raw_claims_without_verifying() {
    let token = mint(json!({"sub": "a", "exp": 1}));
    let [h, p, _] = segments(&token);
    let (header, claims) = unverified_parts(&format!("{h}.{p}.x"), 8192).expect("parts");
    assert_eq!(header.alg(), Some("HS256"));
    assert_eq!(claims.get("sub"), Some(&json!("a")));
    // Raw claims: no flask defaults.
    assert_eq!(claims.get("type"), None);
    assert_eq!(claims.get("jti"), None);

    assert_eq!(
        unverified_parts(&format!("{h}.{}.x", b64(b"[1]")), 8192).map(|_| ()),
        Err(DecodeError::PayloadNotObject)
    );
    assert_eq!(
        unverified_parts(&format!("{h}.{}.x", URL_SAFE.encode("{\"a\":1}")), 8192).map(|_| ()),
        Err(DecodeError::Padding("payload"))
    );
    assert!(matches!(
        unverified_parts(&format!("{h}.{}.x", b64(br#"{"a":1,"a":2}"#)), 8192),
        Err(DecodeError::PayloadString(_))
    ));
}

// ------------------------------------------------------------------ encode

#[test]
fn encode_refuses_alg_in_extra_headers() {
    for alg in [json!("none"), json!("HS256"), json!(null)] {
        let e = encode(
            &keys(),
            None,
            obj(json!({ "alg": alg })),
            &obj(json!({"sub": "a"})),
        );
        assert_eq!(e, Err(EncodeError::AlgHeader));
    }
    assert_eq!(
        EncodeError::AlgHeader.to_string(),
        "`alg` cannot be set through additional headers: the algorithm is fixed by `jwt_algorithm`"
    );
}

#[test]
fn encode_writes_typ_jwt_and_the_configured_alg() {
    let token = mint(json!({"sub": "a"}));
    let [h, _, _] = segments(&token);
    let header: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(h).expect("b64")).expect("json");
    assert_eq!(header, json!({"alg": "HS256", "typ": "JWT"}));
}

#[test]
fn encode_removes_typ_when_null_or_empty() {
    for typ in [json!(null), json!("")] {
        let token = mint_with(json!({ "typ": typ, "kid": "k" }), json!({"sub": "a"}));
        let [h, _, _] = segments(&token);
        let header: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(h).expect("b64")).expect("json");
        assert_eq!(header, json!({"alg": "HS256", "kid": "k"}), "typ {typ}");
        assert_eq!(accepted(&token).header().typ(), None);
    }
    let custom = mint_with(json!({"typ": "at+jwt"}), json!({"sub": "a"}));
    assert_eq!(accepted(&custom).header().typ(), Some("at+jwt"));
}

#[test]
fn encode_with_a_loader_key_signs_with_that_key() {
    let token = encode(
        &keys(),
        Some(&EncodingKey::from_secret(OTHER_SECRET)),
        Map::new(),
        &obj(json!({"sub": "a"})),
    )
    .expect("encode");
    assert_eq!(refusal(&token), DecodeError::Signature);
    decode(
        &policy(),
        &DecodingKey::from_secret(OTHER_SECRET),
        &token,
        DecodeOptions::default(),
    )
    .expect("the loader's key verifies");
}

// ---------------------------------------------------------------- messages

#[test]
fn every_decode_error_displays_pyjwts_message() {
    use DecodeError::*;
    let cases = [
        (NotEnoughSegments, "Not enough segments"),
        (TooManySegments, "Too many segments"),
        (TooLarge(8192), "Token is larger than 8192 bytes"),
        (Padding("header"), "Invalid header padding"),
        (Padding("payload"), "Invalid payload padding"),
        (Padding("crypto"), "Invalid crypto padding"),
        (HeaderString("oops".into()), "Invalid header string: oops"),
        (
            HeaderNotObject,
            "Invalid header string: must be a json object",
        ),
        (PayloadString("oops".into()), "Invalid payload string: oops"),
        (
            PayloadNotObject,
            "Invalid payload string: must be a json object",
        ),
        (AlgorithmNotSpecified, "Algorithm not specified"),
        (
            AlgorithmNotAllowed,
            "The specified alg value is not allowed",
        ),
        (KidNotString, "Key ID header parameter must be a string"),
        (
            Crit("Unsupported critical extension: x".into()),
            "Unsupported critical extension: x",
        ),
        (Signature, "Signature verification failed"),
        (
            ExpNotInteger,
            "Expiration Time claim (exp) must be an integer.",
        ),
        (NbfNotInteger, "Not Before claim (nbf) must be an integer."),
        (IatNotInteger, "Issued At claim (iat) must be an integer."),
        (ImmatureNbf, "The token is not yet valid (nbf)"),
        (ImmatureIat, "The token is not yet valid (iat)"),
        (
            MissingRequiredClaim("aud"),
            "Token is missing the \"aud\" claim",
        ),
        (MissingClaim("sub".into()), "Missing claim: sub"),
        (AudienceMismatch, "Audience doesn't match"),
        (AudienceFormat, "Invalid claim format in token"),
        (InvalidIssuer, "Invalid issuer"),
        (IssuerNotString, "Payload Issuer (iss) must be a string"),
        (SubjectNotString, "Subject must be a string"),
        (JtiNotString, "JWT ID must be a string"),
        (
            NotAString,
            "Invalid token type. Token must be a <class 'bytes'>",
        ),
    ];
    for (error, message) in cases {
        assert_eq!(error.to_string(), message, "{error:?}");
    }
}
