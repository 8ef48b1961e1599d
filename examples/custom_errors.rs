//! Custom error responses: access tokens live 1 s; an expired, invalid or
//! missing token gets the application's own JSON instead of flask's default.
#[macro_use]
extern crate rocket;

use rocket::http::Status;
use rocket::serde::json::{json, Json, Value};
use rocket_jwt_extended::{
    expired_token, invalid_token, jwt_required, loaders, unauthorized, Claims, EncodeError,
    JwtHeader, JwtManager, Tokens,
};

#[expired_token]
fn expired(_header: &JwtHeader, _claims: &Claims) -> (Status, Json<Value>) {
    (
        Status::Unauthorized,
        Json(json!({ "code": "dave", "err": "I can't let you do that" })),
    )
}

#[invalid_token]
fn invalid(_reason: &str) -> (Status, Json<Value>) {
    (
        Status::Unauthorized,
        Json(json!({ "message": "Signature verification failed.", "error": "invalid_token" })),
    )
}

#[unauthorized]
fn missing(_reason: &str) -> (Status, Json<Value>) {
    (
        Status::Unauthorized,
        Json(json!({
            "description": "Request does not contain an access token.",
            "error": "authorization_required"
        })),
    )
}

#[post("/login")]
fn login(tokens: Tokens<'_>) -> Result<Value, EncodeError> {
    Ok(json!({ "access_token": tokens.create_access_token("example_user")? }))
}

#[jwt_required]
#[get("/protected")]
fn protected() -> Value {
    json!({ "hello": "world" })
}

#[launch]
fn rocket() -> _ {
    let figment = rocket::Config::figment().join(("jwt_access_token_expires", 1));
    rocket::custom(figment)
        .attach(
            JwtManager::new()
                .ephemeral_secret_if_unset()
                .loaders(loaders![expired, invalid, missing]),
        )
        .mount("/", routes![login, protected])
}
