//! Request-side loaders and error handlers, ported from flask-jwt-extended's
//! test_user_lookup.py, test_claims_verification.py, the loader parts of
//! test_view_decorators.py / test_decode_tokens.py, plus what the port adds:
//! request guards as loader parameters, at-most-once per request, launch checks.

use std::sync::atomic::{AtomicUsize, Ordering};

use rocket::http::{Header, Status};
use rocket::local::blocking::Client;
use rocket::serde::json::{json, Json, Value};
use rocket::{Build, Rocket, State};
use rocket_jwt_extended::{
    current_user, decode_key, encode_key, expired_token, invalid_token, jwt_required, loaders,
    needs_fresh_token, revoked_token, token_in_blocklist, token_verification,
    token_verification_failed, unauthorized, user_lookup, user_lookup_error, Claims, CurrentUser,
    Jwt, JwtHeader, JwtManager, JwtState, Loader, OptionalJwt,
};

use crate::common::{answer, bearer, figment, forge, forge_raw, json_of, now, says, SECRET};

#[derive(Debug, Clone, PartialEq)]
pub struct User {
    username: String,
}

/// Counts loader calls; a managed state reached through the `&State` guard.
#[derive(Default)]
pub struct Calls {
    lookup: AtomicUsize,
    blocklist: AtomicUsize,
    verification: AtomicUsize,
}

#[user_lookup]
fn lookup(claims: &Claims, calls: &State<Calls>) -> Option<User> {
    calls.lookup.fetch_add(1, Ordering::SeqCst);
    let sub = claims.get_str("sub")?;
    (sub != "nobody").then(|| User {
        username: sub.to_owned(),
    })
}

#[user_lookup]
async fn lookup_async(identity: &str) -> Option<User> {
    rocket::tokio::task::yield_now().await;
    (identity != "nobody").then(|| User {
        username: identity.to_owned(),
    })
}

#[user_lookup_error]
fn lookup_error(header: &JwtHeader, claims: &Claims) -> (Status, Json<Value>) {
    let body = json!({ "alg": header.alg(), "sub": claims.get_str("sub"), "foo": "bar" });
    (Status::Created, Json(body))
}

#[token_verification]
fn verify_claims(header: &JwtHeader, claims: &Claims, calls: &State<Calls>) -> bool {
    calls.verification.fetch_add(1, Ordering::SeqCst);
    header.alg() == Some("HS256") && claims.get("deny").is_none()
}

#[token_verification_failed]
fn verification_failed(claims: &Claims) -> (Status, Json<Value>) {
    let msg = format!("claims failed for {}", claims.get_str("sub").unwrap_or(""));
    (Status::NotFound, Json(json!({ "msg": msg })))
}

#[token_in_blocklist]
async fn blocklist(claims: &Claims, calls: &State<Calls>) -> bool {
    calls.blocklist.fetch_add(1, Ordering::SeqCst);
    claims.jti() == Some("revoked-jti")
}

#[revoked_token]
fn revoked(_header: &JwtHeader, claims: &Claims) -> (Status, Json<Value>) {
    (Status::Gone, Json(json!({ "revoked": claims.jti() })))
}

#[expired_token]
fn expired(_header: &JwtHeader, claims: &Claims) -> (Status, Json<Value>) {
    (
        Status::Unauthorized,
        Json(json!({ "code": "dave", "sub": claims.get_str("sub") })),
    )
}

#[invalid_token]
fn invalid(reason: &str) -> (Status, Json<Value>) {
    (Status::Unauthorized, Json(json!({ "invalid": reason })))
}

#[unauthorized]
async fn missing(reason: &str, calls: &State<Calls>) -> Json<Value> {
    let lookups = calls.lookup.load(Ordering::SeqCst);
    Json(json!({ "missing": reason, "lookups": lookups }))
}

#[needs_fresh_token]
fn needs_fresh(_header: &JwtHeader, claims: &Claims) -> (Status, String) {
    (
        Status::Forbidden,
        format!("fresh please, {}", claims.get_str("sub").unwrap_or("")),
    )
}

/// A request guard that never succeeds: a loader that needs it refuses.
pub struct Unavailable;

#[rocket::async_trait]
impl<'r> rocket::request::FromRequest<'r> for Unavailable {
    type Error = ();
    async fn from_request(_: &'r rocket::Request<'_>) -> rocket::request::Outcome<Self, ()> {
        rocket::request::Outcome::Error((Status::ServiceUnavailable, ()))
    }
}

