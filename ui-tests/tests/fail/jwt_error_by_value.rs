use rocket::http::Status;
use rocket_jwt_extended::{jwt_error, JwtError};

#[jwt_error]
fn every_error(error: JwtError) -> Status {
    error.status()
}

fn main() {}
