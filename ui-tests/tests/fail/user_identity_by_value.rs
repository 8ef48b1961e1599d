use rocket_jwt_extended::user_identity;

struct User;

#[user_identity]
fn by_value(user: User) -> String {
    let _ = user;
    String::new()
}

fn main() {}
