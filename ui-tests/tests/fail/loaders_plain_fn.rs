use rocket_jwt_extended::{loaders, JwtManager};

fn is_revoked(_: &str) -> bool {
    false
}

fn main() {
    let _ = is_revoked("x");
    let _ = JwtManager::new().loaders(loaders![is_revoked]);
}
