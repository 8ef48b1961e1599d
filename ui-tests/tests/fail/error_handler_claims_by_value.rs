use rocket::http::Status;
use rocket_jwt_extended::{expired_token, Claims};

#[expired_token]
fn expired(claims: Claims) -> Status {
    let _ = claims;
    Status::Unauthorized
}

fn main() {}
