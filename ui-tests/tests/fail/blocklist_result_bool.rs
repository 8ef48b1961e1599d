use rocket_jwt_extended::{token_in_blocklist, Claims};

#[token_in_blocklist]
fn is_revoked(claims: &Claims) -> Result<bool, String> {
    Ok(claims.jti().is_none())
}

fn main() {}
