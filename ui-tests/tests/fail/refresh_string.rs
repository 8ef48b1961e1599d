#[macro_use]
extern crate rocket;

use rocket_jwt_extended::jwt_required;

#[jwt_required(refresh = "yes")]
#[post("/refresh")]
fn refresh() -> &'static str {
    "ok"
}

fn main() {}
