use rocket_jwt_extended::{token_in_blocklist, Claims};

#[token_in_blocklist]
fn is_revoked(claims: &Claims, limit: u32) -> bool {
    claims.jti().map_or(0, str::len) as u32 > limit
}

fn main() {}
