#[macro_use]
extern crate rocket;

use rocket_jwt_extended::admin_required;

struct Editors;

#[admin_required(check = Editors)]
#[get("/x")]
fn x() -> &'static str {
    let _ = Editors;
    "ok"
}

fn main() {}
