use rocket::http::Status;
use rocket_jwt_extended::jwt_check;

struct Role;

#[jwt_check]
fn editors_only(role: Role) -> Result<(), Status> {
    let _ = role;
    Ok(())
}

fn main() {}
