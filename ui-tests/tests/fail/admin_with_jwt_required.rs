#[macro_use]
extern crate rocket;

use rocket_jwt_extended::{admin_required, jwt_required};

#[admin_required]
#[jwt_required(fresh)]
#[get("/admin")]
fn admin() -> &'static str {
    "ok"
}

fn main() {}
