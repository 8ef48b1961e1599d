//! Reference §1: configuration keys, launch validation (checklist 25, 26).

use rocket::figment::Figment;
use rocket_jwt_extended::{Expiry, JwtConfig, Location};

use crate::common::*;

fn err(f: Figment) -> rocket_jwt_extended::ConfigError {
    JwtConfig::from_figment(&f).expect_err("configuration must be refused")
}

#[test]
fn defaults_match_flask() {
    let c = JwtConfig::from_figment(&figment()).unwrap();
    assert_eq!(
        c.access_expires,
        Expiry::After(std::time::Duration::from_secs(900))
    );
    assert_eq!(
        c.refresh_expires,
        Expiry::After(std::time::Duration::from_secs(30 * 86400))
    );
    assert_eq!(c.token_location, vec![Location::Headers]);
    assert_eq!(
        (c.header_name.as_str(), c.header_type.as_str()),
        ("Authorization", "Bearer")
    );
    assert_eq!(c.identity_claim, "sub");
    assert_eq!(c.error_msg_key, "msg");
    assert!(
        c.encode_nbf && c.verify_sub && c.csrf_protect && c.session_cookie && c.csrf_in_cookies
    );
    assert!(!c.cookie_secure && !c.csrf_check_form);
    assert_eq!(c.csrf_methods, ["POST", "PUT", "PATCH", "DELETE"]);
    assert_eq!(c.leeway, 0);
    assert_eq!(
        (c.query_string_name.as_str(), c.json_key.as_str()),
        ("jwt", "access_token")
    );
    assert_eq!(c.access_cookie_name, "access_token_cookie");
    assert_eq!(c.access_csrf_header_name, "X-CSRF-TOKEN");
}

#[test]
fn missing_secret_is_refused_naming_the_key() {
    let e = err(Figment::from(rocket::Config::debug_default()));
    assert_eq!(e.key, "jwt_secret_key");
    assert!(
        e.message
            .contains("must be set when using symmetric algorithm \"HS256\""),
        "{}",
        e.message
    );
}

#[test]
fn short_hmac_secrets_are_refused() {
    for (alg, len) in [("HS256", 31), ("HS384", 47), ("HS512", 63)] {
        let f = Figment::new()
            .merge(("jwt_algorithm", alg))
            .merge(("jwt_secret_key", "k".repeat(len)));
        let e = err(f);
        assert_eq!(e.key, "jwt_secret_key", "{alg}");
        assert!(
            e.message.contains(&format!("{} bytes", len + 1)),
            "{}",
            e.message
        );
        let ok = Figment::new()
            .merge(("jwt_algorithm", alg))
            .merge(("jwt_secret_key", "k".repeat(len + 1)));
        assert!(JwtConfig::from_figment(&ok).is_ok(), "{alg}");
    }
}

#[test]
fn unknown_algorithm_is_refused() {
    let e = err(figment().merge(("jwt_algorithm", "HS999")));
    assert_eq!(e.key, "jwt_algorithm");
    assert!(e.message.contains("unknown algorithm \"HS999\""));
    let e = err(figment().merge(("jwt_decode_algorithms", ["none"])));
    assert_eq!(e.key, "jwt_decode_algorithms");
}

#[test]
fn locations_are_validated() {
    let e = err(figment().merge(("jwt_token_location", ["headers", "cookie"])));
    assert_eq!(e.key, "jwt_token_location");
    assert!(
        e.message.contains("'cookie' is not a valid location"),
        "{}",
        e.message
    );
    let e = err(figment().merge(("jwt_token_location", Vec::<String>::new())));
    assert_eq!(e.key, "jwt_token_location");
    let e = err(figment().merge(("jwt_token_location", ["headers", "headers"])));
    assert!(e.message.contains("twice"));
    let e = err(figment().merge(("jwt_token_location", ["cookies", "json", "COOKIES"])));
    assert!(
        e.message.contains("'COOKIES' is not a valid location"),
        "{}",
        e.message
    );
}

