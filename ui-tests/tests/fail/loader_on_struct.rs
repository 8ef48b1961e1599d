use rocket_jwt_extended::user_lookup;

#[user_lookup]
struct Users;

fn main() {}
