use rocket_jwt_extended::encode_key;

#[encode_key]
fn key_for(identity: &str) -> u64 {
    identity.len() as u64
}

fn main() {}
