//! Revoking tokens, kept in Redis: `DELETE /logout` revokes whichever token
//! (access or refresh) it is sent, and every protected route refuses it from
//! then on, in every instance that shares the Redis, across restarts. If Redis
//! stops answering, protected requests fail closed with a 503 within
//! `jwt_revocation_timeout_ms`, and succeed again once it is back.
//!
//! The database is `blocklist`: `redis://127.0.0.1:6379` unless
//! `ROCKET_DATABASES='{blocklist={url="redis://…"}}'` says otherwise.
//!
//! ```sh
//! cargo run --example blocklist_redis
//! ```
#[macro_use]
extern crate rocket;

use rocket::serde::json::{json, Value};
use rocket_db_pools::{deadpool_redis, Database};
use rocket_jwt_extended::{
    get_jwt, get_jwt_identity, jwt_required, JwtError, JwtManager, Revocations, Tokens,
};
use rocket_jwt_extended_stores::RedisStore;

#[derive(Database)]
#[database("blocklist")]
struct Blocklist(deadpool_redis::Pool);

#[post("/login")]
fn login(tokens: Tokens<'_>) -> Result<Value, JwtError> {
    Ok(json!({
        "access_token": tokens.create_access_token("example_user")?,
        "refresh_token": tokens.create_refresh_token("example_user")?,
    }))
}

/// Revokes the token it is sent, access or refresh, until it expires.
#[jwt_required(verify_type = false)]
#[delete("/logout")]
async fn logout(revocations: Revocations<'_>) -> Result<Value, JwtError> {
    let token = get_jwt();
    revocations.revoke(&token).await?;
    let kind = if token.is_refresh() {
        "Refresh"
    } else {
        "Access"
    };
    Ok(json!({ "msg": format!("{kind} token successfully revoked") }))
}

#[jwt_required(refresh)]
#[post("/refresh")]
fn refresh(tokens: Tokens<'_>) -> Result<Value, JwtError> {
    let identity = get_jwt_identity().unwrap_or_default();
    Ok(json!({ "access_token": tokens.create_access_token(&identity)? }))
}

#[jwt_required]
#[get("/protected")]
fn protected() -> Value {
    json!({ "hello": "world" })
}

#[launch]
fn rocket() -> _ {
    let figment = rocket::Config::figment()
        .join(("jwt_access_token_expires", 3600))
        .join(("databases.blocklist.url", "redis://127.0.0.1:6379"))
        .join(("databases.blocklist.connect_timeout", 1));
    rocket::custom(figment)
        .attach(Blocklist::init())
        .attach(
            JwtManager::new()
                .ephemeral_secret_if_unset()
                .revocation_store(RedisStore::<Blocklist>::new()),
        )
        .mount("/", routes![login, logout, refresh, protected])
}
