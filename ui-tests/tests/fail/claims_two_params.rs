use rocket::serde::json::{json, Value};
use rocket_jwt_extended::additional_claims;

#[additional_claims]
fn add_claims(identity: &str, role: &str) -> Value {
    json!({ "name": identity, "role": role })
}

fn main() {}
