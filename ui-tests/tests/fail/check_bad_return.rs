use rocket_jwt_extended::{jwt_check, Claims};

#[jwt_check]
fn admins_only(claims: &Claims) -> bool {
    claims.get("admin").is_some()
}

fn main() {}
