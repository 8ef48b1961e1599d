#[macro_use]
extern crate rocket;

use rocket_jwt_extended::{loaders, JwtManager};

#[get("/")]
fn index() -> &'static str {
    "ok"
}

fn main() {
    let _ = routes![index];
    let _ = JwtManager::new().loaders(loaders![index]);
}
