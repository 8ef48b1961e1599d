use rocket_jwt_extended::{token_verification, Claims};

#[token_verification]
fn verify<T: Default>(claims: &Claims) -> bool {
    let _ = T::default();
    claims.get("role").is_some()
}

fn main() {}