#[token_in_blocklist]
fn blocklist_needing_a_store(_claims: &Claims, _store: Unavailable) -> bool {
    false
}

#[jwt_required]
#[get("/user")]
fn user_route() -> Value {
    let user = current_user::<User>().expect("protected route");
    json!({ "foo": user.username })
}

#[get("/user_guard")]
fn user_guard(user: CurrentUser<User>, _again: Jwt, _opt: OptionalJwt) -> Value {
    json!({ "foo": user.username })
}

#[jwt_required(fresh)]
#[get("/fresh")]
fn fresh() -> Value {
    json!({ "foo": "bar" })
}

#[jwt_required(optional)]
#[get("/optional")]
fn optional() -> Value {
    json!({ "foo": "bar" })
}

#[jwt_required(optional)]
#[get("/optional_user")]
fn optional_user() -> Value {
    json!({ "user": current_user::<User>().map(|u| u.username.clone()) })
}

#[jwt_required(skip_revocation_check)]
#[get("/skip")]
fn skip() -> Value {
    json!({ "foo": "bar" })
}

fn app(loaders: Vec<Loader>) -> Rocket<Build> {
    // Routes that call current_user() need a user lookup (checked at launch).
    let with_user = loaders.iter().any(|l| l.attribute() == "#[user_lookup]");
    let rocket = rocket::custom(figment())
        .manage(Calls::default())
        .attach(JwtManager::new().loaders(loaders))
        .mount("/", routes![fresh, optional, skip]);
    if with_user {
        rocket.mount("/", routes![user_route, optional_user])
    } else {
        rocket
    }
}

fn client(loaders: Vec<Loader>) -> Client {
    Client::tracked(app(loaders)).expect("valid rocket")
}

fn get(c: &Client, path: &'static str, token: &str) -> (Status, Value) {
    json_of(c.get(path).header(bearer(token)).dispatch())
}

fn calls(c: &Client) -> &Calls {
    c.rocket().state::<Calls>().unwrap()
}

fn token_for(sub: &str) -> String {
    forge(json!({ "sub": sub, "fresh": true }))
}

// ------------------------------------------------------------ user lookup

#[test]
fn a_loaded_user_is_the_current_user() {
    for loader in [loaders![lookup], loaders![lookup_async]] {
        let c = client(loader);
        assert_eq!(
            get(&c, "/user", &token_for("username")),
            (Status::Ok, json!({ "foo": "username" }))
        );
    }
    let rocket = app(loaders![lookup]).mount("/g", routes![user_guard]);
    let c = Client::tracked(rocket).unwrap();
    assert_eq!(
        get(&c, "/g/user_guard", &token_for("username")),
        (Status::Ok, json!({ "foo": "username" }))
    );
}

#[test]
fn no_user_is_401_naming_the_identity() {
    let c = client(loaders![lookup]);
    assert_eq!(
        answer(
            c.get("/user")
                .header(bearer(&token_for("nobody")))
                .dispatch()
        ),
        says(Status::Unauthorized, "Error loading the user nobody")
    );
    let c = client(loaders![lookup, lookup_error]);
    assert_eq!(
        get(&c, "/user", &token_for("nobody")),
        (
            Status::Created,
            json!({ "alg": "HS256", "sub": "nobody", "foo": "bar" })
        )
    );
}

#[test]
fn optional_routes_have_no_user_without_a_token() {
    let c = client(loaders![lookup]);
    let (status, body) = json_of(c.get("/optional_user").dispatch());
    assert_eq!((status, body["user"].clone()), (Status::Ok, Value::Null));
    assert_eq!(calls(&c).lookup.load(Ordering::SeqCst), 0);
    let (status, body) = get(&c, "/optional_user", &token_for("ann"));
    assert_eq!((status, body["user"].clone()), (Status::Ok, json!("ann")));
}

#[test]
fn current_user_without_a_lookup_is_refused_at_launch() {
    // flask raises a RuntimeError at the first request; here a route whose
    // handler calls current_user() refuses the launch when no lookup is
    // registered, before any request.
    for route in [routes![user_route], routes![optional_user]] {
        let rocket = app(loaders![]).mount("/u", route);
        let error = Client::untracked(rocket).map(|_| ()).unwrap_err();
        assert!(error.kind().to_string().contains("sentinel"), "{error:?}");
    }
    #[user_lookup]
    fn lookup_for_launch(identity: &str) -> Option<User> {
        Some(User {
            username: identity.to_owned(),
        })
    }
    let rocket = app(loaders![lookup_for_launch]);
    assert!(Client::untracked(rocket).is_ok());
}

