//! Asymmetric keys, key sets with `kid`, rotation and the published JWKS
//! (checklist 5, 6, 7, 9, 25, 32, 33). Every key is generated here.

use std::sync::OnceLock;

use rocket::figment::Figment;
use rocket::http::Status;
use rocket::local::blocking::Client;
use rocket::serde::json::{json, Value};
use rocket_jwt_extended::keys::{generate_key_pair, generate_rsa_key_pair, Algorithm, KeyPair};
use rocket_jwt_extended::testing::JwtTestRequest;
use rocket_jwt_extended::{EncodeError, JwtConfig, JwtManager};

use crate::common::*;

/// A figment with no key at all.
fn bare() -> Figment {
    Figment::from(rocket::Config::debug_default()).merge(("log_level", "off"))
}

/// One key pair per algorithm, generated once for the whole run.
fn pair(alg: &str) -> &'static KeyPair {
    static PAIRS: OnceLock<Vec<(&'static str, KeyPair)>> = OnceLock::new();
    let pairs = PAIRS.get_or_init(|| {
        ["RS256", "RS256-b", "ES256", "ES384", "EdDSA", "ES256-b"]
            .into_iter()
            .map(|name| {
                let alg: Algorithm = name.split('-').next().unwrap().parse().unwrap();
                (name, generate_key_pair(alg).unwrap())
            })
            .collect()
    });
    &pairs
        .iter()
        .find(|(n, _)| *n == alg)
        .expect("a generated pair")
        .1
}

fn signing(alg: &str, key: &str) -> Figment {
    bare()
        .merge(("jwt_algorithm", alg))
        .merge(("jwt_private_key", pair(key).private_pem.clone()))
}

fn refused(f: Figment) -> rocket_jwt_extended::ConfigError {
    JwtConfig::from_figment(&f).expect_err("configuration must be refused")
}

