//! flask-jwt-extended's guide, section by section, each with a short example
//! that compiles and runs (`cargo test --doc`) through `rocket::local`.
//!
//! The examples share a few lines of set-up: a figment with a secret, and a
//! client. In an application the secret is in Rocket.toml
//! (`jwt_secret_key = "…"`) or `ROCKET_JWT_SECRET_KEY`.

/// Basic usage: log in for an access token, send it in the `Authorization`
/// header (flask's `create_access_token`, `@jwt_required()`,
/// `get_jwt_identity()`).
///
/// ```
/// # #[macro_use] extern crate rocket;
/// use rocket::local::blocking::Client;
/// use rocket::serde::json::{json, Value};
/// use rocket_jwt_extended::testing::JwtTestRequest;
/// use rocket_jwt_extended::{get_jwt_identity, jwt_required, EncodeError, JwtManager, Tokens};
///
/// #[post("/login")]
/// fn login(tokens: Tokens<'_>) -> Result<Value, EncodeError> {
///     Ok(json!({ "access_token": tokens.create_access_token("admin")? }))
/// }
///
/// #[jwt_required]
/// #[get("/protected")]
/// fn protected() -> Value {
///     json!({ "logged_in_as": get_jwt_identity() })
/// }
///
/// let figment = rocket::Config::figment().merge(("jwt_secret_key", "a-guide-secret-of-at-least-32-bytes"));
/// let client = Client::tracked(
///     rocket::custom(figment).attach(JwtManager::new()).mount("/", routes![login, protected]),
/// ).unwrap();
/// let token: Value = client.post("/login").dispatch().into_json().unwrap();
/// let token = token["access_token"].as_str().unwrap();
/// let answer: Value = client.get("/protected").bearer(token).dispatch().into_json().unwrap();
/// assert_eq!(answer, json!({ "logged_in_as": "admin" }));
/// assert_eq!(client.get("/protected").dispatch().status().code, 401);
/// ```
pub mod basic_usage {}

/// Automatic user loading: `#[user_identity]` turns your user into the
/// token's identity, `#[user_lookup]` loads it back for every protected
/// request (`current_user`), and a user that is gone is 401 `Error loading
/// the user <identity>`.
///
/// ```
/// # #[macro_use] extern crate rocket;
/// use rocket::local::blocking::Client;
/// use rocket::State;
/// use rocket_jwt_extended::testing::JwtTestRequest;
/// use rocket_jwt_extended::{current_user, jwt_required, loaders, user_identity, user_lookup, JwtManager};
///
/// struct User { id: u32, name: &'static str }
/// struct Users(Vec<User>);
///
/// #[user_identity]
/// fn identity(user: &User) -> u32 { user.id }
///
/// #[user_lookup]
/// fn load(identity: &str, users: &State<Users>) -> Option<User> {
///     let u = users.0.iter().find(|u| u.id.to_string() == identity)?;
///     Some(User { id: u.id, name: u.name })
/// }
///
/// #[jwt_required]
/// #[get("/me")]
/// fn me() -> String { current_user::<User>().map(|u| u.name.to_string()).unwrap_or_default() }
///
/// let figment = rocket::Config::figment().merge(("jwt_secret_key", "a-guide-secret-of-at-least-32-bytes"));
/// let rocket = rocket::custom(figment)
///     .manage(Users(vec![User { id: 1, name: "ann" }]))
///     .attach(JwtManager::new().loaders(loaders![load]))
///     .mount("/", routes![me]);
/// let client = Client::tracked(rocket).unwrap();
/// assert_eq!(client.get("/me").as_identity("1").dispatch().into_string().unwrap(), "ann");
/// assert_eq!(client.get("/me").as_identity("2").dispatch().status().code, 401);
/// ```
pub mod automatic_user_loading {}

