#[macro_use]
extern crate rocket;

use rocket::http::Status;
use rocket_jwt_extended::{jwt_check, Claims};

#[jwt_check]
#[get("/editors")]
fn editors_only(claims: &Claims) -> Result<(), Status> {
    claims.get("editor").map(|_| ()).ok_or(Status::Forbidden)
}

fn main() {}
