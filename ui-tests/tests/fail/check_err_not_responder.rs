#[macro_use]
extern crate rocket;

use rocket_jwt_extended::{jwt_check, jwt_required, Claims};

struct Refusal;

#[jwt_check]
fn editors_only(claims: &Claims) -> Result<(), Refusal> {
    claims.get("editor").map(|_| ()).ok_or(Refusal)
}

#[jwt_required(check = editors_only)]
#[get("/x")]
fn x() -> &'static str {
    "ok"
}

fn main() {}
