//! Asymmetric keys: the routes and answers of `basic`, signed with a private
//! key (RS256 unless `ROCKET_JWT_ALGORITHM` says otherwise), and the public
//! keys published as a JWKS for other services to verify with.
//!
//! ```sh
//! openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out private.pem
//! ROCKET_JWT_PRIVATE_KEY_FILE=private.pem cargo run --example asymmetric
//! TOKEN=$(curl -s -XPOST localhost:8000/login -H 'Content-Type: application/json' \
//!      -d '{"username":"admin","password":"123456"}' | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
//! curl -s localhost:8000/protected -H "Authorization: Bearer $TOKEN"
//! curl -s localhost:8000/.well-known/jwks.json
//! ```
//!
//! Without a key configured it generates a key pair at start and says so in
//! its log: tokens then last until the next restart.
#[macro_use]
extern crate rocket;

use rocket::http::Status;
use rocket::serde::json::{json, Json, Value};
use rocket_jwt_extended::{
    get_jwt_identity, jwks_routes, jwt_required, EncodeError, JwtManager, Tokens,
};

#[post("/login", data = "<body>")]
fn login(tokens: Tokens<'_>, body: Option<Json<Value>>) -> Result<(Status, Value), EncodeError> {
    let body = body.map(Json::into_inner).unwrap_or_default();
    if body["username"] != "admin" || body["password"] != "123456" {
        return Ok((
            Status::Unauthorized,
            json!({"msg": "Bad username or password"}),
        ));
    }
    let access_token = tokens.create_access_token("admin")?;
    Ok((Status::Ok, json!({ "access_token": access_token })))
}

#[jwt_required]
#[get("/protected")]
fn protected() -> Value {
    json!({ "logged_in_as": get_jwt_identity() })
}

#[launch]
fn rocket() -> _ {
    // RS256 unless configured otherwise (Rocket.toml or ROCKET_JWT_ALGORITHM;
    // with a key set, `ROCKET_JWT_KEYS`, its signing key's algorithm).
    let figment = rocket::Config::figment();
    let figment = match figment.find_value("jwt_keys") {
        Ok(_) => figment,
        Err(_) => figment.join(("jwt_algorithm", "RS256")),
    };
    rocket::custom(figment)
        .attach(JwtManager::new().ephemeral_keys_if_unset())
        .mount("/", routes![login, protected])
        .mount("/.well-known", jwks_routes())
}
