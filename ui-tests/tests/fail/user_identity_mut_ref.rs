use rocket_jwt_extended::user_identity;

struct User {
    id: u32,
}

#[user_identity]
fn identity(user: &mut User) -> String {
    user.id.to_string()
}

fn main() {}