/// Storing additional data in tokens: `#[additional_claims]` for every
/// token, `.additional_claims(..)` for one; `get_jwt()` reads them.
///
/// ```
/// # #[macro_use] extern crate rocket;
/// use rocket::local::blocking::Client;
/// use rocket::serde::json::{json, Value};
/// use rocket_jwt_extended::testing::{JwtTestClient, JwtTestRequest};
/// use rocket_jwt_extended::{additional_claims, get_jwt, jwt_required, loaders, JwtManager};
///
/// #[additional_claims]
/// fn claims(identity: &str) -> Value { json!({ "upcase": identity.to_uppercase() }) }
///
/// #[jwt_required]
/// #[get("/claims")]
/// fn read() -> Value { json!({ "upcase": get_jwt().get("upcase"), "aud": get_jwt().get("team") }) }
///
/// let figment = rocket::Config::figment().merge(("jwt_secret_key", "a-guide-secret-of-at-least-32-bytes"));
/// let rocket = rocket::custom(figment)
///     .attach(JwtManager::new().loaders(loaders![claims]))
///     .mount("/", routes![read]);
/// let client = Client::tracked(rocket).unwrap();
/// let token = client.jwt_tokens().with_claims("ann", json!({ "team": "blue" }));
/// let body: Value = client.get("/claims").bearer(&token).dispatch().into_json().unwrap();
/// assert_eq!(body, json!({ "upcase": "ANN", "aud": "blue" }));
/// ```
pub mod additional_claims {}

/// Partially protecting routes: `#[jwt_required(optional)]` runs without a
/// token, but an invalid or expired one is still refused.
///
/// ```
/// # #[macro_use] extern crate rocket;
/// use rocket::local::blocking::Client;
/// use rocket_jwt_extended::testing::JwtTestRequest;
/// use rocket_jwt_extended::{get_jwt_identity, jwt_required, JwtManager};
///
/// #[jwt_required(optional)]
/// #[get("/optional")]
/// fn optional() -> String {
///     match get_jwt_identity() { Some(who) => format!("hi {who}"), None => "hi anonymous".into() }
/// }
///
/// let figment = rocket::Config::figment().merge(("jwt_secret_key", "a-guide-secret-of-at-least-32-bytes"));
/// let client = Client::tracked(rocket::custom(figment).attach(JwtManager::new()).mount("/", routes![optional])).unwrap();
/// assert_eq!(client.get("/optional").dispatch().into_string().unwrap(), "hi anonymous");
/// assert_eq!(client.get("/optional").as_identity("ann").dispatch().into_string().unwrap(), "hi ann");
/// assert_eq!(client.get("/optional").bearer("not.a.token").dispatch().status().code, 422);
/// ```
pub mod partially_protecting_routes {}

/// JWT locations: headers, cookies (with CSRF double submit), the JSON body
/// and the query string, in the order `jwt_token_location` lists them.
///
/// ```
/// # #[macro_use] extern crate rocket;
/// use rocket::http::{ContentType, Header};
/// use rocket::local::blocking::Client;
/// use rocket_jwt_extended::testing::JwtTestClient;
/// use rocket_jwt_extended::{jwt_required, JwtCookies, JwtError, JwtManager, Tokens};
///
/// #[post("/login")]
/// fn login(tokens: Tokens<'_>, cookies: JwtCookies<'_>) -> Result<&'static str, JwtError> {
///     cookies.set_access_cookies(&tokens.create_access_token("ann")?)?;
///     Ok("logged in")
/// }
///
/// #[jwt_required]
/// #[post("/notes")]
/// fn add_note() -> &'static str { "added" }
///
/// let app = || {
///     let figment = rocket::Config::figment()
///         .merge(("jwt_secret_key", "a-guide-secret-of-at-least-32-bytes"))
///         .merge(("jwt_token_location", ["headers", "cookies", "json", "query_string"]));
///     rocket::custom(figment).attach(JwtManager::new()).mount("/", routes![login, add_note])
/// };
/// let client = Client::tracked(app()).unwrap();
/// // The cookies set at login, then a POST without the CSRF header: refused.
/// client.post("/login").dispatch();
/// assert_eq!(client.post("/notes").dispatch().status().code, 401);
/// // With the CSRF cookie's value in the header (what the page's script sends): accepted.
/// let csrf = client.cookies().get("csrf_access_token").unwrap().value().to_owned();
/// let response = client.post("/notes").header(Header::new("X-CSRF-TOKEN", csrf)).dispatch();
/// assert_eq!(response.status().code, 200);
///
/// // In the query string, or the JSON body.
/// let client = Client::untracked(app()).unwrap();
/// let token = client.jwt_tokens().access("ann");
/// assert_eq!(client.post(format!("/notes?jwt={token}")).dispatch().status().code, 200);
/// let body = format!(r#"{{"access_token":"{token}"}}"#);
/// let response = client.post("/notes").header(ContentType::JSON).body(body).dispatch();
/// assert_eq!(response.status().code, 200);
/// ```
pub mod jwt_locations {}

