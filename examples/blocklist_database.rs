//! Revoking tokens, kept in SQL (SQLite here; `PostgresStore` for
//! PostgreSQL): `DELETE /logout` revokes whichever token (access or refresh)
//! it is sent. The table `jwt_blocklist` is created at launch if missing and
//! rows are purged once their token has expired.
//!
//! The database is `blocklist`: a file in the temporary directory unless
//! `ROCKET_DATABASES='{blocklist={url="sqlite://…"}}'` says otherwise.
//!
//! ```sh
//! cargo run --example blocklist_database
//! ```
#[macro_use]
extern crate rocket;

use rocket::serde::json::{json, Value};
use rocket_db_pools::{sqlx, Database};
use rocket_jwt_extended::{
    get_jwt, get_jwt_identity, jwt_required, JwtError, JwtManager, Revocations, Tokens,
};
use rocket_jwt_extended_stores::SqliteStore;

#[derive(Database)]
#[database("blocklist")]
struct Blocklist(sqlx::SqlitePool);

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
    let file = std::env::temp_dir().join("rocket-jwt-extended-blocklist.sqlite");
    let figment = rocket::Config::figment()
        .join(("jwt_access_token_expires", 3600))
        .join((
            "databases.blocklist.url",
            format!("sqlite://{}?mode=rwc", file.display()),
        ));
    rocket::custom(figment)
        .attach(Blocklist::init())
        .attach(
            JwtManager::new()
                .ephemeral_secret_if_unset()
                .revocation_store(SqliteStore::<Blocklist>::new()),
        )
        .mount("/", routes![login, logout, refresh, protected])
}
