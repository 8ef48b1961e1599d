use std::rc::Rc;

use rocket_jwt_extended::user_lookup;

struct User {
    name: String,
}

#[user_lookup]
fn load_user(identity: &str) -> Option<Rc<User>> {
    Some(Rc::new(User {
        name: identity.to_owned(),
    }))
}

fn main() {}
