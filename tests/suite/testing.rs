//! The test helpers (`rocket_jwt_extended::testing`) against the shared test
//! app: every kind of token they mint gets the answer flask gives it.

use rocket::http::Status;
use rocket::local::asynchronous::Client as AsyncClient;
use rocket::serde::json::{json, Value};
use rocket_jwt_extended::testing::{JwtTestClient, JwtTestRequest};

use crate::common::*;

#[test]
fn helpers_mint_every_kind_of_token_with_the_apps_configuration() {
    let c = client();
    let tokens = c.jwt_tokens();
    let get = |path: &'static str, token: &str| answer(c.get(path).bearer(token).dispatch());

    let (status, body) = json_of(c.get("/protected").as_identity("ann").dispatch());
    assert_eq!((status, &body["identity"]), (Status::Ok, &json!("ann")));
    assert_eq!(get("/protected", &tokens.access("ann")).0, Status::Ok);
    assert_eq!(get("/fresh", &tokens.fresh("ann")).0, Status::Ok);
    assert_eq!(
        get("/fresh", &tokens.access("ann")),
        says(Status::Unauthorized, "Fresh token required")
    );
    assert_eq!(
        get("/fresh", &tokens.stale("ann")),
        says(Status::Unauthorized, "Fresh token required")
    );
    assert_eq!(
        get("/protected", &tokens.expired("ann")),
        says(Status::Unauthorized, "Token has expired")
    );
    assert_eq!(
        get("/protected", &tokens.not_yet_valid("ann")),
        says(
            Status::UnprocessableEntity,
            "The token is not yet valid (nbf)"
        )
    );
    assert_eq!(
        get("/protected", &tokens.wrong_type("ann")),
        says(
            Status::UnprocessableEntity,
            "Only non-refresh tokens are allowed"
        )
    );
    assert_eq!(
        get("/protected", &tokens.foreign("ann")),
        says(Status::UnprocessableEntity, "Signature verification failed")
    );
    let r = c.post("/refresh").as_identity_refresh("ann").dispatch();
    assert_eq!(r.status(), Status::Ok);
    let (_, body) = json_of(
        c.get("/protected")
            .bearer(&tokens.with_claims("ann", json!({"role": "x"})))
            .dispatch(),
    );
    assert_eq!(body["claims"]["role"], "x");
}

#[test]
fn cookie_requests_carry_the_csrf_header() {
    let c = client_with(figment().merge(("jwt_token_location", ["cookies"])));
    // POST needs the double submit: the helper sends it.
    let (status, body) = json_of(
        c.post("/refresh")
            .with_access_cookie(&c.jwt_tokens().refresh("ann"))
            .dispatch(),
    );
    assert_eq!(status, Status::Ok, "{body}");
    assert_eq!(body["location"], "cookies");
    let r = c.get("/protected").as_identity_in_cookies("ann").dispatch();
    assert_eq!(r.status(), Status::Ok);
    // Without the helper's header a POST is refused, so the header is what passes.
    let token = c.jwt_tokens().refresh("ann");
    let bare = c
        .post("/refresh")
        .cookie(rocket::http::Cookie::new("refresh_token_cookie", token))
        .dispatch();
    assert_eq!(
        answer(bare),
        says(Status::Unauthorized, "Missing CSRF token")
    );
}

#[test]
fn helpers_work_with_the_async_client_and_other_keys() {
    rocket::async_test(async {
        let c = AsyncClient::tracked(app(figment())).await.unwrap();
        let r = c.get("/protected").as_identity("bob").dispatch().await;
        assert_eq!(r.status(), Status::Ok);
        let body: Value = r.into_json().await.unwrap();
        assert_eq!(body["identity"], "bob");
        let expired = c.jwt_tokens().expired("bob");
        let r = c.get("/protected").bearer(&expired).dispatch().await;
        assert_eq!(r.status(), Status::Unauthorized);
    });
    // An app that signs with a key pair: foreign tokens come from another pair.
    let pair =
        rocket_jwt_extended::keys::generate_key_pair(rocket_jwt_extended::keys::Algorithm::ES256)
            .unwrap();
    let c = client_with(
        rocket::figment::Figment::from(rocket::Config::debug_default())
            .merge(("log_level", "off"))
            .merge(("jwt_algorithm", "ES256"))
            .merge(("jwt_private_key", pair.private_pem)),
    );
    assert_eq!(
        c.get("/protected").as_identity("ann").dispatch().status(),
        Status::Ok
    );
    assert_eq!(
        answer(
            c.get("/protected")
                .bearer(&c.jwt_tokens().foreign("ann"))
                .dispatch()
        ),
        says(Status::UnprocessableEntity, "Signature verification failed")
    );
}
