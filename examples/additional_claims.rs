//! Custom claims: an `#[additional_claims]` loader adds claims to every token,
//! and claims given when creating a token override them (last wins).
#[macro_use]
extern crate rocket;

use rocket::http::Status;
use rocket::serde::json::{json, Json, Value};
use rocket_jwt_extended::{
    additional_claims, get_jwt, jwt_required, loaders, EncodeError, JwtManager, Tokens,
};

/// Used when neither Rocket.toml nor `ROCKET_JWT_SECRET_KEY` sets one. Never in production.
const DEV_SECRET: &str = "development-secret-change-me-0123456789";

#[additional_claims]
fn add_claims(identity: &str) -> Value {
    json!({ "aud": "some_audience2", "foo": "bar2", "upcase_name": identity.to_uppercase() })
}

#[post("/login", data = "<body>")]
fn login(tokens: Tokens<'_>, body: Option<Json<Value>>) -> Result<(Status, Value), EncodeError> {
    let body = body.map(Json::into_inner).unwrap_or_default();
    if body["username"] != "admin" || body["password"] != "123456" {
        return Ok((
            Status::Unauthorized,
            json!({"msg": "Bad username or password"}),
        ));
    }
    let token = tokens
        .access_token("admin")
        .additional_claims(json!({ "aud": "some_audience", "foo": "bar" }))
        .sign()?;
    Ok((Status::Ok, json!({ "access_token": token })))
}

#[jwt_required]
#[get("/protected")]
fn protected() -> Value {
    let claims = get_jwt();
    json!({ "foo": claims["foo"], "upcase_name": claims["upcase_name"], "aud": claims["aud"] })
}

#[launch]
fn rocket() -> _ {
    let figment = rocket::Config::figment().join(("jwt_secret_key", DEV_SECRET));
    rocket::custom(figment)
        .attach(JwtManager::new().loaders(loaders![add_claims]))
        .mount("/", routes![login, protected])
}
