use rocket_jwt_extended::{additional_claims, loaders, JwtManager};

#[additional_claims]
fn returns_number(identity: &str) -> std::time::Instant {
    let _ = identity;
    std::time::Instant::now()
}

fn not_a_loader(_: &str) {}

fn main() {
    let _ = JwtManager::new().loaders(loaders![returns_number]);
    let _ = JwtManager::new().loaders(loaders![not_a_loader]);
}
