//! Behaviour reference §4 "Cookies and CSRF", "JSON body", "Query string" and
//! "Several locations": statuses and messages to the letter, the search
//! precedence, refresh-route names, and the body data guards.

use rocket::figment::Figment;
use rocket::http::{ContentType, Cookie, Header, Method, Status};
use rocket::local::blocking::{Client, LocalRequest};
use rocket::serde::json::{json, Json, Value};
use rocket::{Build, Rocket};
use rocket_jwt_extended::{get_jwt_identity, get_jwt_request_location, jwt_required, JwtManager};

use crate::common::{answer, bearer, claims, figment, forge, json_of, says, SECRET};

const CSRF: &str = "c3d0a6c0-5e0a-4c63-b6a5-1ad5b41f0f49";

fn ctx() -> Value {
    json!({
        "identity": get_jwt_identity(),
        "location": get_jwt_request_location().map(|l| l.as_str()),
    })
}

#[jwt_required]
#[get("/p")]
fn p_get() -> Value {
    ctx()
}

#[jwt_required]
#[post("/p")]
fn p_post() -> Value {
    ctx()
}

#[jwt_required]
#[put("/p")]
async fn p_put() -> Value {
    ctx()
}

#[jwt_required(optional)]
#[post("/opt")]
fn opt() -> Value {
    ctx()
}

#[jwt_required(refresh)]
#[post("/refresh")]
fn refresh() -> Value {
    ctx()
}

#[derive(serde::Deserialize)]
struct Note {
    note: String,
}

/// The handler still receives its `Json<T>`; the token came from the same body.
#[jwt_required]
#[post("/note", data = "<body>")]
fn note(body: Json<Note>) -> Value {
    json!({ "note": body.note, "location": get_jwt_request_location().map(|l| l.as_str()) })
}

#[jwt_required]
#[post("/note_async", data = "<body>")]
async fn note_async(mut body: Json<Note>) -> Value {
    body.note.push('!');
    json!({ "note": body.note, "identity": get_jwt_identity() })
}

#[jwt_required(locations = ["json", "headers"])]
#[post("/json_then_headers")]
fn json_then_headers() -> Value {
    ctx()
}

#[jwt_required(locations = "query_string")]
#[get("/query_only")]
fn query_only() -> Value {
    ctx()
}

fn app(figment: Figment) -> Rocket<Build> {
    rocket::custom(figment).attach(JwtManager::new()).mount(
        "/",
        routes![
            p_get,
            p_post,
            p_put,
            opt,
            refresh,
            note,
            note_async,
            json_then_headers,
            query_only
        ],
    )
}

fn with_locations(locations: &[&str]) -> Figment {
    figment().merge(("jwt_token_location", locations))
}

fn client(figment: Figment) -> Client {
    Client::untracked(app(figment)).expect("valid rocket")
}

fn cookie(name: &str, value: &str) -> Cookie<'static> {
    Cookie::new(name.to_owned(), value.to_owned())
}

fn csrf_header(value: &str) -> Header<'static> {
    Header::new("X-CSRF-TOKEN", value.to_owned())
}

fn with_access_cookie<'c>(req: LocalRequest<'c>, token: &str) -> LocalRequest<'c> {
    req.cookie(cookie("access_token_cookie", token))
}

fn location_of(resp: rocket::local::blocking::LocalResponse<'_>) -> (Status, Value) {
    let (status, body) = json_of(resp);
    (status, body["location"].clone())
}

// ---------------------------------------------------------------- cookies

#[test]
fn cookie_missing_or_empty_is_401_naming_the_cookie() {
    let c = client(with_locations(&["cookies"]));
    let expected = says(
        Status::Unauthorized,
        "Missing cookie \"access_token_cookie\"",
    );
    assert_eq!(answer(c.get("/p").dispatch()), expected);
    assert_eq!(
        answer(with_access_cookie(c.get("/p"), "").dispatch()),
        expected
    );
    // A refresh route reads the refresh cookie.
    assert_eq!(
        answer(c.post("/refresh").dispatch()),
        says(
            Status::Unauthorized,
            "Missing cookie \"refresh_token_cookie\""
        )
    );
}

