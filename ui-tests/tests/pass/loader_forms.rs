#![deny(warnings)]
//! Loader forms that must compile without warnings: explicit lifetimes,
//! functions returning `impl Future`, `&User` encode-side parameters.

use std::future::Future;

use rocket::http::Status;
use rocket::serde::json::{json, Value};
use rocket_jwt_extended::{
    additional_claims, jwt_check, loaders, token_in_blocklist, token_verification, user_identity,
    user_lookup, Claims, JwtHeader, JwtManager,
};

pub struct User {
    pub id: u32,
    pub role: String,
}

#[user_identity]
fn identity(user: &User) -> String {
    user.id.to_string()
}

#[additional_claims]
fn role_claims(user: &User) -> Value {
    json!({ "role": user.role })
}

#[user_lookup]
fn load<'a>(identity: &'a str) -> Option<User> {
    identity.parse().ok().map(|id| User {
        id,
        role: "user".into(),
    })
}

#[token_in_blocklist]
fn is_revoked<'a, 'b>(header: &'a JwtHeader, claims: &'b Claims) -> impl Future<Output = bool> + Send + 'b {
    let kid = header.kid().is_some();
    async move { kid && claims.jti().is_none() }
}

#[token_verification]
async fn has_sub(claims: &Claims) -> bool {
    claims.get("sub").is_some()
}

#[jwt_check]
fn editors_only(claims: &Claims) -> Result<(), Status> {
    claims.get("editor").map(|_| ()).ok_or(Status::Forbidden)
}

fn main() {
    let _ = JwtManager::new().loaders(loaders![role_claims, load, is_revoked, has_sub]);
    let _ = editors_only;
    let _ = identity;
}
