//! Reference §3 check order and §4 "Type, freshness"; optional routes; OPTIONS.

use rocket::http::{Method, Status};
use serde_json::json;

use crate::common::*;

#[test]
fn refresh_token_on_access_route_is_422() {
    let c = client();
    let r = c
        .get("/protected")
        .header(bearer(&forge(json!({"type": "refresh"}))))
        .dispatch();
    assert_eq!(
        answer(r),
        (
            Status::UnprocessableEntity,
            "Only non-refresh tokens are allowed".into()
        )
    );
}

#[test]
fn access_token_on_refresh_route_is_422() {
    let c = client();
    for ty in ["access", "foo"] {
        let r = c
            .post("/refresh")
            .header(bearer(&forge(json!({"type": ty}))))
            .dispatch();
        assert_eq!(
            answer(r),
            (
                Status::UnprocessableEntity,
                "Only refresh tokens are allowed".into()
            ),
            "{ty}"
        );
    }
    let r = c
        .post("/refresh")
        .header(bearer(&forge(json!({"type": "refresh"}))))
        .dispatch();
    assert_eq!(r.status(), Status::Ok);
}

#[test]
fn unknown_type_counts_as_access() {
    let c = client();
    let r = c
        .get("/protected")
        .header(bearer(&forge(json!({"type": "custom"}))))
        .dispatch();
    assert_eq!(r.status(), Status::Ok);
}

#[test]
fn verify_type_false_accepts_both() {
    let c = client();
    for ty in ["access", "refresh"] {
        let r = c
            .get("/any_type")
            .header(bearer(&forge(json!({"type": ty}))))
            .dispatch();
        assert_eq!(r.status(), Status::Ok, "{ty}");
    }
}

#[test]
fn fresh_route_requires_fresh_token() {
    let c = client();
    let fresh = |v: serde_json::Value| {
        answer(
            c.get("/fresh")
                .header(bearer(&forge(json!({"fresh": v}))))
                .dispatch(),
        )
    };
    assert_eq!(
        fresh(json!(false)),
        (Status::Unauthorized, "Fresh token required".into())
    );
    assert_eq!(fresh(json!(true)).0, Status::Ok);
    assert_eq!(fresh(json!(now() as f64 + 60.5)).0, Status::Ok);
    assert_eq!(
        fresh(json!(now() as f64 - 1.5)),
        (Status::Unauthorized, "Fresh token required".into())
    );
    assert_eq!(
        fresh(json!("yes")),
        (Status::Unauthorized, "Fresh token required".into())
    );
}

#[test]
fn type_is_checked_before_freshness() {
    let c = client();
    let r = c
        .get("/fresh")
        .header(bearer(&forge(json!({"type": "refresh", "fresh": false}))))
        .dispatch();
    assert_eq!(
        answer(r),
        (
            Status::UnprocessableEntity,
            "Only non-refresh tokens are allowed".into()
        )
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
    let get = |t: String| answer(c.get("/optional").header(bearer(&t)).dispatch());
    assert_eq!(
        get(forge(json!({"exp": now() - 5}))),
        (Status::Unauthorized, "Token has expired".into())
    );
    assert_eq!(
        get("garbage".into()),
        (Status::UnprocessableEntity, "Not enough segments".into())
    );
    assert_eq!(
        get(forge(json!({"type": "refresh"}))).0,
        Status::UnprocessableEntity
    );
    let r = c
        .get("/optional")
        .header(rocket::http::Header::new("Authorization", "Bearer a b"))
        .dispatch();
    assert_eq!(r.status(), Status::UnprocessableEntity);
}

#[test]
fn options_requests_pass_without_token_like_an_optional_route() {
    let c = client();
    let (status, body) = json_of(c.req(Method::Options, "/protected").dispatch());
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
        (Status::Unauthorized, "Missing Authorization Header".into())
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
        (Status::Unauthorized, "Missing Authorization Header".into())
    );
    let r = c
        .get("/headers_only")
        .header(bearer(&forge(json!({}))))
        .dispatch();
    assert_eq!(r.status(), Status::Ok);
}
