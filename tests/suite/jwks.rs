//! A resource server verifying tokens with keys fetched from a JWKS URL
//! (checklist 34): a key server on the loopback interface inside the test,
//! rotated, stopped, stalled and restarted, and floods of unknown `kid`s.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rocket::figment::Figment;
use rocket::http::Status;
use rocket::local::blocking::Client;
use rocket::serde::json::{json, Value};
use rocket_jwt_extended::keys::{generate_key_pair, Algorithm, KeyPair};
use rocket_jwt_extended::{Jwks, JwtManager};

use crate::common::*;

/// How the key server answers.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Up,
    /// 503 to every request.
    Down,
    /// Accepts, reads, never answers.
    Stalled,
}

/// A key server: serves `document` at `/jwks.json`, counts requests.
struct KeyServer {
    url: String,
    document: Arc<Mutex<Value>>,
    discovery: Arc<Mutex<Option<Value>>>,
    mode: Arc<Mutex<Mode>>,
    hits: Arc<AtomicUsize>,
    paths: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
}

impl KeyServer {
    fn start(document: Value) -> KeyServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/jwks.json", listener.local_addr().unwrap());
        let server = KeyServer {
            url,
            document: Arc::new(Mutex::new(document)),
            discovery: Arc::default(),
            mode: Arc::new(Mutex::new(Mode::Up)),
            hits: Arc::default(),
            paths: Arc::default(),
            stop: Arc::default(),
        };
        let (document, discovery, mode, hits, paths, stop) = (
            server.document.clone(),
            server.discovery.clone(),
            server.mode.clone(),
            server.hits.clone(),
            server.paths.clone(),
            server.stop.clone(),
        );
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stop.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(stream) = stream else { continue };
                let (document, discovery, mode, hits, paths) = (
                    document.clone(),
                    discovery.clone(),
                    mode.clone(),
                    hits.clone(),
                    paths.clone(),
                );
                std::thread::spawn(move || {
                    serve(stream, &document, &discovery, &mode, &hits, &paths)
                });
            }
        });
        server
    }

    fn set(&self, document: Value) {
        *self.document.lock().unwrap() = document;
    }

    fn mode(&self, mode: Mode) {
        *self.mode.lock().unwrap() = mode;
    }

    /// `http://127.0.0.1:<port>`: the issuer, when it serves discovery.
    fn base(&self) -> String {
        self.url.trim_end_matches("/jwks.json").to_owned()
    }

    fn discover(&self, document: Value) {
        *self.discovery.lock().unwrap() = Some(document);
    }

    fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

impl Drop for KeyServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(
            self.url
                .trim_start_matches("http://")
                .split('/')
                .next()
                .unwrap(),
        );
    }
}

