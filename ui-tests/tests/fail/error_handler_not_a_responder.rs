use rocket_jwt_extended::{expired_token, Claims, JwtHeader};

#[expired_token]
fn expired(_header: &JwtHeader, _claims: &Claims) -> Vec<u32> {
    vec![401]
}

fn main() {}
