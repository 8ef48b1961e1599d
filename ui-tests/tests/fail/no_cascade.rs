use rocket_jwt_extended::{user_lookup, Claims};

pub struct User;

// The attribute is misused (it takes no arguments), yet `load_user` is still
// defined: the only error is the argument, not a missing function below.
#[user_lookup(cache = true)]
fn load_user(claims: &Claims) -> Option<User> {
    claims.get("sub").map(|_| User)
}

fn main() {
    let claims = Claims::default();
    let _ = load_user(&claims);
}
