use rocket_jwt_extended::{decode_key, JwtHeader};

#[decode_key]
fn key_for(header: &JwtHeader) -> u64 {
    header.kid().map_or(0, |k| k.len() as u64)
}

fn main() {}
