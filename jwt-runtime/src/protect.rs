//! Protecting a whole group of routes at once: `protect(routes![..], options)`
//! wraps each route's handler with the verification `#[jwt_required(..)]`
//! does, so a mount needs no attribute per route.

use rocket::route::{Handler, Outcome, Route};
use rocket::{Data, Request};

use crate::context;
use crate::request::{needs_body_error, record, verify, Verified, VerifyOptions};

/// The routes, each verifying the request's JWT with `options` before its
/// handler runs: the same checks, responses and accessors (`get_jwt()`,
/// `get_jwt_identity()`, `current_user()`) as `#[jwt_required(..)]`.
///
/// ```
/// # #[macro_use] extern crate rocket;
/// use rocket::local::blocking::Client;
/// use rocket_jwt_extended_runtime::{get_jwt_identity, protect, JwtManager, VerifyOptions};
///
/// #[get("/notes")]
/// fn notes() -> String { format!("notes of {}", get_jwt_identity().unwrap()) }
///
/// #[get("/notes/shared")]
/// fn shared() -> &'static str { "shared" }
///
/// let figment = rocket::Config::figment()
///     .merge(("jwt_secret_key", "a-doctest-secret-of-at-least-32-bytes"));
/// let rocket = rocket::custom(figment)
///     .attach(JwtManager::new())
///     .mount("/api", protect(routes![notes, shared], VerifyOptions::new()));
/// let client = Client::tracked(rocket).unwrap();
/// let response = client.get("/api/notes").dispatch();
/// assert_eq!(response.status().code, 401);
/// ```
///
/// `VerifyOptions::new().fresh()`, `.refresh()`, `.optional()`,
/// `.locations(&[..])`, … choose what is required. The JSON body cannot be
/// searched here (the handler owns the body): with `json` among the
/// locations, a request that gets that far is refused (500, logged); use
/// `#[jwt_required]` on such routes. Checks (`check = ..`) are the
/// attribute's too.
pub fn protect(routes: Vec<Route>, options: VerifyOptions) -> Vec<Route> {
    routes
        .into_iter()
        .map(|mut route| {
            let inner = std::mem::replace(&mut route.handler, Box::new(Unreachable));
            route.handler = Box::new(Protected { inner, options });
            route
        })
        .collect()
}

#[derive(Clone)]
struct Protected {
    inner: Box<dyn Handler>,
    options: VerifyOptions,
}

#[rocket::async_trait]
impl Handler for Protected {
    async fn handle<'r>(&self, req: &'r Request<'_>, data: Data<'r>) -> Outcome<'r> {
        let error = match verify(req, self.options, None).await {
            Ok(Verified::Done(passed)) => {
                return context::scope(passed, self.inner.handle(req, data)).await;
            }
            Ok(Verified::NeedsBody) => needs_body_error(req, self.options),
            Err(e) => e,
        };
        let (status, _) = record(req, error);
        Outcome::Error(status)
    }
}

/// A placeholder while a handler is moved into its wrapper.
#[derive(Clone)]
struct Unreachable;

#[rocket::async_trait]
impl Handler for Unreachable {
    async fn handle<'r>(&self, _: &'r Request<'_>, _: Data<'r>) -> Outcome<'r> {
        Outcome::Error(rocket::http::Status::InternalServerError)
    }
}
