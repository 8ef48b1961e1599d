//! Locations that cannot be honoured refuse the launch (never silently).

use rocket::figment::Figment;
use rocket::serde::json::{json, Value};
use rocket::{Build, Rocket};
use rocket_jwt_extended::{jwt_required, Jwt, JwtManager, OptionalJwt};

use crate::common::figment;

#[get("/typed")]
fn typed(jwt: Jwt) -> Value {
    json!({ "identity": jwt.identity() })
}

#[get("/typed_optional")]
fn typed_optional(jwt: Option<OptionalJwt>) -> Value {
    json!({ "some": jwt.is_some() })
}

#[derive(rocket::FromForm)]
struct Login {
    name: String,
}

/// A form data guard consumes the body: the `json` location cannot share it.
#[jwt_required]
#[post("/form", data = "<form>")]
fn form_route(form: rocket::form::Form<Login>) -> Value {
    json!({ "name": form.name })
}

#[jwt_required]
#[get("/macro")]
fn macro_route() -> Value {
    json!({})
}

fn ignites(rocket: Rocket<Build>) -> Result<(), String> {
    match rocket::local::blocking::Client::untracked(rocket) {
        Ok(_) => Ok(()),
        Err(e) => Err(e.kind().to_string()),
    }
}

fn with(fig: Figment, routes: Vec<rocket::Route>) -> Rocket<Build> {
    rocket::custom(fig)
        .attach(JwtManager::new())
        .mount("/", routes)
}

#[test]
fn typed_guards_cannot_read_the_body() {
    let json = figment().merge(("jwt_token_location", ["headers", "json"]));
    let err = ignites(with(json.clone(), routes![typed])).unwrap_err();
    assert!(err.contains("sentinel"), "{err}");
    let err = ignites(with(json.clone(), routes![typed_optional])).unwrap_err();
    assert!(err.contains("sentinel"), "{err}");
    let form_csrf = figment()
        .merge(("jwt_token_location", ["cookies"]))
        .merge(("jwt_csrf_check_form", true));
    assert!(ignites(with(form_csrf, routes![typed])).is_err());
    // Header, cookie (header CSRF) and query-string locations are fine.
    let fine = figment().merge(("jwt_token_location", ["headers", "cookies", "query_string"]));
    assert_eq!(ignites(with(fine, routes![typed, typed_optional])), Ok(()));
}

#[test]
fn macro_routes_whose_data_guard_is_not_json() {
    let json = figment().merge(("jwt_token_location", ["json"]));
    assert!(ignites(with(json.clone(), routes![form_route])).is_err());
    // Without a data guard, or with headers only, all is well.
    assert_eq!(ignites(with(json, routes![macro_route])), Ok(()));
    assert_eq!(ignites(with(figment(), routes![form_route])), Ok(()));
}

#[test]
fn a_guarded_route_without_the_manager_refuses_to_launch() {
    let rocket = rocket::custom(figment()).mount("/", routes![typed]);
    assert!(ignites(rocket).is_err());
    let rocket = rocket::custom(figment()).mount("/", routes![macro_route]);
    assert!(ignites(rocket).is_err());
}
