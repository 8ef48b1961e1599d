#![deny(warnings)]
#[macro_use]
extern crate rocket;

use rocket::data::Data;
use rocket::form::Form;
use rocket::serde::json::{json, Json, Value};
use rocket_jwt_extended::{get_jwt_identity, jwt_required};

// No data guard: `#[jwt_required]` adds one that reads the body only when needed.
#[jwt_required]
#[post("/none")]
fn none() -> Value {
    json!({ "who": get_jwt_identity() })
}

// A route attribute with other arguments and a trailing comma.
#[jwt_required(locations = ["cookies", "json"])]
#[post("/format", format = "json",)]
async fn format() -> &'static str {
    "ok"
}

// `Json<T>`, spelled in full, with a `mut` binding: the handler still gets it.
#[jwt_required]
#[post("/json", data = "<body>")]
fn full_path(mut body: rocket::serde::json::Json<Value>) -> Value {
    body.0["seen"] = json!(true);
    body.0
}

#[derive(serde::Deserialize)]
struct Borrowed<'r> {
    name: &'r str,
}

// A `T` that borrows from the body.
#[jwt_required(locations = "json")]
#[post("/borrowed", data = "<body>")]
async fn borrowed<'r>(body: Json<Borrowed<'r>>) -> String {
    body.name.to_owned()
}

#[derive(FromForm)]
struct Login {
    name: String,
}

// Other data guards compile when the route's own locations leave the body
// alone, or when the configuration decides (checked at launch).
#[jwt_required(locations = "headers")]
#[post("/form", data = "<form>")]
fn form(form: Form<Login>) -> String {
    form.into_inner().name
}

#[jwt_required]
#[post("/raw", data = "<data>")]
async fn raw(data: Data<'_>) -> &'static str {
    let _ = data;
    "raw"
}

fn main() {
    let _ = routes![none, format, full_path, borrowed, form, raw];
}
