//! Publishing the public keys: a route serving the JWKS (RFC 7517) of every
//! configured public verification key, so that other services verify what
//! this one signs and follow its key rotation.

use rocket::http::{ContentType, Header, Method, Status};
use rocket::request::Request;
use rocket::response::{self, Responder, Response};
use rocket::route::{Handler, Outcome, Route};
use rocket::Data;

use crate::response::json_response;
use crate::state::JwtState;

/// The routes that publish the keys: GET `/jwks.json`, answering the JWKS
/// document with `Cache-Control: public, max-age=<jwt_jwks_cache_max_age>`.
/// Mount them where clients look, usually `/.well-known`:
///
/// ```
/// # use rocket_jwt_extended_runtime::{jwks_routes, JwtManager};
/// let rocket = rocket::build()
///     .attach(JwtManager::new())
///     .mount("/.well-known", jwks_routes()); // GET /.well-known/jwks.json
/// ```
///
/// Each key has `kty`, `kid`, `alg`, `use: "sig"` and its public members;
/// HMAC secrets are never published, so a server signing with
/// `jwt_secret_key` serves `{"keys": []}`.
pub fn jwks_routes() -> Vec<Route> {
    vec![Route::new(Method::Get, "/jwks.json", JwksHandler)]
}

#[derive(Clone, Copy)]
struct JwksHandler;

#[rocket::async_trait]
impl Handler for JwksHandler {
    async fn handle<'r>(&self, req: &'r Request<'_>, _: Data<'r>) -> Outcome<'r> {
        Outcome::from(req, JwksDocument)
    }
}

struct JwksDocument;

impl<'r> Responder<'r, 'static> for JwksDocument {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        let Some(state) = req.rocket().state::<JwtState>() else {
            let msg = "JwtManager is not attached: add `.attach(JwtManager::new())` to your Rocket";
            rocket::log::private::error!("{msg}");
            return Ok(json_response(
                Status::InternalServerError,
                "msg",
                "JWT keys are not configured",
            ));
        };
        let body = state.jwks_body().to_owned();
        Response::build()
            .header(ContentType::JSON)
            .header(Header::new(
                "Cache-Control",
                format!("public, max-age={}", state.config().jwks_max_age),
            ))
            .sized_body(body.len(), std::io::Cursor::new(body))
            .ok()
    }
}
