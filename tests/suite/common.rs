//! Shared test app, clients and a token forger.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use rocket::figment::Figment;
use rocket::http::{Header, Status};
use rocket::local::blocking::{Client, LocalResponse};
use rocket::serde::json::{json, Value};
use rocket::{Build, Rocket};
use rocket_jwt_extended::{
    get_jwt, get_jwt_header, get_jwt_identity, get_jwt_request_location, jwt_required, Jwt,
    JwtManager, JwtState,
};

pub const SECRET: &str = "test-secret-key-that-is-at-least-64-bytes-long-for-hs512-tokens!";

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A figment isolated from the environment and Rocket.toml.
pub fn figment() -> Figment {
    Figment::from(rocket::Config::debug_default())
        .merge(("log_level", "off"))
        .merge(("jwt_secret_key", SECRET))
}

fn context() -> Value {
    json!({
        "identity": get_jwt_identity(),
        "claims": &*get_jwt(),
        "header": get_jwt_header(),
        "location": get_jwt_request_location().map(|l| l.as_str()),
    })
}

#[jwt_required]
#[get("/protected")]
fn protected() -> Value {
    context()
}

#[jwt_required(optional)]
#[get("/optional")]
fn optional() -> Value {
    context()
}

#[jwt_required(fresh)]
#[get("/fresh")]
fn fresh() -> Value {
    context()
}

#[jwt_required(refresh)]
#[post("/refresh")]
fn refresh() -> Value {
    context()
}

#[jwt_required(verify_type = false)]
#[get("/any_type")]
fn any_type() -> Value {
    context()
}

#[jwt_required(locations = "headers")]
#[get("/headers_only")]
fn headers_only() -> Value {
    context()
}

#[jwt_required]
#[route(OPTIONS, uri = "/protected")]
fn protected_options() -> Value {
    context()
}

#[get("/guard")]
fn guard(jwt: Jwt) -> Value {
    json!({ "identity": jwt.identity(), "type": jwt.claims().token_type() })
}

pub fn app(figment: Figment) -> Rocket<Build> {
    app_with(figment, JwtManager::new())
}

/// The test app with `manager` (a key source, a store) attached.
pub fn app_with(figment: Figment, manager: JwtManager) -> Rocket<Build> {
    rocket::custom(figment)
        .attach(manager)
        .mount("/.well-known", rocket_jwt_extended::jwks_routes())
        .mount(
            "/",
            routes![
                protected,
                optional,
                fresh,
                refresh,
                any_type,
                headers_only,
                protected_options,
                guard
            ],
        )
}

pub fn client_with(figment: Figment) -> Client {
    Client::tracked(app(figment)).expect("valid rocket")
}

pub fn client() -> Client {
    client_with(figment())
}

pub fn state(client: &Client) -> &JwtState {
    client
        .rocket()
        .state::<JwtState>()
        .expect("manager attached")
}

pub fn bearer(token: &str) -> Header<'static> {
    Header::new("Authorization", format!("Bearer {token}"))
}

/// GET `path` with `Authorization: <value>`.
pub fn get_with_auth<'c>(client: &'c Client, path: &'static str, value: &str) -> LocalResponse<'c> {
    client
        .get(path)
        .header(Header::new("Authorization", value.to_owned()))
        .dispatch()
}

/// Status and `msg` of a response.
pub fn answer(resp: LocalResponse<'_>) -> (Status, String) {
    let status = resp.status();
    let body: Value = resp.into_json().unwrap_or(Value::Null);
    let msg = body["msg"].as_str().unwrap_or("").to_owned();
    (status, msg)
}

/// Status and JSON body.
pub fn json_of(resp: LocalResponse<'_>) -> (Status, Value) {
    let status = resp.status();
    (status, resp.into_json().unwrap_or(Value::Null))
}

pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Signs `header.payload` (already encoded) with HMAC for `alg`.
pub fn sign(alg: &str, signing_input: &str, secret: &[u8]) -> String {
    macro_rules! mac {
        ($h:ty) => {{
            let mut m = Hmac::<$h>::new_from_slice(secret).unwrap();
            m.update(signing_input.as_bytes());
            b64(&m.finalize().into_bytes())
        }};
    }
    match alg {
        "HS384" => mac!(sha2::Sha384),
        "HS512" => mac!(sha2::Sha512),
        _ => mac!(sha2::Sha256),
    }
}

/// A token with exactly these raw header and payload bytes, signed for the header's alg.
pub fn forge_raw(header: &str, payload: &str, secret: &str) -> String {
    let alg = serde_json::from_str::<Value>(header)
        .ok()
        .and_then(|h| h["alg"].as_str().map(str::to_owned))
        .unwrap_or_else(|| "HS256".into());
    let input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
    let sig = sign(&alg, &input, secret.as_bytes());
    format!("{input}.{sig}")
}

/// flask-jwt-extended's default access claims, overridden by `over` (null removes).
pub fn claims(over: Value) -> Value {
    let now = now();
    let mut c = json!({
        "fresh": false, "iat": now, "jti": "8f0c6f9e-0b5c-4d3e-9d43-2d1f0f6b3a11", "type": "access",
        "sub": "admin", "nbf": now, "csrf": "c3d0a6c0-5e0a-4c63-b6a5-1ad5b41f0f49", "exp": now + 900,
    });
    for (k, v) in over.as_object().cloned().unwrap_or_default() {
        if v.is_null() {
            c.as_object_mut().unwrap().remove(&k);
        } else {
            c[k] = v;
        }
    }
    c
}

/// A valid-looking HS256 token with `claims(over)`.
pub fn forge(over: Value) -> String {
    forge_raw(
        r#"{"alg":"HS256","typ":"JWT"}"#,
        &claims(over).to_string(),
        SECRET,
    )
}

/// Status and `msg` of `method path` with `Authorization: Bearer <token>`.
pub fn send(
    client: &Client,
    method: rocket::http::Method,
    path: &'static str,
    token: &str,
) -> (Status, String) {
    answer(client.req(method, path).header(bearer(token)).dispatch())
}

/// An expected `(status, msg)` answer.
pub fn says(status: Status, msg: &str) -> (Status, String) {
    (status, msg.to_owned())
}
