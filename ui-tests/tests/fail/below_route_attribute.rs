#[macro_use]
extern crate rocket;

use rocket_jwt_extended::jwt_required;

#[get("/")]
#[jwt_required]
fn index() -> &'static str {
    "hi"
}

fn main() {
    let _ = routes![index];
}
