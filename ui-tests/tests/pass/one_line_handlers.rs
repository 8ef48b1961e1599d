#![deny(warnings)]
//! Handlers written the shortest way compile without warnings.
#[macro_use]
extern crate rocket;

use rocket::http::Status;
use rocket_jwt_extended::{admin_required, current_user, get_jwt_identity, jwt_check, jwt_required, loaders, user_lookup, Claims, JwtManager};

struct User(String);

#[user_lookup]
fn load_user(identity: &str) -> Option<User> {
    Some(User(identity.to_owned()))
}

#[jwt_check]
fn editors_only(claims: &Claims) -> Result<(), Status> { claims.get("editor").map(|_| ()).ok_or(Status::Forbidden) }

#[jwt_required]
#[get("/a")]
fn a() -> &'static str { "ok" }

#[jwt_required(check = editors_only)]
#[get("/b")]
fn b() -> Option<String> { get_jwt_identity() }

#[admin_required]
#[get("/c")]
async fn c() -> &'static str { "ok" }

#[jwt_required]
#[get("/d")]
fn d() -> String { current_user::<User>().map(|u| u.0.clone()).unwrap_or_default() }

#[jwt_required]
#[get("/e")]
async fn e() -> String {
    let who = get_jwt_identity();
    rocket::tokio::spawn(async move { who.unwrap_or_default() }).await.unwrap_or_default()
}

fn main() {
    let _ = rocket::build()
        .attach(JwtManager::new().loaders(loaders![load_user]))
        .mount("/", routes![a, b, c, d, e]);
}