#[test]
fn zero_or_negative_expiry_is_refused_and_false_disables() {
    for v in [0, -5] {
        let e = err(figment().merge(("jwt_access_token_expires", v)));
        assert_eq!(e.key, "jwt_access_token_expires");
    }
    let e = err(figment().merge(("jwt_refresh_token_expires", 0)));
    assert_eq!(e.key, "jwt_refresh_token_expires");
    let c = JwtConfig::from_figment(&figment().merge(("jwt_access_token_expires", false))).unwrap();
    assert_eq!(c.access_expires, Expiry::Never);
    let e = err(figment().merge(("jwt_access_token_expires", "soon")));
    assert_eq!(e.key, "jwt_access_token_expires");
}

#[test]
fn environment_style_values_are_read() {
    // What ROCKET_JWT_TOKEN_LOCATION=headers / ROCKET_JWT_DECODE_AUDIENCE=[a,b] produce.
    let c = JwtConfig::from_figment(
        &figment()
            .merge(("jwt_token_location", "headers"))
            .merge(("jwt_decode_audience", ["a", "b"]))
            .merge(("jwt_csrf_methods", ["post", "get"])),
    )
    .unwrap();
    assert_eq!(c.token_location, vec![Location::Headers]);
    assert_eq!(c.decode_audience, Some(vec!["a".into(), "b".into()]));
    assert_eq!(c.csrf_methods, ["POST", "GET"]);
}

#[test]
fn host_prefix_cookies_need_secure_root_path_and_no_domain() {
    let host = figment().merge(("jwt_access_cookie_name", "__Host-access"));
    assert_eq!(err(host.clone()).key, "jwt_cookie_secure");
    let secure = host.merge(("jwt_cookie_secure", true));
    assert!(JwtConfig::from_figment(&secure).is_ok());
    assert_eq!(
        err(secure.clone().merge(("jwt_cookie_domain", "example.com"))).key,
        "jwt_cookie_domain"
    );
    assert_eq!(
        err(secure.merge(("jwt_access_cookie_path", "/api"))).key,
        "jwt_access_cookie_path"
    );
}

#[test]
fn other_keys_are_validated() {
    assert_eq!(
        err(figment().merge(("jwt_cookie_samesite", "Sometimes"))).key,
        "jwt_cookie_samesite"
    );
    assert_eq!(
        err(figment().merge(("jwt_header_name", "Bad Header"))).key,
        "jwt_header_name"
    );
    assert_eq!(
        err(figment().merge(("jwt_identity_claim", ""))).key,
        "jwt_identity_claim"
    );
    assert_eq!(
        err(figment().merge(("jwt_decode_leeway", -1))).key,
        "jwt_decode_leeway"
    );
    assert_eq!(
        err(figment().merge(("jwt_max_token_size", 10))).key,
        "jwt_max_token_size"
    );
    assert_eq!(
        err(figment().merge(("jwt_access_cookie_name", "a b"))).key,
        "jwt_access_cookie_name"
    );
}

#[test]
fn a_bad_configuration_refuses_to_launch() {
    let bad = Figment::from(rocket::Config::debug_default()).merge(("log_level", "off"));
    for f in [bad, figment().merge(("jwt_secret_key", "short"))] {
        let Err(err) = rocket::local::blocking::Client::tracked(app(f)) else {
            panic!("launch must fail")
        };
        assert!(matches!(
            err.kind(),
            rocket::error::ErrorKind::FailedFairings(_)
        ));
    }
}

#[test]
fn a_misspelt_key_refuses_the_launch_with_a_suggestion() {
    let e = err(figment().merge(("jwt_acess_token_expires", 60)));
    assert_eq!(e.key, "jwt_acess_token_expires");
    assert!(
        e.message
            .contains("did you mean `jwt_access_token_expires`?"),
        "{}",
        e.message
    );
    // Far from every option: refused all the same, without a guess.
    let e = err(figment().merge(("jwt_flavour", "vanilla")));
    assert_eq!(
        (e.key.as_str(), e.message.as_str()),
        ("jwt_flavour", "there is no such JWT option")
    );
    // Keys that are not `jwt_*` are Rocket's or the application's business.
    assert!(JwtConfig::from_figment(&figment().merge(("my_setting", 1))).is_ok());
}
