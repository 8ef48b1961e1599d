use rocket_jwt_extended::jwt_required;

#[jwt_required]
fn helper() -> u8 {
    1
}

fn main() {
    // The function is still emitted and callable: the error is the only one.
    let _ = helper();
}