fn serve(
    mut stream: TcpStream,
    document: &Mutex<Value>,
    discovery: &Mutex<Option<Value>>,
    mode: &Mutex<Mode>,
    hits: &AtomicUsize,
    paths: &Mutex<Vec<String>>,
) {
    let mut buf = [0u8; 4096];
    let mut request = Vec::new();
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    hits.fetch_add(1, Ordering::SeqCst);
    let line = String::from_utf8_lossy(&request);
    let path = line.split_whitespace().nth(1).unwrap_or("").to_owned();
    paths.lock().unwrap().push(path.clone());
    let mode = *mode.lock().unwrap();
    let discovered = discovery.lock().unwrap().clone();
    let (status, body) = match mode {
        Mode::Up if path == "/.well-known/openid-configuration" => match discovered {
            Some(d) => ("200 OK", d.to_string()),
            None => ("404 Not Found", "{}".into()),
        },
        Mode::Up if path != "/jwks.json" => ("404 Not Found", "{}".into()),
        Mode::Up => ("200 OK", document.lock().unwrap().to_string()),
        Mode::Down => ("503 Service Unavailable", "{}".into()),
        Mode::Stalled => {
            std::thread::sleep(Duration::from_secs(10));
            return;
        }
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

/// An identity provider: key pairs and their JWKS.
struct Provider {
    keys: Vec<(String, Algorithm, KeyPair)>,
}

impl Provider {
    fn new(keys: &[(&str, Algorithm)]) -> Provider {
        Provider {
            keys: keys
                .iter()
                .map(|(kid, alg)| (kid.to_string(), *alg, generate_key_pair(*alg).unwrap()))
                .collect(),
        }
    }

    fn jwks(&self) -> Value {
        let keys: Vec<Value> = self
            .keys
            .iter()
            .map(|(kid, alg, pair)| {
                let key = match alg {
                    Algorithm::ES256 | Algorithm::ES384 => {
                        jsonwebtoken::DecodingKey::from_ec_pem(pair.public_pem.as_bytes())
                    }
                    Algorithm::EdDSA => {
                        jsonwebtoken::DecodingKey::from_ed_pem(pair.public_pem.as_bytes())
                    }
                    _ => jsonwebtoken::DecodingKey::from_rsa_pem(pair.public_pem.as_bytes()),
                }
                .unwrap();
                let mut jwk = serde_json::to_value(
                    jsonwebtoken::jwk::Jwk::from_decoding_key(&key, Some(*alg)).unwrap(),
                )
                .unwrap();
                jwk["kid"] = json!(kid);
                jwk["use"] = json!("sig");
                jwk
            })
            .collect();
        json!({ "keys": keys })
    }

    /// A token as an identity provider issues it: no `type`, `fresh` or `jti`.
    fn token(&self, kid: &str, sub: &str) -> String {
        let (_, alg, pair) = self.keys.iter().find(|(k, _, _)| k == kid).unwrap();
        self.token_with(kid, *alg, pair, json!({"sub": sub, "iss": "https://idp.test", "aud": "api", "exp": now() + 600, "iat": now()}))
    }

    fn token_with(&self, kid: &str, alg: Algorithm, pair: &KeyPair, claims: Value) -> String {
        use jsonwebtoken::{EncodingKey, Header};
        let key = match alg {
            Algorithm::ES256 | Algorithm::ES384 => {
                EncodingKey::from_ec_pem(pair.private_pem.as_bytes())
            }
            Algorithm::EdDSA => EncodingKey::from_ed_pem(pair.private_pem.as_bytes()),
            _ => EncodingKey::from_rsa_pem(pair.private_pem.as_bytes()),
        }
        .unwrap();
        let mut header = Header::new(alg);
        header.kid = Some(kid.to_owned());
        jsonwebtoken::encode(&header, &claims, &key).unwrap()
    }
}

fn resource_figment(url: &str) -> Figment {
    Figment::from(rocket::Config::debug_default())
        .merge(("log_level", "off"))
        .merge(("jwt_jwks_url", url))
        .merge(("jwt_decode_issuer", "https://idp.test"))
        .merge(("jwt_decode_audience", "api"))
}

fn resource_server(figment: Figment) -> (Client, Jwks) {
    let jwks = Jwks::new();
    let manager = JwtManager::new().key_source(jwks.clone());
    (
        Client::tracked(app_with(figment, manager)).expect("valid rocket"),
        jwks,
    )
}

fn get(c: &Client, path: &'static str, token: &str) -> (Status, String) {
    answer(c.get(path).header(bearer(token)).dispatch())
}

#[test]
fn tokens_of_an_identity_provider_verify() {
    let idp = Provider::new(&[
        ("rsa", Algorithm::RS256),
        ("ec", Algorithm::ES256),
        ("ed", Algorithm::EdDSA),
    ]);
    let server = KeyServer::start(idp.jwks());
    let (c, jwks) = resource_server(resource_figment(&server.url));
    assert_eq!(jwks.key_count(), 3);
    for kid in ["rsa", "ec", "ed"] {
        let token = idp.token(kid, "user-1");
        let (status, body) = json_of(c.get("/protected").header(bearer(&token)).dispatch());
        assert_eq!(status, Status::Ok, "{kid}: {body}");
        assert_eq!(body["identity"], "user-1");
        // Such a token counts as an access token, and not fresh.
        assert_eq!(body["claims"]["type"], "access");
        assert_eq!(
            get(&c, "/fresh", &token),
            says(Status::Unauthorized, "Fresh token required")
        );
        assert_eq!(
            answer(c.post("/refresh").header(bearer(&token)).dispatch()),
            says(
                Status::UnprocessableEntity,
                "Only refresh tokens are allowed"
            )
        );
    }
    // The issuer and audience are checked as for any token.
    let (_, alg, pair) = &idp.keys[0];
    let wrong_iss = idp.token_with(
        "rsa",
        *alg,
        pair,
        json!({"sub": "u", "iss": "https://evil.test", "aud": "api", "exp": now() + 60}),
    );
    assert_eq!(
        get(&c, "/protected", &wrong_iss),
        says(Status::UnprocessableEntity, "Invalid issuer")
    );
    let wrong_aud = idp.token_with(
        "rsa",
        *alg,
        pair,
        json!({"sub": "u", "iss": "https://idp.test", "aud": "other", "exp": now() + 60}),
    );
    assert_eq!(
        get(&c, "/protected", &wrong_aud),
        says(Status::UnprocessableEntity, "Audience doesn't match")
    );
    // A key of the provider's that is not published does not verify.
    let stranger = generate_key_pair(Algorithm::RS256).unwrap();
    let forged = idp.token_with(
        "rsa",
        Algorithm::RS256,
        &stranger,
        json!({"sub": "u", "iss": "https://idp.test", "aud": "api", "exp": now() + 60}),
    );
    assert_eq!(
        get(&c, "/protected", &forged),
        says(Status::UnprocessableEntity, "Signature verification failed")
    );
    // Only the configured URL was ever fetched.
    assert!(server
        .paths
        .lock()
        .unwrap()
        .iter()
        .all(|p| p == "/jwks.json"));
}

#[test]
fn a_rotated_key_is_fetched_once_on_its_first_token() {
    let idp = Provider::new(&[("k1", Algorithm::RS256), ("k2", Algorithm::ES256)]);
    let mut first = idp.jwks();
    first["keys"].as_array_mut().unwrap().truncate(1);
    let server = KeyServer::start(first);
    let (c, jwks) =
        resource_server(resource_figment(&server.url).merge(("jwt_jwks_min_refetch_secs", 1)));
    assert_eq!(get(&c, "/protected", &idp.token("k1", "a")).0, Status::Ok);
    let fetched = jwks.fetch_count();

    // The provider rotates: k2 is published, k1 dropped.
    let mut second = idp.jwks();
    second["keys"].as_array_mut().unwrap().remove(0);
    server.set(second);
    // Past the least time between fetches (1 s, the floor).
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(get(&c, "/protected", &idp.token("k2", "a")).0, Status::Ok);
    assert_eq!(jwks.fetch_count(), fetched + 1);
    assert_eq!(get(&c, "/protected", &idp.token("k2", "b")).0, Status::Ok);
    assert_eq!(
        jwks.fetch_count(),
        fetched + 1,
        "a known kid fetches nothing"
    );
    assert_eq!(
        get(&c, "/protected", &idp.token("k1", "a")),
        says(
            Status::UnprocessableEntity,
            "Unable to find a signing key that matches the token's kid"
        )
    );
}

#[test]
fn a_flood_of_unknown_kids_fetches_a_bounded_number_of_times() {
    let idp = Provider::new(&[("k1", Algorithm::ES256)]);
    let server = KeyServer::start(idp.jwks());
    let (c, jwks) =
        resource_server(resource_figment(&server.url).merge(("jwt_jwks_min_refetch_secs", 60)));
    let (_, alg, pair) = &idp.keys[0];
    let before = server.hits();
    for i in 0..200 {
        let token = idp.token_with(
            &format!("random-{i}"),
            *alg,
            pair,
            json!({"sub": "u", "iss": "https://idp.test", "aud": "api", "exp": now() + 60}),
        );
        assert_eq!(get(&c, "/protected", &token).0, Status::UnprocessableEntity);
    }
    assert!(
        server.hits() - before <= 1,
        "{} fetches",
        server.hits() - before
    );
    assert!(jwks.fetch_count() <= 2);
    assert_eq!(get(&c, "/protected", &idp.token("k1", "a")).0, Status::Ok);
}

#[test]
fn the_issuer_down_keeps_cached_keys_for_a_bounded_time() {
    let idp = Provider::new(&[("k1", Algorithm::RS256)]);
    let server = KeyServer::start(idp.jwks());
    let (c, _) = resource_server(
        resource_figment(&server.url)
            .merge(("jwt_jwks_refresh_secs", 1))
            .merge(("jwt_jwks_max_stale_secs", 2))
            .merge(("jwt_jwks_min_refetch_secs", 1)),
    );
    let token = idp.token("k1", "a");
    assert_eq!(get(&c, "/protected", &token).0, Status::Ok);

    server.mode(Mode::Down);
    // Within the bound: the cached key still verifies; an unknown kid is refused.
    assert_eq!(get(&c, "/protected", &token).0, Status::Ok);
    let (_, alg, pair) = &idp.keys[0];
    let unknown = idp.token_with(
        "k9",
        *alg,
        pair,
        json!({"sub": "u", "iss": "https://idp.test", "aud": "api", "exp": now() + 60}),
    );
    assert_eq!(
        get(&c, "/protected", &unknown).0,
        Status::UnprocessableEntity
    );
    // Past it: fail closed.
    std::thread::sleep(Duration::from_millis(3300));
    assert_eq!(
        get(&c, "/protected", &token),
        says(Status::ServiceUnavailable, "Verification keys unavailable")
    );

    // The issuer comes back: requests succeed again without a restart.
    server.mode(Mode::Up);
    let deadline = Instant::now() + Duration::from_secs(10);
    while get(&c, "/protected", &token).0 != Status::Ok {
        assert!(Instant::now() < deadline, "never recovered");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn a_stalled_issuer_never_hangs_a_request() {
    let idp = Provider::new(&[("k1", Algorithm::ES256)]);
    let server = KeyServer::start(idp.jwks());
    server.mode(Mode::Stalled);
    // Launches although the key server does not answer; requests fail closed
    // within the fetch timeout.
    let (c, _) = resource_server(
        resource_figment(&server.url)
            .merge(("jwt_jwks_timeout_ms", 300))
            .merge(("jwt_jwks_min_refetch_secs", 1)),
    );
    let started = Instant::now();
    assert_eq!(
        get(&c, "/protected", &idp.token("k1", "a")),
        says(Status::ServiceUnavailable, "Verification keys unavailable")
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    server.mode(Mode::Up);
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(get(&c, "/protected", &idp.token("k1", "a")).0, Status::Ok);
}

#[test]
fn keys_a_token_points_at_are_never_fetched() {
    let idp = Provider::new(&[("k1", Algorithm::RS256)]);
    let server = KeyServer::start(idp.jwks());
    let elsewhere = KeyServer::start(Provider::new(&[("evil", Algorithm::RS256)]).jwks());
    let (c, _) = resource_server(resource_figment(&server.url));
    let attacker = generate_key_pair(Algorithm::RS256).unwrap();
    let enc = jsonwebtoken::EncodingKey::from_rsa_pem(attacker.private_pem.as_bytes()).unwrap();
    let mut header = jsonwebtoken::Header::new(Algorithm::RS256);
    header.kid = Some("evil".into());
    header.jku = Some(elsewhere.url.clone());
    header.x5u = Some(elsewhere.url.clone());
    let token = jsonwebtoken::encode(
        &header,
        &json!({"sub": "u", "iss": "https://idp.test", "aud": "api", "exp": now() + 60}),
        &enc,
    )
    .unwrap();
    assert_eq!(get(&c, "/protected", &token).0, Status::UnprocessableEntity);
    assert_eq!(elsewhere.hits(), 0);
}

#[test]
fn secrets_and_weak_keys_in_a_jwks_are_ignored() {
    let idp = Provider::new(&[("k1", Algorithm::RS256)]);
    let mut doc = idp.jwks();
    let secret = b"a-shared-secret-of-at-least-32-bytes!!";
    doc["keys"]
        .as_array_mut()
        .unwrap()
        .push(json!({"kty": "oct", "kid": "hs", "alg": "HS256", "k": b64(secret)}));
    // A key for encryption, an RSA key under 2048 bits, a curve that is not its alg's.
    let mut enc = idp.jwks()["keys"][0].clone();
    enc["kid"] = json!("enc");
    enc["use"] = json!("enc");
    let short_pair = rocket_jwt_extended::keys::generate_rsa_key_pair(1024).unwrap();
    let short_key =
        jsonwebtoken::DecodingKey::from_rsa_pem(short_pair.public_pem.as_bytes()).unwrap();
    let mut short = serde_json::to_value(
        jsonwebtoken::jwk::Jwk::from_decoding_key(&short_key, Some(Algorithm::RS256)).unwrap(),
    )
    .unwrap();
    short["kid"] = json!("short");
    let p384 = Provider::new(&[("curve", Algorithm::ES384)]);
    let mut curve = p384.jwks()["keys"][0].clone();
    curve["alg"] = json!("ES256");
    for key in [enc, short, curve] {
        doc["keys"].as_array_mut().unwrap().push(key);
    }
    let server = KeyServer::start(doc);
    let (c, jwks) = resource_server(resource_figment(&server.url));
    // Only the good key is kept.
    assert_eq!(jwks.key_count(), 1);
    assert_eq!(get(&c, "/protected", &idp.token("k1", "a")).0, Status::Ok);
    let short_token = idp.token_with(
        "short",
        Algorithm::RS256,
        &short_pair,
        json!({"sub": "u", "iss": "https://idp.test", "aud": "api", "exp": now() + 60}),
    );
    assert_eq!(
        get(&c, "/protected", &short_token).0,
        Status::UnprocessableEntity
    );
    let (_, _, p384_pair) = &p384.keys[0];
    let curve_token = idp.token_with(
        "curve",
        Algorithm::ES384,
        p384_pair,
        json!({"sub": "u", "iss": "https://idp.test", "aud": "api", "exp": now() + 60}),
    );
    assert_eq!(
        get(&c, "/protected", &curve_token).0,
        Status::UnprocessableEntity
    );
    let token = forge_raw(
        r#"{"alg":"HS256","kid":"hs"}"#,
        &json!({"sub": "u", "iss": "https://idp.test", "aud": "api", "exp": now() + 60})
            .to_string(),
        std::str::from_utf8(secret).unwrap(),
    );
    assert_eq!(
        get(&c, "/protected", &token),
        says(
            Status::UnprocessableEntity,
            "The specified alg value is not allowed"
        )
    );
}

#[test]
fn jwks_configuration_is_checked_at_launch() {
    let refused = |f: Figment, manager: JwtManager| -> String {
        match Client::untracked(app_with(f, manager)) {
            Err(e) => e.kind().to_string(),
            Ok(_) => panic!("launched"),
        }
    };
    let url = "http://127.0.0.1:9/jwks.json";
    // A URL without a key source, a key source without a URL.
    refused(resource_figment(url), JwtManager::new());
    refused(figment(), JwtManager::new().key_source(Jwks::new()));
    for (bad, says) in [
        ("http://idp.example/jwks.json", "plain http"),
        ("ftp://127.0.0.1/jwks.json", "not an http(s) URL"),
        ("https:///jwks.json", "names no host"),
        ("jwks.json", "not an http(s) URL"),
    ] {
        let e = rocket_jwt_extended::JwtConfig::from_figment(&resource_figment(bad)).unwrap_err();
        assert_eq!(e.key, "jwt_jwks_url");
        assert!(e.message.contains(says), "{bad}: {e}");
    }
    let e =
        rocket_jwt_extended::JwtConfig::from_figment(&figment().merge(("jwt_jwks_timeout_ms", 5)))
            .unwrap_err();
    assert_eq!(e.key, "jwt_jwks_timeout_ms");
    let e = rocket_jwt_extended::JwtConfig::from_figment(
        &resource_figment(url).merge(("jwt_decode_algorithms", ["HS256"])),
    )
    .unwrap_err();
    assert_eq!(e.key, "jwt_decode_algorithms");
    assert!(
        rocket_jwt_extended::JwtConfig::from_figment(&resource_figment("https://idp.example/jwks"))
            .is_ok()
    );
    assert!(
        rocket_jwt_extended::JwtConfig::from_figment(&resource_figment("http://[::1]:8080/jwks"))
            .is_ok()
    );
    // One Jwks serves one Rocket.
    let idp = Provider::new(&[("k1", Algorithm::ES256)]);
    let server = KeyServer::start(idp.jwks());
    let jwks = Jwks::new();
    let _one = Client::tracked(app_with(
        resource_figment(&server.url),
        JwtManager::new().key_source(jwks.clone()),
    ))
    .unwrap();
    refused(
        resource_figment(&server.url),
        JwtManager::new().key_source(jwks),
    );
}

#[test]
fn an_oidc_issuer_names_its_keys_in_its_discovery_document() {
    let idp = Provider::new(&[("k1", Algorithm::RS256)]);
    let server = KeyServer::start(idp.jwks());
    let issuer = server.base();
    server.discover(json!({"issuer": issuer, "jwks_uri": server.url}));
    let figment = Figment::from(rocket::Config::debug_default())
        .merge(("log_level", "off"))
        .merge(("jwt_oidc_issuer", issuer.clone()));
    let (c, jwks) = resource_server(figment.clone());
    assert_eq!(jwks.key_count(), 1);
    let (_, alg, pair) = &idp.keys[0];
    let claims = |iss: &str| json!({"sub": "u", "iss": iss, "exp": now() + 60});
    let token = idp.token_with("k1", *alg, pair, claims(&issuer));
    assert_eq!(get(&c, "/protected", &token).0, Status::Ok);
    // The issuer is checked by default: another issuer's token is refused.
    let other = idp.token_with("k1", *alg, pair, claims("https://idp.test"));
    assert_eq!(
        get(&c, "/protected", &other),
        says(Status::UnprocessableEntity, "Invalid issuer")
    );
    assert_eq!(
        server.paths.lock().unwrap()[..2],
        [
            "/.well-known/openid-configuration".to_owned(),
            "/jwks.json".to_owned()
        ]
    );

    // A discovery document for another issuer, or naming keys over plain
    // http elsewhere, yields no keys: requests fail closed.
    for bad in [
        json!({"issuer": "https://evil.test", "jwks_uri": server.url}),
        json!({"issuer": issuer, "jwks_uri": "http://keys.evil.test/jwks.json"}),
        json!({"issuer": issuer}),
    ] {
        server.discover(bad.clone());
        let before = server.paths.lock().unwrap().len();
        let (c, jwks) = resource_server(figment.clone());
        assert_eq!(jwks.key_count(), 0, "{bad}");
        assert_eq!(
            get(&c, "/protected", &token),
            says(Status::ServiceUnavailable, "Verification keys unavailable"),
            "{bad}"
        );
        let paths = server.paths.lock().unwrap()[before..].to_vec();
        assert!(
            paths
                .iter()
                .all(|p| p == "/.well-known/openid-configuration"),
            "{paths:?}"
        );
    }
    let e = rocket_jwt_extended::JwtConfig::from_figment(
        &figment.merge(("jwt_jwks_url", server.url.clone())),
    )
    .unwrap_err();
    assert_eq!(e.key, "jwt_oidc_issuer");
}

#[rocket_jwt_extended::token_verification]
fn needs_read_scope(claims: &rocket_jwt_extended::Claims) -> bool {
    claims
        .get_str("scope")
        .is_some_and(|s| s.split(' ').any(|x| x == "read"))
}

#[rocket_jwt_extended::store_unavailable]
fn keys_down() -> (Status, Value) {
    (
        Status::ServiceUnavailable,
        json!({"error": "try again soon"}),
    )
}

#[test]
fn loaders_and_error_handlers_work_on_a_resource_server() {
    let idp = Provider::new(&[("k1", Algorithm::ES256)]);
    let server = KeyServer::start(idp.jwks());
    let jwks = Jwks::new();
    let manager = JwtManager::new()
        .key_source(jwks.clone())
        .loaders(rocket_jwt_extended::loaders![needs_read_scope, keys_down]);
    let figment = resource_figment(&server.url)
        .merge(("jwt_jwks_max_stale_secs", 0))
        .merge(("jwt_jwks_refresh_secs", 1))
        .merge(("jwt_jwks_min_refetch_secs", 1));
    let c = Client::tracked(app_with(figment, manager)).unwrap();
    let (_, alg, pair) = &idp.keys[0];
    let with_scope = |scope: &str| {
        idp.token_with("k1", *alg, pair, json!({"sub": "u", "iss": "https://idp.test", "aud": "api", "exp": now() + 60, "scope": scope}))
    };
    assert_eq!(
        get(&c, "/protected", &with_scope("openid read")).0,
        Status::Ok
    );
    assert_eq!(
        get(&c, "/protected", &with_scope("openid")),
        says(Status::BadRequest, "User claims verification failed")
    );
    // The key server's outage is answered by the #[store_unavailable] handler.
    server.mode(Mode::Down);
    std::thread::sleep(Duration::from_millis(1300));
    let (status, body) = json_of(
        c.get("/protected")
            .header(bearer(&with_scope("read")))
            .dispatch(),
    );
    assert_eq!(
        (status, body),
        (
            Status::ServiceUnavailable,
            json!({"error": "try again soon"})
        )
    );
}

#[test]
fn a_server_signs_its_own_hs256_tokens_and_accepts_the_providers() {
    let idp = Provider::new(&[("k1", Algorithm::RS256)]);
    let server = KeyServer::start(idp.jwks());
    // jwt_algorithm named, no key of its own for RS256: the JWKS holds them.
    let (c, _) = resource_server(
        resource_figment(&server.url)
            .merge(("jwt_secret_key", SECRET))
            .merge(("jwt_decode_algorithms", ["HS256", "RS256"]))
            .merge(("jwt_decode_issuer", Vec::<String>::new()))
            .merge(("jwt_decode_audience", Vec::<String>::new())),
    );
    let ours = state(&c).create_access_token("local").unwrap();
    let (status, body) = json_of(c.get("/protected").header(bearer(&ours)).dispatch());
    assert_eq!((status, &body["identity"]), (Status::Ok, &json!("local")));
    let theirs = idp.token("k1", "remote");
    let (status, body) = json_of(c.get("/protected").header(bearer(&theirs)).dispatch());
    assert_eq!(
        (status, &body["identity"]),
        (Status::Ok, &json!("remote")),
        "{body}"
    );
    // An RS256-only resource server with jwt_algorithm set launches too.
    let (c, _) = resource_server(resource_figment(&server.url).merge(("jwt_algorithm", "RS256")));
    assert_eq!(get(&c, "/protected", &idp.token("k1", "a")).0, Status::Ok);
    // No refetch interval of 0: a flood of unknown kids would fetch without bound.
    let e = rocket_jwt_extended::JwtConfig::from_figment(
        &resource_figment(&server.url).merge(("jwt_jwks_min_refetch_secs", 0)),
    )
    .unwrap_err();
    assert_eq!(e.key, "jwt_jwks_min_refetch_secs");
}