#[test]
fn get_and_head_with_a_cookie_need_no_csrf() {
    let c = client(with_locations(&["cookies"]));
    let token = forge(json!({}));
    let (status, loc) = location_of(with_access_cookie(c.get("/p"), &token).dispatch());
    assert_eq!((status, loc), (Status::Ok, json!("cookies")));
    let head = with_access_cookie(c.head("/p"), &token).dispatch();
    assert_eq!(head.status(), Status::Ok);
}

#[test]
fn unsafe_methods_need_the_double_submit_header() {
    let c = client(with_locations(&["cookies"]));
    let token = forge(json!({}));
    for method in [Method::Post, Method::Put] {
        assert_eq!(
            answer(with_access_cookie(c.req(method, "/p"), &token).dispatch()),
            says(Status::Unauthorized, "Missing CSRF token"),
            "{method}"
        );
        assert_eq!(
            answer(
                with_access_cookie(c.req(method, "/p"), &token)
                    .header(csrf_header("not-the-claim"))
                    .dispatch()
            ),
            says(
                Status::Unauthorized,
                "CSRF double submit tokens do not match"
            )
        );
        // Same length, one byte off: still refused (the comparison is constant-time).
        let off_by_one = format!("{}0", &CSRF[..CSRF.len() - 1]);
        assert_eq!(
            answer(
                with_access_cookie(c.req(method, "/p"), &token)
                    .header(csrf_header(&off_by_one))
                    .dispatch()
            )
            .0,
            Status::Unauthorized
        );
        assert_eq!(
            with_access_cookie(c.req(method, "/p"), &token)
                .header(csrf_header(CSRF))
                .dispatch()
                .status(),
            Status::Ok
        );
    }
}

#[test]
fn the_csrf_value_only_in_its_cookie_does_not_count() {
    let c = client(with_locations(&["cookies"]));
    let token = forge(json!({}));
    let resp = with_access_cookie(c.post("/p"), &token)
        .cookie(cookie("csrf_access_token", CSRF))
        .dispatch();
    assert_eq!(
        answer(resp),
        says(Status::Unauthorized, "Missing CSRF token")
    );
}

#[test]
fn options_requests_are_exempt() {
    #[jwt_required]
    #[options("/p")]
    fn p_options() -> Value {
        ctx()
    }
    let rocket = app(with_locations(&["cookies"])).mount("/o", routes![p_options]);
    let c = Client::untracked(rocket).unwrap();
    let token = forge(json!({}));
    let (status, body) = json_of(with_access_cookie(c.options("/o/p"), &token).dispatch());
    assert_eq!(
        (status, body["identity"].clone()),
        (Status::Ok, Value::Null)
    );
}

#[test]
fn form_field_csrf_only_when_enabled() {
    let form = format!("csrf_token={CSRF}&other=1");
    let token = forge(json!({}));
    let off = client(with_locations(&["cookies"]));
    let post = |c: &Client, body: &str, ct: ContentType| {
        answer(
            with_access_cookie(c.post("/p"), &token)
                .header(ct)
                .body(body)
                .dispatch(),
        )
    };
    assert_eq!(
        post(&off, &form, ContentType::Form),
        says(Status::Unauthorized, "Missing CSRF token")
    );
    let on = client(with_locations(&["cookies"]).merge(("jwt_csrf_check_form", true)));
    assert_eq!(post(&on, &form, ContentType::Form).0, Status::Ok);
    assert_eq!(
        post(&on, "csrf_token=wrong", ContentType::Form),
        says(
            Status::Unauthorized,
            "CSRF double submit tokens do not match"
        )
    );
    assert_eq!(
        post(&on, "other=1", ContentType::Form),
        says(Status::Unauthorized, "Missing CSRF token")
    );
    // A JSON body has no form fields.
    assert_eq!(
        post(
            &on,
            &json!({"csrf_token": CSRF}).to_string(),
            ContentType::JSON
        ),
        says(Status::Unauthorized, "Missing CSRF token")
    );
    // multipart/form-data fields count too.
    let boundary = "XyZ";
    let multipart = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{CSRF}\r\n--{boundary}--\r\n"
    );
    let ct = ContentType::new("multipart", "form-data").with_params(("boundary", boundary));
    assert_eq!(post(&on, &multipart, ct).0, Status::Ok);
    // The header still wins without reading the body.
    let resp = with_access_cookie(on.post("/p"), &token)
        .header(csrf_header(CSRF))
        .dispatch();
    assert_eq!(resp.status(), Status::Ok);
}