#[test]
fn current_user_guard_needs_a_matching_lookup_at_launch() {
    let launch = |loaders: Vec<Loader>| {
        let rocket = app(loaders).mount("/g", routes![user_guard]);
        match Client::untracked(rocket) {
            Ok(_) => Ok(()),
            Err(e) => Err(e.kind().to_string()),
        }
    };
    assert!(launch(loaders![]).unwrap_err().contains("sentinel"));

    #[user_lookup]
    fn other_type(identity: &str) -> Option<String> {
        Some(identity.to_owned())
    }
    assert!(launch(loaders![other_type]).is_err());
    assert_eq!(launch(loaders![lookup]), Ok(()));
}

// ------------------------------------------------------------ token verification

#[test]
fn verification_passes_on_every_kind_of_route() {
    let c = client(loaders![verify_claims]);
    for path in ["/skip", "/fresh", "/optional"] {
        let (status, body) = get(&c, path, &token_for("username"));
        assert_eq!(
            (status, body["foo"].clone()),
            (Status::Ok, json!("bar")),
            "{path}"
        );
    }
}

#[test]
fn verification_failure_is_400_or_the_handler() {
    let deny = forge(json!({ "sub": "username", "fresh": true, "deny": 1 }));
    let c = client(loaders![verify_claims]);
    for path in ["/skip", "/fresh", "/optional"] {
        assert_eq!(
            answer(c.get(path).header(bearer(&deny)).dispatch()),
            says(Status::BadRequest, "User claims verification failed"),
            "{path}"
        );
    }
    let c = client(loaders![verify_claims, verification_failed]);
    assert_eq!(
        get(&c, "/fresh", &deny),
        (
            Status::NotFound,
            json!({ "msg": "claims failed for username" })
        )
    );
}

// ------------------------------------------------------------ blocklist

#[test]
fn a_revoked_token_is_401_unless_the_route_skips_the_check() {
    let revoked_token = forge(json!({ "jti": "revoked-jti" }));
    let c = client(loaders![blocklist]);
    assert_eq!(
        answer(c.get("/optional").header(bearer(&revoked_token)).dispatch()),
        says(Status::Unauthorized, "Token has been revoked")
    );
    assert_eq!(get(&c, "/skip", &revoked_token).0, Status::Ok);
    assert_eq!(get(&c, "/optional", &forge(json!({}))).0, Status::Ok);
    let c = client(loaders![blocklist, revoked]);
    assert_eq!(
        get(&c, "/optional", &revoked_token),
        (Status::Gone, json!({ "revoked": "revoked-jti" }))
    );
}

#[test]
fn checks_run_in_flasks_order() {
    let c = client(loaders![blocklist, verify_claims, lookup]);
    // Revoked and failing verification and no user: revocation answers.
    let all_bad = forge(json!({ "jti": "revoked-jti", "deny": 1, "sub": "nobody" }));
    assert_eq!(
        answer(c.get("/skip").header(bearer(&all_bad)).dispatch()).0,
        Status::BadRequest
    );
    assert_eq!(
        answer(c.get("/optional").header(bearer(&all_bad)).dispatch()).1,
        "Token has been revoked"
    );
    // Verification before the user lookup.
    let bad_claims = forge(json!({ "deny": 1, "sub": "nobody" }));
    assert_eq!(
        answer(c.get("/optional").header(bearer(&bad_claims)).dispatch()).1,
        "User claims verification failed"
    );
    // Type and freshness before any loader.
    let stale = forge(json!({ "jti": "revoked-jti", "fresh": false }));
    assert_eq!(
        answer(c.get("/fresh").header(bearer(&stale)).dispatch()).1,
        "Fresh token required"
    );
    assert_eq!(calls(&c).blocklist.load(Ordering::SeqCst), 2);
}

#[test]
fn each_loader_runs_once_per_request() {
    let rocket = app(loaders![blocklist, verify_claims, lookup]).mount("/g", routes![user_guard]);
    let c = Client::tracked(rocket).unwrap();
    // Three guards (CurrentUser, Jwt, OptionalJwt) verify the same request.
    assert_eq!(get(&c, "/g/user_guard", &token_for("ann")).0, Status::Ok);
    let calls = calls(&c);
    assert_eq!(calls.blocklist.load(Ordering::SeqCst), 1);
    assert_eq!(calls.verification.load(Ordering::SeqCst), 1);
    assert_eq!(calls.lookup.load(Ordering::SeqCst), 1);
}

