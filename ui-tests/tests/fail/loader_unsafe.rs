use rocket_jwt_extended::{token_verification, Claims};

#[token_verification]
unsafe fn has_role(claims: &Claims) -> bool {
    claims.get("role").is_some()
}

fn main() {}
