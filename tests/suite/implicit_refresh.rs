//! The `ImplicitRefresh` fairing: renew access cookies close to expiry, and
//! only then (flask-jwt-extended's `after_request` pattern, plus #454).

use std::time::Duration;

use rocket::http::{Cookie, Header, Status};
use rocket::local::blocking::{Client, LocalResponse};
use rocket::serde::json::{json, Value};
use rocket_jwt_extended::{jwt_required, ImplicitRefresh, JwtCookies, JwtManager, JwtState};

use crate::common::{bearer, figment, forge, now};

const CSRF: &str = "c3d0a6c0-5e0a-4c63-b6a5-1ad5b41f0f49";
const WINDOW: u64 = 10;

#[jwt_required]
#[get("/protected")]
fn protected() -> Value {
    json!({ "foo": "bar" })
}

#[jwt_required]
#[post("/logout")]
fn logout(cookies: JwtCookies<'_>) -> Value {
    cookies.unset_jwt_cookies();
    json!({ "msg": "logout successful" })
}

#[jwt_required(refresh)]
#[get("/refresh")]
fn refresh() -> Value {
    json!({})
}

fn client(with_fairing: bool) -> Client {
    let fig = figment().merge(("jwt_token_location", ["cookies", "headers"]));
    let mut rocket = rocket::custom(fig)
        .attach(JwtManager::new())
        .mount("/", routes![protected, logout, refresh]);
    if with_fairing {
        rocket = rocket.attach(ImplicitRefresh::within(Duration::from_secs(WINDOW)));
    }
    Client::untracked(rocket).unwrap()
}

fn access_with_exp(exp: i64) -> String {
    forge(json!({ "exp": exp, "sub": "alice" }))
}

fn set_cookies(resp: &LocalResponse<'_>) -> Vec<String> {
    resp.headers()
        .get("Set-Cookie")
        .map(str::to_owned)
        .collect()
}

fn get_with_cookie(c: &Client, token: &str) -> (Status, Vec<String>) {
    let resp = c
        .get("/protected")
        .cookie(Cookie::new("access_token_cookie", token.to_owned()))
        .dispatch();
    (resp.status(), set_cookies(&resp))
}

#[test]
fn a_cookie_inside_the_window_is_renewed() {
    let c = client(true);
    for left in [1, 5, WINDOW as i64 - 1] {
        let (status, cookies) = get_with_cookie(&c, &access_with_exp(now() + left));
        assert_eq!(status, Status::Ok);
        assert_eq!(cookies.len(), 2, "{left}s left: {cookies:?}");
        let value = cookies[0]
            .strip_prefix("access_token_cookie=")
            .and_then(|s| s.split(';').next())
            .expect("access cookie first");
        let state = c.rocket().state::<JwtState>().unwrap();
        let renewed = state
            .decode_token(value, false)
            .expect("renewed token verifies");
        assert_eq!(renewed.identity(), "alice");
        assert!(renewed.claims().exp().unwrap() >= now() + 899);
        assert!(cookies[1].starts_with(&format!(
            "csrf_access_token={}",
            renewed.claims().csrf().unwrap()
        )));
    }
}

#[test]
fn a_cookie_outside_the_window_is_left_alone() {
    let c = client(true);
    for left in [WINDOW as i64 + 2, 60, 900] {
        let (status, cookies) = get_with_cookie(&c, &access_with_exp(now() + left));
        assert_eq!((status, cookies), (Status::Ok, vec![]), "{left}s left");
    }
    // No `exp`: never expires, nothing to renew.
    let (status, cookies) = get_with_cookie(&c, &forge(json!({ "exp": null })));
    assert_eq!((status, cookies), (Status::Ok, vec![]));
}

#[test]
fn never_from_an_expired_or_refused_token() {
    let c = client(true);
    let (status, cookies) = get_with_cookie(&c, &access_with_exp(now() - 1));
    assert_eq!((status, cookies), (Status::Unauthorized, vec![]));
    let (status, cookies) = get_with_cookie(&c, "garbage");
    assert_eq!((status, cookies), (Status::UnprocessableEntity, vec![]));
}

#[test]
fn never_after_the_handler_unset_the_cookies() {
    let c = client(true);
    let resp = c
        .post("/logout")
        .cookie(Cookie::new(
            "access_token_cookie",
            access_with_exp(now() + 3),
        ))
        .header(Header::new("X-CSRF-TOKEN", CSRF))
        .dispatch();
    assert_eq!(resp.status(), Status::Ok);
    let cookies = set_cookies(&resp);
    assert_eq!(cookies.len(), 4, "{cookies:?}");
    assert!(
        cookies
            .iter()
            .all(|c| c.split(';').next().unwrap().ends_with('=')),
        "only removals: {cookies:?}"
    );
}

