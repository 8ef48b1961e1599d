use rocket_jwt_extended::{jwt_check, Claims};

#[jwt_check]
fn editors_only(claims: &Claims) {
    let _ = claims;
}

fn main() {}
