//! `#[jwt_required]` on every kind of handler; responses independent of catchers.

use rocket::http::{ContentType, Status};
use rocket::local::blocking::Client;
use rocket::serde::json::{json, Json, Value};
use rocket::State;
use rocket_jwt_extended::{get_jwt, get_jwt_identity, jwt_required, try_get_jwt, Jwt};

use crate::common::*;

struct Greeting(&'static str);

#[jwt_required]
#[get("/async/<name>")]
async fn async_with_lifetimes<'a>(
    name: &'a str,
    greeting: &'a State<Greeting>,
) -> Result<Value, Status> {
    rocket::tokio::task::yield_now().await;
    let n: u32 = name.parse().map_err(|_| Status::BadRequest)?;
    Ok(json!({ "who": get_jwt_identity(), "n": n, "greeting": greeting.0 }))
}

#[jwt_required(optional)]
#[post("/echo", data = "<body>")]
fn sync_with_data(body: Json<Value>) -> Value {
    json!({ "body": body.into_inner(), "who": get_jwt_identity() })
}

#[jwt_required]
#[post("/echo_async", data = "<body>")]
async fn async_with_data(body: Json<Value>) -> (Status, Value) {
    (
        Status::Created,
        json!({ "body": body.into_inner(), "claims_type": get_jwt().token_type() }),
    )
}

#[jwt_required]
#[get("/impl_responder")]
async fn async_impl_responder<'r>() -> impl rocket::response::Responder<'r, 'static> {
    json!({ "who": get_jwt_identity() }).to_string()
}

#[get("/outside")]
fn outside() -> Value {
    json!({ "error": try_get_jwt().err().map(|e| e.to_string()) })
}

#[get("/outside_panics")]
fn outside_panics() -> Value {
    json!({ "who": get_jwt_identity() })
}

#[get("/maybe")]
fn maybe(jwt: Option<Jwt>, cookies: &rocket::http::CookieJar<'_>) -> (Status, Value) {
    cookies.add(rocket::http::Cookie::new("visited", "yes"));
    match jwt {
        Some(j) => (Status::Ok, json!({ "who": j.identity() })),
        None => (Status::Unauthorized, json!({ "mine": "handler's own 401" })),
    }
}

#[get("/plain_401")]
fn plain_401() -> (Status, Value) {
    (Status::Unauthorized, json!({ "mine": "no JWT involved" }))
}

#[catch(401)]
fn html_401() -> (ContentType, &'static str) {
    (ContentType::HTML, "<h1>custom</h1>")
}

#[catch(default)]
fn html_default() -> (ContentType, &'static str) {
    (ContentType::HTML, "<h1>custom default</h1>")
}

fn client_routes() -> Client {
    let rocket = app(figment())
        .manage(Greeting("hi"))
        .mount(
            "/r",
            routes![
                async_with_lifetimes,
                sync_with_data,
                async_with_data,
                async_impl_responder,
                outside,
                outside_panics,
                maybe,
                plain_401
            ],
        )
        .register("/", catchers![html_401, html_default]);
    Client::tracked(rocket).unwrap()
}

#[test]
fn async_handler_with_lifetimes_and_question_mark() {
    let c = client_routes();
    let t = forge(json!({}));
    let (status, body) = json_of(c.get("/r/async/5").header(bearer(&t)).dispatch());
    assert_eq!(status, Status::Ok);
    assert_eq!(body, json!({"who": "admin", "n": 5, "greeting": "hi"}));
    assert_eq!(
        c.get("/r/async/x").header(bearer(&t)).dispatch().status(),
        Status::BadRequest
    );
    assert_eq!(
        answer(c.get("/r/async/5").dispatch()),
        (Status::Unauthorized, "Missing Authorization Header".into())
    );
}

