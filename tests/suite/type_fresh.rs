//! Reference §3 check order and §4 "Type, freshness"; optional routes; OPTIONS.

use rocket::http::Method::{Get, Options, Post};
use rocket::http::Status;
use serde_json::json;

use crate::common::*;

const NON_REFRESH_ONLY: &str = "Only non-refresh tokens are allowed";
const REFRESH_ONLY: &str = "Only refresh tokens are allowed";
const NEEDS_FRESH: &str = "Fresh token required";

#[test]
fn refresh_token_on_access_route_is_422() {
    let c = client();
    let t = forge(json!({"type": "refresh"}));
    assert_eq!(
        send(&c, Get, "/protected", &t),
        says(Status::UnprocessableEntity, NON_REFRESH_ONLY)
    );
}

#[test]
fn access_token_on_refresh_route_is_422() {
    let c = client();
    for ty in ["access", "foo"] {
        let t = forge(json!({"type": ty}));
        assert_eq!(
            send(&c, Post, "/refresh", &t),
            says(Status::UnprocessableEntity, REFRESH_ONLY),
            "{ty}"
        );
    }
    let t = forge(json!({"type": "refresh"}));
    assert_eq!(send(&c, Post, "/refresh", &t).0, Status::Ok);
}

#[test]
fn unknown_type_counts_as_access() {
    let c = client();
    assert_eq!(
        send(&c, Get, "/protected", &forge(json!({"type": "custom"}))).0,
        Status::Ok
    );
}

#[test]
fn verify_type_false_accepts_both() {
    let c = client();
    for ty in ["access", "refresh"] {
        assert_eq!(
            send(&c, Get, "/any_type", &forge(json!({"type": ty}))).0,
            Status::Ok,
            "{ty}"
        );
    }
}

#[test]
fn fresh_route_requires_fresh_token() {
    let c = client();
    let fresh = |v: serde_json::Value| send(&c, Get, "/fresh", &forge(json!({"fresh": v})));
    assert_eq!(fresh(json!(false)), says(Status::Unauthorized, NEEDS_FRESH));
    assert_eq!(fresh(json!(true)).0, Status::Ok);
    assert_eq!(fresh(json!(now() as f64 + 60.5)).0, Status::Ok);
    assert_eq!(
        fresh(json!(now() as f64 - 1.5)),
        says(Status::Unauthorized, NEEDS_FRESH)
    );
    assert_eq!(fresh(json!("yes")), says(Status::Unauthorized, NEEDS_FRESH));
}

#[test]
fn type_is_checked_before_freshness() {
    let c = client();
    let t = forge(json!({"type": "refresh", "fresh": false}));
    assert_eq!(
        send(&c, Get, "/fresh", &t),
        says(Status::UnprocessableEntity, NON_REFRESH_ONLY)
    );
}

#[test]
fn optional_without_token_runs_the_handler_with_empty_context() {
    let c = client();
    let (status, body) = json_of(c.get("/optional").dispatch());
    assert_eq!(status, Status::Ok);
    assert_eq!(
        body,
        json!({"identity": null, "claims": {}, "header": {}, "location": null})
    );
}

#[test]
fn optional_with_token_sees_it() {
    let c = client();
    let (status, body) = json_of(
        c.get("/optional")
            .header(bearer(&forge(json!({}))))
            .dispatch(),
    );
    assert_eq!(status, Status::Ok);
    assert_eq!(body["identity"], "admin");
    assert_eq!(body["location"], "headers");
    assert_eq!(body["header"], json!({"alg": "HS256", "typ": "JWT"}));
}

#[test]
fn optional_still_rejects_invalid_expired_and_wrong_type() {
    let c = client();
    let expired = forge(json!({"exp": now() - 5}));
    assert_eq!(
        send(&c, Get, "/optional", &expired),
        says(Status::Unauthorized, "Token has expired")
    );
    assert_eq!(
        send(&c, Get, "/optional", "garbage"),
        says(Status::UnprocessableEntity, "Not enough segments")
    );
    let refresh = forge(json!({"type": "refresh"}));
    assert_eq!(
        send(&c, Get, "/optional", &refresh),
        says(Status::UnprocessableEntity, NON_REFRESH_ONLY)
    );
    assert_eq!(
        get_with_auth(&c, "/optional", "Bearer a b").status(),
        Status::UnprocessableEntity
    );
}

#[test]
fn options_requests_pass_without_token_like_an_optional_route() {
    let c = client();
    let (status, body) = json_of(c.req(Options, "/protected").dispatch());
    assert_eq!(status, Status::Ok);
    assert_eq!(
        body,
        json!({"identity": null, "claims": {}, "header": {}, "location": null})
    );
}

#[test]
fn typed_guard_without_macro() {
    let c = client();
    assert_eq!(
        answer(c.get("/guard").dispatch()),
        says(Status::Unauthorized, "Missing Authorization Header")
    );
    let (status, body) = json_of(c.get("/guard").header(bearer(&forge(json!({})))).dispatch());
    assert_eq!(status, Status::Ok);
    assert_eq!(body, json!({"identity": "admin", "type": "access"}));
}

#[test]
fn route_locations_override_configuration() {
    let c = client();
    let r = c.get("/headers_only").dispatch();
    assert_eq!(
        answer(r),
        says(Status::Unauthorized, "Missing Authorization Header")
    );
    assert_eq!(
        send(&c, Get, "/headers_only", &forge(json!({}))).0,
        Status::Ok
    );
}
