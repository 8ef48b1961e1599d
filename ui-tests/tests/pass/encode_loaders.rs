#![deny(warnings)]
use rocket::serde::json::{json, Value};
use rocket_jwt_extended::{additional_claims, additional_headers, loaders, user_identity, JwtManager};

struct User {
    id: u64,
}

#[user_identity]
fn identity(user: &User) -> u64 {
    user.id
}

#[additional_claims]
async fn claims_for_user(user: &User) -> Value {
    json!({ "id": user.id })
}

#[additional_headers]
fn headers(identity: &str) -> Option<Value> {
    Some(json!({ "kid": identity }))
}

#[derive(serde::Serialize)]
struct Extra {
    role: &'static str,
}

mod nested {
    #[rocket_jwt_extended::additional_claims]
    pub fn typed(_identity: &str) -> super::Extra {
        super::Extra { role: "admin" }
    }
}

fn main() {
    let _ = JwtManager::new().loaders(loaders![claims_for_user, headers]);
    let _ = loaders![nested::typed];
    let _ = identity(&User { id: 1 });
}
