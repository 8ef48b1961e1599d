use rocket_jwt_extended::{user_lookup, Claims};

struct Users;

impl Users {
    #[user_lookup]
    fn load(claims: &Claims) -> Option<String> {
        claims.get_str("sub").map(str::to_owned)
    }
}

fn main() {
    let _ = Users;
}