/// Refreshing tokens: implicitly (`ImplicitRefresh` renews access cookies
/// near expiry) and explicitly (a refresh token on `#[jwt_required(refresh)]`).
///
/// ```
/// # #[macro_use] extern crate rocket;
/// use std::time::Duration;
/// use rocket::local::blocking::Client;
/// use rocket::serde::json::{json, Value};
/// use rocket_jwt_extended::testing::JwtTestRequest;
/// use rocket_jwt_extended::{get_jwt_identity, jwt_required, EncodeError, ImplicitRefresh, JwtManager, Tokens};
///
/// #[jwt_required(refresh)]
/// #[post("/refresh")]
/// fn refresh(tokens: Tokens<'_>) -> Result<Value, EncodeError> {
///     let identity = get_jwt_identity().unwrap_or_default();
///     Ok(json!({ "access_token": tokens.create_access_token(&identity)? }))
/// }
///
/// let figment = rocket::Config::figment().merge(("jwt_secret_key", "a-guide-secret-of-at-least-32-bytes"));
/// let rocket = rocket::custom(figment)
///     .attach(JwtManager::new())
///     .attach(ImplicitRefresh::within(Duration::from_secs(30 * 60)))
///     .mount("/", routes![refresh]);
/// let client = Client::tracked(rocket).unwrap();
/// assert_eq!(client.post("/refresh").as_identity_refresh("ann").dispatch().status().code, 200);
/// // An access token is not a refresh token.
/// assert_eq!(client.post("/refresh").as_identity("ann").dispatch().status().code, 422);
/// ```
pub mod refreshing_tokens {}

/// Token freshness: a fresh token (from a password just typed) for
/// sensitive routes, `#[jwt_required(fresh)]`.
///
/// ```
/// # #[macro_use] extern crate rocket;
/// use rocket::local::blocking::Client;
/// use rocket_jwt_extended::testing::{JwtTestClient, JwtTestRequest};
/// use rocket_jwt_extended::{jwt_required, JwtManager};
///
/// #[jwt_required(fresh)]
/// #[post("/password")]
/// fn change_password() -> &'static str { "changed" }
///
/// let figment = rocket::Config::figment().merge(("jwt_secret_key", "a-guide-secret-of-at-least-32-bytes"));
/// let client = Client::tracked(rocket::custom(figment).attach(JwtManager::new()).mount("/", routes![change_password])).unwrap();
/// let tokens = client.jwt_tokens();
/// assert_eq!(client.post("/password").bearer(&tokens.fresh("ann")).dispatch().status().code, 200);
/// let stale = client.post("/password").bearer(&tokens.access("ann")).dispatch();
/// assert_eq!(stale.into_string().unwrap(), r#"{"msg":"Fresh token required"}"#);
/// ```
pub mod token_freshness {}

