#![deny(warnings)]
//! An application's own decorator attribute (`examples/decorators/`),
//! alone and composed with `#[jwt_required]`'s other arguments.
#[macro_use]
extern crate rocket;

use editor_required::editor_required;
use rocket::http::Status;
use rocket_jwt_extended::{get_jwt_identity, jwt_check};

#[jwt_check]
fn editors_only(identity: &str) -> Result<(), Status> {
    if identity == "erin" {
        Ok(())
    } else {
        Err(Status::Forbidden)
    }
}

#[editor_required]
#[post("/articles")]
fn publish() -> String {
    format!("published by {}", get_jwt_identity().unwrap_or_default())
}

#[editor_required(fresh, locations = ["headers", "cookies"])]
#[delete("/articles/<id>")]
async fn unpublish(id: u32) -> String {
    format!("unpublished {id}")
}

fn main() {
    let _ = routes![publish, unpublish];
}
