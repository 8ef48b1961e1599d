//! Guard decorators: `#[admin_required]` (a truthy `is_administrator` claim,
//! else 403 `{"msg": "Admins only!"}`) and a check of the application's own,
//! `#[jwt_check] editors_only`, applied with `#[jwt_required(check = ..)]`.
#[macro_use]
extern crate rocket;

use rocket::http::Status;
use rocket::serde::json::{json, Json, Value};
use rocket_jwt_extended::{
    admin_required, jwt_check, jwt_required, Claims, EncodeError, JwtManager, Tokens,
};

#[post("/login", data = "<body>")]
fn login(tokens: Tokens<'_>, body: Option<Json<Value>>) -> Result<Value, EncodeError> {
    let body = body.map(Json::into_inner).unwrap_or_default();
    let username = body["username"].as_str().unwrap_or("nobody");
    let token = tokens
        .access_token(username)
        .additional_claims(json!({ "is_administrator": username == "admin" }))
        .sign()?;
    Ok(json!({ "access_token": token }))
}

#[admin_required]
#[get("/protected")]
fn protected() -> Value {
    json!({ "foo": "bar" })
}

/// Who may publish (an application's own rule).
const EDITORS: &[&str] = &["admin", "erin"];

/// A decorator of the application's own: any check over the verified token
/// (header, claims, identity) and, as parameters, any request guard,
/// answering its own response on failure.
#[jwt_check]
fn editors_only(identity: &str, claims: &Claims) -> Result<(), (Status, Json<Value>)> {
    let admin = claims.get("is_administrator") == Some(&json!(true));
    if admin || EDITORS.contains(&identity) {
        Ok(())
    } else {
        Err((Status::Forbidden, Json(json!({ "msg": "Editors only!" }))))
    }
}

#[jwt_required(check = editors_only)]
#[post("/articles")]
fn publish() -> Value {
    json!({ "msg": "published" })
}

#[launch]
fn rocket() -> _ {
    rocket::build()
        .attach(JwtManager::new().ephemeral_secret_if_unset())
        .mount("/", routes![login, protected, publish])
}
