//! The cookie helpers (`set_access_cookies`, …, `unset_jwt_cookies`) as they
//! reach the wire: every Set-Cookie string, from the guard and from the
//! responder wrapper, with configuration and per-call overrides.

use std::time::Duration;

use rocket::figment::Figment;
use rocket::http::Status;
use rocket::local::blocking::Client;
use rocket::serde::json::{json, Json, Value};
use rocket_jwt_extended::{
    CookieOptions, JwtCookies, JwtCookiesExt, JwtError, JwtManager, Tokens, WithJwtCookies,
};

use crate::common::{answer, figment, forge, says};

#[post("/login")]
fn login(tokens: Tokens<'_>, cookies: JwtCookies<'_>) -> Result<Value, JwtError> {
    let access = tokens.create_access_token("u")?;
    let refresh = tokens.create_refresh_token("u")?;
    cookies.set_access_cookies(&access)?;
    cookies.set_refresh_cookies(&refresh)?;
    Ok(json!({ "access": access, "refresh": refresh }))
}

#[post("/login_overrides")]
fn login_overrides(tokens: Tokens<'_>, cookies: JwtCookies<'_>) -> Result<Value, JwtError> {
    let access = tokens.create_access_token("u")?;
    let opts = CookieOptions::new()
        .max_age(Duration::from_secs(60))
        .domain("override.test");
    cookies.set_access_cookies_with(&access, opts)?;
    Ok(json!({ "access": access }))
}

#[post("/login_responder")]
fn login_responder(tokens: Tokens<'_>) -> Result<WithJwtCookies<Json<Value>>, JwtError> {
    let access = tokens.create_access_token("u")?;
    let refresh = tokens.create_refresh_token("u")?;
    Ok(Json(json!({ "access": access, "refresh": refresh }))
        .set_access_cookies(access)
        .set_refresh_cookies(refresh))
}

#[post("/logout")]
fn logout(cookies: JwtCookies<'_>) -> Value {
    cookies.unset_jwt_cookies();
    json!({ "msg": "logout successful" })
}

#[post("/logout_access")]
fn logout_access() -> WithJwtCookies<Json<Value>> {
    Json(json!({})).unset_access_cookies()
}

#[post("/logout_refresh_domain")]
fn logout_refresh_domain(cookies: JwtCookies<'_>) -> Value {
    cookies.unset_refresh_cookies_for_domain("d.test");
    json!({})
}

#[post("/bad_token")]
fn bad_token(cookies: JwtCookies<'_>) -> Result<Value, JwtError> {
    cookies.set_access_cookies("garbage")?;
    Ok(json!({}))
}

#[post("/bad_token_responder")]
fn bad_token_responder() -> WithJwtCookies<Json<Value>> {
    Json(json!({})).set_access_cookies("garbage")
}

/// The handler queues cookies and then fails: a catcher answers, and neither
/// Rocket's jar nor the JWT cookies reach the response.
#[post("/set_then_fail")]
fn set_then_fail(tokens: Tokens<'_>, cookies: JwtCookies<'_>) -> Result<Value, Status> {
    let access = tokens
        .create_access_token("u")
        .map_err(|_| Status::InternalServerError)?;
    cookies
        .set_access_cookies(&access)
        .map_err(|_| Status::InternalServerError)?;
    Err(Status::BadRequest)
}

fn client(figment: Figment) -> Client {
    let rocket = rocket::custom(figment).attach(JwtManager::new()).mount(
        "/",
        routes![
            login,
            login_overrides,
            login_responder,
            logout,
            logout_access,
            logout_refresh_domain,
            bad_token,
            bad_token_responder,
            set_then_fail
        ],
    );
    Client::untracked(rocket).expect("valid rocket")
}