#[test]
fn cookie_token_without_csrf_claim_is_422_on_unsafe_methods() {
    let c = client(with_locations(&["cookies"]));
    let token = forge(json!({"csrf": null}));
    assert_eq!(
        answer(
            with_access_cookie(c.post("/p"), &token)
                .header(csrf_header(CSRF))
                .dispatch()
        ),
        says(Status::UnprocessableEntity, "Missing claim: csrf")
    );
    // GET does not compare, so the claim is not needed.
    assert_eq!(
        with_access_cookie(c.get("/p"), &token).dispatch().status(),
        Status::Ok
    );
}

#[test]
fn optional_routes_and_csrf() {
    let c = client(with_locations(&["cookies"]));
    let (status, body) = json_of(c.post("/opt").dispatch());
    assert_eq!(
        (status, body["identity"].clone()),
        (Status::Ok, Value::Null)
    );
    let token = forge(json!({}));
    assert_eq!(
        answer(with_access_cookie(c.post("/opt"), &token).dispatch()),
        says(Status::Unauthorized, "Missing CSRF token")
    );
}

#[test]
fn custom_csrf_names_and_methods() {
    let fig = with_locations(&["cookies"])
        .merge(("jwt_access_cookie_name", "acc"))
        .merge(("jwt_access_csrf_header_name", "X-Mine"))
        .merge(("jwt_csrf_methods", ["get"]));
    let c = client(fig);
    let token = forge(json!({}));
    let get = |h: Option<Header<'static>>| {
        let mut req = c.get("/p").cookie(cookie("acc", &token));
        if let Some(h) = h {
            req = req.header(h);
        }
        answer(req.dispatch())
    };
    assert_eq!(get(None), says(Status::Unauthorized, "Missing CSRF token"));
    assert_eq!(get(Some(csrf_header(CSRF))).1, "Missing CSRF token");
    assert_eq!(get(Some(Header::new("X-Mine", CSRF))).0, Status::Ok);
    // POST is no longer a CSRF method.
    let resp = c.post("/p").cookie(cookie("acc", &token)).dispatch();
    assert_eq!(resp.status(), Status::Ok);
}

#[test]
fn refresh_routes_use_the_refresh_cookie_csrf_header_and_field() {
    let fig = with_locations(&["cookies"])
        .merge(("jwt_refresh_csrf_header_name", "X-R"))
        .merge(("jwt_refresh_csrf_field_name", "rf"))
        .merge(("jwt_csrf_check_form", true));
    let c = client(fig);
    let token = forge(json!({"type": "refresh"}));
    let post = || {
        c.post("/refresh")
            .cookie(cookie("refresh_token_cookie", &token))
    };
    assert_eq!(
        answer(post().header(csrf_header(CSRF)).dispatch()),
        says(Status::Unauthorized, "Missing CSRF token")
    );
    assert_eq!(
        post().header(Header::new("X-R", CSRF)).dispatch().status(),
        Status::Ok
    );
    let form = post()
        .header(ContentType::Form)
        .body(format!("rf={CSRF}"))
        .dispatch();
    assert_eq!(form.status(), Status::Ok);
    // The access cookie does not serve a refresh route.
    let resp = c
        .post("/refresh")
        .cookie(cookie("access_token_cookie", &token))
        .header(Header::new("X-R", CSRF))
        .dispatch();
    assert_eq!(
        answer(resp),
        says(
            Status::Unauthorized,
            "Missing cookie \"refresh_token_cookie\""
        )
    );
}

