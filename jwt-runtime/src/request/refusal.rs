//! Recording a refusal for the manager's response fairing.
//!
//! Rocket gives request guards no say over the response body, and catchers
//! cannot see a guard's error, so a failing guard records its error in the
//! request state and the fairing renders it. A guard wrapped in
//! `Option`/`Result` fails without stopping the request: the handler runs and
//! its response must be kept. Rocket discards the pending cookies when (and
//! only when) it hands a request to a catcher, so a failing guard also queues
//! a marker cookie: if the marker reaches the response, a handler ran.

use rocket::http::{Cookie, Status};
use rocket::request::{Outcome, Request};
use rocket::response::{self, Responder};
use rocket::Response;

use super::state::RequestState;
use crate::error::JwtError;
use crate::response::default_response;
use crate::state::JwtState;

/// The marker a failing guard queues.
pub(crate) const GUARD_FAILED: &str = "__rocket_jwt_guard_failed";
/// What every marker cookie's name starts with.
const MARKER_PREFIX: &str = "__rocket_jwt_";

/// The marker the cookie helpers queue when they run in a handler.
pub(crate) const COOKIES_QUEUED: &str = "__rocket_jwt_cookies";

/// Records `error` for the response fairing; returns the guard's failure.
pub(crate) fn record(req: &Request<'_>, error: JwtError) -> (Status, JwtError) {
    let status = error.status();
    RequestState::of(req).record(status, error.clone());
    req.cookies().add(Cookie::new(GUARD_FAILED, "1"));
    (status, error)
}

/// Records `error` for the response fairing and fails the guard with its status.
pub(crate) fn fail<T>(req: &Request<'_>, error: JwtError) -> Outcome<T, JwtError> {
    Outcome::Error(record(req, error))
}

/// Records a check's own failure response; returns the status the guard
/// fails with: the response's own, or 500 for a response that is not an
/// error (a redirect, say), whose catcher response is then replaced too.
pub(crate) fn record_check_failure(req: &Request<'_>, response: Response<'static>) -> Status {
    let status = if response.status().code >= 400 {
        response.status()
    } else {
        Status::InternalServerError
    };
    RequestState::of(req).record_check_failure(status, response);
    status
}

/// Queues the marker that tells the fairing the handler's cookies are real.
pub(crate) fn mark_cookies_queued(req: &Request<'_>) {
    req.cookies().add(Cookie::new(COOKIES_QUEUED, "1"));
}

/// Whether the response carries one of the marker cookies (a failed guard,
/// queued cookies): the fairing's fast path.
pub(crate) fn has_marker(res: &Response<'_>) -> bool {
    res.headers()
        .get("Set-Cookie")
        .any(|c| c.starts_with(MARKER_PREFIX))
}

/// Removes the marker cookie `name` from the response; whether it was there.
/// Rocket drops the cookies a request queued when it hands the request to a
/// catcher, so a marker that reaches the response proves a handler answered.
pub(crate) fn take_marker(res: &mut Response<'_>, name: &str) -> bool {
    let is_marker = |c: &str| {
        c.strip_prefix(name)
            .is_some_and(|rest| rest.starts_with('='))
    };
    if !res.headers().get("Set-Cookie").any(is_marker) {
        return false;
    }
    let kept: Vec<String> = res
        .headers()
        .get("Set-Cookie")
        .filter(|c| !is_marker(c))
        .map(str::to_owned)
        .collect();
    res.remove_header("Set-Cookie");
    for c in kept {
        res.adjoin_raw_header("Set-Cookie", c);
    }
    true
}

/// The error recorded for this request, if a JWT guard failed.
pub fn recorded_error(req: &Request<'_>) -> Option<JwtError> {
    RequestState::of(req).recorded()
}

/// A handler can return `Result<_, JwtError>` (e.g. from `decode_token(..)?`
/// or the cookie helpers): the error answers as a failing guard would, with
/// the registered handler of its kind (`#[expired_token]`, …) or
/// flask-jwt-extended's status and `{"<jwt_error_message_key>": …}`.
impl<'r> Responder<'r, 'static> for JwtError {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        let state = req.rocket().state::<JwtState>();
        if state.is_some_and(|s| s.loaders().error_handler(self.kind()).is_some()) {
            // The handler is async; the manager's response fairing runs it.
            RequestState::of(req).record_returned(self.clone());
        }
        Ok(default_response(state, &self))
    }
}
