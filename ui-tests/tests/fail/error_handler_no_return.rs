use rocket_jwt_extended::invalid_token;

#[invalid_token]
fn invalid(reason: &str) {
    let _ = reason;
}

fn main() {}
