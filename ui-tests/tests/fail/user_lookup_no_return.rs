use rocket_jwt_extended::{user_lookup, Claims};

#[user_lookup]
fn load_user(claims: &Claims) {
    let _ = claims;
}

fn main() {}