#[test]
fn csrf_protection_can_be_turned_off() {
    let c = client(with_locations(&["cookies"]).merge(("jwt_cookie_csrf_protect", false)));
    let token = forge(json!({"csrf": null}));
    assert_eq!(
        with_access_cookie(c.post("/p"), &token).dispatch().status(),
        Status::Ok
    );
}

// ---------------------------------------------------------------- json body

fn post_json(c: &Client, path: &'static str, ct: ContentType, body: &str) -> (Status, String) {
    answer(c.post(path).header(ct).body(body).dispatch())
}

#[test]
fn json_needs_a_json_content_type() {
    let c = client(with_locations(&["json"]));
    let invalid = says(
        Status::Unauthorized,
        "Invalid content-type. Must be application/json.",
    );
    assert_eq!(answer(c.get("/p").dispatch()), invalid);
    let token = forge(json!({}));
    let body = json!({"access_token": token}).to_string();
    assert_eq!(post_json(&c, "/p", ContentType::Form, &body), invalid);
    assert_eq!(post_json(&c, "/p", ContentType::Text, &body), invalid);
    for ct in [
        ContentType::JSON,
        ContentType::new("application", "json").with_params(("charset", "UTF-8")),
        ContentType::new("application", "vnd.api+json"),
    ] {
        assert_eq!(post_json(&c, "/p", ct.clone(), &body).0, Status::Ok, "{ct}");
    }
    let (status, loc) = location_of(c.post("/p").header(ContentType::JSON).body(body).dispatch());
    assert_eq!((status, loc), (Status::Ok, json!("json")));
}

#[test]
fn json_without_a_usable_key_is_missing() {
    let c = client(with_locations(&["json"]));
    let missing = says(
        Status::Unauthorized,
        "Missing \"access_token\" key in json data.",
    );
    for body in [
        "{}",
        "",
        "{not json",
        r#"{"access_token": ""}"#,
        r#"{"access_token": null}"#,
        r#"{"access_token": false}"#,
        r#"{"access_token": 0}"#,
        r#"{"other": "x"}"#,
        "[]",
        r#"["a", "b"]"#,
        r#""a string""#,
        "42",
    ] {
        assert_eq!(
            post_json(&c, "/p", ContentType::JSON, body),
            missing,
            "{body}"
        );
    }
}

