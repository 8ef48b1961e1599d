//! The guard a Rocket user would write alone with jsonwebtoken: the baseline
//! of `benches/callgrind.sh` and `cargo bench --bench guard`. The key and the
//! `Validation` are built once; the token is `strip_prefix("Bearer ")` and
//! decoded into a typed struct.

use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};

/// What the guard verifies with, managed state.
pub struct HandwrittenKeys {
    key: DecodingKey,
    validation: Validation,
}

impl HandwrittenKeys {
    /// HS256 with `secret`, no leeway.
    pub fn hs256(secret: &str) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        HandwrittenKeys {
            key: DecodingKey::from_secret(secret.as_bytes()),
            validation,
        }
    }
}

/// The claims the guard reads.
#[derive(serde::Deserialize)]
struct StandardClaims {
    sub: String,
}

/// The verified identity.
pub struct User(pub String);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for User {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        let Some(keys) = req.rocket().state::<HandwrittenKeys>() else {
            return Outcome::Error((Status::InternalServerError, ()));
        };
        let token = req
            .headers()
            .get_one("Authorization")
            .and_then(|h| h.strip_prefix("Bearer "));
        let Some(token) = token else {
            return Outcome::Error((Status::Unauthorized, ()));
        };
        match jsonwebtoken::decode::<StandardClaims>(token, &keys.key, &keys.validation) {
            Ok(data) => Outcome::Success(User(data.claims.sub)),
            Err(_) => Outcome::Error((Status::Unauthorized, ())),
        }
    }
}

/// The protected route behind the hand-written guard.
#[rocket::get("/protected")]
pub fn protected_handwritten(user: User) -> String {
    user.0
}
