//! A resource server: verifies tokens that an identity provider (Keycloak,
//! Auth0, Cognito, Entra, or the `asymmetric` example) issues, with the keys
//! it publishes as a JWKS. It issues no tokens itself.
//!
//! ```sh
//! cargo run --example asymmetric                        # the issuer, on :8000
//! TOKEN=$(curl -s -XPOST localhost:8000/login -H 'Content-Type: application/json' \
//!      -d '{"username":"admin","password":"123456"}' | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
//! ROCKET_PORT=8001 \
//! ROCKET_JWT_JWKS_URL=http://127.0.0.1:8000/.well-known/jwks.json \
//!     cargo run --example resource_server
//! curl -s localhost:8001/protected -H "Authorization: Bearer $TOKEN"
//! ```
//!
//! `ROCKET_JWT_DECODE_ISSUER` and `ROCKET_JWT_DECODE_AUDIENCE` are checked
//! when set (set them for a real identity provider). Its tokens carry no
//! `type`, `fresh` or `jti`: they count as access tokens, not fresh.
#[macro_use]
extern crate rocket;

use rocket::serde::json::{json, Value};
use rocket_jwt_extended::{get_jwt_identity, jwt_required, JwtManager};
use rocket_jwt_extended_jwks::Jwks;

#[jwt_required]
#[get("/protected")]
fn protected() -> Value {
    json!({ "logged_in_as": get_jwt_identity() })
}

#[launch]
fn rocket() -> _ {
    // The `asymmetric` example's keys unless configured otherwise.
    let figment = rocket::Config::figment().join((
        "jwt_jwks_url",
        "http://127.0.0.1:8000/.well-known/jwks.json",
    ));
    rocket::custom(figment)
        .attach(JwtManager::new().key_source(Jwks::new()))
        .mount("/", routes![protected])
}
