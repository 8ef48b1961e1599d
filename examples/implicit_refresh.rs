//! Implicit refresh: access tokens live in cookies for 3 s; any request
//! authenticated by one that has fewer than 2 s left gets a new one in its
//! response (the `ImplicitRefresh` fairing), so an active client never sees
//! its session expire while an idle one does.
#[macro_use]
extern crate rocket;

use std::time::Duration;

use rocket::serde::json::{json, Value};
use rocket_jwt_extended::{
    jwt_required, ImplicitRefresh, JwtCookies, JwtError, JwtManager, Tokens,
};

#[post("/login")]
async fn login(tokens: Tokens<'_>, cookies: JwtCookies<'_>) -> Result<Value, JwtError> {
    let token = tokens.access_token("example_user").await?;
    cookies.set_access_cookies(&token)?;
    Ok(json!({ "msg": "login successful" }))
}

#[post("/logout")]
fn logout(cookies: JwtCookies<'_>) -> Value {
    cookies.unset_jwt_cookies();
    json!({ "msg": "logout successful" })
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
        .join(("jwt_access_token_expires", 3));
    rocket::custom(figment)
        .attach(JwtManager::new().ephemeral_secret_if_unset())
        .attach(ImplicitRefresh::within(Duration::from_secs(2)))
        .mount("/", routes![login, logout, protected])
}