#[test]
fn a_loader_whose_request_guard_fails_refuses_the_request() {
    let c = client(loaders![blocklist_needing_a_store]);
    let (status, msg) = answer(c.get("/skip").header(bearer(&forge(json!({})))).dispatch());
    assert_eq!(status, Status::Ok, "skip_revocation_check does not call it");
    assert!(msg.is_empty());
    let (status, msg) = answer(
        c.get("/optional")
            .header(bearer(&forge(json!({}))))
            .dispatch(),
    );
    assert_eq!(status, Status::InternalServerError);
    assert!(
        msg.contains("blocklist_needing_a_store") && msg.contains("Unavailable"),
        "{msg}"
    );
}

// ------------------------------------------------------------ error handlers

#[test]
fn error_handlers_replace_the_defaults() {
    let c = client(loaders![expired, invalid, missing, needs_fresh, lookup]);
    let old = forge(json!({ "sub": "ann", "exp": now() - 10 }));
    assert_eq!(
        get(&c, "/skip", &old),
        (
            Status::Unauthorized,
            json!({ "code": "dave", "sub": "ann" })
        )
    );
    assert_eq!(
        get(&c, "/skip", "garbage"),
        (
            Status::Unauthorized,
            json!({ "invalid": "Not enough segments" })
        )
    );
    let (status, body) = json_of(c.get("/skip").dispatch());
    assert_eq!(
        (status, body),
        (
            Status::Ok,
            json!({ "missing": "Missing Authorization Header", "lookups": 0 })
        )
    );
    let stale = forge(json!({ "sub": "ann", "fresh": false }));
    let resp = c.get("/fresh").header(bearer(&stale)).dispatch();
    assert_eq!(resp.status(), Status::Forbidden);
    assert_eq!(resp.into_string().unwrap(), "fresh please, ann");
    // Wrong token type is an invalid-token error too.
    let refresh = forge(json!({ "type": "refresh" }));
    assert_eq!(
        get(&c, "/skip", &refresh),
        (
            Status::Unauthorized,
            json!({ "invalid": "Only non-refresh tokens are allowed" })
        )
    );
}

#[test]
fn unregistered_kinds_keep_flasks_default() {
    let c = client(loaders![expired]);
    assert_eq!(
        answer(c.get("/skip").header(bearer("garbage")).dispatch()),
        says(Status::UnprocessableEntity, "Not enough segments")
    );
}

#[test]
fn two_handlers_of_one_kind_refuse_to_launch() {
    #[expired_token]
    fn expired_again(_h: &JwtHeader, _c: &Claims) -> Status {
        Status::Unauthorized
    }
    let err = JwtManager::new()
        .loaders(loaders![expired, expired_again])
        .build_state(&figment())
        .err()
        .expect("refused");
    assert!(
        err.contains("#[expired_token]") && err.contains("expired_again"),
        "{err}"
    );
}

// ------------------------------------------------------------ keys

const OTHER_SECRET: &str = "another-secret-key-for-tenant-b-0123456789abcdef-0123456789abcdef";

#[encode_key]
fn key_for_identity(identity: &str) -> String {
    if identity == "tenant-b" {
        OTHER_SECRET.to_owned()
    } else {
        SECRET.to_owned()
    }
}

#[decode_key]
fn key_for_token(header: &JwtHeader, claims: &Claims) -> &'static str {
    if header.kid() == Some("b") || claims.get_str("sub") == Some("tenant-b") {
        OTHER_SECRET
    } else {
        SECRET
    }
}