/// The Set-Cookie strings of `POST path`, and the JSON body.
fn set_cookies(c: &Client, path: &'static str) -> (Vec<String>, Value) {
    let resp = c.post(path).dispatch();
    assert_eq!(resp.status(), Status::Ok, "{path}");
    let cookies = resp
        .headers()
        .get("Set-Cookie")
        .map(str::to_owned)
        .collect();
    (cookies, resp.into_json().unwrap_or(Value::Null))
}

fn csrf_of(token: &str) -> String {
    use base64::Engine;
    let payload = token.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    let claims: Value = serde_json::from_slice(&bytes).unwrap();
    claims["csrf"].as_str().unwrap().to_owned()
}

#[test]
fn default_cookies_are_exactly_flasks() {
    for path in ["/login", "/login_responder"] {
        let c = client(figment());
        let (cookies, body) = set_cookies(&c, path);
        let access = body["access"].as_str().unwrap();
        let refresh = body["refresh"].as_str().unwrap();
        assert_eq!(
            cookies,
            vec![
                format!("access_token_cookie={access}; HttpOnly; Path=/"),
                format!("csrf_access_token={}; Path=/", csrf_of(access)),
                format!("refresh_token_cookie={refresh}; HttpOnly; Path=/"),
                format!("csrf_refresh_token={}; Path=/", csrf_of(refresh)),
            ],
            "{path}"
        );
    }
}

#[test]
fn configured_attributes_are_written() {
    let fig = figment()
        .merge(("jwt_cookie_secure", true))
        .merge(("jwt_cookie_domain", "example.test"))
        .merge(("jwt_cookie_samesite", "Lax"))
        .merge(("jwt_session_cookie", false))
        .merge(("jwt_access_cookie_path", "/api"))
        .merge(("jwt_access_csrf_cookie_path", "/csrf"))
        .merge(("jwt_access_cookie_name", "acc"))
        .merge(("jwt_access_csrf_cookie_name", "acc_csrf"));
    let c = client(fig);
    let (cookies, body) = set_cookies(&c, "/login");
    let access = body["access"].as_str().unwrap();
    let strip_expires = |s: &str| -> String {
        let (head, expires) = s
            .split_once("; Expires=")
            .expect("persistent cookies carry Expires");
        let expires = rocket::time::OffsetDateTime::parse(
            expires,
            &rocket::time::format_description::well_known::Rfc2822,
        );
        assert!(expires.is_ok() || expires_is_http_date(s), "{s}");
        head.to_owned()
    };
    assert_eq!(
        strip_expires(&cookies[0]),
        format!(
            "acc={access}; HttpOnly; SameSite=Lax; Secure; Path=/api; Domain=example.test; Max-Age=31540000"
        )
    );
    assert_eq!(
        strip_expires(&cookies[1]),
        format!(
            "acc_csrf={}; SameSite=Lax; Secure; Path=/csrf; Domain=example.test; Max-Age=31540000",
            csrf_of(access)
        )
    );
}

fn expires_is_http_date(s: &str) -> bool {
    s.contains(" GMT")
}

#[test]
fn per_call_overrides_win_over_configuration() {
    let c = client(figment().merge(("jwt_cookie_domain", "config.test")));
    let (cookies, _) = set_cookies(&c, "/login_overrides");
    assert_eq!(cookies.len(), 2);
    for cookie in &cookies {
        assert!(cookie.contains("; Domain=override.test"), "{cookie}");
        assert!(cookie.contains("; Max-Age=60"), "{cookie}");
        assert!(!cookie.contains("config.test"), "{cookie}");
    }
}

#[test]
fn samesite_none_and_strict_are_written_when_configured() {
    for (value, written) in [("None", "SameSite=None"), ("strict", "SameSite=Strict")] {
        let c = client(figment().merge(("jwt_cookie_samesite", value)));
        let (cookies, _) = set_cookies(&c, "/login");
        assert!(cookies.iter().all(|s| s.contains(written)), "{cookies:?}");
    }
}

