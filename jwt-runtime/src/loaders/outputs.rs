//! What loaders return, converted for the manager: users, keys, JSON
//! objects, responses.

use std::any::Any;
use std::sync::Arc;

use rocket::request::Request;
use rocket::response::{self, Responder};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::token::EncodeError;

/// A loaded user, type-erased (the `#[user_lookup]` function's `U`).
pub type AnyUser = Arc<dyn Any + Send + Sync>;

/// What a `#[user_lookup]` function may return: `Option<U>`.
#[diagnostic::on_unimplemented(
    message = "a `#[user_lookup]` function returns `Option<User>`, not `{Self}`",
    label = "return `Some(user)` when found, `None` otherwise"
)]
pub trait LookupResult {
    /// The user type.
    type User: Any + Send + Sync;
    /// The user, if found.
    fn into_user(self) -> Option<Self::User>;
}

impl<U: Any + Send + Sync> LookupResult for Option<U> {
    type User = U;
    fn into_user(self) -> Option<U> {
        self
    }
}

/// Type-erases a lookup result.
pub fn into_any_user<R: LookupResult>(r: R) -> Option<AnyUser> {
    r.into_user().map(|u| Arc::new(u) as AnyUser)
}

/// What an `#[encode_key]` / `#[decode_key]` function may return: the secret.
#[diagnostic::on_unimplemented(
    message = "a key loader returns the secret (`String`, `&'static str`, `Vec<u8>`, …), not `{Self}`",
    label = "return the HMAC secret as bytes or a string"
)]
pub trait IntoKey {
    /// The key bytes.
    fn into_key(self) -> Vec<u8>;
}

impl<T: AsRef<[u8]>> IntoKey for T {
    fn into_key(self) -> Vec<u8> {
        self.as_ref().to_vec()
    }
}

/// Converts a loader's return value into a JSON object. `Value::Null`/`()` mean "nothing to add".
pub fn into_object<T: Serialize>(
    value: T,
    what: &'static str,
) -> Result<Map<String, Value>, EncodeError> {
    match serde_json::to_value(value) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(Value::Null) => Ok(Map::new()),
        Ok(_) => Err(EncodeError::NotAnObject(what)),
        Err(e) => Err(EncodeError::Serialize(e.to_string())),
    }
}

/// What an error handler returns: any Rocket `Responder`.
#[diagnostic::on_unimplemented(
    message = "a JWT error handler returns a Rocket `Responder`, not `{Self}`",
    label = "not a `Responder`",
    note = "return e.g. `(Status, Json<Value>)`, `Json<Value>`, `String` or `Status`"
)]
pub trait ErrorResponse<'r> {
    /// The response.
    fn into_response(self, req: &'r Request<'_>) -> response::Result<'static>;
}

impl<'r, R: rocket::response::Responder<'r, 'static>> ErrorResponse<'r> for R {
    fn into_response(self, req: &'r Request<'_>) -> response::Result<'static> {
        self.respond_to(req)
    }
}

/// What a check's glue returns: pass, or the response to send instead.
pub type CheckResult = Result<(), Box<response::Result<'static>>>;

/// What a `#[jwt_check]` function returns: `Ok(())` passes, `Err(responder)`
/// answers with that responder.
#[diagnostic::on_unimplemented(
    message = "a `#[jwt_check]` function returns `Result<(), R>` where `R` is a Rocket `Responder`, not `{Self}`",
    label = "return `Ok(())` to pass, `Err(response)` to refuse",
    note = "e.g. `Result<(), (Status, Json<Value>)>` or `Result<(), Status>`"
)]
pub trait CheckOutput<'r> {
    /// The check's outcome.
    fn into_outcome(self, req: &'r Request<'_>) -> CheckResult;
}

impl<'r, R: Responder<'r, 'static>> CheckOutput<'r> for Result<(), R> {
    fn into_outcome(self, req: &'r Request<'_>) -> CheckResult {
        match self {
            Ok(()) => Ok(()),
            Err(r) => Err(Box::new(r.respond_to(req))),
        }
    }
}
