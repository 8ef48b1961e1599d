#[macro_use]
extern crate rocket;

use rocket_jwt_extended::user_lookup;

#[user_lookup]
#[get("/me")]
fn load_user(identity: &str) -> Option<String> {
    Some(identity.to_owned())
}

fn main() {}
