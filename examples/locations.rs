//! Token locations: the same `/protected` route accepts a token from the
//! `Authorization` header, the access cookie (with double-submit CSRF on
//! POST), the JSON body (`{"access_token": …}`) or the query string
//! (`?jwt=…`); `/only_headers` accepts the header alone.
#[macro_use]
extern crate rocket;

use rocket::serde::json::{json, Json, Value};
use rocket_jwt_extended::{
    jwt_required, EncodeError, JwtCookiesExt, JwtManager, Tokens, WithJwtCookies,
};

#[post("/login_without_cookies")]
fn login_without_cookies(tokens: Tokens<'_>) -> Result<Value, EncodeError> {
    Ok(json!({ "access_token": tokens.create_access_token("example_user")? }))
}

#[post("/login_with_cookies")]
fn login_with_cookies(tokens: Tokens<'_>) -> Result<WithJwtCookies<Json<Value>>, EncodeError> {
    let token = tokens.create_access_token("example_user")?;
    Ok(Json(json!({ "msg": "login successful" })).set_access_cookies(token))
}

#[post("/logout_with_cookies")]
fn logout_with_cookies() -> WithJwtCookies<Json<Value>> {
    Json(json!({ "msg": "logout successful" })).unset_jwt_cookies()
}

#[jwt_required]
#[get("/protected")]
fn protected() -> Value {
    json!({ "foo": "bar" })
}

/// flask serves GET and POST from one view; Rocket mounts one route per method.
#[jwt_required]
#[post("/protected")]
fn protected_post() -> Value {
    json!({ "foo": "bar" })
}

#[jwt_required(locations = "headers")]
#[get("/only_headers")]
fn only_headers() -> Value {
    json!({ "foo": "baz" })
}

#[launch]
fn rocket() -> _ {
    let figment = rocket::Config::figment()
        .join((
            "jwt_token_location",
            ["headers", "cookies", "json", "query_string"],
        ))
        .join(("jwt_cookie_secure", false));
    rocket::custom(figment)
        .attach(JwtManager::new().ephemeral_secret_if_unset())
        .mount(
            "/",
            routes![
                login_without_cookies,
                login_with_cookies,
                logout_with_cookies,
                protected,
                protected_post,
                only_headers
            ],
        )
}
