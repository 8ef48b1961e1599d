//! Refresh-token rotation with reuse detection, sessions in Redis: each
//! refresh token works once. `POST /refresh` with it returns a new pair and
//! retires it; presenting a retired refresh token again is taken as theft:
//! the whole session is revoked (the thief's tokens and the owner's alike)
//! and the answer is 401 `Token has been revoked`. `DELETE /logout` revokes
//! the session of the token it is sent.
//!
//! The database is `blocklist`: `redis://127.0.0.1:6379` unless
//! `ROCKET_DATABASES='{blocklist={url="redis://…"}}'` says otherwise.
//!
//! ```sh
//! cargo run --example rotation
//! curl -s -XPOST localhost:8000/login -H 'Content-Type: application/json' \
//!      -d '{"username":"admin","password":"123456"}'
//! curl -s -XPOST localhost:8000/refresh -H "Authorization: Bearer $REFRESH"
//! ```
#[macro_use]
extern crate rocket;

use rocket::http::Status;
use rocket::serde::json::{json, Json, Value};
use rocket_db_pools::{deadpool_redis, Database};
use rocket_jwt_extended::{
    get_jwt, get_jwt_identity, jwt_required, JwtError, JwtManager, Revocations, Tokens,
};
use rocket_jwt_extended_stores::RedisStore;

#[derive(Database)]
#[database("blocklist")]
struct Blocklist(deadpool_redis::Pool);

#[post("/login", data = "<body>")]
async fn login(tokens: Tokens<'_>, body: Option<Json<Value>>) -> Result<(Status, Value), JwtError> {
    let body = body.map(Json::into_inner).unwrap_or_default();
    if body["username"] != "admin" || body["password"] != "123456" {
        return Ok((
            Status::Unauthorized,
            json!({ "msg": "Bad username or password" }),
        ));
    }
    let (access, refresh) = tokens.create_token_pair("admin").await?;
    Ok((
        Status::Ok,
        json!({ "access_token": access, "refresh_token": refresh }),
    ))
}

/// Exchanges a refresh token, once, for a new pair in the same session.
#[jwt_required(refresh)]
#[post("/refresh")]
async fn refresh(tokens: Tokens<'_>) -> Result<Value, JwtError> {
    let new = tokens.refresh_session(&get_jwt()).await?;
    Ok(json!({ "access_token": new.access_token, "refresh_token": new.refresh_token }))
}

#[jwt_required]
#[get("/protected")]
fn protected() -> Value {
    json!({ "logged_in_as": get_jwt_identity() })
}

/// Ends the session of the token it is sent: every token of it is refused.
#[jwt_required(verify_type = false)]
#[delete("/logout")]
async fn logout(revocations: Revocations<'_>) -> Result<Value, JwtError> {
    revocations.revoke_session(&get_jwt()).await?;
    Ok(json!({ "msg": "Session revoked" }))
}

#[launch]
fn rocket() -> _ {
    let figment = rocket::Config::figment()
        .join(("jwt_refresh_token_rotation", true))
        .join(("databases.blocklist.url", "redis://127.0.0.1:6379"))
        .join(("databases.blocklist.connect_timeout", 1));
    rocket::custom(figment)
        .attach(Blocklist::init())
        .attach(
            JwtManager::new()
                .ephemeral_secret_if_unset()
                .revocation_store(RedisStore::<Blocklist>::new()),
        )
        .mount("/", routes![login, refresh, protected, logout])
}
