#[macro_use]
extern crate rocket;

use rocket_jwt_extended::jwt_required;

#[jwt_required(fresh, refresh)]
#[post("/refresh")]
fn refresh() -> &'static str {
    "hi"
}

fn main() {
    let _ = routes![refresh];
}
