#![deny(warnings)]
// Loader names that match names the generated glue could use internally.
use rocket::serde::json::{json, Value};
use rocket_jwt_extended::{additional_claims, additional_headers, loaders, JwtManager};

#[additional_claims]
fn adapter(identity: &str) -> Value {
    json!({ "who": identity })
}

#[additional_headers]
fn identity(identity: &str) -> Value {
    json!({ "kid": identity })
}

mod more {
    #[rocket_jwt_extended::additional_claims]
    pub fn raw(identity: &str) -> Option<String> {
        let _ = identity;
        None
    }
}

fn main() {
    let _ = JwtManager::new().loaders(loaders![adapter, identity]);
    let _ = loaders![more::raw];
}
