use rocket_jwt_extended::{token_verification, Claims};

#[token_verification]
fn has_role(claims: &Claims) -> bool
where
    String: Clone,
{
    claims.get("role").is_some()
}

fn main() {}