#[test]
fn unset_writes_expired_empty_cookies() {
    let c = client(figment().merge(("jwt_cookie_domain", "example.test")));
    let (cookies, _) = set_cookies(&c, "/logout");
    let tail = "Domain=example.test; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT";
    assert_eq!(
        cookies,
        vec![
            format!("access_token_cookie=; HttpOnly; Path=/; {tail}"),
            format!("csrf_access_token=; Path=/; {tail}"),
            format!("refresh_token_cookie=; HttpOnly; Path=/; {tail}"),
            format!("csrf_refresh_token=; Path=/; {tail}"),
        ]
    );
    let (cookies, _) = set_cookies(&c, "/logout_access");
    let names: Vec<&str> = cookies
        .iter()
        .map(|s| s.split('=').next().unwrap())
        .collect();
    assert_eq!(names, ["access_token_cookie", "csrf_access_token"]);
    let (cookies, _) = set_cookies(&c, "/logout_refresh_domain");
    assert_eq!(cookies.len(), 2);
    assert!(
        cookies.iter().all(|s| s.contains("Domain=d.test")),
        "{cookies:?}"
    );
    assert!(cookies[0].starts_with("refresh_token_cookie=;"));
}

#[test]
fn csrf_cookies_follow_csrf_settings() {
    let c = client(figment().merge(("jwt_csrf_in_cookies", false)));
    let (cookies, _) = set_cookies(&c, "/login");
    assert_eq!(cookies.len(), 2);
    assert!(cookies.iter().all(|s| s.contains("HttpOnly")));
    let (cookies, _) = set_cookies(&c, "/logout");
    assert_eq!(cookies.len(), 2);

    let c = client(figment().merge(("jwt_cookie_csrf_protect", false)));
    let (cookies, body) = set_cookies(&c, "/login");
    assert_eq!(cookies.len(), 2);
    let payload = body["access"]
        .as_str()
        .unwrap()
        .split('.')
        .nth(1)
        .unwrap()
        .to_owned();
    use base64::Engine;
    let claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap();
    assert!(claims.get("csrf").is_none(), "{claims}");
}

#[test]
fn host_prefixed_cookies_are_secure_at_the_root() {
    let fig = figment()
        .merge(("jwt_cookie_secure", true))
        .merge(("jwt_access_cookie_name", "__Host-access"));
    let c = client(fig);
    let (cookies, _) = set_cookies(&c, "/login");
    assert!(cookies[0].starts_with("__Host-access="));
    assert!(cookies[0].contains("; Secure; Path=/"), "{}", cookies[0]);
    assert!(!cookies[0].contains("Domain"), "{}", cookies[0]);
    // A per-call domain cannot put a Domain on a `__Host-` cookie.
    let (cookies, _) = set_cookies(&c, "/login_overrides");
    assert!(!cookies[0].contains("Domain"), "{}", cookies[0]);
    assert!(
        cookies[1].contains("Domain=override.test"),
        "{}",
        cookies[1]
    );
}

#[test]
fn a_token_that_does_not_verify_is_refused_like_flask() {
    let c = client(figment());
    for path in ["/bad_token", "/bad_token_responder"] {
        let resp = c.post(path).dispatch();
        assert_eq!(resp.headers().get("Set-Cookie").count(), 0);
        assert_eq!(
            answer(resp),
            says(Status::UnprocessableEntity, "Not enough segments"),
            "{path}"
        );
    }
}

#[test]
fn cookies_of_a_failed_handler_are_dropped_like_the_jar() {
    let c = client(figment());
    let resp = c.post("/set_then_fail").dispatch();
    assert_eq!(resp.status(), Status::BadRequest);
    assert_eq!(resp.headers().get("Set-Cookie").count(), 0);
}

