#![deny(warnings)]
#[macro_use]
extern crate rocket;

use rocket::http::Status;
use rocket::serde::json::{json, Json, Value};
use rocket::State;
use rocket_jwt_extended::{
    admin_required, current_user, decode_key, encode_key, expired_token, invalid_token,
    jwt_check, jwt_required, loaders, needs_fresh_token, revoked_token, store_unavailable,
    token_in_blocklist,
    token_verification, token_verification_failed, unauthorized, user_lookup, user_lookup_error,
    Claims, CurrentUser, JwtHeader, JwtManager,
};

pub struct User {
    name: String,
}

pub struct Revoked(Vec<String>);

#[user_lookup]
async fn load_user(identity: &str, _header: &JwtHeader) -> Option<User> {
    Some(User { name: identity.to_owned() })
}

#[token_verification]
fn verify(claims: &Claims) -> bool {
    claims.get("role").is_some()
}

#[token_in_blocklist]
fn is_revoked(claims: &Claims, revoked: &State<Revoked>) -> bool {
    claims.jti().is_some_and(|j| revoked.0.iter().any(|r| r == j))
}

#[decode_key]
fn key_for_token(header: &JwtHeader) -> String {
    header.kid().unwrap_or("default").repeat(32)
}

#[encode_key]
fn key_for_identity(identity: &str) -> Vec<u8> {
    identity.repeat(32).into_bytes()
}

#[expired_token]
fn expired(_h: &JwtHeader, _c: &Claims) -> (Status, Json<Value>) {
    (Status::Unauthorized, Json(json!({ "err": "expired" })))
}

#[invalid_token]
fn invalid(reason: &str) -> String {
    reason.to_owned()
}

#[unauthorized]
async fn missing(reason: &str) -> (Status, String) {
    (Status::Unauthorized, reason.to_owned())
}

#[needs_fresh_token]
fn needs_fresh(_h: &JwtHeader, _c: &Claims) -> Status {
    Status::Unauthorized
}

#[revoked_token]
fn revoked(_h: &JwtHeader, claims: &Claims, _r: &State<Revoked>) -> Json<Value> {
    Json(json!({ "jti": claims.jti() }))
}

#[user_lookup_error]
fn lookup_error(_h: &JwtHeader, _c: &Claims) -> Status {
    Status::Unauthorized
}

#[token_verification_failed]
fn verification_failed(_h: &JwtHeader, _c: &Claims) -> Status {
    Status::BadRequest
}

#[store_unavailable]
fn store_down(reason: &str) -> (Status, String) {
    (Status::ServiceUnavailable, reason.to_owned())
}

#[jwt_check]
async fn editors_only(claims: &Claims) -> Result<(), (Status, &'static str)> {
    match claims.get_str("role") {
        Some("editor") => Ok(()),
        _ => Err((Status::Forbidden, "editors only")),
    }
}

#[jwt_check]
fn not_weekend() -> Result<(), Status> {
    Ok(())
}

#[jwt_required(check = [editors_only, not_weekend])]
#[post("/articles")]
fn publish() -> String {
    current_user::<User>().map(|u| u.name.clone()).unwrap_or_default()
}

#[admin_required(fresh)]
#[get("/admin")]
async fn admin() -> &'static str {
    "admin"
}

#[get("/me")]
fn me(user: CurrentUser<User>) -> String {
    user.name.clone()
}

fn main() {
    let _ = rocket::build()
        .manage(Revoked(Vec::new()))
        .attach(JwtManager::new().loaders(loaders![
            load_user,
            verify,
            is_revoked,
            key_for_token,
            key_for_identity,
            expired,
            invalid,
            missing,
            needs_fresh,
            revoked,
            lookup_error,
            verification_failed,
            store_down
        ]))
        .mount("/", routes![publish, admin, me]);
}
