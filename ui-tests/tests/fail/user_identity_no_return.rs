use rocket_jwt_extended::user_identity;

struct User {
    id: u32,
}

#[user_identity]
fn identity(user: &User) {
    let _ = user.id;
}

fn main() {}
