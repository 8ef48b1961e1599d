#[macro_use]
extern crate rocket;

use rocket_jwt_extended::jwt_required;

struct NotACheck;

#[jwt_required(check = NotACheck)]
#[get("/x")]
fn x() -> &'static str {
    "ok"
}

fn main() {}