/// JWT revoking / blocklist: a revocation store (`MemoryStore` here;
/// `RedisStore`, `SqliteStore`, `PostgresStore` with the `redis`, `sqlite`,
/// `postgres` features) or a `#[token_in_blocklist]` loader; `Revocations`
/// revokes. Revoked tokens are 401 `Token has been revoked`.
///
/// ```
/// # #[macro_use] extern crate rocket;
/// use rocket::local::blocking::Client;
/// use rocket_jwt_extended::testing::{JwtTestClient, JwtTestRequest};
/// use rocket_jwt_extended::{get_jwt, jwt_required, JwtError, JwtManager, MemoryStore, Revocations};
///
/// #[jwt_required(verify_type = false)]
/// #[delete("/logout")]
/// async fn logout(revocations: Revocations<'_>) -> Result<&'static str, JwtError> {
///     revocations.revoke(&get_jwt()).await?;
///     Ok("revoked")
/// }
///
/// let figment = rocket::Config::figment().merge(("jwt_secret_key", "a-guide-secret-of-at-least-32-bytes"));
/// let rocket = rocket::custom(figment)
///     .attach(JwtManager::new().revocation_store(MemoryStore::new()))
///     .mount("/", routes![logout]);
/// let client = Client::tracked(rocket).unwrap();
/// let token = client.jwt_tokens().access("ann");
/// assert_eq!(client.delete("/logout").bearer(&token).dispatch().status().code, 200);
/// assert_eq!(client.delete("/logout").bearer(&token).dispatch().status().code, 401);
/// ```
///
/// In Redis, through `rocket_db_pools` (feature `redis`):
///
/// ```no_run
/// # #[cfg(feature = "redis")] {
/// use rocket_db_pools::{deadpool_redis, Database};
/// use rocket_jwt_extended::{JwtManager, RedisStore};
///
/// #[derive(Database)]
/// #[database("blocklist")]
/// struct Blocklist(deadpool_redis::Pool);
///
/// // Rocket.toml: [default.databases.blocklist] url = "redis://127.0.0.1:6379"
/// let rocket = rocket::build()
///     .attach(Blocklist::init())
///     .attach(JwtManager::new().revocation_store(RedisStore::<Blocklist>::new()));
/// # }
/// ```
pub mod jwt_revoking {}

/// Revoking refresh tokens: revoke the refresh token itself at its own
/// route, or the whole session (`jwt_sessions`) so that the access tokens
/// of the same login go too.
///
/// ```
/// # #[macro_use] extern crate rocket;
/// use rocket::local::blocking::Client;
/// use rocket_jwt_extended::testing::{JwtTestClient, JwtTestRequest};
/// use rocket_jwt_extended::{get_jwt, jwt_required, JwtError, JwtManager, MemoryStore, Revocations, Tokens};
///
/// #[post("/login")]
/// async fn login(tokens: Tokens<'_>) -> Result<String, JwtError> {
///     let (access, refresh) = tokens.create_token_pair("ann").await?;
///     Ok(format!("{access} {refresh}"))
/// }
///
/// #[jwt_required(refresh)]
/// #[delete("/logout")]
/// async fn logout(revocations: Revocations<'_>) -> Result<&'static str, JwtError> {
///     revocations.revoke_session(&get_jwt()).await?;
///     Ok("session ended")
/// }
///
/// #[jwt_required]
/// #[get("/protected")]
/// fn protected() -> &'static str { "ok" }
///
/// let figment = rocket::Config::figment()
///     .merge(("jwt_secret_key", "a-guide-secret-of-at-least-32-bytes"))
///     .merge(("jwt_sessions", true));
/// let rocket = rocket::custom(figment)
///     .attach(JwtManager::new().revocation_store(MemoryStore::new()))
///     .mount("/", routes![login, logout, protected]);
/// let client = Client::tracked(rocket).unwrap();
/// let pair = client.post("/login").dispatch().into_string().unwrap();
/// let (access, refresh) = pair.split_once(' ').unwrap();
/// assert_eq!(client.get("/protected").bearer(access).dispatch().status().code, 200);
/// assert_eq!(client.delete("/logout").bearer(refresh).dispatch().status().code, 200);
/// // The access token of the same login is refused too.
/// assert_eq!(client.get("/protected").bearer(access).dispatch().status().code, 401);
/// ```
pub mod revoking_refresh_tokens {}

/// Configuration options: every `JWT_*` key is a `jwt_*` key of Rocket's
/// configuration, validated at launch; a bad value or a misspelt key names
/// itself.
///
/// ```
/// use rocket::figment::Figment;
/// use rocket_jwt_extended::{Expiry, JwtConfig};
///
/// let figment = Figment::from(rocket::Config::default())
///     .merge(("jwt_secret_key", "a-guide-secret-of-at-least-32-bytes"))
///     .merge(("jwt_access_token_expires", 300))
///     .merge(("jwt_token_location", ["headers", "cookies"]));
/// let config = JwtConfig::from_figment(&figment).unwrap();
/// assert_eq!(config.access_expires, Expiry::After(std::time::Duration::from_secs(300)));
///
/// let typo = figment.merge(("jwt_acess_token_expires", 60));
/// let err = JwtConfig::from_figment(&typo).unwrap_err();
/// assert!(err.to_string().contains("did you mean `jwt_access_token_expires`?"));
/// ```
pub mod configuration_options {}