#[test]
fn data_guards_keep_working() {
    let c = client_routes();
    let (status, body) = json_of(
        c.post("/r/echo")
            .header(ContentType::JSON)
            .body(r#"{"a":1}"#)
            .dispatch(),
    );
    assert_eq!(status, Status::Ok);
    assert_eq!(body, json!({"body": {"a": 1}, "who": null}));
    let t = forge(json!({}));
    let (status, body) = json_of(
        c.post("/r/echo_async")
            .header(bearer(&t))
            .header(ContentType::JSON)
            .body("[true]")
            .dispatch(),
    );
    assert_eq!(status, Status::Created);
    assert_eq!(body, json!({"body": [true], "claims_type": "access"}));
}

#[test]
fn token_is_checked_before_the_body_is_read() {
    // flask checks the token before the view reads JSON: a bad body without token is a 401.
    let c = client_routes();
    let r = c
        .post("/r/echo_async")
        .header(ContentType::JSON)
        .body("{not json")
        .dispatch();
    assert_eq!(
        answer(r),
        (Status::Unauthorized, "Missing Authorization Header".into())
    );
}

#[test]
fn impl_trait_return_types_work() {
    let c = client_routes();
    let r = c
        .get("/r/impl_responder")
        .header(bearer(&forge(json!({}))))
        .dispatch();
    assert_eq!(r.into_string().unwrap(), r#"{"who":"admin"}"#);
}

#[test]
fn responses_ignore_user_catchers() {
    let c = client_routes();
    let r = c.get("/protected").dispatch();
    assert_eq!(r.content_type(), Some(ContentType::JSON));
    assert_eq!(
        r.headers().get("Set-Cookie").count(),
        0,
        "no internal marker leaks"
    );
    assert_eq!(
        answer(r),
        (Status::Unauthorized, "Missing Authorization Header".into())
    );
    let r = c.get("/protected").header(bearer("x.y")).dispatch();
    assert_eq!(
        answer(r),
        (Status::UnprocessableEntity, "Not enough segments".into())
    );
    // Other 401s still reach the user's catcher.
    let r = c.get("/nowhere").dispatch();
    assert_eq!(r.into_string().unwrap(), "<h1>custom default</h1>");
}

#[test]
fn a_handler_that_ran_keeps_its_own_response() {
    let c = client_routes();
    let r = c.get("/r/maybe").dispatch();
    let cookies: Vec<String> = r.headers().get("Set-Cookie").map(str::to_owned).collect();
    assert_eq!(cookies.len(), 1, "{cookies:?}");
    assert!(
        cookies[0].starts_with("visited=yes"),
        "the handler's own cookie survives: {cookies:?}"
    );
    let (status, body) = json_of(r);
    assert_eq!(status, Status::Unauthorized);
    assert_eq!(body, json!({"mine": "handler's own 401"}));
}

#[test]
fn a_plain_handler_401_is_never_touched() {
    let c = client_routes();
    let (status, body) = json_of(c.get("/r/plain_401").dispatch());
    assert_eq!(status, Status::Unauthorized);
    assert_eq!(body, json!({"mine": "no JWT involved"}));
}

#[test]
fn accessors_outside_a_decorated_handler_name_the_fix() {
    let c = client_routes();
    let (_, body) = json_of(c.get("/r/outside").dispatch());
    let msg = body["error"].as_str().unwrap();
    assert!(msg.contains("#[jwt_required]"), "{msg}");
    assert_eq!(
        c.get("/r/outside_panics").dispatch().status(),
        Status::InternalServerError
    );
}

#[test]
fn stacked_guards_decode_once_and_agree() {
    #[jwt_required]
    #[get("/stacked")]
    fn stacked(a: Jwt, b: rocket_jwt_extended::OptionalJwt) -> Value {
        json!({ "same": std::sync::Arc::ptr_eq(a.token().unwrap(), b.token().unwrap()) })
    }
    let c = Client::tracked(app(figment()).mount("/s", routes![stacked])).unwrap();
    let (status, body) = json_of(
        c.get("/s/stacked")
            .header(bearer(&forge(json!({}))))
            .dispatch(),
    );
    assert_eq!(status, Status::Ok);
    assert_eq!(body, json!({"same": true}));
}

/// A guard of the user's own, built on `verify_jwt_in_request`.
struct AdminOnly(String);

#[rocket::async_trait]
impl<'r> rocket::request::FromRequest<'r> for AdminOnly {
    type Error = ();

    async fn from_request(req: &'r rocket::Request<'_>) -> rocket::request::Outcome<Self, ()> {
        use rocket::request::Outcome;
        use rocket_jwt_extended::{verify_jwt_in_request, VerifyOptions};
        match verify_jwt_in_request(req, VerifyOptions::new().fresh()).await {
            Ok(Some(t)) if t.claims()["is_administrator"] == true => {
                Outcome::Success(AdminOnly(t.identity().into()))
            }
            Ok(_) => Outcome::Error((Status::Forbidden, ())),
            Err(e) => Outcome::Error((e.status(), ())),
        }
    }
}

#[test]
fn custom_guards_use_verify_jwt_in_request() {
    #[get("/admin")]
    fn admin(a: AdminOnly) -> String {
        a.0
    }
    let c = Client::tracked(app(figment()).mount("/c", routes![admin])).unwrap();
    let t = forge(json!({"fresh": true, "is_administrator": true}));
    assert_eq!(
        c.get("/c/admin")
            .header(bearer(&t))
            .dispatch()
            .into_string()
            .unwrap(),
        "admin"
    );
    let t = forge(json!({"fresh": true}));
    assert_eq!(
        c.get("/c/admin").header(bearer(&t)).dispatch().status(),
        Status::Forbidden
    );
    let t = forge(json!({"is_administrator": true}));
    assert_eq!(
        c.get("/c/admin").header(bearer(&t)).dispatch().status(),
        Status::Unauthorized
    );
}

#[test]
fn rfc_6750_challenges_are_opt_in() {
    let c = client_with(figment().merge(("jwt_www_authenticate", true)));
    let challenge = |r: rocket::local::blocking::LocalResponse<'_>| {
        (
            r.status(),
            r.headers().get_one("WWW-Authenticate").map(str::to_owned),
        )
    };
    assert_eq!(
        challenge(c.get("/protected").dispatch()),
        (Status::Unauthorized, Some("Bearer".into()))
    );
    let expired = forge(json!({"exp": now() - 10}));
    assert_eq!(
        challenge(c.get("/protected").header(bearer(&expired)).dispatch()),
        (
            Status::Unauthorized,
            Some(r#"Bearer error="invalid_token", error_description="Token has expired""#.into())
        )
    );
    let stale = forge(json!({"fresh": false}));
    assert_eq!(
        challenge(c.get("/fresh").header(bearer(&stale)).dispatch()),
        (
            Status::Unauthorized,
            Some(
                r#"Bearer error="invalid_token", error_description="Fresh token required""#.into()
            )
        )
    );
    // The bodies stay flask's; 422 answers carry no challenge.
    assert_eq!(
        answer(c.get("/protected").header(bearer(&expired)).dispatch()),
        says(Status::Unauthorized, "Token has expired")
    );
    assert_eq!(
        challenge(c.get("/protected").header(bearer("a.b.c")).dispatch()),
        (Status::UnprocessableEntity, None)
    );
    // Off by default, as in flask-jwt-extended.
    let plain = client();
    assert_eq!(
        challenge(plain.get("/protected").dispatch()),
        (Status::Unauthorized, None)
    );
}

#[derive(rocket::serde::Deserialize)]
#[serde(crate = "rocket::serde")]
struct MyClaims {
    sub: String,
    role: String,
    #[serde(default)]
    level: u8,
}

#[get("/typed")]
fn typed(token: rocket_jwt_extended::JwtClaims<MyClaims>) -> Value {
    json!({ "identity": token.identity(), "sub": token.sub, "role": token.claims.role, "level": token.level })
}

#[test]
fn typed_claims_deserialize_into_the_applications_struct() {
    let c = Client::tracked(
        rocket::custom(figment())
            .attach(rocket_jwt_extended::JwtManager::new())
            .mount("/", routes![typed]),
    )
    .unwrap();
    let token = forge(json!({"sub": "ann", "role": "editor", "extra": [1, 2]}));
    let (status, body) = json_of(c.get("/typed").header(bearer(&token)).dispatch());
    assert_eq!(status, Status::Ok);
    assert_eq!(
        body,
        json!({"identity": "ann", "sub": "ann", "role": "editor", "level": 0})
    );
    // Claims that do not fit are an invalid token, with serde's reason.
    let missing = forge(json!({"sub": "ann"}));
    assert_eq!(
        answer(c.get("/typed").header(bearer(&missing)).dispatch()),
        says(
            Status::UnprocessableEntity,
            "Invalid claims: missing field `role`"
        )
    );
    let wrong = forge(json!({"sub": "ann", "role": "x", "level": 1000}));
    let (status, msg) = answer(c.get("/typed").header(bearer(&wrong)).dispatch());
    assert_eq!(status, Status::UnprocessableEntity);
    assert!(
        msg.starts_with("Invalid claims: invalid value: integer `1000`"),
        "{msg}"
    );
    // Every check of a protected route still applies.
    assert_eq!(
        answer(c.get("/typed").dispatch()),
        says(Status::Unauthorized, "Missing Authorization Header")
    );
    let expired = forge(json!({"sub": "ann", "role": "x", "exp": now() - 5}));
    assert_eq!(
        answer(c.get("/typed").header(bearer(&expired)).dispatch()),
        says(Status::Unauthorized, "Token has expired")
    );
}

#[get("/notes")]
fn notes() -> Value {
    json!({ "owner": get_jwt_identity(), "type": get_jwt().token_type() })
}

#[post("/notes", data = "<body>")]
async fn add_note(body: Json<Value>) -> Value {
    rocket::tokio::task::yield_now().await;
    json!({ "owner": get_jwt_identity(), "note": body.into_inner() })
}

#[get("/open")]
fn open_route() -> &'static str {
    "open"
}

#[test]
fn protect_guards_a_whole_group_of_routes() {
    use rocket_jwt_extended::testing::{JwtTestClient, JwtTestRequest};
    use rocket_jwt_extended::{protect, VerifyOptions};
    let c = Client::tracked(
        rocket::custom(figment())
            .attach(rocket_jwt_extended::JwtManager::new())
            .mount(
                "/api",
                protect(routes![notes, add_note], VerifyOptions::new()),
            )
            .mount(
                "/fresh",
                protect(routes![notes], VerifyOptions::new().fresh()),
            )
            .mount("/", routes![open_route]),
    )
    .unwrap();
    let token = forge(json!({"sub": "ann"}));
    let (status, body) = json_of(c.get("/api/notes").header(bearer(&token)).dispatch());
    assert_eq!(
        (status, body),
        (Status::Ok, json!({"owner": "ann", "type": "access"}))
    );
    let (status, body) = json_of(
        c.post("/api/notes")
            .header(bearer(&token))
            .header(ContentType::JSON)
            .body(r#"{"text":"hi"}"#)
            .dispatch(),
    );
    assert_eq!((status, &body["note"]["text"]), (Status::Ok, &json!("hi")));
    // flask's answers, to the letter.
    assert_eq!(
        answer(c.get("/api/notes").dispatch()),
        says(Status::Unauthorized, "Missing Authorization Header")
    );
    assert_eq!(
        answer(
            c.get("/api/notes")
                .header(bearer(&forge(json!({"exp": now() - 5}))))
                .dispatch()
        ),
        says(Status::Unauthorized, "Token has expired")
    );
    assert_eq!(
        answer(
            c.get("/api/notes")
                .header(bearer(&forge(json!({"type": "refresh"}))))
                .dispatch()
        ),
        says(
            Status::UnprocessableEntity,
            "Only non-refresh tokens are allowed"
        )
    );
    assert_eq!(
        answer(c.get("/fresh/notes").header(bearer(&token)).dispatch()),
        says(Status::Unauthorized, "Fresh token required")
    );
    let fresh = c.jwt_tokens().fresh("ann");
    assert_eq!(
        c.get("/fresh/notes").bearer(&fresh).dispatch().status(),
        Status::Ok
    );
    // Routes mounted without it stay open.
    assert_eq!(c.get("/open").dispatch().into_string().unwrap(), "open");
}

#[jwt_required]
#[get("/typed_accessor")]
fn typed_accessor() -> Result<Value, rocket_jwt_extended::JwtError> {
    let claims: MyClaims = rocket_jwt_extended::get_jwt_as()?;
    Ok(json!({ "role": claims.role }))
}

#[test]
fn the_typed_accessor_answers_a_mismatch_as_an_invalid_token() {
    let c = Client::tracked(
        rocket::custom(figment())
            .attach(rocket_jwt_extended::JwtManager::new())
            .mount("/", routes![typed_accessor]),
    )
    .unwrap();
    let token = forge(json!({"sub": "ann", "role": "editor"}));
    let (status, body) = json_of(c.get("/typed_accessor").header(bearer(&token)).dispatch());
    assert_eq!((status, body), (Status::Ok, json!({"role": "editor"})));
    assert_eq!(
        answer(
            c.get("/typed_accessor")
                .header(bearer(&forge(json!({"sub": "ann"}))))
                .dispatch()
        ),
        says(
            Status::UnprocessableEntity,
            "Invalid claims: missing field `role`"
        )
    );
}