#[test]
fn only_access_tokens_from_the_cookie() {
    let c = client(true);
    // From the header: nothing to renew in cookies.
    let resp = c
        .get("/protected")
        .header(bearer(&access_with_exp(now() + 3)))
        .dispatch();
    assert_eq!((resp.status(), set_cookies(&resp)), (Status::Ok, vec![]));
    // A refresh token in the refresh cookie is not renewed as an access token.
    let token = forge(json!({ "type": "refresh", "exp": now() + 3 }));
    let resp = c
        .get("/refresh")
        .cookie(Cookie::new("refresh_token_cookie", token))
        .dispatch();
    assert_eq!((resp.status(), set_cookies(&resp)), (Status::Ok, vec![]));
}

#[test]
fn without_the_fairing_nothing_is_renewed() {
    let c = client(false);
    let (status, cookies) = get_with_cookie(&c, &access_with_exp(now() + 3));
    assert_eq!((status, cookies), (Status::Ok, vec![]));
}

#[jwt_required]
#[get("/fails")]
fn fails() -> Status {
    Status::Conflict
}

#[jwt_required(skip_revocation_check)]
#[get("/unchecked")]
fn unchecked() -> Value {
    json!({})
}

#[jwt_required]
#[post("/revoke_keep_cookie")]
fn revoke_keep_cookie(revoked: &rocket::State<Revoked>) -> Value {
    let claims = rocket_jwt_extended::get_jwt();
    revoked
        .0
        .lock()
        .unwrap()
        .push(claims.jti().unwrap_or_default().to_owned());
    json!({ "msg": "revoked" })
}

#[derive(Default)]
pub struct Revoked(std::sync::Mutex<Vec<String>>);

#[rocket_jwt_extended::token_in_blocklist]
fn is_revoked(claims: &rocket_jwt_extended::Claims, revoked: &rocket::State<Revoked>) -> bool {
    let list = revoked.0.lock().unwrap();
    claims.jti().is_some_and(|j| list.iter().any(|r| r == j))
}

fn client_with_blocklist() -> Client {
    let fig = figment().merge(("jwt_token_location", ["cookies"]));
    let rocket = rocket::custom(fig)
        .manage(Revoked::default())
        .attach(JwtManager::new().loaders(rocket_jwt_extended::loaders![is_revoked]))
        .attach(ImplicitRefresh::within(Duration::from_secs(WINDOW)))
        .mount(
            "/",
            routes![protected, fails, unchecked, revoke_keep_cookie],
        );
    Client::untracked(rocket).unwrap()
}

#[test]
fn never_on_error_responses() {
    let c = client_with_blocklist();
    let resp = c
        .get("/fails")
        .cookie(Cookie::new(
            "access_token_cookie",
            access_with_exp(now() + 3),
        ))
        .dispatch();
    assert_eq!(
        (resp.status(), set_cookies(&resp)),
        (Status::Conflict, vec![])
    );
}

#[test]
fn never_from_a_token_whose_revocation_was_not_checked_or_was_revoked_meanwhile() {
    let c = client_with_blocklist();
    let token = forge(json!({ "exp": now() + 3, "jti": "jti-1" }));
    let cookie = || Cookie::new("access_token_cookie", token.clone());
    // Passing through a route that skips the revocation check renews nothing.
    let resp = c.get("/unchecked").cookie(cookie()).dispatch();
    assert_eq!((resp.status(), set_cookies(&resp)), (Status::Ok, vec![]));
    // A checked route renews it…
    let resp = c.get("/protected").cookie(cookie()).dispatch();
    assert_eq!(set_cookies(&resp).len(), 2);
    // …but not when the handler revokes the token and keeps the cookie.
    let resp = c
        .post("/revoke_keep_cookie")
        .cookie(cookie())
        .header(Header::new("X-CSRF-TOKEN", CSRF))
        .dispatch();
    assert_eq!((resp.status(), set_cookies(&resp)), (Status::Ok, vec![]));
    // And the revoked token is refused from then on.
    let resp = c.get("/protected").cookie(cookie()).dispatch();
    assert_eq!(
        (resp.status(), set_cookies(&resp)),
        (Status::Unauthorized, vec![])
    );
}

#[test]
fn a_renewed_token_of_a_pair_stays_linked_to_its_refresh_token() {
    let c = client(true);
    let token = forge(json!({
        "exp": now() + 3,
        "sub": "alice",
        "refresh_jti": "the-refresh-jti",
        "refresh_exp": now() + 1000,
    }));
    let (status, cookies) = get_with_cookie(&c, &token);
    assert_eq!(status, Status::Ok);
    let value = cookies[0]
        .strip_prefix("access_token_cookie=")
        .and_then(|s| s.split(';').next())
        .unwrap();
    let renewed = c
        .rocket()
        .state::<JwtState>()
        .unwrap()
        .decode_token(value, false)
        .unwrap();
    assert_eq!(
        renewed.claims().get_str("refresh_jti"),
        Some("the-refresh-jti")
    );
    assert!(renewed
        .claims()
        .get("refresh_exp")
        .and_then(|v| v.as_i64())
        .is_some_and(|e| e >= now() + 990));
}