#[test]
fn per_identity_and_per_token_keys() {
    let c = client(loaders![key_for_identity, key_for_token]);
    let state = c.rocket().state::<JwtState>().unwrap();
    let b = state.create_access_token("tenant-b").unwrap();
    let a = state.create_access_token("tenant-a").unwrap();
    assert_eq!(get(&c, "/skip", &b).0, Status::Ok);
    assert_eq!(get(&c, "/skip", &a).0, Status::Ok);
    // The key really differs: without the decode loader, b's token does not verify.
    let plain = client(loaders![]);
    assert_eq!(
        answer(plain.get("/skip").header(bearer(&b)).dispatch()),
        says(Status::UnprocessableEntity, "Signature verification failed")
    );
    // A kid chosen by the loader; a token signed with the wrong key for it fails.
    let kid_b = forge_raw(
        r#"{"alg":"HS256","typ":"JWT","kid":"b"}"#,
        &crate::common::claims(json!({})).to_string(),
        OTHER_SECRET,
    );
    assert_eq!(get(&c, "/skip", &kid_b).0, Status::Ok);
    let kid_b_wrong = forge_raw(
        r#"{"alg":"HS256","typ":"JWT","kid":"b"}"#,
        &crate::common::claims(json!({})).to_string(),
        SECRET,
    );
    assert_eq!(
        answer(c.get("/skip").header(bearer(&kid_b_wrong)).dispatch()).1,
        "Signature verification failed"
    );
    // The algorithm allow-list still applies with a loader's key.
    let hs512 = forge_raw(
        r#"{"alg":"HS512","typ":"JWT"}"#,
        &crate::common::claims(json!({})).to_string(),
        SECRET,
    );
    assert_eq!(
        answer(c.get("/skip").header(bearer(&hs512)).dispatch()),
        says(
            Status::UnprocessableEntity,
            "The specified alg value is not allowed"
        )
    );
}

#[test]
fn the_decode_key_loader_sees_garbage_first_as_flask_does() {
    let c = client(loaders![key_for_token]);
    assert_eq!(
        answer(
            c.get("/skip")
                .header(Header::new("Authorization", "Bearer a.b"))
                .dispatch()
        ),
        says(Status::UnprocessableEntity, "Not enough segments")
    );
}

#[decode_key]
fn empty_key(_header: &JwtHeader) -> String {
    String::new()
}

#[encode_key]
fn short_key(_identity: &str) -> &'static str {
    "too-short"
}

#[test]
fn loader_keys_must_be_long_enough() {
    // An empty key would let anyone forge tokens: the request is refused (500).
    let c = client(loaders![empty_key]);
    let forged = forge_raw(
        r#"{"alg":"HS256","typ":"JWT"}"#,
        &crate::common::claims(json!({})).to_string(),
        "",
    );
    let (status, msg) = answer(c.get("/skip").header(bearer(&forged)).dispatch());
    assert_eq!(status, Status::InternalServerError);
    // A server-side misconfiguration: logged in detail, answered without internals.
    assert_eq!(msg, "the key that verifies this token is misconfigured");
    assert!(
        !msg.contains("empty_key") && !msg.contains("bytes"),
        "{msg}"
    );
    // A token whose `alg` the allow-list refuses never reaches the loader:
    // 422, not a 500 about the loader's key.
    for alg in ["HS512", "none", "RS256"] {
        let refused = forge_raw(
            &format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#),
            &crate::common::claims(json!({})).to_string(),
            "",
        );
        assert_eq!(
            answer(c.get("/skip").header(bearer(&refused)).dispatch()),
            says(
                Status::UnprocessableEntity,
                "The specified alg value is not allowed"
            ),
            "{alg}"
        );
    }
    let no_alg = forge_raw(
        r#"{"typ":"JWT"}"#,
        &crate::common::claims(json!({})).to_string(),
        "",
    );
    assert_eq!(
        answer(c.get("/skip").header(bearer(&no_alg)).dispatch()),
        says(Status::UnprocessableEntity, "Algorithm not specified")
    );
    let c = client(loaders![short_key]);
    let err = c
        .rocket()
        .state::<JwtState>()
        .unwrap()
        .create_access_token("u")
        .unwrap_err();
    assert!(err.to_string().contains("short_key"), "{err}");
}

#[token_in_blocklist]
fn verifies_again(_jwt: Jwt) -> bool {
    false
}

#[test]
fn a_loader_that_verifies_the_jwt_again_is_refused_not_recursed() {
    let c = client(loaders![verifies_again]);
    let (status, msg) = answer(
        c.get("/optional")
            .header(bearer(&forge(json!({}))))
            .dispatch(),
    );
    assert_eq!(status, Status::InternalServerError);
    assert!(msg.contains("verifies_again"), "{msg}");
}

/// An application request guard that happens to be called `Claims`: loader
/// parameters are dispatched by trait impls, not by the type's name, so it
/// is resolved as a guard, while an alias of the token's `&Claims` is the
/// token's claims.
mod own_types {
    use rocket::request::{FromRequest, Outcome, Request};

