//! Guard decorators: `#[admin_required]` (the seed's admin decorator) and
//! checks of one's own with `#[jwt_check]` + `#[jwt_required(check = ..)]`.

use rocket::figment::Figment;
use rocket::http::{ContentType, Status};
use rocket::local::blocking::Client;
use rocket::serde::json::{json, Json, Value};
use rocket::State;
use rocket_jwt_extended::{admin_required, jwt_check, jwt_required, Claims, JwtManager};

use crate::common::{answer, bearer, figment, forge, json_of, says};

pub struct Banned(Vec<&'static str>);

#[jwt_check]
fn not_banned(identity: &str, banned: &State<Banned>) -> Result<(), (Status, Json<Value>)> {
    if banned.0.contains(&identity) {
        Err((
            Status::Forbidden,
            Json(json!({ "msg": format!("{identity} is banned") })),
        ))
    } else {
        Ok(())
    }
}

#[jwt_check]
async fn editors_only(claims: &Claims) -> Result<(), Status> {
    match claims.get_str("role") {
        Some("editor") => Ok(()),
        _ => Err(Status::PaymentRequired),
    }
}

#[jwt_check]
#[allow(clippy::result_large_err)] // Rocket's `Redirect` is large; a check returns it rarely
fn go_to_login(claims: &Claims) -> Result<(), rocket::response::Redirect> {
    match claims.get("guest") {
        Some(_) => Err(rocket::response::Redirect::to("/login")),
        None => Ok(()),
    }
}

#[jwt_required(check = go_to_login)]
#[get("/members")]
fn members() -> &'static str {
    "members"
}

#[admin_required]
#[get("/admin")]
fn admin() -> Value {
    json!({ "foo": "bar" })
}

#[admin_required(fresh)]
#[get("/admin_fresh")]
async fn admin_fresh() -> Value {
    json!({ "foo": "fresh" })
}

#[jwt_required(check = [not_banned, editors_only])]
#[post("/publish")]
fn publish() -> Value {
    json!({ "msg": "published" })
}

#[jwt_required(optional, check = editors_only)]
#[get("/maybe")]
fn maybe() -> Value {
    json!({ "msg": "ok" })
}

#[jwt_required(locations = "json", check = [not_banned, editors_only])]
#[post("/publish_json")]
fn publish_json() -> Value {
    json!({ "msg": "published" })
}

fn client(fig: Figment) -> Client {
    let rocket = rocket::custom(fig)
        .manage(Banned(vec!["mallory"]))
        .attach(JwtManager::new())
        .mount(
            "/",
            routes![admin, admin_fresh, publish, maybe, publish_json, members],
        );
    Client::untracked(rocket).unwrap()
}

#[test]
fn admin_required_wants_a_truthy_admin_claim() {
    let c = client(figment());
    let ok = forge(json!({ "is_administrator": true }));
    assert_eq!(
        json_of(c.get("/admin").header(bearer(&ok)).dispatch()),
        (Status::Ok, json!({ "foo": "bar" }))
    );
    for claim in [json!(false), json!(0), json!(""), json!(null)] {
        let token = forge(json!({ "is_administrator": claim }));
        assert_eq!(
            json_of(c.get("/admin").header(bearer(&token)).dispatch()),
            (Status::Forbidden, json!({ "msg": "Admins only!" })),
            "{claim}"
        );
    }
    // JWT errors come first, with flask's messages.
    assert_eq!(
        answer(c.get("/admin").dispatch()),
        says(Status::Unauthorized, "Missing Authorization Header")
    );
    let stale = forge(json!({ "is_administrator": true, "fresh": false }));
    assert_eq!(
        answer(c.get("/admin_fresh").header(bearer(&stale)).dispatch()),
        says(Status::Unauthorized, "Fresh token required")
    );
}

#[test]
fn the_admin_claim_and_message_key_are_configurable() {
    let c = client(
        figment()
            .merge(("jwt_admin_claim", "staff"))
            .merge(("jwt_error_message_key", "message")),
    );
    let staff = forge(json!({ "staff": 1 }));
    assert_eq!(
        c.get("/admin").header(bearer(&staff)).dispatch().status(),
        Status::Ok
    );
    let admin = forge(json!({ "is_administrator": true }));
    assert_eq!(
        json_of(c.get("/admin").header(bearer(&admin)).dispatch()),
        (Status::Forbidden, json!({ "message": "Admins only!" }))
    );
}

