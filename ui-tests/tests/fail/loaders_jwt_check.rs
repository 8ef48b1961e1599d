use rocket::http::Status;
use rocket_jwt_extended::{jwt_check, loaders, Claims, JwtManager};

#[jwt_check]
fn editors_only(claims: &Claims) -> Result<(), Status> {
    claims.get("editor").map(|_| ()).ok_or(Status::Forbidden)
}

fn main() {
    let _ = JwtManager::new().loaders(loaders![editors_only]);
}
