//! Basic usage: log in for an access token, send it in the `Authorization` header.
//!
//! ```sh
//! cargo run --example basic
//! TOKEN=$(curl -s -XPOST localhost:8000/login -H 'Content-Type: application/json' \
//!      -d '{"username":"admin","password":"123456"}' | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
//! curl -s localhost:8000/protected -H "Authorization: Bearer $TOKEN"
//! ```
#[macro_use]
extern crate rocket;

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
    let access_token = tokens.create_access_token("admin")?;
    Ok((Status::Ok, json!({ "access_token": access_token })))
}

#[jwt_required]
#[get("/protected")]
fn protected() -> Value {
    json!({ "logged_in_as": get_jwt_identity() })
}

#[launch]
fn rocket() -> _ {
    rocket::build()
        .attach(JwtManager::new().ephemeral_secret_if_unset())
        .mount("/", routes![login, protected])
}
