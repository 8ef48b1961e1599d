use rocket_jwt_extended::{loaders, user_identity, JwtManager};

struct User {
    id: u32,
}

#[user_identity]
fn identity(user: &User) -> String {
    user.id.to_string()
}

fn main() {
    let _ = JwtManager::new().loaders(loaders![identity]);
}
