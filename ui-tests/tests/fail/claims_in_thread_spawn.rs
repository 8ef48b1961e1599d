#[macro_use]
extern crate rocket;

use rocket_jwt_extended::{get_jwt, jwt_required};

#[jwt_required]
#[post("/audit")]
fn audit() -> &'static str {
    std::thread::spawn(move || {
        let claims = get_jwt();
        println!("{claims:?}");
    });
    "ok"
}

fn main() {}
