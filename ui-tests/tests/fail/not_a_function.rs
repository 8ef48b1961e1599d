use rocket_jwt_extended::jwt_required;

#[jwt_required]
struct Protected {
    field: u8,
}

fn main() {
    // The struct is still emitted: no cascade of "cannot find type" errors.
    let _ = Protected { field: 1 };
}
