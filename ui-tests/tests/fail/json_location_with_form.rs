#[macro_use]
extern crate rocket;

use rocket::form::Form;
use rocket_jwt_extended::jwt_required;

#[derive(FromForm)]
struct Login {
    name: String,
}

#[jwt_required(locations = ["headers", "json"])]
#[post("/login", data = "<form>")]
fn login(form: Form<Login>) -> String {
    form.into_inner().name
}

fn main() {}
