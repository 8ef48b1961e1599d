use rocket_jwt_extended::{token_verification, Claims};

#[token_verification]
fn verify(claims: &mut Claims) -> bool {
    claims.get("role").is_some()
}

fn main() {}
