//! Reference §2: token layout, merge order, header rules, encode options.

use std::time::Duration;

use rocket::figment::Figment;
use rocket::http::Status;
use rocket::local::blocking::Client;
use rocket::serde::json::{json, Value};
use rocket_jwt_extended::{
    additional_claims, additional_headers, loaders, user_identity, EncodeError, JwtManager,
};

use crate::common::*;

fn parts(token: &str) -> (Value, Value) {
    use base64::Engine;
    let mut it = token.split('.');
    let mut seg = || {
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(it.next().unwrap())
            .unwrap();
        serde_json::from_slice::<Value>(&raw).unwrap()
    };
    (seg(), seg())
}

#[test]
fn default_access_token_layout() {
    let c = client();
    let t = state(&c).create_access_token("username").unwrap();
    let (h, p) = parts(&t);
    assert_eq!(h, json!({"alg": "HS256", "typ": "JWT"}));
    let mut keys: Vec<_> = p.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(
        keys,
        ["csrf", "exp", "fresh", "iat", "jti", "nbf", "sub", "type"]
    );
    assert_eq!(p["fresh"], false);
    assert_eq!(p["type"], "access");
    assert_eq!(p["sub"], "username");
    assert_eq!(p["iat"], p["nbf"]);
    assert_eq!(p["exp"].as_i64().unwrap() - p["iat"].as_i64().unwrap(), 900);
    assert!((p["iat"].as_i64().unwrap() - now()).abs() <= 1);
    assert_eq!(p["jti"].as_str().unwrap().len(), 36);
    assert_ne!(p["jti"], p["csrf"]);
    assert_eq!(
        c.get("/protected").header(bearer(&t)).dispatch().status(),
        Status::Ok
    );
}

#[test]
fn refresh_token_layout() {
    let c = client();
    let t = state(&c).create_refresh_token("u").unwrap();
    let (_, p) = parts(&t);
    assert_eq!(p["type"], "refresh");
    assert_eq!(p["fresh"], false);
    assert_eq!(
        p["exp"].as_i64().unwrap() - p["iat"].as_i64().unwrap(),
        30 * 86400
    );
    assert_eq!(
        c.post("/refresh").header(bearer(&t)).dispatch().status(),
        Status::Ok
    );
}

#[test]
fn fresh_values() {
    let c = client();
    let s = state(&c);
    let (_, p) = parts(&s.access_token("u").fresh(true).sign().unwrap());
    assert_eq!(p["fresh"], true);
    let (_, p) = parts(
        &s.access_token("u")
            .fresh(Duration::from_secs(120))
            .sign()
            .unwrap(),
    );
    let until = p["fresh"]
        .as_f64()
        .expect("fresh-until is a float timestamp");
    assert!((until - (now() as f64 + 120.0)).abs() < 2.0);
    let fresh_for_1s = s
        .access_token("u")
        .fresh(Duration::from_secs(1))
        .sign()
        .unwrap();
    assert_eq!(
        c.get("/fresh")
            .header(bearer(&fresh_for_1s))
            .dispatch()
            .status(),
        Status::Ok
    );
    std::thread::sleep(Duration::from_millis(2100));
    assert_eq!(
        c.get("/fresh")
            .header(bearer(&fresh_for_1s))
            .dispatch()
            .status(),
        Status::Unauthorized
    );
}

#[test]
fn per_token_expiry_overrides_configuration() {
    let c = client_with(figment().merge(("jwt_access_token_expires", false)));
    let s = state(&c);
    let (_, p) = parts(&s.create_access_token("u").unwrap());
    assert!(p.get("exp").is_none(), "expiry disabled by config");
    let (_, p) = parts(
        &s.access_token("u")
            .expires_in(Duration::from_secs(5))
            .sign()
            .unwrap(),
    );
    assert_eq!(p["exp"].as_i64().unwrap() - p["iat"].as_i64().unwrap(), 5);
    let c = client();
    let (_, p) = parts(&state(&c).access_token("u").never_expires().sign().unwrap());
    assert!(p.get("exp").is_none());
}

#[test]
fn encode_options_from_configuration() {
    let f = figment()
        .merge(("jwt_encode_audience", "aud-1"))
        .merge(("jwt_encode_issuer", "iss-1"))
        .merge(("jwt_encode_nbf", false))
        .merge(("jwt_cookie_csrf_protect", false))
        .merge(("jwt_identity_claim", "identity"))
        .merge(("jwt_algorithm", "HS512"));
    let c = client_with(f);
    let (h, p) = parts(&state(&c).create_access_token("u").unwrap());
    assert_eq!(h["alg"], "HS512");
    assert_eq!(p["aud"], "aud-1");
    assert_eq!(p["iss"], "iss-1");
    assert_eq!(p["identity"], "u");
    assert!(p.get("sub").is_none() && p.get("nbf").is_none() && p.get("csrf").is_none());
    let c = client_with(figment().merge(("jwt_encode_audience", ["a", "b"])));
    let (_, p) = parts(&state(&c).create_access_token("u").unwrap());
    assert_eq!(p["aud"], json!(["a", "b"]));
}

#[test]
fn explicit_claims_override_everything_last_wins() {
    let c = client();
    let t = state(&c)
        .access_token("u")
        .additional_claims(json!({"foo": 1, "type": "custom", "sub": "other"}))
        .additional_claims(json!({"foo": 2}))
        .sign()
        .unwrap();
    let (_, p) = parts(&t);
    assert_eq!(
        (p["foo"].clone(), p["type"].clone(), p["sub"].clone()),
        (json!(2), json!("custom"), json!("other"))
    );
}

