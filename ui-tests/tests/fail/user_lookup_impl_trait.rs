use rocket_jwt_extended::user_lookup;

#[user_lookup]
fn load_user(identity: &str) -> Option<impl std::fmt::Display + Send + Sync + 'static> {
    Some(identity.to_owned())
}

fn main() {}
