use rocket::serde::json::{json, Value};
use rocket_jwt_extended::{additional_headers, Claims};

#[additional_headers]
fn add_headers(claims: &Claims) -> Value {
    json!({ "sub": claims.get_str("sub") })
}

fn main() {}
