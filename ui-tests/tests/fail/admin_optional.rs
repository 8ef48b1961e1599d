#[macro_use]
extern crate rocket;

use rocket_jwt_extended::admin_required;

#[admin_required(optional)]
#[get("/admin")]
fn admin() -> &'static str {
    "ok"
}

fn main() {}