/// Changing default behaviours: your own responses for each kind of
/// refusal (`#[expired_token]`, `#[invalid_token]`, `#[unauthorized]`, …), or
/// for all at once (`#[jwt_error]`).
///
/// ```
/// # #[macro_use] extern crate rocket;
/// use rocket::http::Status;
/// use rocket::local::blocking::Client;
/// use rocket::serde::json::{json, Json, Value};
/// use rocket_jwt_extended::testing::{JwtTestClient, JwtTestRequest};
/// use rocket_jwt_extended::{expired_token, jwt_error, jwt_required, loaders, Claims, JwtError, JwtHeader, JwtManager};
///
/// #[expired_token]
/// fn expired(_header: &JwtHeader, claims: &Claims) -> (Status, Json<Value>) {
///     (Status::Unauthorized, Json(json!({ "code": "token_expired", "sub": claims.get_str("sub") })))
/// }
///
/// #[jwt_error]
/// fn everything_else(error: &JwtError) -> (Status, Json<Value>) {
///     (error.status(), Json(json!({ "error": error.to_string() })))
/// }
///
/// #[jwt_required]
/// #[get("/protected")]
/// fn protected() -> &'static str { "ok" }
///
/// let figment = rocket::Config::figment().merge(("jwt_secret_key", "a-guide-secret-of-at-least-32-bytes"));
/// let rocket = rocket::custom(figment)
///     .attach(JwtManager::new().loaders(loaders![expired, everything_else]))
///     .mount("/", routes![protected]);
/// let client = Client::tracked(rocket).unwrap();
/// let old = client.jwt_tokens().expired("ann");
/// let body: Value = client.get("/protected").bearer(&old).dispatch().into_json().unwrap();
/// assert_eq!(body, json!({ "code": "token_expired", "sub": "ann" }));
/// let body: Value = client.get("/protected").dispatch().into_json().unwrap();
/// assert_eq!(body, json!({ "error": "Missing Authorization Header" }));
/// ```
pub mod changing_default_behaviours {}

/// Custom decorators: a check over the verified token (`#[jwt_check]` and
/// `check = ..`), and the built-in `#[admin_required]`. For an attribute of
/// your own (`#[editor_required]`), see the README's section on a small
/// proc-macro crate.
///
/// ```
/// # #[macro_use] extern crate rocket;
/// use rocket::http::Status;
/// use rocket::local::blocking::Client;
/// use rocket::serde::json::json;
/// use rocket_jwt_extended::testing::{JwtTestClient, JwtTestRequest};
/// use rocket_jwt_extended::{admin_required, jwt_check, jwt_required, Claims, JwtManager};
///
/// #[jwt_check]
/// fn editors_only(identity: &str) -> Result<(), Status> {
///     if identity == "erin" { Ok(()) } else { Err(Status::Forbidden) }
/// }
///
/// #[jwt_required(check = editors_only)]
/// #[post("/articles")]
/// fn publish() -> &'static str { "published" }
///
/// #[admin_required]
/// #[get("/admin")]
/// fn admin() -> &'static str { "welcome" }
///
/// let figment = rocket::Config::figment().merge(("jwt_secret_key", "a-guide-secret-of-at-least-32-bytes"));
/// let client = Client::tracked(rocket::custom(figment).attach(JwtManager::new()).mount("/", routes![publish, admin])).unwrap();
/// assert_eq!(client.post("/articles").as_identity("erin").dispatch().status().code, 200);
/// assert_eq!(client.post("/articles").as_identity("bob").dispatch().status().code, 403);
/// let admin_token = client.jwt_tokens().with_claims("ann", json!({ "is_administrator": true }));
/// assert_eq!(client.get("/admin").bearer(&admin_token).dispatch().status().code, 200);
/// let answer = client.get("/admin").as_identity("bob").dispatch().into_string().unwrap();
/// assert_eq!(answer, r#"{"msg":"Admins only!"}"#);
/// ```
pub mod custom_decorators {}
