use std::cell::RefCell;
use std::rc::Rc;

use rocket::serde::json::{json, Value};
use rocket_jwt_extended::additional_claims;

async fn roles() -> Vec<String> {
    Vec::new()
}

#[additional_claims]
async fn add_claims(identity: &str) -> Value {
    let seen = Rc::new(RefCell::new(identity.to_owned()));
    let roles = roles().await;
    json!({ "roles": roles, "seen": *seen.borrow() })
}

fn main() {}
