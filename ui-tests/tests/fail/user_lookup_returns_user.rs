use rocket_jwt_extended::user_lookup;

struct User {
    name: String,
}

#[user_lookup]
fn load_user(identity: &str) -> User {
    User {
        name: identity.to_owned(),
    }
}

fn main() {}