    pub struct Claims {
        pub tenant: String,
    }

    #[rocket::async_trait]
    impl<'r> FromRequest<'r> for Claims {
        type Error = ();

        async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
            match req.headers().get_one("X-Tenant") {
                Some(t) => Outcome::Success(Claims {
                    tenant: t.to_owned(),
                }),
                None => Outcome::Forward(rocket::http::Status::BadRequest),
            }
        }
    }
}

type TokenClaims<'a> = &'a Claims;

#[token_verification]
fn same_tenant(token: TokenClaims<'_>, tenant: own_types::Claims) -> bool {
    token.get_str("tenant") == Some(tenant.tenant.as_str())
}

#[jwt_required]
#[rocket::get("/tenant")]
fn tenant_route() -> &'static str {
    "tenant ok"
}

#[test]
fn a_guard_named_claims_is_a_guard_and_an_alias_of_claims_is_the_token() {
    let rocket = rocket::custom(figment())
        .attach(JwtManager::new().loaders(loaders![same_tenant]))
        .mount("/", rocket::routes![tenant_route]);
    let client = Client::tracked(rocket).unwrap();
    let token = client
        .rocket()
        .state::<JwtState>()
        .unwrap()
        .access_token("ann")
        .additional_claims(json!({"tenant": "acme"}))
        .sign()
        .unwrap();
    let get = |tenant: Option<&'static str>| {
        let mut req = client.get("/tenant").header(bearer(&token));
        if let Some(t) = tenant {
            req = req.header(Header::new("X-Tenant", t));
        }
        let resp = req.dispatch();
        (resp.status(), resp.into_string().unwrap_or_default())
    };
    assert_eq!(get(Some("acme")), (Status::Ok, "tenant ok".into()));
    assert_eq!(
        get(Some("other")),
        (
            Status::BadRequest,
            json!({"msg": "User claims verification failed"}).to_string()
        )
    );
    // The application's guard forwarded: the loader cannot run, the request is refused.
    assert_eq!(get(None).0, Status::InternalServerError);
}

/// A handler that decodes a token itself and lets the error out with `?`.
#[rocket::get("/decode/<token>")]
fn decode_in_handler(
    token: &str,
    tokens: rocket_jwt_extended::Tokens<'_>,
) -> Result<Value, rocket_jwt_extended::JwtError> {
    let decoded = tokens.decode_token(token, false)?;
    Ok(json!({ "sub": decoded.identity() }))
}

#[test]
fn a_jwt_error_a_handler_returns_goes_through_the_registered_handler() {
    let rocket = rocket::custom(figment())
        .attach(JwtManager::new().loaders(loaders![expired]))
        .mount("/", rocket::routes![decode_in_handler]);
    let c = Client::tracked(rocket).unwrap();
    let old = forge(json!({ "sub": "ann", "exp": now() - 60 }));
    // The same body as a failing guard's: the #[expired_token] handler's.
    assert_eq!(
        json_of(c.get(format!("/decode/{old}")).dispatch()),
        (
            Status::Unauthorized,
            json!({ "code": "dave", "sub": "ann" })
        )
    );
    let ok = forge(json!({ "sub": "ann" }));
    assert_eq!(
        json_of(c.get(format!("/decode/{ok}")).dispatch()),
        (Status::Ok, json!({ "sub": "ann" }))
    );
    // Without a handler of that kind, flask's default body.
    let plain = rocket::custom(figment())
        .attach(JwtManager::new())
        .mount("/", rocket::routes![decode_in_handler]);
    let c = Client::tracked(plain).unwrap();
    assert_eq!(
        answer(c.get(format!("/decode/{old}")).dispatch()),
        says(Status::Unauthorized, "Token has expired")
    );
}

#[rocket::get("/decode_with_cookie/<token>")]
fn decode_with_cookie(
    token: &str,
    tokens: rocket_jwt_extended::Tokens<'_>,
    jar: &rocket::http::CookieJar<'_>,
) -> Result<Value, rocket_jwt_extended::JwtError> {
    jar.add(rocket::http::Cookie::new("seen", "1"));
    let decoded = tokens.decode_token(token, false)?;
    Ok(json!({ "sub": decoded.identity() }))
}

#[jwt_required]
#[rocket::get("/guarded")]
fn guarded() -> &'static str {
    "in"
}

