//! Reference §4 "Decoding" and security checklist items 1–4, 8, 10–18.

use rocket::http::Status;
use serde_json::json;

use crate::common::*;

fn check(c: &rocket::local::blocking::Client, token: &str) -> (Status, String) {
    send(c, rocket::http::Method::Get, "/protected", token)
}

fn invalid(c: &rocket::local::blocking::Client, token: &str, msg: &str) {
    assert_eq!(
        check(c, token),
        (Status::UnprocessableEntity, msg.to_owned()),
        "token {token}"
    );
}

#[test]
fn segment_count() {
    let c = client();
    invalid(&c, "xxx", "Not enough segments");
    invalid(&c, "aaa.bbb", "Not enough segments");
    let t = forge(json!({}));
    invalid(&c, &format!("{t}.extra"), "Too many segments");
}

#[test]
fn base64_errors_name_the_segment() {
    let c = client();
    invalid(&c, "aaaaa.bbbbb.ccccc", "Invalid header padding");
    let t = forge(json!({}));
    let (h, rest) = t.split_once('.').unwrap();
    let (p, _) = rest.split_once('.').unwrap();
    invalid(&c, &format!("{h}.{p}.!!!"), "Invalid crypto padding");
    invalid(
        &c,
        &format!("{h}.a.{}", "x".repeat(43)),
        "Invalid payload padding",
    );
}

#[test]
fn non_canonical_base64_is_refused() {
    let c = client();
    let t = forge(json!({}));
    let (h, rest) = t.split_once('.').unwrap();
    let (p, s) = rest.split_once('.').unwrap();
    // Padding, standard alphabet, whitespace, altered trailing bits.
    invalid(&c, &format!("{h}=.{p}.{s}"), "Invalid header padding");
    invalid(
        &c,
        &format!("{h}.{p}.{}", s.replace('-', "+").replace('_', "/") + "+"),
        "Invalid crypto padding",
    );
    invalid(&c, &format!("{h}.{p}.{s}="), "Invalid crypto padding");
    // 32-byte HMAC → 43 chars: the last char carries 2 unused bits; flipping them keeps the bytes.
    let last = s.chars().last().unwrap();
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let idx = alphabet.find(last).unwrap();
    let altered = alphabet.chars().nth(idx ^ 1).unwrap();
    invalid(
        &c,
        &format!("{h}.{p}.{}{altered}", &s[..s.len() - 1]),
        "Invalid crypto padding",
    );
}

