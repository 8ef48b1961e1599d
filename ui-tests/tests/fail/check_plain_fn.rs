#[macro_use]
extern crate rocket;

use rocket_jwt_extended::jwt_required;

fn editors_only() -> bool {
    true
}

#[jwt_required(check = editors_only)]
#[get("/x")]
fn x() -> &'static str {
    let _ = editors_only();
    "ok"
}

fn main() {}
