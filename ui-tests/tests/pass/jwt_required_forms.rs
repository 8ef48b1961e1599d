#![deny(warnings)]
#[macro_use]
extern crate rocket;

use rocket::serde::json::{json, Json, Value};
use rocket::State;
use rocket_jwt_extended::{get_jwt, get_jwt_identity, jwt_required};

#[jwt_required]
#[get("/plain")]
fn plain() -> Value {
    json!({ "who": get_jwt_identity() })
}

#[jwt_required(optional, verify_type = false, skip_revocation_check)]
#[get("/flags")]
fn flags() -> &'static str {
    "ok"
}

#[jwt_required(fresh = true, locations = ["headers", "cookies", "json", "query_string"])]
#[post("/fresh", data = "<body>")]
async fn fresh(body: Json<Value>) -> Result<Value, rocket::http::Status> {
    let n: u8 = body["n"].as_u64().ok_or(rocket::http::Status::BadRequest)? as u8;
    Ok(json!({ "n": n, "type": get_jwt().token_type() }))
}

#[jwt_required(refresh, locations = "headers")]
#[rocket::post("/refresh/<id>")]
async fn refresh<'r>(id: &'r str, state: &'r State<u8>) -> String {
    format!("{id}{}", state.inner())
}

#[jwt_required(optional = false)]
#[route(GET, uri = "/route")]
fn route_attribute() {}

fn main() {
    let _ = routes![plain, flags, fresh, refresh, route_attribute];
}
