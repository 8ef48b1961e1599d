//! Optional protection: the route answers with or without a token
//! (`@jwt_required(optional=True)`); an invalid or expired token is still refused.
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
    Ok((
        Status::Ok,
        json!({ "access_token": tokens.create_access_token("admin")? }),
    ))
}

#[jwt_required]
#[get("/protected")]
fn protected() -> Value {
    json!({ "logged_in_as": get_jwt_identity() })
}

#[jwt_required(optional)]
#[get("/optionally_protected")]
fn optionally_protected() -> Value {
    let who = get_jwt_identity().unwrap_or_else(|| "anonymous user".into());
    json!({ "logged_in_as": who })
}

#[launch]
fn rocket() -> _ {
    rocket::build()
        .attach(JwtManager::new().ephemeral_secret_if_unset())
        .mount("/", routes![login, protected, optionally_protected])
}
