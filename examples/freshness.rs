//! Token freshness: a password login gives a fresh token; a refreshed token is
//! not fresh; `#[jwt_required(fresh)]` routes need a fresh one. A token can
//! also be fresh for a while only (`POST /login_fresh_for_2s`).
#[macro_use]
extern crate rocket;

use std::time::Duration;

use rocket::http::Status;
use rocket::serde::json::{json, Json, Value};
use rocket_jwt_extended::{get_jwt_identity, jwt_required, EncodeError, JwtManager, Tokens};

#[post("/login", data = "<body>")]
fn login(tokens: Tokens<'_>, body: Option<Json<Value>>) -> Result<(Status, Value), EncodeError> {
    let body = body.map(Json::into_inner).unwrap_or_default();
    if body["username"] != "admin" || body["password"] != "123456" {
        return Ok((
            Status::Unauthorized,
            json!({"msg": "Bad username or password"}),
        ));
    }
    Ok((
        Status::Ok,
        json!({
            "access_token": tokens.access_token("example_user").fresh(true).sign()?,
            "refresh_token": tokens.create_refresh_token("example_user")?,
        }),
    ))
}

#[post("/login_fresh_for_2s")]
fn login_fresh_for_2s(tokens: Tokens<'_>) -> Result<Value, EncodeError> {
    let token = tokens
        .access_token("example_user")
        .fresh(Duration::from_secs(2))
        .sign()?;
    Ok(json!({ "access_token": token }))
}

#[jwt_required(refresh)]
#[post("/refresh")]
fn refresh(tokens: Tokens<'_>) -> Result<Value, EncodeError> {
    let identity = get_jwt_identity().unwrap_or_default();
    let token = tokens.access_token(&identity).fresh(false).sign()?;
    Ok(json!({ "access_token": token }))
}

#[jwt_required(fresh)]
#[get("/protected")]
fn protected() -> Value {
    json!({ "foo": "bar" })
}

#[launch]
fn rocket() -> _ {
    let figment = rocket::Config::figment()
        .join(("jwt_access_token_expires", 3600))
        .join(("jwt_refresh_token_expires", 30 * 24 * 3600));
    rocket::custom(figment)
        .attach(JwtManager::new().ephemeral_secret_if_unset())
        .mount("/", routes![login, login_fresh_for_2s, refresh, protected])
}
