use rocket_jwt_extended::additional_headers;

#[additional_headers]
fn add_headers(identity: &str) -> Vec<String> {
    vec![identity.to_owned()]
}

fn main() {}
