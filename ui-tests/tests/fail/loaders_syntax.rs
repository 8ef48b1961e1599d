use rocket_jwt_extended::{loaders, token_in_blocklist, user_lookup, Claims, JwtManager};

#[token_in_blocklist]
fn is_revoked(claims: &Claims) -> bool {
    claims.jti().is_none()
}

#[user_lookup]
fn load_user(identity: &str) -> Option<String> {
    Some(identity.to_owned())
}

fn main() {
    let _ = JwtManager::new().loaders(loaders![is_revoked load_user]);
}
