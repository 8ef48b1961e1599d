#[macro_use]
extern crate rocket;

use rocket_jwt_extended::{current_user, jwt_required};

struct User;

#[jwt_required]
#[get("/export")]
async fn export() -> &'static str {
    let _ = rocket::tokio::task::spawn_blocking(|| {
        let user = current_user::<User>();
        user.is_some()
    })
    .await;
    "ok"
}

fn main() {}