#[test]
fn checks_run_in_order_with_their_own_responses() {
    let c = client(figment());
    let editor = forge(json!({ "role": "editor", "sub": "erin" }));
    assert_eq!(
        json_of(c.post("/publish").header(bearer(&editor)).dispatch()),
        (Status::Ok, json!({ "msg": "published" }))
    );
    let banned_editor = forge(json!({ "role": "editor", "sub": "mallory" }));
    assert_eq!(
        json_of(c.post("/publish").header(bearer(&banned_editor)).dispatch()),
        (Status::Forbidden, json!({ "msg": "mallory is banned" }))
    );
    let reader = forge(json!({ "role": "reader" }));
    assert_eq!(
        c.post("/publish")
            .header(bearer(&reader))
            .dispatch()
            .status(),
        Status::PaymentRequired
    );
    // The token is verified before any check.
    assert_eq!(
        answer(c.post("/publish").header(bearer("garbage")).dispatch()),
        says(Status::UnprocessableEntity, "Not enough segments")
    );
}

#[test]
fn checks_are_skipped_on_optional_routes_without_a_token() {
    let c = client(figment());
    assert_eq!(c.get("/maybe").dispatch().status(), Status::Ok);
    let reader = forge(json!({ "role": "reader" }));
    assert_eq!(
        c.get("/maybe").header(bearer(&reader)).dispatch().status(),
        Status::PaymentRequired
    );
}

#[test]
fn checks_wait_for_a_token_in_the_body() {
    let c = client(figment());
    let post = |token: &str| {
        c.post("/publish_json")
            .header(ContentType::JSON)
            .body(json!({ "access_token": token }).to_string())
            .dispatch()
    };
    assert_eq!(
        json_of(post(&forge(json!({ "role": "editor" })))),
        (Status::Ok, json!({ "msg": "published" }))
    );
    assert_eq!(
        json_of(post(&forge(json!({ "role": "editor", "sub": "mallory" })))),
        (Status::Forbidden, json!({ "msg": "mallory is banned" }))
    );
    assert_eq!(post(&forge(json!({}))).status(), Status::PaymentRequired);
}

#[test]
fn a_check_may_answer_with_a_redirect() {
    let c = client(figment());
    let guest = forge(json!({ "guest": true }));
    let resp = c.get("/members").header(bearer(&guest)).dispatch();
    assert_eq!(resp.status(), Status::SeeOther);
    assert_eq!(resp.headers().get_one("Location"), Some("/login"));
    let member = forge(json!({}));
    assert_eq!(
        c.get("/members")
            .header(bearer(&member))
            .dispatch()
            .status(),
        Status::Ok
    );
}

#[admin_required]
#[options("/admin_options")]
fn admin_options() -> Value {
    json!({ "secret": "admin only" })
}

#[jwt_required(check = editors_only)]
#[options("/editors_options")]
fn editors_options() -> Value {
    json!({ "secret": "editors only" })
}

#[jwt_required]
#[options("/plain_options")]
fn plain_options() -> Value {
    json!({ "open": true })
}

#[test]
fn a_check_never_passes_without_a_token_even_on_options() {
    let rocket = rocket::custom(figment())
        .attach(JwtManager::new())
        .mount("/", routes![admin_options, editors_options, plain_options]);
    let c = Client::untracked(rocket).unwrap();
    // No token: refused as any other method would be, the body never sent.
    assert_eq!(
        answer(c.options("/admin_options").dispatch()),
        says(Status::Unauthorized, "Missing Authorization Header")
    );
    assert_eq!(
        answer(c.options("/editors_options").dispatch()),
        says(Status::Unauthorized, "Missing Authorization Header")
    );
    // With a token the checks decide.
    let admin = forge(json!({ "is_administrator": true }));
    let user = forge(json!({ "is_administrator": false }));
    assert_eq!(
        json_of(
            c.options("/admin_options")
                .header(bearer(&admin))
                .dispatch()
        ),
        (Status::Ok, json!({ "secret": "admin only" }))
    );
    assert_eq!(
        answer(c.options("/admin_options").header(bearer(&user)).dispatch()),
        says(Status::Forbidden, "Admins only!")
    );
    // A plain protected OPTIONS route still passes without a token (documented).
    assert_eq!(
        json_of(c.options("/plain_options").dispatch()),
        (Status::Ok, json!({ "open": true }))
    );
}
