use rocket_jwt_extended::additional_claims;

#[additional_claims]
fn no_return(identity: &str) {
    let _ = identity;
}

fn main() {}
