use rocket_jwt_extended::{user_lookup, Claims};

#[user_lookup]
fn load_user(claims: Claims) -> Option<String> {
    claims.get_str("sub").map(str::to_owned)
}

fn main() {}
