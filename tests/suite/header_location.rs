//! Reference §4 "Header location".

use rocket::http::{Header, Status};

use crate::common::*;

const MISSING_TYPE: &str =
    "Missing 'Bearer' type in 'Authorization' header. Expected 'Authorization: Bearer <JWT>'";
const BAD_HEADER: &str = "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'";

#[test]
fn no_authorization_header_is_401_missing() {
    let c = client();
    let r = c.get("/protected").dispatch();
    assert_eq!(
        answer(r),
        (Status::Unauthorized, "Missing Authorization Header".into())
    );
}

#[test]
fn empty_or_comma_only_header_counts_as_missing() {
    let c = client();
    for v in ["", "   ", ",", " , "] {
        assert_eq!(
            answer(get_with_auth(&c, "/protected", v)),
            (Status::Unauthorized, "Missing Authorization Header".into()),
            "{v:?}"
        );
    }
}

#[test]
fn custom_header_name_appears_in_the_message() {
    let c = client_with(figment().merge(("jwt_header_name", "X-Api-Token")));
    assert_eq!(
        answer(c.get("/protected").dispatch()),
        (Status::Unauthorized, "Missing X-Api-Token Header".into())
    );
    let tok = forge(serde_json::json!({}));
    let r = c
        .get("/protected")
        .header(Header::new("X-Api-Token", format!("Bearer {tok}")))
        .dispatch();
    assert_eq!(r.status(), Status::Ok);
}

#[test]
fn wrong_scheme_or_two_bearers_is_401_missing_type() {
    let c = client();
    let t = forge(serde_json::json!({}));
    for v in [
        format!("Basic {t}"),
        format!("bearer {t}"),
        format!("Bearer {t}, Bearer {t}"),
    ] {
        assert_eq!(
            answer(get_with_auth(&c, "/protected", &v)),
            (Status::Unauthorized, MISSING_TYPE.into()),
            "{v}"
        );
    }
}

#[test]
fn malformed_bearer_value_is_422_bad_header() {
    let c = client();
    for v in ["Bearer", "Bearer ", "Bearer a b", "Bearer ,,0"] {
        assert_eq!(
            answer(get_with_auth(&c, "/protected", v)),
            (Status::UnprocessableEntity, BAD_HEADER.into()),
            "{v:?}"
        );
    }
}

#[test]
fn empty_header_type_expects_a_bare_token() {
    let c = client_with(figment().merge(("jwt_header_type", "")));
    let t = forge(serde_json::json!({}));
    assert_eq!(get_with_auth(&c, "/protected", &t).status(), Status::Ok);
    assert_eq!(
        answer(get_with_auth(&c, "/protected", &format!("Bearer {t}"))),
        (
            Status::UnprocessableEntity,
            "Bad Authorization header. Expected 'Authorization: <JWT>'".into()
        )
    );
}

#[test]
fn comma_separated_values_are_searched() {
    let c = client();
    let t = forge(serde_json::json!({}));
    for v in [
        format!("Basic x, Bearer {t}"),
        format!("Bearer {t},   "),
        format!("Basic abc,Bearer {t}"),
    ] {
        assert_eq!(
            get_with_auth(&c, "/protected", &v).status(),
            Status::Ok,
            "{v}"
        );
    }
}

#[test]
fn custom_header_type_is_case_sensitive() {
    let c = client_with(figment().merge(("jwt_header_type", "JWT")));
    let t = forge(serde_json::json!({}));
    assert_eq!(
        get_with_auth(&c, "/protected", &format!("JWT {t}")).status(),
        Status::Ok
    );
    assert_eq!(
        answer(get_with_auth(&c, "/protected", &format!("jwt {t}"))),
        (
            Status::Unauthorized,
            "Missing 'JWT' type in 'Authorization' header. Expected 'Authorization: JWT <JWT>'"
                .into()
        )
    );
}

#[test]
fn error_message_key_is_configurable() {
    let c = client_with(figment().merge(("jwt_error_message_key", "message")));
    let (status, body) = json_of(c.get("/protected").dispatch());
    assert_eq!(status, Status::Unauthorized);
    assert_eq!(
        body,
        serde_json::json!({"message": "Missing Authorization Header"})
    );
}

#[test]
fn error_responses_are_json_without_www_authenticate() {
    let c = client();
    let r = c.get("/protected").dispatch();
    assert_eq!(r.content_type(), Some(rocket::http::ContentType::JSON));
    assert!(r.headers().get_one("WWW-Authenticate").is_none());
}