#[test]
fn additional_headers_rules() {
    let c = client();
    let s = state(&c);
    let (h, _) = parts(
        &s.access_token("u")
            .additional_headers(json!({"kid": "k1"}))
            .sign()
            .unwrap(),
    );
    assert_eq!(h, json!({"alg": "HS256", "typ": "JWT", "kid": "k1"}));
    let (h, _) = parts(
        &s.access_token("u")
            .additional_headers(json!({"typ": null}))
            .sign()
            .unwrap(),
    );
    assert_eq!(h, json!({"alg": "HS256"}));
    let err = s
        .access_token("u")
        .additional_headers(json!({"alg": "none"}))
        .sign()
        .unwrap_err();
    assert_eq!(err, EncodeError::AlgHeader);
    let err = s
        .access_token("u")
        .additional_claims(json!([1, 2]))
        .sign()
        .unwrap_err();
    assert_eq!(err, EncodeError::NotAnObject("additional claims"));
}

#[test]
fn identities_are_always_strings() {
    let c = client();
    let s = state(&c);
    let (_, p) = parts(&s.create_access_token(&42u64).unwrap());
    assert_eq!(p["sub"], "42");
    let id = uuid_like();
    let (_, p) = parts(&s.create_access_token(id.as_str()).unwrap());
    assert_eq!(p["sub"], id);
}

fn uuid_like() -> String {
    "0b8f7a4e-5a1d-4d8b-8d25-3c5f0e0a9c11".into()
}

// ---- encode-side loaders ------------------------------------------------------

struct User {
    id: u32,
    name: &'static str,
}

#[user_identity]
fn user_id(user: &User) -> u32 {
    user.id
}

#[additional_claims]
fn claims_from_identity(identity: &str) -> Value {
    json!({ "aud": "loader", "foo": "loader", "upcase": identity.to_uppercase() })
}

#[additional_claims]
async fn claims_from_user(user: &User) -> Value {
    rocket::tokio::task::yield_now().await;
    json!({ "name": user.name })
}

#[additional_headers]
fn headers_from_identity(identity: &str) -> Value {
    json!({ "kid": format!("key-for-{identity}") })
}

fn loader_client(loaders: Vec<rocket_jwt_extended::Loader>) -> Client {
    let rocket = rocket::custom(figment()).attach(JwtManager::new().loaders(loaders));
    Client::tracked(rocket).unwrap()
}

fn jwt_state(c: &Client) -> &rocket_jwt_extended::JwtState {
    c.rocket().state().unwrap()
}

#[test]
fn claims_loader_then_explicit_claims() {
    let c = loader_client(loaders![claims_from_identity, headers_from_identity]);
    let t = jwt_state(&c)
        .access_token("admin")
        .additional_claims(json!({"aud": "explicit"}))
        .sign()
        .unwrap();
    let (h, p) = parts(&t);
    assert_eq!(p["aud"], "explicit");
    assert_eq!(p["foo"], "loader");
    assert_eq!(p["upcase"], "ADMIN");
    assert_eq!(h["kid"], "key-for-admin");
    let t = jwt_state(&c)
        .access_token("admin")
        .additional_headers(json!({"kid": "explicit"}))
        .sign()
        .unwrap();
    assert_eq!(parts(&t).0["kid"], "explicit");
}

#[test]
fn user_identity_and_object_loader() {
    let c = loader_client(loaders![claims_from_user]);
    let user = User {
        id: 7,
        name: "zhengxin",
    };
    let s = jwt_state(&c);
    // An async loader that waits: `.sign()` refuses, `.await` works.
    assert!(matches!(
        s.access_token(&user).sign(),
        Err(EncodeError::Loader(_))
    ));
    let t = rocket::execute(async { s.access_token(&user).await }).unwrap();
    let (_, p) = parts(&t);
    assert_eq!(p["sub"], "7");
    assert_eq!(p["name"], "zhengxin");
    // The object loader cannot serve a token created from a plain string.
    let err = rocket::execute(async { s.access_token("7").await }).unwrap_err();
    assert!(err.to_string().contains("claims_from_user"), "{err}");
}

#[test]
fn two_loaders_of_one_kind_refuse_to_launch() {
    let rocket = rocket::custom(figment())
        .attach(JwtManager::new().loaders(loaders![claims_from_identity, claims_from_user]));
    let Err(err) = Client::tracked(rocket) else {
        panic!("launch refused")
    };
    assert!(matches!(
        err.kind(),
        rocket::error::ErrorKind::FailedFairings(_)
    ));
    let err = JwtManager::new()
        .loaders(loaders![claims_from_identity, claims_from_user])
        .build_state(&figment())
        .err()
        .unwrap();
    assert!(err.contains("two #[additional_claims] loaders"), "{err}");
}

#[test]
fn tokens_guard_in_a_handler() {
    #[post("/login")]
    fn login(tokens: rocket_jwt_extended::Tokens<'_>) -> Result<Value, EncodeError> {
        Ok(json!({ "access_token": tokens.create_access_token("admin")? }))
    }
    let c = Client::tracked(crate::common::app(figment()).mount("/t", routes![login])).unwrap();
    let body: Value = c.post("/t/login").dispatch().into_json().unwrap();
    let t = body["access_token"].as_str().unwrap();
    assert_eq!(
        c.get("/protected").header(bearer(t)).dispatch().status(),
        Status::Ok
    );
    let without: Figment = figment();
    let bare = Client::tracked(rocket::custom(without).mount("/", routes![login])).unwrap();
    assert_eq!(
        bare.post("/login").dispatch().status(),
        Status::InternalServerError
    );
}
