use rocket_jwt_extended::user_lookup;

#[user_lookup(cache = true)]
fn load_user(identity: &str) -> Option<String> {
    Some(identity.to_owned())
}

fn main() {}
