use rocket::serde::json::Value;
use rocket_jwt_extended::{additional_claims, user_identity};

struct User;

#[additional_claims]
fn no_identity() -> Value {
    Value::Null
}

#[additional_claims]
fn generic<T>(identity: &str) -> Value {
    let _ = identity;
    Value::Null
}

#[additional_claims]
fn no_return(identity: &str) {
    let _ = identity;
}

#[user_identity]
fn by_value(user: User) -> String {
    let _ = user;
    String::new()
}

fn main() {}