#[test]
fn the_cookies_set_are_accepted_back() {
    let fig = figment().merge(("jwt_token_location", ["cookies"]));
    let rocket = rocket::custom(fig)
        .attach(JwtManager::new())
        .mount("/", routes![login, whoami]);
    let c = Client::tracked(rocket).unwrap();
    assert_eq!(c.post("/login").dispatch().status(), Status::Ok);
    let csrf = c
        .cookies()
        .get("csrf_access_token")
        .unwrap()
        .value()
        .to_owned();
    let resp = c
        .post("/whoami")
        .header(rocket::http::Header::new("X-CSRF-TOKEN", csrf))
        .dispatch();
    assert_eq!(resp.into_json::<Value>().unwrap(), json!({"identity": "u"}));
    // Without the double-submit header the same cookie is refused.
    assert_eq!(
        answer(c.post("/whoami").dispatch()),
        says(Status::Unauthorized, "Missing CSRF token")
    );
    // Another token's CSRF value does not fit this cookie.
    let other = csrf_of(&forge(serde_json::json!({"csrf": "another"})));
    let resp = c
        .post("/whoami")
        .header(rocket::http::Header::new("X-CSRF-TOKEN", other))
        .dispatch();
    assert_eq!(
        answer(resp),
        says(
            Status::Unauthorized,
            "CSRF double submit tokens do not match"
        )
    );
}

#[rocket_jwt_extended::jwt_required]
#[post("/whoami")]
fn whoami() -> Value {
    json!({ "identity": rocket_jwt_extended::get_jwt_identity() })
}

// Every form of the helpers has every operation, the domain overrides too.
#[post("/domains_guard")]
fn domains_guard(cookies: JwtCookies<'_>) -> Value {
    cookies.unset_access_cookies_for_domain("a.test");
    cookies.unset_jwt_cookies_for_domain("j.test");
    json!({})
}

#[post("/domains_responder")]
fn domains_responder() -> WithJwtCookies<Json<Value>> {
    Json(json!({}))
        .unset_access_cookies_for_domain("a.test")
        .unset_refresh_cookies_for_domain("r.test")
}

#[post("/domains_responder_all")]
fn domains_responder_all() -> WithJwtCookies<Json<Value>> {
    Json(json!({})).unset_jwt_cookies_for_domain("j.test")
}

#[test]
fn every_helper_form_has_the_domain_overrides() {
    let rocket = rocket::custom(figment()).attach(JwtManager::new()).mount(
        "/",
        routes![domains_guard, domains_responder, domains_responder_all],
    );
    let c = Client::untracked(rocket).expect("valid rocket");
    let domains = |path: &'static str| -> Vec<(String, String)> {
        let (cookies, _) = set_cookies(&c, path);
        cookies
            .iter()
            .map(|s| {
                let name = s.split('=').next().unwrap().to_owned();
                let domain = s
                    .split("; ")
                    .find_map(|a| a.strip_prefix("Domain="))
                    .unwrap_or("")
                    .to_owned();
                (name, domain)
            })
            .collect()
    };
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(n, d)| (n.to_string(), d.to_string()))
            .collect()
    };
    // The guard queues by name and path: the later removal replaces the earlier.
    assert_eq!(
        domains("/domains_guard"),
        pairs(&[
            ("access_token_cookie", "j.test"),
            ("csrf_access_token", "j.test"),
            ("refresh_token_cookie", "j.test"),
            ("csrf_refresh_token", "j.test"),
        ])
    );
    assert_eq!(
        domains("/domains_responder"),
        pairs(&[
            ("access_token_cookie", "a.test"),
            ("csrf_access_token", "a.test"),
            ("refresh_token_cookie", "r.test"),
            ("csrf_refresh_token", "r.test"),
        ])
    );
    assert_eq!(
        domains("/domains_responder_all"),
        pairs(&[
            ("access_token_cookie", "j.test"),
            ("csrf_access_token", "j.test"),
            ("refresh_token_cookie", "j.test"),
            ("csrf_refresh_token", "j.test"),
        ])
    );
}
