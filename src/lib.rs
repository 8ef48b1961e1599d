#![doc = include_str!("../README.md")]
//!
//! # In one example
//!
//! `#[jwt_required]` protects a route, loader attributes customise tokens, and
//! every default answer is flask-jwt-extended's (status and `{"msg": …}`).
//! Configuration is Rocket's: `jwt_*` keys in Rocket.toml or `ROCKET_JWT_*`.
//! The [`guide`] has a compiled example for each section of
//! flask-jwt-extended's guide.
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
//!
//! Request-side loaders, error handlers, decorators and cookies:
//!
//! ```
//! #[macro_use]
//! extern crate rocket;
//!
//! use rocket::http::{Header, Status};
//! use rocket::local::blocking::Client;
//! use rocket::serde::json::{json, Json, Value};
//! use rocket::State;
//! use rocket_jwt_extended::{
//!     admin_required, current_user, jwt_check, jwt_required, loaders, revoked_token,
//!     token_in_blocklist, user_lookup, Claims, JwtHeader, JwtManager, JwtState,
//! };
//!
//! struct User {
//!     name: String,
//! }
//!
//! struct Revoked(Vec<&'static str>);
//!
//! // Any request guard may be a loader parameter: a `Connection<Db>`, a `&State<T>`, …
//! #[user_lookup]
//! async fn load_user(identity: &str) -> Option<User> {
//!     (identity != "ghost").then(|| User { name: identity.to_owned() })
//! }
//!
//! #[token_in_blocklist]
//! fn is_revoked(claims: &Claims, revoked: &State<Revoked>) -> bool {
//!     claims.get_str("sub").is_some_and(|s| revoked.0.contains(&s))
//! }
//!
//! #[revoked_token]
//! fn revoked(_header: &JwtHeader, claims: &Claims) -> (Status, Json<Value>) {
//!     (Status::Unauthorized, Json(json!({ "error": "revoked", "sub": claims.get_str("sub") })))
//! }
//!
//! #[jwt_check]
//! fn not_on_sunday(claims: &Claims) -> Result<(), Status> {
//!     if claims.get("sunday").is_some() { Err(Status::Forbidden) } else { Ok(()) }
//! }
//!
//! #[jwt_required(check = not_on_sunday)]
//! #[get("/me")]
//! fn me() -> Value {
//!     json!({ "name": current_user::<User>().map(|u| u.name.clone()) })
//! }
//!
//! #[admin_required]
//! #[get("/admin")]
//! fn admin() -> &'static str {
//!     "welcome"
//! }
//!
//! fn main() {
//!     let figment = rocket::Config::figment()
//!         .merge(("jwt_secret_key", "a-doctest-secret-of-at-least-32-bytes"));
//!     let rocket = rocket::custom(figment)
//!         .manage(Revoked(vec!["mallory"]))
//!         .attach(JwtManager::new().loaders(loaders![load_user, is_revoked, revoked]))
//!         .mount("/", routes![me, admin]);
//!     let client = Client::tracked(rocket).unwrap();
//!     let state = client.rocket().state::<JwtState>().unwrap();
//!     let get = |path: &'static str, identity: &str| {
//!         let token = state.create_access_token(identity).unwrap();
//!         let auth = Header::new("Authorization", format!("Bearer {token}"));
//!         let response = client.get(path).header(auth).dispatch();
//!         (response.status().code, response.into_json::<Value>())
//!     };
//!
//!     assert_eq!(get("/me", "ann"), (200, Some(json!({ "name": "ann" }))));
//!     assert_eq!(get("/me", "ghost"), (401, Some(json!({ "msg": "Error loading the user ghost" }))));
//!     assert_eq!(get("/me", "mallory"), (401, Some(json!({ "error": "revoked", "sub": "mallory" }))));
//!     assert_eq!(get("/admin", "ann"), (403, Some(json!({ "msg": "Admins only!" }))));
//! }
//! ```
//!
//! ## Asymmetric keys and the JWKS
//!
//! With `jwt_algorithm` RS/PS/ES/EdDSA the private key signs and its public
//! half verifies; every token carries the key's `kid`, and [`jwks_routes`]
//! publishes the public keys for other services:
//!
//! ```
//! # #[macro_use] extern crate rocket;
//! use rocket::local::blocking::Client;
//! use rocket_jwt_extended::keys::{generate_key_pair, Algorithm};
//! use rocket_jwt_extended::{jwks_routes, JwtManager, JwtState};
//!
//! let pair = generate_key_pair(Algorithm::ES256).unwrap();
//! let figment = rocket::Config::figment()
//!     .merge(("jwt_algorithm", "ES256"))
//!     .merge(("jwt_private_key", pair.private_pem));
//! let rocket = rocket::custom(figment)
//!     .attach(JwtManager::new())
//!     .mount("/.well-known", jwks_routes());
//! let client = Client::tracked(rocket).unwrap();
//! let state = client.rocket().state::<JwtState>().unwrap();
//! let token = state.create_access_token("ann").unwrap();
//! assert_eq!(state.decode_token(&token, false).unwrap().identity(), "ann");
//!
//! let jwks: serde_json::Value = client.get("/.well-known/jwks.json").dispatch().into_json().unwrap();
//! assert_eq!(jwks["keys"][0]["alg"], "ES256");
//! assert_eq!(jwks["keys"][0]["kty"], "EC");
//! ```
//!
//! A server that verifies tokens issued elsewhere fetches the issuer's keys
//! with the `jwks` feature's `Jwks` key source and `jwt_jwks_url`.
//!
//! ## Features
//!
//! - `rust_crypto` (default) / `aws_lc_rs`: the crypto backend (exactly one).
//!   Key pair generation ([`keys::generate_key_pair`], ephemeral keys) needs
//!   `rust_crypto`.
//! - `redis`, `sqlite`, `postgres`: the revocation stores.
//! - `jwks`: `Jwks`, keys fetched from `jwt_jwks_url` (an HTTP client with rustls).
//! - `metrics`: refusals counted through the `metrics` facade
//!   (`rocket_jwt_extended_refusals_total{reason, status}`).
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod guide;

pub use rocket_jwt_extended_macros::*;
pub use rocket_jwt_extended_runtime::*;

#[cfg(feature = "jwks")]
#[cfg_attr(docsrs, doc(cfg(feature = "jwks")))]
pub use rocket_jwt_extended_jwks::Jwks;
#[cfg(feature = "postgres")]
#[cfg_attr(docsrs, doc(cfg(feature = "postgres")))]
pub use rocket_jwt_extended_stores::PostgresStore;
#[cfg(feature = "redis-cluster")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis-cluster")))]
pub use rocket_jwt_extended_stores::RedisClusterStore;
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use rocket_jwt_extended_stores::RedisStore;
#[cfg(feature = "sqlite")]
#[cfg_attr(docsrs, doc(cfg(feature = "sqlite")))]
pub use rocket_jwt_extended_stores::SqliteStore;
