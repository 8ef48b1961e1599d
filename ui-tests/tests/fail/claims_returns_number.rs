use rocket_jwt_extended::additional_claims;

#[additional_claims]
fn add_claims(identity: &str) -> i64 {
    identity.len() as i64
}

fn main() {}
