//! Mistakes caught before the first request (launch refusals) and at the
//! first call (accessors outside a decorated handler). The compile-time
//! cases are in `ui-tests/tests/fail/`; a loader no `loaders![..]` lists is
//! in its own binary (`tests/unregistered_loader.rs`), since that check
//! counts listings over the whole binary.

use rocket::http::Status;
use rocket::local::blocking::Client;
use rocket::serde::json::{json, Value};
use rocket_jwt_extended::{
    current_user, get_jwt_identity, jwt_required, loaders, token_in_blocklist, try_get_jwt,
    user_lookup, Claims, JwtManager,
};

use crate::common::{bearer, figment, forge, json_of};

/// A loader this binary defines but no application registers: named in
/// `unused_loaders`, it keeps the launch check quiet and is not registered.
#[token_in_blocklist]
fn a_library_blocklist(_claims: &Claims) -> bool {
    true
}

#[user_lookup]
fn twice(identity: &str) -> Option<String> {
    Some(identity.to_owned())
}

#[jwt_required]
#[get("/who")]
fn who() -> Value {
    json!({ "who": get_jwt_identity() })
}

#[jwt_required]
#[get("/me")]
fn me() -> Value {
    json!({ "me": current_user::<String>().map(|u| u.to_string()) })
}

/// A plain route (no attribute) that calls an accessor: a programming error.
#[get("/plain")]
fn plain() -> Value {
    json!({ "who": get_jwt_identity() })
}

#[jwt_required]
#[get("/spawned")]
async fn spawned() -> Value {
    // The right way: read the value in the handler and move it in.
    let identity = get_jwt_identity();
    let from_task = rocket::tokio::spawn(async move { identity }).await.unwrap();
    // And what a task sees without it.
    let inside = rocket::tokio::spawn(async { try_get_jwt().is_ok() })
        .await
        .unwrap();
    json!({ "from_task": from_task, "task_sees_token": inside })
}

fn token() -> String {
    forge(json!({ "sub": "alice", "fresh": false }))
}

#[test]
fn a_loader_named_unused_is_not_registered_and_the_app_launches() {
    let rocket = rocket::custom(figment())
        .attach(JwtManager::new().unused_loaders(loaders![a_library_blocklist]))
        .mount("/", routes![who]);
    let client = Client::tracked(rocket).expect("launches");
    // The blocklist says "revoked" for every token; not registered, it never runs.
    let (status, body) = json_of(client.get("/who").header(bearer(&token())).dispatch());
    assert_eq!((status, body), (Status::Ok, json!({ "who": "alice" })));
}

#[test]
fn a_loader_registered_twice_refuses_the_launch() {
    let rocket = rocket::custom(figment())
        .attach(
            JwtManager::new()
                .loaders(loaders![twice])
                .loaders(loaders![twice]),
        )
        .mount("/", routes![me]);
    let error = Client::untracked(rocket).map(|_| ()).unwrap_err();
    assert!(error.kind().to_string().contains("fairing"), "{error:?}");
}

#[test]
fn current_user_in_a_handler_without_a_lookup_refuses_the_launch() {
    let rocket = rocket::custom(figment())
        .attach(JwtManager::new())
        .mount("/", routes![me]);
    let error = Client::untracked(rocket).map(|_| ()).unwrap_err();
    let kind = error.kind().to_string();
    assert!(kind.contains("sentinel"), "{kind}");

    let rocket = rocket::custom(figment())
        .attach(JwtManager::new().loaders(loaders![twice]))
        .mount("/", routes![me]);
    let client = Client::tracked(rocket).expect("with a lookup it launches");
    let (status, body) = json_of(client.get("/me").header(bearer(&token())).dispatch());
    assert_eq!((status, body), (Status::Ok, json!({ "me": "alice" })));
}

#[test]
fn an_accessor_outside_a_decorated_handler_is_a_500_never_a_pass() {
    let rocket = rocket::custom(figment())
        .attach(JwtManager::new())
        .mount("/", routes![plain]);
    let client = Client::tracked(rocket).expect("launches");
    let response = client.get("/plain").header(bearer(&token())).dispatch();
    assert_eq!(response.status(), Status::InternalServerError);
    let body = response.into_string().unwrap_or_default();
    assert!(!body.contains("alice"), "{body}");
}

#[test]
fn the_accessor_error_says_how_to_carry_values_into_spawned_tasks() {
    let message = try_get_jwt().unwrap_err().to_string();
    assert!(message.contains("#[jwt_required]"), "{message}");
    assert!(message.contains("spawn"), "{message}");
    assert!(
        message.contains("let identity = get_jwt_identity();"),
        "{message}"
    );
}

#[test]
fn values_read_in_the_handler_reach_a_spawned_task_and_the_task_sees_no_token() {
    let rocket = rocket::custom(figment())
        .attach(JwtManager::new())
        .mount("/", routes![spawned]);
    let client = Client::tracked(rocket).expect("launches");
    let (status, body) = json_of(client.get("/spawned").header(bearer(&token())).dispatch());
    assert_eq!(
        (status, body),
        (
            Status::Ok,
            json!({ "from_task": "alice", "task_sees_token": false })
        )
    );
}

pub struct Member {
    id: u32,
}

#[rocket_jwt_extended::user_identity]
fn member_identity(member: &Member) -> String {
    member.id.to_string()
}

#[rocket_jwt_extended::additional_claims]
fn member_claims(member: &Member) -> Value {
    json!({ "member": member.id })
}

#[rocket_jwt_extended::additional_claims]
fn plain_claims(identity: &str) -> Value {
    json!({ "plain": identity })
}

#[test]
fn an_encode_side_loader_taking_a_user_says_so_and_a_plain_identity_is_a_clear_500() {
    let with_user = loaders![member_claims];
    assert_eq!(with_user[0].user_type(), Some("Member"));
    assert_eq!(loaders![plain_claims][0].user_type(), None);

    let rocket = rocket::custom(figment()).attach(JwtManager::new().loaders(with_user));
    let client = Client::tracked(rocket).expect("launches");
    let state = client
        .rocket()
        .state::<rocket_jwt_extended::JwtState>()
        .unwrap();
    let member = Member { id: 7 };
    let _ = member_identity(&member);
    let from_user = state.create_access_token(&member);
    assert!(from_user.is_ok(), "{from_user:?}");
    let from_string = state.create_access_token("7");
    let error = from_string.unwrap_err().to_string();
    assert!(
        error.contains("member_claims") && error.contains("Member"),
        "{error}"
    );
}
