use rocket_jwt_extended::user_lookup;

#[user_lookup]
fn load_user(identity: String) -> Option<String> {
    Some(identity)
}

fn main() {}
