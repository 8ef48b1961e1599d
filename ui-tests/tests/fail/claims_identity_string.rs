use rocket::serde::json::{json, Value};
use rocket_jwt_extended::additional_claims;

#[additional_claims]
fn add_claims(identity: &String) -> Value {
    json!({ "name": identity })
}

fn main() {}
