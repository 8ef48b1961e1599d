use rocket_jwt_extended::additional_claims;

struct Extra {
    role: String,
}

#[additional_claims]
fn add_claims(identity: &str) -> Extra {
    Extra {
        role: identity.to_owned(),
    }
}

fn main() {}