#[test]
fn json_token_that_is_not_a_string_is_invalid() {
    let c = client(with_locations(&["json"]));
    for body in [
        r#"{"access_token": 123}"#,
        r#"{"access_token": true}"#,
        r#"{"access_token": [1]}"#,
    ] {
        assert_eq!(
            post_json(&c, "/p", ContentType::JSON, body),
            says(
                Status::UnprocessableEntity,
                "Invalid token type. Token must be a <class 'bytes'>"
            ),
            "{body}"
        );
    }
    assert_eq!(
        post_json(&c, "/p", ContentType::JSON, r#"{"access_token": "a b"}"#),
        says(Status::UnprocessableEntity, "Not enough segments")
    );
}

#[test]
fn json_refresh_routes_read_the_refresh_key() {
    let c = client(with_locations(&["json"]).merge(("jwt_refresh_json_key", "rt")));
    let token = forge(json!({"type": "refresh"}));
    assert_eq!(
        post_json(
            &c,
            "/refresh",
            ContentType::JSON,
            &json!({"refresh_token": token}).to_string()
        ),
        says(Status::Unauthorized, "Missing \"rt\" key in json data.")
    );
    let ok = post_json(
        &c,
        "/refresh",
        ContentType::JSON,
        &json!({"rt": token}).to_string(),
    );
    assert_eq!(ok.0, Status::Ok);
}

#[test]
fn json_routes_with_a_json_data_guard_share_the_body() {
    let c = client(with_locations(&["json"]));
    let token = forge(json!({}));
    let body = json!({"access_token": token, "note": "hi"}).to_string();
    let (status, out) = json_of(
        c.post("/note")
            .header(ContentType::JSON)
            .body(body.clone())
            .dispatch(),
    );
    assert_eq!(status, Status::Ok);
    assert_eq!(out, json!({"note": "hi", "location": "json"}));
    let (status, out) = json_of(
        c.post("/note_async")
            .header(ContentType::JSON)
            .body(body)
            .dispatch(),
    );
    assert_eq!(
        (status, out),
        (Status::Ok, json!({"note": "hi!", "identity": "admin"}))
    );
    // The token is checked before the handler's body type.
    assert_eq!(
        post_json(&c, "/note", ContentType::JSON, r#"{"note": 5}"#),
        says(
            Status::Unauthorized,
            "Missing \"access_token\" key in json data."
        )
    );
    // With a valid token, a body that is not a `Note` gets Rocket's own `Json` answer.
    let wrong = json!({"access_token": token, "note": 5}).to_string();
    let resp = c
        .post("/note")
        .header(ContentType::JSON)
        .body(wrong)
        .dispatch();
    assert_eq!(resp.status(), Status::UnprocessableEntity);
    assert!(!resp.into_string().unwrap_or_default().contains("\"msg\""));
    // The token can come from a header while the body is the handler's alone.
    let resp = c
        .post("/note")
        .header(ContentType::JSON)
        .header(bearer(&token))
        .body(r#"{"note": "from header"}"#)
        .dispatch();
    assert_eq!(
        resp.status(),
        Status::Unauthorized,
        "json is the only location"
    );
    let c = client(with_locations(&["headers", "json"]));
    let (status, out) = json_of(
        c.post("/note")
            .header(ContentType::JSON)
            .header(bearer(&token))
            .body(r#"{"note": "from header"}"#)
            .dispatch(),
    );
    assert_eq!(
        (status, out),
        (
            Status::Ok,
            json!({"note": "from header", "location": "headers"})
        )
    );
}

#[test]
fn json_bodies_over_the_limit_hold_no_token() {
    let fig = with_locations(&["json"]).merge(("limits", json!({"json": 64})));
    let c = client(fig);
    let token = forge(json!({}));
    let body = json!({"access_token": token}).to_string();
    assert!(body.len() > 64);
    assert_eq!(
        post_json(&c, "/p", ContentType::JSON, &body),
        says(
            Status::Unauthorized,
            "Missing \"access_token\" key in json data."
        )
    );
}

// ---------------------------------------------------------------- query string

#[test]
fn query_string_missing_empty_and_prefix() {
    let c = client(with_locations(&["query_string"]));
    let missing = says(Status::Unauthorized, "Missing 'jwt' query paramater");
    assert_eq!(answer(c.get("/p").dispatch()), missing);
    assert_eq!(answer(c.get("/p?jwt=").dispatch()), missing);
    assert_eq!(answer(c.get("/p?other=1").dispatch()), missing);
    let token = forge(json!({}));
    let (status, loc) = location_of(c.get(format!("/p?x=1&jwt={token}")).dispatch());
    assert_eq!((status, loc), (Status::Ok, json!("query_string")));

    let c = client(
        with_locations(&["query_string"])
            .merge(("jwt_query_string_name", "token"))
            .merge(("jwt_query_string_value_prefix", "Bearer ")),
    );
    assert_eq!(
        answer(c.get("/p").dispatch()),
        says(Status::Unauthorized, "Missing 'token' query paramater")
    );
    assert_eq!(
        answer(c.get(format!("/p?token={token}")).dispatch()),
        says(
            Status::UnprocessableEntity,
            "Invalid value for query parameter 'token'. Expected the value to start with 'Bearer '"
        )
    );
    // URL decoding as in werkzeug: `+` and `%20` are spaces.
    for sep in ["+", "%20"] {
        let resp = c.get(format!("/p?token=Bearer{sep}{token}")).dispatch();
        assert_eq!(resp.status(), Status::Ok, "{sep}");
    }
}

// ---------------------------------------------------------------- several locations

#[test]
fn the_missing_message_lists_every_location_in_order() {
    let c = client(with_locations(&[
        "headers",
        "cookies",
        "json",
        "query_string",
    ]));
    assert_eq!(
        answer(c.get("/p").dispatch()),
        says(
            Status::Unauthorized,
            "Missing JWT in headers, cookies, json or query_string (Missing Authorization Header; \
             Missing cookie \"access_token_cookie\"; Invalid content-type. Must be application/json.; \
             Missing 'jwt' query paramater)"
        )
    );
    let c = client(with_locations(&[
        "query_string",
        "json",
        "cookies",
        "headers",
    ]));
    assert_eq!(
        answer(c.post("/p").header(ContentType::JSON).body("{}").dispatch()),
        says(
            Status::Unauthorized,
            "Missing JWT in query_string, json, cookies or headers (Missing 'jwt' query paramater; \
             Missing \"access_token\" key in json data.; Missing cookie \"access_token_cookie\"; \
             Missing Authorization Header)"
        )
    );
    let c = client(with_locations(&["cookies", "headers"]));
    assert_eq!(
        answer(c.get("/p").dispatch()).1,
        "Missing JWT in cookies or headers (Missing cookie \"access_token_cookie\"; Missing Authorization Header)"
    );
}

#[test]
fn each_location_is_found_and_reported() {
    let c = client(with_locations(&[
        "headers",
        "cookies",
        "json",
        "query_string",
    ]));
    let token = forge(json!({}));
    let cases: Vec<(LocalRequest<'_>, &str)> = vec![
        (c.get("/p").header(bearer(&token)), "headers"),
        (with_access_cookie(c.get("/p"), &token), "cookies"),
        (
            c.post("/p")
                .header(ContentType::JSON)
                .body(json!({"access_token": token}).to_string()),
            "json",
        ),
        (c.get(format!("/p?jwt={token}")), "query_string"),
    ];
    for (req, expected) in cases {
        assert_eq!(location_of(req.dispatch()), (Status::Ok, json!(expected)));
    }
}

#[test]
fn only_not_found_moves_on() {
    let c = client(with_locations(&[
        "headers",
        "cookies",
        "json",
        "query_string",
    ]));
    let token = forge(json!({}));
    let good_query = format!("/p?jwt={token}");
    // An invalid header token stops the search, even with a valid one later.
    assert_eq!(
        answer(
            c.get(good_query.clone())
                .header(bearer("garbage"))
                .dispatch()
        ),
        says(Status::UnprocessableEntity, "Not enough segments")
    );
    // A malformed header too.
    assert_eq!(
        answer(
            c.get(good_query.clone())
                .header(Header::new("Authorization", "Bearer a b"))
                .dispatch()
        )
        .0,
        Status::UnprocessableEntity
    );
    // A CSRF failure stops it: the cookie is found, the JSON token is never looked at.
    let resp = with_access_cookie(c.post("/p"), &token)
        .header(ContentType::JSON)
        .body(json!({"access_token": token}).to_string())
        .dispatch();
    assert_eq!(
        answer(resp),
        says(Status::Unauthorized, "Missing CSRF token")
    );
    // An expired cookie stops it as well.
    let expired = forge(json!({"exp": crate::common::now() - 10}));
    let resp = with_access_cookie(c.get(good_query.clone()), &expired).dispatch();
    assert_eq!(
        answer(resp),
        says(Status::Unauthorized, "Token has expired")
    );
    // A missing header moves on to the query string.
    assert_eq!(
        location_of(c.get(good_query).dispatch()),
        (Status::Ok, json!("query_string"))
    );
    // A bad JSON value stops before the query string.
    let resp = c
        .post(format!("/p?jwt={token}"))
        .header(ContentType::JSON)
        .body(r#"{"access_token": 7}"#)
        .dispatch();
    assert_eq!(answer(resp).0, Status::UnprocessableEntity);
}

#[test]
fn route_locations_override_the_configuration_in_their_order() {
    let c = client(with_locations(&["headers"]));
    let token = forge(json!({}));
    // json first, then headers; the configuration says headers only.
    let (status, loc) = location_of(
        c.post("/json_then_headers")
            .header(ContentType::JSON)
            .header(bearer(&token))
            .body(json!({"access_token": token}).to_string())
            .dispatch(),
    );
    assert_eq!((status, loc), (Status::Ok, json!("json")));
    assert_eq!(
        answer(c.post("/json_then_headers").dispatch()),
        says(
            Status::Unauthorized,
            "Missing JWT in json or headers (Invalid content-type. Must be application/json.; Missing Authorization Header)"
        )
    );
    assert_eq!(
        location_of(c.get(format!("/query_only?jwt={token}")).dispatch()),
        (Status::Ok, json!("query_string"))
    );
    assert_eq!(
        answer(c.get("/query_only").header(bearer(&token)).dispatch()),
        says(Status::Unauthorized, "Missing 'jwt' query paramater")
    );
}

#[test]
fn a_forged_csrf_claim_does_not_help_a_bad_signature() {
    let c = client(with_locations(&["cookies"]));
    let token = crate::common::forge_raw(
        r#"{"alg":"HS256","typ":"JWT"}"#,
        &claims(json!({})).to_string(),
        &SECRET.replace('t', "x"),
    );
    let resp = with_access_cookie(c.post("/p"), &token)
        .header(csrf_header(CSRF))
        .dispatch();
    assert_eq!(
        answer(resp),
        says(Status::UnprocessableEntity, "Signature verification failed")
    );
}

#[jwt_required]
#[post("/account/<id>")]
fn account_update(id: u64) -> Value {
    json!({ "updated": id })
}

#[jwt_required(fresh)]
#[post("/account/<action>", rank = 2)]
fn account_sensitive(action: &str) -> Value {
    json!({ "done": action })
}

#[jwt_required(optional)]
#[post("/maybe/<id>")]
fn maybe(id: u64) -> Value {
    json!({ "id": id, "identity": get_jwt_identity() })
}

#[jwt_required]
#[post("/maybe/<action>", rank = 2)]
fn maybe_fallback(action: &str) -> Value {
    json!({ "action": action, "identity": get_jwt_identity() })
}

/// A request forwarded from one route to the next is checked with the
/// options of the route that answers, never with the first route's.
#[test]
fn forwarded_requests_are_checked_by_the_answering_route() {
    let rocket = rocket::custom(with_locations(&["headers", "json"]))
        .attach(JwtManager::new())
        .mount(
            "/",
            routes![account_update, account_sensitive, maybe, maybe_fallback],
        );
    let c = Client::untracked(rocket).unwrap();
    let stale = forge(json!({ "fresh": false }));
    let body = json!({ "access_token": stale }).to_string();
    let post = |path: &'static str, body: &str| {
        c.post(path).header(ContentType::JSON).body(body).dispatch()
    };
    // `/account/42` is the plain route; `/account/delete` forwards to the fresh one.
    assert_eq!(post("/account/42", &body).status(), Status::Ok);
    assert_eq!(
        answer(post("/account/delete", &body)),
        says(Status::Unauthorized, "Fresh token required")
    );
    // An optional first route does not let the second run without a token.
    assert_eq!(
        answer(post("/maybe/go", "{}")),
        says(Status::Unauthorized, "Missing JWT in headers or json (Missing Authorization Header; Missing \"access_token\" key in json data.)")
    );
    let (status, out) = json_of(post("/maybe/go", &body));
    assert_eq!(
        (status, out),
        (Status::Ok, json!({ "action": "go", "identity": "admin" }))
    );
}

/// flask decodes an expired token again to report it, and that second decode
/// compares the CSRF value first: a wrong value wins over the expiry.
#[test]
fn an_expired_cookie_with_a_wrong_csrf_value_reports_the_csrf_error() {
    let c = client(with_locations(&["cookies"]));
    let expired = forge(json!({ "exp": crate::common::now() - 10 }));
    let resp = with_access_cookie(c.post("/p"), &expired)
        .header(csrf_header("wrong"))
        .dispatch();
    assert_eq!(
        answer(resp),
        says(
            Status::Unauthorized,
            "CSRF double submit tokens do not match"
        )
    );
    let resp = with_access_cookie(c.post("/p"), &expired)
        .header(csrf_header(CSRF))
        .dispatch();
    assert_eq!(
        answer(resp),
        says(Status::Unauthorized, "Token has expired")
    );
}
