//! A decorator of the application's own as an attribute: `#[editor_required]`
//! from the small proc-macro crate in `examples/decorators/`, expanding to
//! `#[jwt_required(check = crate::editors_only, ..)]`.
//!
//! ```sh
//! cargo run --example editor_decorator
//! TOKEN=$(curl -s -XPOST localhost:8000/login -H 'Content-Type: application/json' \
//!      -d '{"username":"erin"}' | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
//! curl -s -XPOST localhost:8000/articles -H "Authorization: Bearer $TOKEN"
//! ```
#[macro_use]
extern crate rocket;

use editor_required::editor_required;
use rocket::http::Status;
use rocket::serde::json::{json, Json, Value};
use rocket_jwt_extended::{jwt_check, EncodeError, JwtManager, Tokens};

/// Who may edit (the application's own rule).
const EDITORS: &[&str] = &["erin", "eve"];

/// The check `#[editor_required]` names.
#[jwt_check]
fn editors_only(identity: &str) -> Result<(), (Status, Json<Value>)> {
    if EDITORS.contains(&identity) {
        Ok(())
    } else {
        Err((Status::Forbidden, Json(json!({ "msg": "Editors only!" }))))
    }
}

/// Logs anyone in (a fresh token), for the demonstration.
#[post("/login", data = "<body>")]
fn login(tokens: Tokens<'_>, body: Json<Value>) -> Result<Value, EncodeError> {
    let username = body["username"].as_str().unwrap_or("");
    Ok(json!({ "access_token": tokens.access_token(username).fresh(true).sign()? }))
}

#[editor_required]
#[post("/articles")]
fn publish() -> Value {
    json!({ "msg": "published" })
}

/// Composes with the other arguments: here a fresh token is required too.
#[editor_required(fresh)]
#[delete("/articles")]
fn unpublish() -> Value {
    json!({ "msg": "unpublished" })
}

#[launch]
fn rocket() -> _ {
    rocket::build()
        .attach(JwtManager::new().ephemeral_secret_if_unset())
        .mount("/", routes![login, publish, unpublish])
}
