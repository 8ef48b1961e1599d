use rocket::serde::json::{json, Value};
use rocket_jwt_extended::{additional_claims, JwtHeader};

#[additional_claims]
fn add_claims(header: &JwtHeader) -> Value {
    json!({ "kid": header.kid() })
}

fn main() {}
