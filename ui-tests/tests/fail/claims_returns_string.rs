use rocket_jwt_extended::additional_claims;

#[additional_claims]
fn add_claims(identity: &str) -> String {
    format!("{{\"name\": \"{identity}\"}}")
}

fn main() {}
