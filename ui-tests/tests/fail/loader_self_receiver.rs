use rocket_jwt_extended::{token_in_blocklist, Claims};

struct Store;

impl Store {
    #[token_in_blocklist]
    fn is_revoked(&self, claims: &Claims) -> bool {
        claims.jti().is_none()
    }
}

fn main() {}
