#[macro_use]
extern crate rocket;

use rocket_jwt_extended::jwt_required;

#[jwt_required(no_verify_type)]
#[get("/x")]
fn x() -> &'static str {
    "ok"
}

fn main() {}
