#[macro_use]
extern crate rocket;

use rocket_jwt_extended::jwt_required;

#[jwt_required(frsh)]
#[get("/")]
fn index() -> &'static str {
    "hi"
}

fn main() {
    let _ = routes![index];
}
