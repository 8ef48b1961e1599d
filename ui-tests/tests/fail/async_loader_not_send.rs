use std::rc::Rc;

use rocket_jwt_extended::{user_lookup, Claims};

async fn fetch(id: &str) -> Option<String> {
    Some(id.to_owned())
}

#[user_lookup]
async fn load_user(claims: &Claims) -> Option<String> {
    let cache = Rc::new(claims.get_str("sub").unwrap_or_default().to_owned());
    let user = fetch(&cache).await;
    user.map(|u| format!("{u}{cache}"))
}

fn main() {}
