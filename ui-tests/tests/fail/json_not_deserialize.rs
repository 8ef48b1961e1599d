#[macro_use]
extern crate rocket;

use rocket::serde::json::Json;
use rocket_jwt_extended::jwt_required;

struct Note {
    text: String,
}

#[jwt_required]
#[post("/notes", data = "<note>")]
fn add_note(note: Json<Note>) -> String {
    note.into_inner().text
}

fn main() {}