#[test]
fn refusals_keep_what_other_fairings_and_the_handler_added() {
    // Shield (attached by Rocket itself) adds its headers before the manager
    // renders a refusal: the default body is written into that response.
    let c = Client::tracked(
        rocket::custom(figment())
            .attach(JwtManager::new())
            .mount("/", rocket::routes![guarded]),
    )
    .unwrap();
    let resp = c.get("/guarded").dispatch();
    assert_eq!(resp.status(), Status::Unauthorized);
    assert_eq!(
        resp.headers().get_one("X-Content-Type-Options"),
        Some("nosniff")
    );
    assert_eq!(
        resp.headers().get_one("X-Frame-Options"),
        Some("SAMEORIGIN")
    );
    assert_eq!(
        answer(resp),
        says(Status::Unauthorized, "Missing Authorization Header")
    );
    // A JwtError a handler returns is answered by the registered handler,
    // and the cookies the handler set are still sent.
    let c = Client::tracked(
        rocket::custom(figment())
            .attach(JwtManager::new().loaders(loaders![expired]))
            .mount("/", rocket::routes![decode_with_cookie]),
    )
    .unwrap();
    let old = forge(json!({ "sub": "ann", "exp": now() - 60 }));
    let resp = c.get(format!("/decode_with_cookie/{old}")).dispatch();
    let cookies: Vec<String> = resp
        .headers()
        .get("Set-Cookie")
        .map(str::to_owned)
        .collect();
    assert!(
        cookies.iter().any(|c| c.starts_with("seen=1")),
        "{cookies:?}"
    );
    assert_eq!(
        resp.headers().get_one("X-Frame-Options"),
        Some("SAMEORIGIN")
    );
    assert_eq!(
        json_of(resp),
        (
            Status::Unauthorized,
            json!({ "code": "dave", "sub": "ann" })
        )
    );
}

#[test]
fn decode_token_uses_the_decode_key_loader_as_flask_does() {
    let rocket = rocket::custom(figment())
        .attach(JwtManager::new().loaders(loaders![key_for_identity, key_for_token]))
        .mount("/", rocket::routes![decode_in_handler]);
    let c = Client::tracked(rocket).unwrap();
    let state = c.rocket().state::<JwtState>().unwrap();
    // Signed with tenant-b's own key by the #[encode_key] loader.
    let b = state.create_access_token("tenant-b").unwrap();
    assert_eq!(
        json_of(c.get(format!("/decode/{b}")).dispatch()),
        (Status::Ok, json!({ "sub": "tenant-b" }))
    );
    // Outside a request the loader cannot run: refused, never verified with
    // the configured key instead.
    let err = state.decode_token(&b, false).unwrap_err();
    assert!(err.to_string().contains("key_for_token"), "{err}");
}

// ------------------------------------------------------------ #[jwt_error]

#[rocket_jwt_extended::jwt_error]
fn every_error(error: &rocket_jwt_extended::JwtError, reason: &str) -> (Status, Json<Value>) {
    assert_eq!(error.to_string(), reason);
    (
        error.status(),
        Json(json!({
            "error": error.kind().attribute(),
            "status": error.status().code,
            "message": reason,
        })),
    )
}

#[rocket_jwt_extended::jwt_error]
fn every_error_again(_reason: &str) -> Status {
    Status::ImATeapot
}

#[test]
fn one_hook_answers_every_error_without_a_handler_of_its_own() {
    let c = client(loaders![every_error, expired]);
    // No token: the hook.
    let (status, body) = json_of(c.get("/skip").dispatch());
    assert_eq!(status, Status::Unauthorized);
    assert_eq!(
        body,
        json!({"error": "#[unauthorized]", "status": 401, "message": "Missing Authorization Header"})
    );
    // An invalid token: the hook, with flask's status.
    let (status, body) = get(&c, "/skip", "a.b.c");
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(body["error"], "#[invalid_token]");
    // An expired token: its own handler takes precedence.
    let (status, body) = get(&c, "/skip", &forge(json!({"exp": now() - 5})));
    assert_eq!(status, Status::Unauthorized);
    assert_eq!(body["code"], "dave");
    // Only one hook per manager.
    let err = JwtManager::new()
        .loaders(loaders![every_error, every_error_again])
        .build_state(&figment())
        .err()
        .expect("refused");
    assert!(
        err.contains("#[jwt_error]") && err.contains("every_error_again"),
        "{err}"
    );
}
