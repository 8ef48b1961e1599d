use rocket::serde::json::Value;
use rocket_jwt_extended::additional_claims;

#[additional_claims]
fn generic<T>(identity: &str) -> Value {
    let _ = identity;
    Value::Null
}

fn main() {}
