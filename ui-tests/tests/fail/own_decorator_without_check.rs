use editor_required::editor_required;

// The application forgot its `#[jwt_check] fn editors_only`.
#[editor_required]
#[rocket::post("/articles")]
fn publish() {}

fn main() {}
