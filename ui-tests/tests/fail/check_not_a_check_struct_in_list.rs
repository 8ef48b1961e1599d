#[macro_use]
extern crate rocket;

use rocket::http::Status;
use rocket_jwt_extended::{jwt_check, jwt_required, Claims};

#[jwt_check]
fn editors_only(claims: &Claims) -> Result<(), Status> {
    claims.get("editor").map(|_| ()).ok_or(Status::Forbidden)
}

fn is_admin() -> bool {
    true
}

#[jwt_required(check = [editors_only, is_admin])]
#[get("/x")]
fn x() -> &'static str {
    let _ = is_admin();
    "ok"
}

fn main() {}
