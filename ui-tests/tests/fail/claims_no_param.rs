use rocket::serde::json::Value;
use rocket_jwt_extended::additional_claims;

#[additional_claims]
fn no_identity() -> Value {
    Value::Null
}

fn main() {}
