use editor_required::editor_required;
use rocket::http::Status;
use rocket_jwt_extended::jwt_check;

#[jwt_check]
fn editors_only(_identity: &str) -> Result<(), Status> {
    Ok(())
}

#[editor_required(frsh)]
#[rocket::post("/articles")]
fn publish() {}

fn main() {}
