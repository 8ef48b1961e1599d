use rocket_jwt_extended::encode_key;

#[encode_key]
fn key_for(identity: String) -> String {
    format!("a-secret-of-at-least-32-bytes-for-{identity}")
}

fn main() {}