#[test]
fn header_and_payload_must_be_json_objects() {
    let c = client();
    let sig = "x".repeat(43);
    let (status, msg) = check(&c, &format!("{}.{}.{sig}", b64(b"not json"), b64(b"{}")));
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(msg.starts_with("Invalid header string: "), "{msg}");
    invalid(
        &c,
        &format!("{}.{}.{sig}", b64(b"[1,2]"), b64(b"{}")),
        "Invalid header string: must be a json object",
    );
    let t = forge_raw(r#"{"alg":"HS256"}"#, "[1]", SECRET);
    invalid(&c, &t, "Invalid payload string: must be a json object");
    let t = forge_raw(r#"{"alg":"HS256"}"#, "\u{feff}{}", SECRET);
    assert!(check(&c, &t).1.starts_with("Invalid payload string: "));
    let deep = format!("{{\"sub\":{}1{}}}", "[".repeat(200), "]".repeat(200));
    let t = forge_raw(r#"{"alg":"HS256"}"#, &deep, SECRET);
    assert!(check(&c, &t).1.starts_with("Invalid payload string: "));
}

#[test]
fn wrong_key_or_tampering_fails_the_signature() {
    let c = client();
    let t = forge_raw(
        r#"{"alg":"HS256","typ":"JWT"}"#,
        &claims(json!({})).to_string(),
        "another-secret-key-that-is-at-least-32-bytes",
    );
    invalid(&c, &t, "Signature verification failed");
    let good = forge(json!({}));
    let (h, rest) = good.split_once('.').unwrap();
    let (_, s) = rest.split_once('.').unwrap();
    let tampered = b64(claims(json!({"sub": "root"})).to_string().as_bytes());
    invalid(
        &c,
        &format!("{h}.{tampered}.{s}"),
        "Signature verification failed",
    );
    invalid(
        &c,
        &format!("{h}.{}.{}", rest.split_once('.').unwrap().0, &s[..20]),
        "Signature verification failed",
    );
}

#[test]
fn empty_signature_is_refused() {
    let c = client();
    let good = forge(json!({}));
    let input = good.rsplit_once('.').unwrap().0;
    invalid(&c, &format!("{input}."), "Signature verification failed");
}

#[test]
fn algorithm_allow_list() {
    let c = client();
    let payload = claims(json!({})).to_string();
    for alg in ["HS384", "HS512"] {
        invalid(
            &c,
            &forge_raw(
                &format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#),
                &payload,
                SECRET,
            ),
            "The specified alg value is not allowed",
        );
    }
    for none in ["none", "None", "NONE", "nOnE"] {
        let input = format!(
            "{}.{}",
            b64(format!(r#"{{"alg":"{none}"}}"#).as_bytes()),
            b64(payload.as_bytes())
        );
        invalid(
            &c,
            &format!("{input}."),
            "The specified alg value is not allowed",
        );
        // alg none with the original signature kept.
        let kept = forge(json!({}));
        let sig = kept.rsplit_once('.').unwrap().1;
        invalid(
            &c,
            &format!("{input}.{sig}"),
            "The specified alg value is not allowed",
        );
    }
    invalid(
        &c,
        &forge_raw(r#"{"typ":"JWT"}"#, &payload, SECRET),
        "Algorithm not specified",
    );
    invalid(
        &c,
        &forge_raw(r#"{"alg":256}"#, &payload, SECRET),
        "The specified alg value is not allowed",
    );
}

#[test]
fn decode_algorithms_extend_the_allow_list() {
    let c = client_with(figment().merge(("jwt_decode_algorithms", ["HS512"])));
    let payload = claims(json!({})).to_string();
    assert_eq!(
        check(&c, &forge_raw(r#"{"alg":"HS512"}"#, &payload, SECRET)).0,
        Status::Ok
    );
    assert_eq!(
        check(&c, &forge_raw(r#"{"alg":"HS256"}"#, &payload, SECRET)).0,
        Status::Ok
    );
    invalid(
        &c,
        &forge_raw(r#"{"alg":"HS384"}"#, &payload, SECRET),
        "The specified alg value is not allowed",
    );
}

#[test]
fn crit_header_is_refused() {
    let c = client();
    let payload = claims(json!({})).to_string();
    let cases = [
        (
            r#"{"alg":"HS256","crit":["exp"]}"#,
            "Unsupported critical extension: exp",
        ),
        (
            r#"{"alg":"HS256","crit":[]}"#,
            "Invalid 'crit' header: must be a non-empty list",
        ),
        (
            r#"{"alg":"HS256","crit":"exp"}"#,
            "Invalid 'crit' header: must be a non-empty list",
        ),
        (
            r#"{"alg":"HS256","crit":[1]}"#,
            "Invalid 'crit' header: values must be strings",
        ),
        (
            r#"{"alg":"HS256","crit":["b64"],"b64":false}"#,
            "Unsupported critical extension: b64",
        ),
    ];
    for (header, msg) in cases {
        invalid(&c, &forge_raw(header, &payload, SECRET), msg);
    }
}

#[test]
fn kid_must_be_a_string() {
    let c = client();
    let payload = claims(json!({})).to_string();
    invalid(
        &c,
        &forge_raw(r#"{"alg":"HS256","kid":1}"#, &payload, SECRET),
        "Key ID header parameter must be a string",
    );
    assert_eq!(
        check(
            &c,
            &forge_raw(
                r#"{"alg":"HS256","kid":"../../dev/null"}"#,
                &payload,
                SECRET
            )
        )
        .0,
        Status::Ok
    );
}

#[test]
fn duplicate_members_are_refused() {
    let c = client();
    let now = now();
    let (status, msg) = check(
        &c,
        &forge_raw(
            r#"{"alg":"HS256","alg":"HS256"}"#,
            &claims(json!({})).to_string(),
            SECRET,
        ),
    );
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(msg.contains("duplicate member \"alg\""), "{msg}");
    for claim in ["exp", "type", "fresh", "csrf", "sub"] {
        let body = claims(json!({})).to_string();
        let dup = format!(
            r#"{{"{claim}":{},{}"#,
            if claim == "exp" {
                (now + 900).to_string()
            } else {
                "\"x\"".into()
            },
            &body[1..]
        );
        let (status, msg) = check(&c, &forge_raw(r#"{"alg":"HS256"}"#, &dup, SECRET));
        assert_eq!(status, Status::UnprocessableEntity, "{claim}");
        assert!(
            msg.starts_with("Invalid payload string: duplicate member"),
            "{claim}: {msg}"
        );
    }
}

#[test]
fn expired_token_is_401() {
    let c = client();
    assert_eq!(
        check(&c, &forge(json!({"exp": now() - 30}))),
        (Status::Unauthorized, "Token has expired".into())
    );
    // exp == now is expired ("on or after"), negative too.
    assert_eq!(
        check(&c, &forge(json!({"exp": now()}))),
        (Status::Unauthorized, "Token has expired".into())
    );
    assert_eq!(
        check(&c, &forge(json!({"exp": -5}))),
        (Status::Unauthorized, "Token has expired".into())
    );
}

#[test]
fn no_exp_never_expires() {
    let c = client();
    assert_eq!(check(&c, &forge(json!({"exp": null}))).0, Status::Ok);
}

#[test]
fn leeway_accepts_recently_expired_tokens() {
    let c = client_with(figment().merge(("jwt_decode_leeway", 120)));
    assert_eq!(check(&c, &forge(json!({"exp": now() - 60}))).0, Status::Ok);
    assert_eq!(
        check(&c, &forge(json!({"exp": now() - 200}))).0,
        Status::Unauthorized
    );
    assert_eq!(
        check(&c, &forge(json!({"nbf": now() + 60, "iat": now() + 60}))).0,
        Status::Ok
    );
}

#[test]
fn not_yet_valid_tokens_are_422() {
    let c = client();
    invalid(
        &c,
        &forge(json!({"nbf": now() + 60})),
        "The token is not yet valid (nbf)",
    );
    invalid(
        &c,
        &forge(json!({"iat": now() + 60})),
        "The token is not yet valid (iat)",
    );
}

#[test]
fn time_claims_must_be_integers() {
    let c = client();
    for bad in [
        json!("soon"),
        json!(1.5),
        json!(1e300),
        json!(true),
        json!(null),
    ] {
        if bad.is_null() {
            continue;
        }
        invalid(
            &c,
            &forge(json!({"exp": bad.clone()})),
            "Expiration Time claim (exp) must be an integer.",
        );
        invalid(
            &c,
            &forge(json!({"nbf": bad.clone()})),
            "Not Before claim (nbf) must be an integer.",
        );
        invalid(
            &c,
            &forge(json!({"iat": bad.clone()})),
            "Issued At claim (iat) must be an integer.",
        );
    }
}

#[test]
fn missing_identity_claim() {
    let c = client();
    invalid(&c, &forge(json!({"sub": null})), "Missing claim: sub");
    let c = client_with(figment().merge(("jwt_identity_claim", "identity")));
    invalid(&c, &forge(json!({})), "Missing claim: identity");
    let (status, body) = json_of(
        c.get("/protected")
            .header(bearer(&forge(json!({"sub": null, "identity": "bob"}))))
            .dispatch(),
    );
    assert_eq!(status, Status::Ok);
    assert_eq!(body["identity"], "bob");
}

#[test]
fn subject_must_be_a_string_unless_disabled() {
    let c = client();
    invalid(&c, &forge(json!({"sub": 5})), "Subject must be a string");
    invalid(
        &c,
        &forge(json!({"sub": {"id": 5}})),
        "Subject must be a string",
    );
    let c = client_with(figment().merge(("jwt_verify_sub", false)));
    let (status, body) = json_of(
        c.get("/protected")
            .header(bearer(&forge(json!({"sub": 5}))))
            .dispatch(),
    );
    assert_eq!(status, Status::Ok);
    assert_eq!(body["identity"], "5");
}

#[test]
fn jti_must_be_a_string() {
    let c = client();
    invalid(&c, &forge(json!({"jti": 7})), "JWT ID must be a string");
}

#[test]
fn audience_is_checked_only_when_configured() {
    let c = client();
    assert_eq!(check(&c, &forge(json!({"aud": "anything"}))).0, Status::Ok);
    let c = client_with(figment().merge(("jwt_decode_audience", "urn:expected")));
    invalid(&c, &forge(json!({})), "Token is missing the \"aud\" claim");
    invalid(
        &c,
        &forge(json!({"aud": "urn:other"})),
        "Audience doesn't match",
    );
    invalid(&c, &forge(json!({"aud": "urn:"})), "Audience doesn't match");
    invalid(
        &c,
        &forge(json!({"aud": 5})),
        "Invalid claim format in token",
    );
    invalid(
        &c,
        &forge(json!({"aud": ["urn:expected", 5]})),
        "Invalid claim format in token",
    );
    assert_eq!(
        check(&c, &forge(json!({"aud": "urn:expected"}))).0,
        Status::Ok
    );
    assert_eq!(
        check(&c, &forge(json!({"aud": ["x", "urn:expected"]}))).0,
        Status::Ok
    );
}

#[test]
fn issuer_is_checked_when_configured() {
    let c = client_with(figment().merge(("jwt_decode_issuer", "https://issuer.example")));
    invalid(&c, &forge(json!({})), "Token is missing the \"iss\" claim");
    invalid(
        &c,
        &forge(json!({"iss": "https://evil.example"})),
        "Invalid issuer",
    );
    invalid(
        &c,
        &forge(json!({"iss": "https://issuer"})),
        "Invalid issuer",
    );
    invalid(
        &c,
        &forge(json!({"iss": ["https://issuer.example"]})),
        "Payload Issuer (iss) must be a string",
    );
    assert_eq!(
        check(&c, &forge(json!({"iss": "https://issuer.example"}))).0,
        Status::Ok
    );
}

#[test]
fn expired_and_invalid_reports_the_later_error_as_flask_does() {
    // flask re-decodes an expired token with allow_expired; a failing later check wins.
    let c = client_with(figment().merge(("jwt_decode_issuer", "me")));
    invalid(
        &c,
        &forge(json!({"exp": now() - 10, "iss": "other"})),
        "Invalid issuer",
    );
}

#[test]
fn oversize_tokens_are_refused_before_decoding() {
    let c = client();
    let big = forge(json!({"pad": "x".repeat(9000)}));
    invalid(&c, &big, "Token is larger than 8192 bytes");
    let c = client_with(figment().merge(("jwt_max_token_size", 20000)));
    assert_eq!(check(&c, &big).0, Status::Ok);
}

#[test]
fn decode_token_and_unverified_headers() {
    let c = client();
    let s = state(&c);
    let t = forge(json!({"exp": now() - 10}));
    assert!(matches!(
        s.decode_token(&t, false),
        Err(rocket_jwt_extended::JwtError::Expired(Some(_)))
    ));
    let ok = s.decode_token(&t, true).expect("allow_expired");
    assert_eq!(ok.identity(), "admin");
    assert_eq!(ok.claims().token_type(), "access");
    let h = s
        .get_unverified_jwt_headers(&forge_raw(
            r#"{"alg":"HS256","kid":"k1"}"#,
            "{}",
            "wrong-secret",
        ))
        .unwrap();
    assert_eq!(h.kid(), Some("k1"));
    assert!(s.get_unverified_jwt_headers("abc").is_err());
}

#[test]
fn defaults_for_type_fresh_and_jti_are_filled_in() {
    let c = client();
    let (status, body) = json_of(
        c.get("/protected")
            .header(bearer(&forge(
                json!({"type": null, "fresh": null, "jti": null}),
            )))
            .dispatch(),
    );
    assert_eq!(status, Status::Ok);
    assert_eq!(body["claims"]["type"], "access");
    assert_eq!(body["claims"]["fresh"], false);
    assert!(body["claims"]["jti"].is_null());
    assert!(body["claims"].as_object().unwrap().contains_key("jti"));
}
