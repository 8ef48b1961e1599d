use rocket::serde::json::{json, Value};
use rocket_jwt_extended::additional_claims;

struct User {
    role: String,
}

#[additional_claims]
fn add_claims(user: &User) -> Value {
    json!({ "role": user.role })
}

fn main() {}
