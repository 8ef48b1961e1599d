//! Explicit refresh: short-lived access tokens (3 s) renewed with a refresh
//! token (10 s) at `POST /refresh`.
#[macro_use]
extern crate rocket;

use rocket::serde::json::{json, Value};
use rocket_jwt_extended::{get_jwt_identity, jwt_required, EncodeError, JwtManager, Tokens};

#[post("/login")]
fn login(tokens: Tokens<'_>) -> Result<Value, EncodeError> {
    Ok(json!({
        "access_token": tokens.create_access_token("example_user")?,
        "refresh_token": tokens.create_refresh_token("example_user")?,
    }))
}

#[jwt_required(refresh)]
#[post("/refresh")]
fn refresh(tokens: Tokens<'_>) -> Result<Value, EncodeError> {
    let identity = get_jwt_identity().unwrap_or_default();
    Ok(json!({ "access_token": tokens.create_access_token(&identity)? }))
}

#[jwt_required]
#[get("/protected")]
fn protected() -> Value {
    json!({ "foo": "bar" })
}

#[launch]
fn rocket() -> _ {
    let figment = rocket::Config::figment()
        .join(("jwt_access_token_expires", 3))
        .join(("jwt_refresh_token_expires", 10));
    rocket::custom(figment)
        .attach(JwtManager::new().ephemeral_secret_if_unset())
        .mount("/", routes![login, refresh, protected])
}
