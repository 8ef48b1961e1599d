//! Implicit refresh: access tokens live in cookies for 3 s; any request
//! authenticated by one that has fewer than 2 s left gets a new one in its
//! response (the `ImplicitRefresh` fairing), so an active client never sees
//! its session expire while an idle one does.
//!
//! Every token of one login belongs to one session (`jwt_sessions`), renewals
//! included, and logout revokes the session in the store: a cookie copied
//! before logout and replayed after it is refused, never renewed. (Without a
//! store, implicit refresh cannot tell a copied cookie from the original: a
//! copy replayed before it expires is renewed like the original.)
#[macro_use]
extern crate rocket;

use std::time::Duration;

use rocket::http::CookieJar;
use rocket::serde::json::{json, Value};
use rocket_jwt_extended::{
    jwt_required, ImplicitRefresh, JwtCookies, JwtError, JwtManager, MemoryStore, Revocations,
    Tokens,
};

#[post("/login")]
async fn login(tokens: Tokens<'_>, cookies: JwtCookies<'_>) -> Result<Value, JwtError> {
    let token = tokens.access_token("example_user").await?;
    cookies.set_access_cookies(&token)?;
    Ok(json!({ "msg": "login successful" }))
}

/// Answers as flask's does, token or not; a session it can read ends.
/// (Logging out only takes rights away, so no CSRF value is asked for.)
#[post("/logout")]
async fn logout(
    tokens: Tokens<'_>,
    revocations: Revocations<'_>,
    jar: &CookieJar<'_>,
    cookies: JwtCookies<'_>,
) -> Result<Value, JwtError> {
    let cookie = jar.get(&tokens.config().access_cookie_name);
    if let Some(token) = cookie.and_then(|c| tokens.decode_token(c.value(), true).ok()) {
        revocations.revoke_session(token.claims()).await?;
    }
    cookies.unset_jwt_cookies();
    Ok(json!({ "msg": "logout successful" }))
}

#[jwt_required]
#[get("/protected")]
fn protected() -> Value {
    json!({ "foo": "bar" })
}

#[launch]
fn rocket() -> _ {
    let figment = rocket::Config::figment()
        .join(("jwt_token_location", ["cookies"]))
        .join(("jwt_cookie_secure", false))
        .join(("jwt_access_token_expires", 3))
        .join(("jwt_sessions", true));
    rocket::custom(figment)
        .attach(
            JwtManager::new()
                .ephemeral_secret_if_unset()
                .revocation_store(MemoryStore::new()),
        )
        .attach(ImplicitRefresh::within(Duration::from_secs(2)))
        .mount("/", routes![login, logout, protected])
}
