#[macro_use]
extern crate rocket;

use rocket::http::Status;
use rocket_jwt_extended::{jwt_check, jwt_required, Claims};

#[jwt_check]
fn editors_only(claims: &Claims) -> Result<(), Status> {
    claims.get("editor").map(|_| ()).ok_or(Status::Forbidden)
}

#[jwt_required(check = editors_only())]
#[get("/x")]
fn x() -> &'static str {
    "ok"
}

fn main() {}
