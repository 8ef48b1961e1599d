//! A loader that no `loaders![..]` in the binary lists would never run: a
//! blocklist that is never consulted accepts revoked tokens. The launch is
//! refused, naming the function. (Its own test binary: the check counts
//! listings over the whole binary.)

use rocket::local::blocking::Client;
use rocket_jwt_extended::{loaders, token_in_blocklist, user_lookup, Claims, JwtManager};

/// Defined, `pub` (so no dead-code warning would say anything), never listed.
#[token_in_blocklist]
pub fn is_revoked(claims: &Claims) -> bool {
    claims.jti().is_some()
}

/// Listed below: not reported.
#[user_lookup]
pub fn load_user(identity: &str) -> Option<String> {
    Some(identity.to_owned())
}

fn figment() -> rocket::figment::Figment {
    rocket::Config::figment()
        .merge(("jwt_secret_key", "an-unregistered-loader-test-secret-32b"))
        .merge(("log_level", "off"))
}

#[test]
fn an_unregistered_loader_refuses_the_launch_and_is_named() {
    let rocket = rocket::custom(figment()).attach(JwtManager::new().loaders(loaders![load_user]));
    let error = Client::untracked(rocket).map(|_| ()).unwrap_err();
    assert!(
        error.kind().to_string().contains("fairing"),
        "the manager's ignite refuses: {error:?}"
    );
}

#[test]
fn the_refusal_names_the_function_where_it_is_defined_and_the_fix() {
    let message =
        rocket_jwt_extended::unregistered_loaders_message().expect("one loader is unlisted");
    assert!(
        message.contains("#[token_in_blocklist] function `is_revoked`"),
        "{message}"
    );
    assert!(
        message.contains("tests/unregistered_loader.rs:11"),
        "{message}"
    );
    assert!(message.contains("loaders![is_revoked]"), "{message}");
    assert!(
        !message.contains("load_user"),
        "a listed loader is not reported: {message}"
    );
}

#[test]
fn every_application_of_the_binary_is_refused_not_only_the_first() {
    for _ in 0..2 {
        let rocket = rocket::custom(figment()).attach(JwtManager::new());
        let error = Client::untracked(rocket).map(|_| ()).unwrap_err();
        assert!(error.kind().to_string().contains("fairing"), "{error:?}");
    }
}
