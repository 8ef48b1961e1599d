#[macro_use]
extern crate rocket;

use rocket_jwt_extended::{get_jwt_identity, jwt_required};

#[jwt_required]
#[post("/report")]
async fn report() -> &'static str {
    rocket::tokio::spawn(async move {
        let who = get_jwt_identity();
        println!("report for {who:?}");
    });
    "queued"
}

fn main() {}
