use rocket_jwt_extended::{loaders, token_in_blocklist, Claims, JwtManager};

#[token_in_blocklist]
fn is_revoked(claims: &Claims) -> bool {
    claims.jti().is_none()
}

fn main() {
    let _ = JwtManager::new().loaders(loaders![is_revoked, is_revoked]);
}
