//! The request body as a token location.
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
use std::sync::Mutex;

use rocket::data::{self, Data, FromData, Limits};
use rocket::form::{self, DataField, Form, FromForm, ValueField};
use rocket::http::Status;
use rocket::outcome::Outcome;
use rocket::request::Request;
use rocket::serde::json::{self, Json};
use serde::Deserialize;
use serde_json::Value;

use crate::error::JwtError;
use crate::verify::{verify, Authenticated, Verified, VerifyOptions};

/// The part of the body the token search looks at.
#[derive(Debug, Default)]
pub(crate) struct RequestBody {
    is_json: bool,
    json: Option<Value>,
    form: Vec<(String, String)>,
}

impl RequestBody {
    /// flask's `request.is_json`: `application/json` or `application/*+json`.
    pub(crate) fn is_json(&self) -> bool {
        self.is_json
    }

    /// A member of the top-level JSON object (none for any other JSON value).
    pub(crate) fn json_member(&self, key: &str) -> Option<&Value> {
        self.json.as_ref()?.as_object()?.get(key)
    }

    /// The first form field of that name.
    pub(crate) fn form_field(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn from_json_text(req: &Request<'_>, text: &str) -> RequestBody {
        let is_json = content_is_json(req);
        RequestBody {
            is_json,
            json: if is_json {
                serde_json::from_str(text).ok()
            } else {
                None
            },
            form: Vec::new(),
        }
    }

    /// Reads the body as the search needs it: JSON for a JSON content type,
    /// fields for a form, nothing otherwise. A body that is cut at the limit or
    /// does not parse holds no token.
    async fn read<'r>(req: &'r Request<'_>, data: Data<'r>) -> RequestBody {
        if content_is_json(req) {
            let limit = req.limits().get("json").unwrap_or(Limits::JSON);
            let text = match data.open(limit).into_string().await {
                Ok(s) if s.is_complete() => s.into_inner(),
                _ => String::new(),
            };
            return RequestBody::from_json_text(req, &text);
        }
        let is_form = req
            .content_type()
            .is_some_and(|ct| ct.is_form() || ct.is_form_data());
        let form = if is_form {
            match Form::<FormFields>::from_data(req, data).await {
                Outcome::Success(fields) => fields.into_inner().0,
                _ => Vec::new(),
            }
        } else {
            Vec::new()
        };
        RequestBody {
            is_json: false,
            json: None,
            form,
        }
    }
}

/// `request.is_json`: the mimetype is `application/json` or `application/<x>+json`
/// (parameters such as `charset` do not matter).
fn content_is_json(req: &Request<'_>) -> bool {
    req.content_type().is_some_and(|ct| {
        ct.top() == "application"
            && (ct.sub() == "json" || {
                let sub = ct.sub().as_str();
                sub.len() > 5 && sub[sub.len() - 5..].eq_ignore_ascii_case("+json")
            })
    })
}

/// Every text field of a form, in order (files are skipped).
struct FormFields(Vec<(String, String)>);

#[rocket::async_trait]
impl<'r> FromForm<'r> for FormFields {
    type Context = Vec<(String, String)>;

    fn init(_: form::Options) -> Self::Context {
        Vec::new()
    }

    fn push_value(ctxt: &mut Self::Context, field: ValueField<'r>) {
        ctxt.push((field.name.source().to_string(), field.value.to_string()));
    }

    async fn push_data(_: &mut Self::Context, _: DataField<'r, '_>) {}

    fn finalize(ctxt: Self::Context) -> form::Result<'r, Self> {
        Ok(FormFields(ctxt))
    }
}

/// Left by a request guard when the search needs the body, keyed by the route
/// being tried: a request forwarded to another route must not finish with
/// the first route's options.
#[derive(Default)]
struct Deferred(Mutex<Vec<(usize, VerifyOptions)>>);

/// The identity of the route Rocket is trying for this request.
pub(crate) fn route_id(req: &Request<'_>) -> usize {
    req.route()
        .map_or(0, |r| r as *const rocket::Route as usize)
}

/// Called by the request guard: the data guard will finish with these options.
pub(crate) fn defer(req: &Request<'_>, options: VerifyOptions) {
    let route = route_id(req);
    if let Ok(mut d) = req.local_cache(Deferred::default).0.lock() {
        d.retain(|(r, _)| *r != route);
        d.push((route, options));
    }
}

fn deferred(req: &Request<'_>) -> Option<VerifyOptions> {
    let route = route_id(req);
    req.local_cache(Deferred::default)
        .0
        .lock()
        .ok()
        .and_then(|d| d.iter().find(|(r, _)| *r == route).map(|(_, o)| *o))
}

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
        Some(passed) => crate::check::run_deferred(req, passed).await,
        None => Ok(()),
    }
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
                let (status, e) = crate::respond::record(req, e);
                Outcome::Error((status, JsonBodyError::Jwt(e)))
            }
        }
    }
}

/// The data guard `#[jwt_required]` puts in place of a route's `Json<T>`: the
/// body is read once, serves the token search if it needs it, and becomes the
/// handler's `Json<T>`.
#[doc(hidden)]
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

struct BodyText(String);

#[rocket::async_trait]
impl<'r, T: Deserialize<'r>> FromData<'r> for JwtJson<T> {
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
        let text: &'r str = &req.local_cache(|| BodyText(text)).0;
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
                        let (status, e) = crate::respond::record(req, e);
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
