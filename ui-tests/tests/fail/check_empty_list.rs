#[macro_use]
extern crate rocket;

use rocket_jwt_extended::jwt_required;

#[jwt_required(check = [])]
#[get("/x")]
fn x() -> &'static str {
    "ok"
}

fn main() {}
