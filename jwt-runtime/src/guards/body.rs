//! The data guards `#[jwt_required]` adds when the token may be in the body.
//!
//! flask-jwt-extended reads the JSON body (`json` location) and, with
//! `jwt_csrf_check_form`, the CSRF form field, and the view can then read the
//! same body again. Rocket request guards cannot read the body, so the search
//! runs in two steps: the request guard searches the locations before the
//! first one that needs the body and, when none had a token, leaves the rest
//! to a data guard that `#[jwt_required]` adds to the route:
//!
//! - [`JwtBody`] on routes without a data guard: it reads the body only when
//!   the search reached it, as JSON or as a form, within Rocket's `json` /
//!   `form` limits;
//! - [`JwtJson<T>`] in place of a route's `Json<T>`: it reads the body once,
//!   finishes the search from it, and hands the handler its `Json<T>`, with
//!   Rocket's own `Json` statuses on a body that does not parse as `T`.

use std::io;

use rocket::data::{self, Data, FromData, Limits};
use rocket::http::Status;
use rocket::outcome::Outcome;
use rocket::request::Request;
use rocket::serde::json::{self, Json};

use super::check::run_deferred;
use crate::error::JwtError;
use crate::loaders::JsonBody;
use crate::request::{record, verify, Authenticated, RequestBody, RequestState, RouteId};
use crate::request::{Verified, VerifyOptions};

/// What a body data guard resolved: `None` when the request guard had already
/// decided (the common case: the token was in a header or cookie).
type BodyToken = Option<Option<Authenticated>>;

async fn finish(
    req: &Request<'_>,
    options: VerifyOptions,
    body: &RequestBody,
) -> Result<Option<Authenticated>, JwtError> {
    match verify(req, options, Some(body)).await? {
        Verified::Done(passed) => Ok(passed),
        // Unreachable with a body; refuse rather than accept.
        Verified::NeedsBody => Err(JwtError::Configuration(
            "the token search needed the body twice".into(),
        )),
    }
}

/// The checks (`#[jwt_required(check = ..)]`) that waited for the token.
async fn deferred_checks(req: &Request<'_>, passed: &Option<Authenticated>) -> Result<(), Status> {
    match passed {
        Some(passed) => run_deferred(req, passed).await,
        None => Ok(()),
    }
}

/// The options the request guard left for this route's data guard, if the
/// search needs the body.
fn deferred(req: &Request<'_>) -> Option<VerifyOptions> {
    RequestState::of(req).deferred(RouteId::of(req))
}

/// The data guard `#[jwt_required]` adds to a route without one: it reads the
/// body only when the token search reached a location that needs it.
#[doc(hidden)]
pub struct JwtBody {
    token: BodyToken,
}

impl JwtBody {
    /// The token the body search resolved, if it ran.
    pub fn into_token(self) -> BodyToken {
        self.token
    }
}

#[rocket::async_trait]
impl<'r> FromData<'r> for JwtBody {
    type Error = JsonBodyError<'r>;

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self> {
        let Some(options) = deferred(req) else {
            return Outcome::Success(JwtBody { token: None });
        };
        let body = RequestBody::read(req, data).await;
        match finish(req, options, &body).await {
            Ok(passed) => match deferred_checks(req, &passed).await {
                Ok(()) => Outcome::Success(JwtBody {
                    token: Some(passed),
                }),
                Err(status) => Outcome::Error((status, JsonBodyError::Check)),
            },
            Err(e) => {
                let (status, e) = record(req, e);
                Outcome::Error((status, JsonBodyError::Jwt(e)))
            }
        }
    }
}

/// The data guard `#[jwt_required]` puts in place of a route's `Json<T>`: the
/// body is read once, serves the token search if it needs it, and becomes the
/// handler's `Json<T>`.
pub struct JwtJson<T> {
    token: BodyToken,
    json: Json<T>,
}

impl<T> JwtJson<T> {
    /// The token the body search resolved (if it ran) and the handler's `Json<T>`.
    pub fn into_parts(self) -> (BodyToken, Json<T>) {
        (self.token, self.json)
    }
}

/// Why a body data guard of `#[jwt_required]` failed.
#[derive(Debug)]
pub enum JsonBodyError<'r> {
    /// The token search failed (the JWT error response is sent).
    Jwt(JwtError),
    /// A `check` refused the request (its response is sent).
    Check,
    /// The body is not a `T` (Rocket's `Json<T>` error).
    Json(json::Error<'r>),
}

#[rocket::async_trait]
impl<'r, T: JsonBody<'r>> FromData<'r> for JwtJson<T> {
    type Error = JsonBodyError<'r>;

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self> {
        let limit = req.limits().get("json").unwrap_or(Limits::JSON);
        let (complete, text) = match data.open(limit).into_string().await {
            Ok(s) => (s.is_complete(), s.into_inner()),
            Err(e) => {
                let error = JsonBodyError::Json(json::Error::Io(e));
                return Outcome::Error((Status::BadRequest, error));
            }
        };
        let text: &'r str = RequestState::of(req).keep_body(text);
        // The token is checked before the view parses its body, as in flask.
        let token = match deferred(req) {
            None => None,
            Some(options) => {
                let body = if complete {
                    RequestBody::from_json_text(req, text)
                } else {
                    RequestBody::from_json_text(req, "")
                };
                match finish(req, options, &body).await {
                    Ok(passed) => {
                        if let Err(status) = deferred_checks(req, &passed).await {
                            let error = JsonBodyError::Check;
                            return Outcome::Error((status, error));
                        }
                        Some(passed)
                    }
                    Err(e) => {
                        let (status, e) = record(req, e);
                        return Outcome::Error((status, JsonBodyError::Jwt(e)));
                    }
                }
            }
        };
        if !complete {
            let eof = io::Error::new(io::ErrorKind::UnexpectedEof, "data limit exceeded");
            let error = JsonBodyError::Json(json::Error::Io(eof));
            return Outcome::Error((Status::PayloadTooLarge, error));
        }
        match serde_json::from_str(text) {
            Ok(value) => Outcome::Success(JwtJson {
                token,
                json: Json(value),
            }),
            Err(e) => {
                let status = if e.classify() == serde_json::error::Category::Data {
                    Status::UnprocessableEntity
                } else {
                    Status::BadRequest
                };
                Outcome::Error((status, JsonBodyError::Json(json::Error::Parse(text, e))))
            }
        }
    }
}