fn header_of(token: &str) -> Value {
    use base64::Engine as _;
    let seg = token.split('.').next().unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(seg)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// Signs `claims` with a raw jsonwebtoken call, as another issuer would.
fn foreign(alg: Algorithm, private_pem: &str, kid: Option<&str>, claims: Value) -> String {
    use jsonwebtoken::{EncodingKey, Header};
    let key = match alg {
        Algorithm::ES256 | Algorithm::ES384 => EncodingKey::from_ec_pem(private_pem.as_bytes()),
        Algorithm::EdDSA => EncodingKey::from_ed_pem(private_pem.as_bytes()),
        _ => EncodingKey::from_rsa_pem(private_pem.as_bytes()),
    }
    .unwrap();
    let mut header = Header::new(alg);
    header.kid = kid.map(str::to_owned);
    jsonwebtoken::encode(&header, &claims, &key).unwrap()
}

fn protected(c: &Client, token: &str) -> (Status, Value) {
    json_of(c.get("/protected").header(bearer(token)).dispatch())
}

#[test]
fn every_asymmetric_algorithm_signs_and_verifies() {
    for (alg, key) in [
        ("RS256", "RS256"),
        ("RS384", "RS256"),
        ("RS512", "RS256"),
        ("PS256", "RS256"),
        ("PS384", "RS256"),
        ("PS512", "RS256"),
        ("ES256", "ES256"),
        ("ES384", "ES384"),
        ("EdDSA", "EdDSA"),
    ] {
        let c = client_with(signing(alg, key));
        let token = state(&c).create_access_token("alice").unwrap();
        let header = header_of(&token);
        assert_eq!(header["alg"], alg);
        let kid = header["kid"].as_str().expect("a kid on every token");
        let (status, body) = protected(&c, &token);
        assert_eq!(status, Status::Ok, "{alg}: {body}");
        assert_eq!(body["identity"], "alice");
        // The kid is the RFC 7638 thumbprint of the key, published as such.
        let jwks: Value = c
            .rocket()
            .state::<rocket_jwt_extended::JwtState>()
            .unwrap()
            .jwks();
        assert_eq!(jwks["keys"][0]["kid"], kid, "{alg}");
        assert_eq!(jwks["keys"][0]["alg"], alg);

        // A token of the same algorithm from another key is refused.
        let other = match key {
            "RS256" => "RS256-b",
            "ES256" => "ES256-b",
            _ => continue,
        };
        let alg_: Algorithm = alg.parse().unwrap();
        let forged = foreign(alg_, &pair(other).private_pem, Some(kid), claims(json!({})));
        assert_eq!(
            answer(c.get("/protected").header(bearer(&forged)).dispatch()),
            says(Status::UnprocessableEntity, "Signature verification failed"),
            "{alg}"
        );
    }
}

#[test]
fn a_public_key_alone_verifies_and_cannot_sign() {
    let issuer = client_with(signing("ES256", "ES256"));
    let token = state(&issuer).create_access_token("bob").unwrap();
    let verifier = client_with(
        bare()
            .merge(("jwt_algorithm", "ES256"))
            .merge(("jwt_public_key", pair("ES256").public_pem.clone())),
    );
    let (status, body) = protected(&verifier, &token);
    assert_eq!((status, &body["identity"]), (Status::Ok, &json!("bob")));
    assert_eq!(
        state(&verifier).create_access_token("bob").unwrap_err(),
        EncodeError::NoSigningKey
    );
}

#[test]
fn keys_are_read_from_files_at_ignite() {
    let dir = std::env::temp_dir().join(format!("jwt-keys-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let private = dir.join("private.pem");
    let public = dir.join("public.pem");
    std::fs::write(&private, &pair("RS256").private_pem).unwrap();
    std::fs::write(&public, &pair("RS256").public_pem).unwrap();
    let both = bare()
        .merge(("jwt_algorithm", "RS256"))
        .merge(("jwt_private_key_file", private.to_str().unwrap()))
        .merge(("jwt_public_key_file", public.to_str().unwrap()));
    let c = client_with(both.clone());
    let ok = c.get("/protected").as_identity("carol").dispatch();
    assert_eq!(ok.status(), Status::Ok);

    let missing = bare().merge(("jwt_algorithm", "RS256")).merge((
        "jwt_private_key_file",
        dir.join("nope.pem").to_str().unwrap(),
    ));
    let e = refused(missing);
    assert_eq!(e.key, "jwt_private_key_file");
    assert!(e.message.contains("cannot read"), "{e}");
    let twice = both.merge(("jwt_private_key", pair("RS256").private_pem.clone()));
    assert_eq!(refused(twice).key, "jwt_private_key_file");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_pem_in_one_line_with_escaped_newlines_is_read() {
    let one_line = pair("ES256").private_pem.trim_end().replace('\n', "\\n");
    assert!(!one_line.contains('\n'));
    let c = client_with(
        bare()
            .merge(("jwt_algorithm", "ES256"))
            .merge(("jwt_private_key", one_line)),
    );
    let ok = c.get("/protected").as_identity("alice").dispatch();
    assert_eq!(ok.status(), Status::Ok);
}

#[test]
fn bad_keys_refuse_the_launch_naming_the_key() {
    // No key for an asymmetric algorithm.
    let e = refused(bare().merge(("jwt_algorithm", "RS256")));
    assert_eq!(e.key, "jwt_public_key");
    assert!(
        e.message
            .contains("asymmetric cryptography algorithm \"RS256\""),
        "{e}"
    );

    // A PEM that is not a key of the algorithm's type.
    let e = refused(signing("RS256", "ES256"));
    assert_eq!(e.key, "jwt_private_key");
    assert!(e.message.contains("not an RSA private key"), "{e}");
    let e = refused(bare().merge(("jwt_algorithm", "EdDSA")).merge((
        "jwt_public_key",
        "-----BEGIN PUBLIC KEY-----\ngarbage\n-----END PUBLIC KEY-----\n",
    )));
    assert_eq!(e.key, "jwt_public_key");

    // RSA under 2048 bits (checklist 25).
    let short = generate_rsa_key_pair(1024).unwrap();
    let e = refused(
        bare()
            .merge(("jwt_algorithm", "RS256"))
            .merge(("jwt_private_key", short.private_pem.clone())),
    );
    assert_eq!(e.key, "jwt_private_key");
    assert!(
        e.message.contains("1024 bits") && e.message.contains("2048"),
        "{e}"
    );
    let e = refused(
        bare()
            .merge(("jwt_algorithm", "PS256"))
            .merge(("jwt_public_key", short.public_pem.clone())),
    );
    assert!(e.message.contains("1024 bits"), "{e}");

    // A private key that does not match the public key.
    let e = refused(
        signing("RS256", "RS256").merge(("jwt_public_key", pair("RS256-b").public_pem.clone())),
    );
    assert_eq!(e.key, "jwt_private_key");
    assert!(e.message.contains("does not match"), "{e}");

    // A curve that does not match the algorithm.
    let e = refused(signing("ES256", "ES384"));
    assert_eq!(e.key, "jwt_private_key");
    assert!(
        e.message.contains("P-384") && e.message.contains("ES256 needs P-256"),
        "{e}"
    );
    let e = refused(
        bare()
            .merge(("jwt_algorithm", "ES384"))
            .merge(("jwt_public_key", pair("ES256").public_pem.clone())),
    );
    assert!(e.message.contains("curve P-256"), "{e}");

    // A key for an HS algorithm: the algorithm was probably forgotten.
    let e = refused(figment().merge(("jwt_private_key", pair("RS256").private_pem.clone())));
    assert_eq!(e.key, "jwt_private_key");
    assert!(e.message.contains("set jwt_algorithm"), "{e}");

    // Mixed families need a key each.
    let e = refused(signing("RS256", "RS256").merge(("jwt_decode_algorithms", ["RS256", "HS256"])));
    assert_eq!(e.key, "jwt_secret_key");
    let e = refused(signing("RS256", "RS256").merge(("jwt_decode_algorithms", ["ES256"])));
    assert_eq!(e.key, "jwt_decode_algorithms");
    let e = refused(bare().merge(("jwt_algorithm", "ES512")));
    assert_eq!(e.key, "jwt_algorithm");

    // The launch itself fails, not the first request.
    let rocket = rocket::custom(bare().merge(("jwt_algorithm", "ES256"))).attach(JwtManager::new());
    match Client::untracked(rocket) {
        Err(e) => assert!(matches!(
            e.kind(),
            rocket::error::ErrorKind::FailedFairings(_)
        )),
        Ok(_) => panic!("launched without a key"),
    }
}

#[test]
fn mixed_families_verify_each_with_its_own_key() {
    let c = client_with(
        signing("RS256", "RS256")
            .merge(("jwt_secret_key", SECRET))
            .merge(("jwt_decode_algorithms", ["RS256", "HS256"])),
    );
    let rs = state(&c).create_access_token("alice").unwrap();
    assert_eq!(header_of(&rs)["alg"], "RS256");
    assert_eq!(protected(&c, &rs).0, Status::Ok);
    assert_eq!(protected(&c, &forge(json!({}))).0, Status::Ok);
}

/// The public key's bytes in the forms an attacker feeds an HMAC (checklist 5).
fn public_key_forms(public_pem: &str) -> Vec<Vec<u8>> {
    use base64::Engine as _;
    let std = base64::engine::general_purpose::STANDARD;
    let body: String = public_pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let der = std.decode(&body).unwrap();
    // OpenSSH: "ssh-rsa " + base64(string "ssh-rsa", mpint e, mpint n).
    let key = jsonwebtoken::DecodingKey::from_rsa_pem(public_pem.as_bytes()).unwrap();
    let jwk = jsonwebtoken::jwk::Jwk::from_decoding_key(&key, None).unwrap();
    let jwk = serde_json::to_value(&jwk).unwrap();
    let url = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mpint = |b64: &str| {
        let mut v = url.decode(b64).unwrap();
        if v[0] & 0x80 != 0 {
            v.insert(0, 0);
        }
        v
    };
    let mut blob = Vec::new();
    for part in [
        b"ssh-rsa".to_vec(),
        mpint(jwk["e"].as_str().unwrap()),
        mpint(jwk["n"].as_str().unwrap()),
    ] {
        blob.extend((part.len() as u32).to_be_bytes());
        blob.extend(part);
    }
    let ssh = format!("ssh-rsa {}", std.encode(blob)).into_bytes();
    vec![
        public_pem.as_bytes().to_vec(),
        public_pem.trim_end().as_bytes().to_vec(),
        der,
        ssh,
    ]
}

#[test]
fn rs_to_hs_confusion_is_refused() {
    let public = &pair("RS256").public_pem;
    let only_rs = client_with(signing("RS256", "RS256"));
    let mixed = client_with(
        signing("RS256", "RS256")
            .merge(("jwt_secret_key", SECRET))
            .merge(("jwt_decode_algorithms", ["RS256", "HS256"])),
    );
    let kid = header_of(&state(&only_rs).create_access_token("x").unwrap())["kid"].clone();
    for secret in public_key_forms(public) {
        for header in [
            json!({"alg": "HS256", "typ": "JWT"}),
            json!({"alg": "HS256", "kid": kid}),
        ] {
            let input = format!(
                "{}.{}",
                b64(header.to_string().as_bytes()),
                b64(claims(json!({})).to_string().as_bytes())
            );
            let token = format!("{input}.{}", sign("HS256", &input, &secret));
            assert_eq!(
                answer(only_rs.get("/protected").header(bearer(&token)).dispatch()),
                says(
                    Status::UnprocessableEntity,
                    "The specified alg value is not allowed"
                )
            );
            // HS256 is allowed there, with the configured secret: the
            // public key's bytes are not it.
            assert_eq!(
                answer(mixed.get("/protected").header(bearer(&token)).dispatch()),
                says(Status::UnprocessableEntity, "Signature verification failed"),
                "{header}"
            );
        }
    }
}

#[test]
fn embedded_keys_and_key_urls_are_never_used() {
    // A listener that records whether anything connects to it.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}/keys", listener.local_addr().unwrap());

    let c = client_with(signing("RS256", "RS256"));
    let attacker = pair("RS256-b");
    let key = jsonwebtoken::DecodingKey::from_rsa_pem(attacker.public_pem.as_bytes()).unwrap();
    let jwk = serde_json::to_value(jsonwebtoken::jwk::Jwk::from_decoding_key(&key, None).unwrap())
        .unwrap();
    for extra in [
        json!({"jwk": jwk}),
        json!({"jku": url}),
        json!({"x5u": url}),
        json!({"x5c": ["MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"]}),
    ] {
        let mut header = json!({"alg": "RS256", "typ": "JWT"});
        header
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let enc = jsonwebtoken::EncodingKey::from_rsa_pem(attacker.private_pem.as_bytes()).unwrap();
        let input = format!(
            "{}.{}",
            b64(header.to_string().as_bytes()),
            b64(claims(json!({})).to_string().as_bytes())
        );
        let sig = jsonwebtoken::crypto::sign(input.as_bytes(), &enc, Algorithm::RS256).unwrap();
        let token = format!("{input}.{sig}");
        assert_eq!(
            answer(c.get("/protected").header(bearer(&token)).dispatch()),
            says(Status::UnprocessableEntity, "Signature verification failed"),
            "{extra}"
        );
    }
    assert!(listener.accept().is_err(), "something was fetched");
}

#[test]
fn ecdsa_signatures_of_zeros_are_refused() {
    for (alg, key, len) in [("ES256", "ES256", 64), ("ES384", "ES384", 96)] {
        let c = client_with(signing(alg, key));
        let input = format!(
            "{}.{}",
            b64(json!({"alg": alg, "typ": "JWT"}).to_string().as_bytes()),
            b64(claims(json!({})).to_string().as_bytes())
        );
        for sig in [vec![0u8; len], vec![]] {
            let token = format!("{input}.{}", b64(&sig));
            assert_eq!(
                answer(c.get("/protected").header(bearer(&token)).dispatch()),
                says(Status::UnprocessableEntity, "Signature verification failed"),
                "{alg}"
            );
        }
    }
}

/// A key-set entry.
fn entry(kid: &str, alg: &str, which: &str, key: &str) -> Value {
    let p = pair(key);
    match which {
        "private" => json!({"kid": kid, "algorithm": alg, "private_key": p.private_pem}),
        "signing" => {
            json!({"kid": kid, "algorithm": alg, "private_key": p.private_pem, "signing": true})
        }
        _ => json!({"kid": kid, "algorithm": alg, "public_key": p.public_pem}),
    }
}

fn with_set(set: Vec<Value>) -> Figment {
    bare().merge(("jwt_keys", set))
}

#[test]
fn a_key_set_signs_with_one_and_verifies_with_all() {
    let set = vec![
        entry("new", "ES256", "signing", "ES256"),
        entry("old", "RS256", "public", "RS256"),
        json!({"kid": "hs", "algorithm": "HS256", "secret": SECRET}),
    ];
    let c = client_with(with_set(set));
    let token = state(&c).create_access_token("alice").unwrap();
    assert_eq!(header_of(&token)["kid"], "new");
    assert_eq!(header_of(&token)["alg"], "ES256");
    assert_eq!(protected(&c, &token).0, Status::Ok);

    let old = foreign(
        Algorithm::RS256,
        &pair("RS256").private_pem,
        Some("old"),
        claims(json!({})),
    );
    assert_eq!(protected(&c, &old).0, Status::Ok);
    let hs = forge_raw(
        r#"{"alg":"HS256","kid":"hs"}"#,
        &claims(json!({})).to_string(),
        SECRET,
    );
    assert_eq!(protected(&c, &hs).0, Status::Ok);

    // A kid lends its key to no other algorithm; unknown kids are refused.
    let wrong = foreign(
        Algorithm::RS256,
        &pair("RS256").private_pem,
        Some("new"),
        claims(json!({})),
    );
    assert_eq!(
        answer(c.get("/protected").header(bearer(&wrong)).dispatch()),
        says(
            Status::UnprocessableEntity,
            "The specified alg value is not allowed"
        )
    );
    for kid in [
        "",
        "../../dev/null",
        "x' UNION SELECT '1';--",
        "|sleep 10",
        "NEW",
    ] {
        let t = foreign(
            Algorithm::RS256,
            &pair("RS256").private_pem,
            Some(kid),
            claims(json!({})),
        );
        assert_eq!(
            answer(c.get("/protected").header(bearer(&t)).dispatch()),
            says(
                Status::UnprocessableEntity,
                "Unable to find a signing key that matches the token's kid"
            ),
            "{kid:?}"
        );
    }
    // Without a kid: the one key of its algorithm.
    let bare_old = foreign(
        Algorithm::RS256,
        &pair("RS256").private_pem,
        None,
        claims(json!({})),
    );
    assert_eq!(protected(&c, &bare_old).0, Status::Ok);

    // The JWKS names every public key, and never the secret.
    let res = c.get("/.well-known/jwks.json").dispatch();
    assert_eq!(res.status(), Status::Ok);
    assert_eq!(
        res.headers().get_one("Cache-Control"),
        Some("public, max-age=300")
    );
    let jwks: Value = res.into_json().unwrap();
    let keys = jwks["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 2, "{jwks}");
    assert_eq!(
        (
            &keys[0]["kid"],
            &keys[0]["alg"],
            &keys[0]["kty"],
            &keys[0]["crv"],
            &keys[0]["use"]
        ),
        (
            &json!("new"),
            &json!("ES256"),
            &json!("EC"),
            &json!("P-256"),
            &json!("sig")
        )
    );
    assert_eq!(
        (&keys[1]["kid"], &keys[1]["kty"], &keys[1]["alg"]),
        (&json!("old"), &json!("RSA"), &json!("RS256"))
    );
    assert!(keys
        .iter()
        .all(|k| k.get("d").is_none() && k.get("k").is_none()));
    assert!(!jwks.to_string().contains(&SECRET[..12]));
}

#[test]
fn no_kid_and_two_keys_of_its_algorithm_is_refused() {
    let c = client_with(with_set(vec![
        entry("a", "ES256", "signing", "ES256"),
        entry("b", "ES256", "public", "ES256-b"),
    ]));
    let t = foreign(
        Algorithm::ES256,
        &pair("ES256-b").private_pem,
        None,
        claims(json!({})),
    );
    assert_eq!(
        answer(c.get("/protected").header(bearer(&t)).dispatch()),
        says(
            Status::UnprocessableEntity,
            "The token has no kid and several keys could verify it"
        )
    );
}

#[test]
fn bad_key_sets_refuse_the_launch() {
    let cases: Vec<(Vec<Value>, &str)> = vec![
        (vec![], "at least one key"),
        (
            vec![json!({"algorithm": "RS256", "public_key": pair("RS256").public_pem})],
            "non-empty `kid`",
        ),
        (
            vec![
                entry("a", "RS256", "public", "RS256"),
                entry("a", "ES256", "public", "ES256"),
            ],
            "used twice",
        ),
        (
            vec![
                entry("a", "RS256", "signing", "RS256"),
                entry("b", "ES256", "signing", "ES256"),
            ],
            "exactly one signs",
        ),
        (
            vec![
                entry("a", "RS256", "private", "RS256"),
                entry("b", "ES256", "private", "ES256"),
            ],
            "signing = true",
        ),
        (
            vec![
                json!({"kid": "a", "algorithm": "RS256", "public_key": pair("RS256").public_pem, "signing": true}),
            ],
            "needs a private key",
        ),
        (
            vec![json!({"kid": "a", "algorithm": "HS256", "secret": "short"})],
            "needs at least 32 bytes",
        ),
        (
            vec![json!({"kid": "a", "algorithm": "HS256", "public_key": pair("RS256").public_pem})],
            "takes a `secret`",
        ),
        (vec![entry("a", "ES256", "public", "ES384")], "curve P-384"),
        (
            vec![
                json!({"kid": "a", "algorithm": "RS256", "public_key": generate_rsa_key_pair(1024).unwrap().public_pem}),
            ],
            "1024 bits",
        ),
        (
            vec![
                json!({"kid": "a", "algorithm": "RS256", "public_key": pair("RS256").public_pem, "color": "red"}),
            ],
            "color",
        ),
    ];
    for (set, says) in cases {
        let e = refused(with_set(set.clone()));
        assert!(
            e.key == "jwt_keys" && e.message.contains(says),
            "{set:?}: {e}"
        );
    }
    let e = refused(
        with_set(vec![entry("a", "RS256", "signing", "RS256")]).merge(("jwt_secret_key", SECRET)),
    );
    assert_eq!(e.key, "jwt_secret_key");
    let e = refused(
        with_set(vec![entry("a", "RS256", "signing", "RS256")]).merge(("jwt_algorithm", "ES256")),
    );
    assert_eq!(e.key, "jwt_algorithm");
    let e = refused(
        with_set(vec![entry("a", "RS256", "signing", "RS256")])
            .merge(("jwt_decode_algorithms", ["EdDSA"])),
    );
    assert_eq!(e.key, "jwt_decode_algorithms");
}

#[test]
fn rotation_logs_nobody_out() {
    // Step 1: one key. Step 2 (mid-rollout): instance A still signs with the
    // old key, B already with the new one, both verify both. Step 3: the old
    // key is dropped once its tokens have expired.
    let before = client_with(with_set(vec![entry(
        "2026-06", "RS256", "signing", "RS256",
    )]));
    let a = client_with(with_set(vec![
        entry("2026-06", "RS256", "signing", "RS256"),
        entry("2026-12", "RS256", "public", "RS256-b"),
    ]));
    let b = client_with(with_set(vec![
        entry("2026-12", "RS256", "signing", "RS256-b"),
        entry("2026-06", "RS256", "public", "RS256"),
    ]));
    let after = client_with(with_set(vec![entry(
        "2026-12", "RS256", "signing", "RS256-b",
    )]));

    let old_token = state(&before).create_access_token("alice").unwrap();
    let from_a = state(&a).create_access_token("alice").unwrap();
    let from_b = state(&b).create_access_token("alice").unwrap();
    assert_eq!(header_of(&from_a)["kid"], "2026-06");
    assert_eq!(header_of(&from_b)["kid"], "2026-12");
    for c in [&a, &b] {
        for t in [&old_token, &from_a, &from_b] {
            assert_eq!(protected(c, t).0, Status::Ok);
        }
    }
    assert_eq!(protected(&after, &from_b).0, Status::Ok);
    assert_eq!(
        answer(after.get("/protected").header(bearer(&from_a)).dispatch()),
        says(
            Status::UnprocessableEntity,
            "Unable to find a signing key that matches the token's kid"
        )
    );
}

#[test]
fn the_published_jwks_verifies_what_we_sign() {
    let c = client_with(signing("PS256", "RS256").merge(("jwt_jwks_cache_max_age", 60)));
    let token = state(&c).create_access_token("alice").unwrap();
    let res = c.get("/.well-known/jwks.json").dispatch();
    assert_eq!(
        res.headers().get_one("Cache-Control"),
        Some("public, max-age=60")
    );
    assert_eq!(res.content_type(), Some(rocket::http::ContentType::JSON));
    let set: jsonwebtoken::jwk::JwkSet = res.into_json().unwrap();
    let kid = header_of(&token)["kid"].as_str().unwrap().to_owned();
    let jwk = set.find(&kid).expect("the signing key is published");
    let key = jsonwebtoken::DecodingKey::from_jwk(jwk).unwrap();
    let mut validation = jsonwebtoken::Validation::new(Algorithm::PS256);
    validation.validate_nbf = true;
    let data = jsonwebtoken::decode::<Value>(&token, &key, &validation).unwrap();
    assert_eq!(data.claims["sub"], "alice");

    // A server signing with a secret publishes nothing.
    let c = client();
    let jwks: Value = c
        .get("/.well-known/jwks.json")
        .dispatch()
        .into_json()
        .unwrap();
    assert_eq!(jwks, json!({"keys": []}));
}

#[test]
fn without_keys_an_example_signs_with_an_ephemeral_pair() {
    for alg in ["RS256", "ES256", "EdDSA"] {
        let manager = JwtManager::new().ephemeral_keys_if_unset();
        let one = manager
            .build_state(&bare().merge(("jwt_algorithm", alg)))
            .unwrap();
        let two = manager
            .build_state(&bare().merge(("jwt_algorithm", alg)))
            .unwrap();
        let token = one.create_access_token("alice").unwrap();
        assert!(one.decode_token(&token, false).is_ok());
        // Another launch has another key: nothing in the source signs.
        assert!(two.decode_token(&token, false).is_err(), "{alg}");
        assert_eq!(one.jwks()["keys"].as_array().unwrap().len(), 1);
    }
    // A configured key always wins, a key set included.
    let manager = JwtManager::new().ephemeral_keys_if_unset();
    let set = manager
        .build_state(&with_set(vec![entry("k", "ES256", "signing", "ES256")]))
        .unwrap();
    let token = set.create_access_token("x").unwrap();
    assert_eq!(header_of(&token)["kid"], "k");
    let configured = manager.build_state(&signing("RS256", "RS256")).unwrap();
    let direct = JwtManager::new()
        .build_state(&signing("RS256", "RS256"))
        .unwrap();
    let token = configured.create_access_token("x").unwrap();
    assert!(direct.decode_token(&token, false).is_ok());
}

#[rocket_jwt_extended::encode_key]
fn tenant_private_key(identity: &str) -> String {
    let tenant = if identity == "tenant-b" {
        "ES256-b"
    } else {
        "ES256"
    };
    pair(tenant).private_pem.clone()
}

#[rocket_jwt_extended::decode_key]
fn tenant_public_key(claims: &rocket_jwt_extended::Claims) -> String {
    let tenant = if claims.get_str("sub") == Some("tenant-b") {
        "ES256-b"
    } else {
        "ES256"
    };
    pair(tenant).public_pem.clone()
}

#[rocket_jwt_extended::encode_key]
fn wrong_type_key(_identity: &str) -> String {
    pair("RS256").private_pem.clone()
}

#[test]
fn key_loaders_return_pem_keys_for_asymmetric_algorithms() {
    let manager = JwtManager::new().loaders(rocket_jwt_extended::loaders![
        tenant_private_key,
        tenant_public_key
    ]);
    let c = Client::tracked(app_with(signing("ES256", "ES256"), manager)).unwrap();
    let b = state(&c).create_access_token("tenant-b").unwrap();
    let a = state(&c).create_access_token("tenant-a").unwrap();
    assert_eq!(protected(&c, &a).0, Status::Ok);
    assert_eq!(protected(&c, &b).0, Status::Ok);
    // b's token is really signed with b's key.
    let plain = client_with(signing("ES256", "ES256"));
    assert_eq!(
        answer(plain.get("/protected").header(bearer(&b)).dispatch()),
        says(Status::UnprocessableEntity, "Signature verification failed")
    );
    // A loader's key of the wrong type cannot sign, and says which loader.
    let manager = JwtManager::new().loaders(rocket_jwt_extended::loaders![wrong_type_key]);
    let c = Client::tracked(app_with(signing("ES256", "ES256"), manager)).unwrap();
    let e = state(&c).create_access_token("x").unwrap_err().to_string();
    assert!(
        e.contains("wrong_type_key") && e.contains("not an EC private key"),
        "{e}"
    );
}

#[rocket_jwt_extended::decode_key]
fn always_the_public_key(_header: &rocket_jwt_extended::JwtHeader) -> String {
    pair("RS256").public_pem.clone()
}

#[test]
fn a_decode_key_loader_never_lends_a_public_key_to_hmac() {
    // A loader that returns the public key whatever the token says, with
    // HS256 allowed too: an HS256 token MAC'd with the key's bytes is refused.
    let manager = JwtManager::new().loaders(rocket_jwt_extended::loaders![always_the_public_key]);
    let figment = signing("RS256", "RS256")
        .merge(("jwt_secret_key", SECRET))
        .merge(("jwt_decode_algorithms", ["RS256", "HS256"]));
    let c = Client::tracked(app_with(figment, manager)).unwrap();
    let genuine = foreign(
        Algorithm::RS256,
        &pair("RS256").private_pem,
        None,
        claims(json!({})),
    );
    assert_eq!(protected(&c, &genuine).0, Status::Ok);
    for secret in public_key_forms(&pair("RS256").public_pem) {
        let input = format!(
            "{}.{}",
            b64(br#"{"alg":"HS256","typ":"JWT"}"#),
            b64(claims(json!({})).to_string().as_bytes())
        );
        let token = format!("{input}.{}", sign("HS256", &input, &secret));
        let (status, _) = answer(c.get("/protected").header(bearer(&token)).dispatch());
        assert_ne!(status, Status::Ok);
    }
    let pem = &pair("RS256").public_pem;
    let input = format!(
        "{}.{}",
        b64(br#"{"alg":"HS256","typ":"JWT"}"#),
        b64(claims(json!({})).to_string().as_bytes())
    );
    let token = format!("{input}.{}", sign("HS256", &input, pem.as_bytes()));
    assert_eq!(
        answer(c.get("/protected").header(bearer(&token)).dispatch()),
        says(
            Status::UnprocessableEntity,
            "The specified alg value is not allowed"
        )
    );
}

#[test]
fn a_public_key_is_never_a_secret_and_a_lone_keys_kid_is_ignored() {
    let e = refused(figment().merge(("jwt_secret_key", pair("RS256").public_pem.clone())));
    assert_eq!(e.key, "jwt_secret_key");
    assert!(e.message.contains("never an HMAC secret"), "{e}");
    // One configured key pair: a kid the token brings (flask lets users add
    // one) does not stop it, as in flask-jwt-extended.
    let c = client_with(signing("ES256", "ES256"));
    let flask_like = foreign(
        Algorithm::ES256,
        &pair("ES256").private_pem,
        Some("k1"),
        claims(json!({})),
    );
    assert_eq!(protected(&c, &flask_like).0, Status::Ok);
}
