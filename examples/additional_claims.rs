//! Custom claims: an `#[additional_claims]` loader adds claims to every token,
//! and claims given when creating a token override them (last wins).
#[macro_use]
extern crate rocket;

use rocket::http::Status;
use rocket::serde::json::{json, Json, Value};
use rocket_jwt_extended::{
    additional_claims, get_jwt, jwt_required, loaders, EncodeError, JwtManager, Tokens,
};

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
    rocket::build()
        .attach(
            JwtManager::new()
                .ephemeral_secret_if_unset()
                .loaders(loaders![add_claims]),
        )
        .mount("/", routes![login, protected])
}
