//! Rendering refusals: flask-jwt-extended's default `{"<msg key>": …}`
//! bodies (one builder for all of them) and the registered error handlers.
//! Which response a request finally gets is decided by the manager's response
//! fairing, from what the request side recorded.

use std::io::Cursor;

use rocket::http::{ContentType, Header, Status};
use rocket::request::Request;
use rocket::response::{self, Responder};
use rocket::Response;

use crate::error::{ErrorKind, JwtError};
use crate::loaders::LoaderArgs;
use crate::state::JwtState;
use crate::token::EncodeError;

/// The configured message key (`jwt_error_message_key`), `msg` without a manager.
pub(crate) fn message_key(state: Option<&JwtState>) -> &str {
    state.map_or("msg", |s| s.config().error_msg_key.as_str())
}

/// Writes `{"<key>": "<message>"}` with `status` into `res`, keeping its
/// other headers: every default body of this crate.
fn write_json(res: &mut Response<'_>, status: Status, key: &str, message: &str) {
    let mut map = serde_json::Map::with_capacity(1);
    map.insert(key.to_owned(), message.into());
    let body = serde_json::Value::Object(map).to_string();
    res.set_status(status);
    res.set_header(ContentType::JSON);
    res.set_sized_body(body.len(), Cursor::new(body));
}

/// A JSON response `{"<key>": "<message>"}` with `status`.
pub(crate) fn json_response(status: Status, key: &str, message: &str) -> Response<'static> {
    let mut res = Response::new();
    write_json(&mut res, status, key, message);
    res
}

/// flask-jwt-extended's default response for `error`.
pub(crate) fn default_response(state: Option<&JwtState>, error: &JwtError) -> Response<'static> {
    let mut res = json_response(error.status(), message_key(state), &error.to_string());
    challenge(state, &mut res, error);
    res
}

/// RFC 6750 §3's challenge on a 401, when `jwt_www_authenticate` asks for
/// it and the response has none: `Bearer` alone when no token was sent (or
/// its CSRF value was missing), with `error="invalid_token"` and a
/// description when a token was refused.
fn challenge(state: Option<&JwtState>, res: &mut Response<'_>, error: &JwtError) {
    let wanted = state.is_some_and(|s| s.config().www_authenticate);
    if !wanted || res.status() != Status::Unauthorized || res.headers().contains("WWW-Authenticate")
    {
        return;
    }
    let value = match error.kind() {
        ErrorKind::Unauthorized => "Bearer".to_owned(),
        _ => {
            // error_description allows %x20-21 / %x23-5B / %x5D-7E only.
            let description: String = error
                .to_string()
                .chars()
                .map(|c| match c {
                    ' '..='~' if c != '"' && c != '\\' => c,
                    _ => '?',
                })
                .collect();
            format!("Bearer error=\"invalid_token\", error_description=\"{description}\"")
        }
    };
    res.set_header(Header::new("WWW-Authenticate", value));
}

/// Answers `error` over `res`: the registered handler's response for its
/// kind replaces `res`, or flask-jwt-extended's default status, Content-Type
/// and body are written into it, keeping its other headers (Rocket's, a
/// security or CORS fairing's). Returns whether a handler answered.
pub(crate) async fn answer_error(
    req: &Request<'_>,
    res: &mut Response<'_>,
    error: &JwtError,
) -> bool {
    let state = req.rocket().state::<JwtState>();
    let Some(handler) = state.and_then(|s| s.loaders().error_handler(error.kind())) else {
        write_json(res, error.status(), message_key(state), &error.to_string());
        challenge(state, res, error);
        return false;
    };
    let reason = error.to_string();
    let args = match error.token() {
        Some(token) => LoaderArgs {
            reason: &reason,
            error: Some(error),
            ..LoaderArgs::token(token)
        },
        None => LoaderArgs {
            error: Some(error),
            ..LoaderArgs::none(&reason)
        },
    };
    *res = match handler(req, args).await {
        Ok(response) => response,
        Err(status) => {
            let mut response = Response::new();
            response.set_status(status);
            response
        }
    };
    challenge(state, res, error);
    true
}

/// A handler can return `Result<_, EncodeError>`: a failure answers 500 with
/// `{"msg": …}` (creating a token only fails on a programming error).
impl<'r> Responder<'r, 'static> for EncodeError {
    fn respond_to(self, _: &'r Request<'_>) -> response::Result<'static> {
        Ok(json_response(
            Status::InternalServerError,
            "msg",
            &self.to_string(),
        ))
    }
}
