//! flask-jwt-extended's feature set for Rocket, as attributes.
//!
//! `#[jwt_required]` protects a route, loader attributes customise tokens, and
//! every default answer is flask-jwt-extended's (status and `{"msg": …}`).
//! Configuration is Rocket's: `jwt_*` keys in Rocket.toml or `ROCKET_JWT_*`.
//!
//! ```
//! #[macro_use]
//! extern crate rocket;
//!
//! use rocket::http::Header;
//! use rocket::local::blocking::Client;
//! use rocket::serde::json::{json, Value};
//! use rocket_jwt_extended::{
//!     additional_claims, additional_headers, get_jwt, get_jwt_header, get_jwt_identity,
//!     jwt_required, loaders, user_identity, EncodeError, JwtManager, Tokens,
//! };
//!
//! struct User {
//!     id: u64,
//! }
//!
//! // create_access_token(&user) writes "sub": "<id>".
//! #[user_identity]
//! fn identity(user: &User) -> u64 {
//!     user.id
//! }
//!
//! #[additional_claims]
//! fn claims(identity: &str) -> Value {
//!     json!({ "role": if identity == "1" { "admin" } else { "user" } })
//! }
//!
//! #[additional_headers]
//! fn headers(_identity: &str) -> Value {
//!     json!({ "kid": "2026-11" })
//! }
//!
//! #[post("/login")]
//! fn login(tokens: Tokens<'_>) -> Result<Value, EncodeError> {
//!     let token = tokens.access_token(&User { id: 1 }).fresh(true).sign()?;
//!     Ok(json!({ "access_token": token }))
//! }
//!
//! #[jwt_required(fresh)]
//! #[get("/me")]
//! fn me() -> Value {
//!     json!({ "id": get_jwt_identity(), "role": get_jwt()["role"], "kid": get_jwt_header()["kid"] })
//! }
//!
//! fn main() {
//!     let figment = rocket::Config::figment()
//!         .merge(("jwt_secret_key", "a-doctest-secret-of-at-least-32-bytes"));
//!     let rocket = rocket::custom(figment)
//!         .attach(JwtManager::new().loaders(loaders![claims, headers]))
//!         .mount("/", routes![login, me]);
//!     let client = Client::tracked(rocket).unwrap();
//!
//!     let login: Value = client.post("/login").dispatch().into_json().unwrap();
//!     let bearer = format!("Bearer {}", login["access_token"].as_str().unwrap());
//!     let me = client.get("/me").header(Header::new("Authorization", bearer)).dispatch();
//!     assert_eq!(me.into_json::<Value>().unwrap(), json!({ "id": "1", "role": "admin", "kid": "2026-11" }));
//!
//!     let anonymous = client.get("/me").dispatch();
//!     assert_eq!(anonymous.status().code, 401);
//!     assert_eq!(anonymous.into_json::<Value>().unwrap(), json!({ "msg": "Missing Authorization Header" }));
//! }
//! ```
#![deny(missing_docs)]

pub use rocket_jwt_extended_macros::*;
pub use rocket_jwt_extended_runtime::*;
