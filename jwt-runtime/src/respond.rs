//! Error responses. Rocket gives request guards no say over the response body
//! and catchers cannot see a guard's error, so a failing guard records its
//! error in the request's local cache and the manager's response fairing
//! renders it: flask-jwt-extended's status and `{"msg": …}`, whatever catchers
//! the application registered and in whatever order its fairings run.
//!
//! A guard wrapped in `Option`/`Result` fails without stopping the request: the
//! handler runs and its response must be kept. Rocket discards the pending
//! cookies when (and only when) it hands a request to a catcher, so a failing
//! guard also queues a marker cookie: if the marker reaches the response, a
//! handler ran and the response is left alone (minus the marker).

use std::io::Cursor;
use std::sync::Mutex;

use rocket::http::{ContentType, Cookie, Status};
use rocket::request::{Outcome, Request};
use rocket::Response;

use crate::context::{empty_claims, empty_header};
use crate::error::JwtError;
use crate::loaders::LoaderArgs;
use crate::manager::JwtState;

const MARKER: &str = "__rocket_jwt_guard_failed";

#[derive(Default)]
struct Recorded(Mutex<Option<(Status, JwtError)>>);

/// Records `error` for the response fairing; returns the guard's failure.
pub(crate) fn record(req: &Request<'_>, error: JwtError) -> (Status, JwtError) {
    let status = error.status();
    if let Ok(mut slot) = req.local_cache(Recorded::default).0.lock() {
        *slot = Some((status, error.clone()));
    }
    req.cookies().add(Cookie::new(MARKER, "1"));
    (status, error)
}

/// Records `error` for the response fairing and fails the guard with its status.
pub(crate) fn fail<T>(req: &Request<'_>, error: JwtError) -> Outcome<T, JwtError> {
    Outcome::Error(record(req, error))
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
    req.local_cache(Recorded::default)
        .0
        .lock()
        .ok()
        .and_then(|slot| slot.as_ref().map(|(_, e)| e.clone()))
}

/// `{"<key>": "<message>"}` with the configured message key.
pub(crate) fn json_body(key: &str, message: &str) -> String {
    let mut map = serde_json::Map::with_capacity(1);
    map.insert(key.to_owned(), message.into());
    serde_json::Value::Object(map).to_string()
}

/// A failed custom check (`#[jwt_required(check = ..)]`, `#[admin_required]`):
/// the response its function returned, sent instead of the catcher's.
#[derive(Default)]
struct CheckFailure(Mutex<Option<(Status, Response<'static>)>>);

/// Records a check's own failure response; returns the status the guard
/// fails with: the response's own, or 500 for a response that is not an
/// error (a redirect, say), whose catcher response is then replaced too.
pub(crate) fn record_check_failure(req: &Request<'_>, response: Response<'static>) -> Status {
    let status = if response.status().code >= 400 {
        response.status()
    } else {
        Status::InternalServerError
    };
    if let Ok(mut slot) = req.local_cache(CheckFailure::default).0.lock() {
        *slot = Some((status, response));
    }
    status
}

/// Replaces a catcher's response with the JWT error recorded for the request:
/// the registered error handler's response, or flask-jwt-extended's default.
/// A response whose status differs from the recorded one came from elsewhere
/// (e.g. a handler that ran because the guard was wrapped in `Option`) and is kept.
pub(crate) async fn render<'r>(req: &'r Request<'_>, res: &mut Response<'r>) {
    // A failed JWT guard leaves a trace: either a catcher answered with an
    // error status, or a handler ran and the marker cookie reached the
    // response. Without either, skip the request cache entirely.
    let marked = take_marker(res, MARKER);
    if !marked && res.status().code < 400 {
        return;
    }
    if !marked {
        let check = req
            .local_cache(CheckFailure::default)
            .0
            .lock()
            .ok()
            .and_then(|mut slot| slot.take());
        if let Some((status, check)) = check {
            if status == res.status() {
                *res = check;
                return;
            }
        }
    }
    let Some((status, error)) = req
        .local_cache(Recorded::default)
        .0
        .lock()
        .ok()
        .and_then(|mut slot| slot.take())
    else {
        return;
    };
    if marked || res.status() != status {
        // A handler ran (the guard was optional for it): keep its response.
        return;
    }
    let state = req.rocket().state::<JwtState>();
    if let Some(handler) = state.and_then(|s| s.loaders().error_handler(error.kind())) {
        let reason = error.to_string();
        let args = match error.token() {
            Some(token) => LoaderArgs {
                reason: &reason,
                ..LoaderArgs::token(token)
            },
            None => LoaderArgs {
                header: empty_header(),
                claims: empty_claims(),
                identity: "",
                reason: &reason,
            },
        };
        match handler(req, args).await {
            Ok(response) => *res = response,
            Err(status) => {
                *res = Response::new();
                res.set_status(status);
            }
        }
        return;
    }
    let key = state
        .map(|s| s.config().error_msg_key.as_str())
        .unwrap_or("msg");
    let body = json_body(key, &error.to_string());
    res.set_status(status);
    res.set_header(ContentType::JSON);
    res.set_sized_body(body.len(), Cursor::new(body));
}
