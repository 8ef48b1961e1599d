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
    label = "return `Some(user)` when found, `None` otherwise",
    note = "`User` is any owned type that is `Send + Sync + 'static` (it is shared by the request's guards and handler)"
)]
pub trait LookupResult {
    /// The user type.
    type User: Any + Send + Sync;
    /// The user, if found.
    fn into_user(self) -> Option<Self::User>;
    /// The user, if found, type-erased.
    fn into_any_user(self) -> Option<AnyUser>
    where
        Self: Sized,
    {
        self.into_user().map(|u| Arc::new(u) as AnyUser)
    }
}

#[diagnostic::do_not_recommend]
impl<U: Any + Send + Sync> LookupResult for Option<U> {
    type User = U;
    fn into_user(self) -> Option<U> {
        self
    }
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

#[diagnostic::do_not_recommend]
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

#[diagnostic::do_not_recommend]
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
    note = "`R` is a Rocket `Responder`, e.g. `Result<(), (Status, Json<Value>)>` or `Result<(), Status>`"
)]
pub trait CheckOutput<'r> {
    /// The check's outcome.
    fn into_outcome(self, req: &'r Request<'_>) -> CheckResult;
}

#[diagnostic::do_not_recommend]
impl<'r, R: Responder<'r, 'static>> CheckOutput<'r> for Result<(), R> {
    fn into_outcome(self, req: &'r Request<'_>) -> CheckResult {
        match self {
            Ok(()) => Ok(()),
            Err(r) => Err(Box::new(r.respond_to(req))),
        }
    }
}

/// What an `#[additional_claims]` / `#[additional_headers]` function returns:
/// anything `Serialize` (a JSON object, or `null` for nothing).
#[diagnostic::on_unimplemented(
    message = "an encode-side loader returns a JSON object (`serde_json::Value`, a map, or a `#[derive(Serialize)]` struct), not `{Self}`",
    label = "`{Self}` is not `Serialize`",
    note = "derive `serde::Serialize` for it, or return `serde_json::Value` built with `json!({{ .. }})`"
)]
pub trait IntoObject {
    /// The JSON object; `what` names the loader kind for the error.
    fn into_object(self, what: &'static str) -> Result<Map<String, Value>, EncodeError>;
}

#[diagnostic::do_not_recommend]
impl<T: Serialize> IntoObject for T {
    fn into_object(self, what: &'static str) -> Result<Map<String, Value>, EncodeError> {
        into_object(self, what)
    }
}

/// An `async` loader's future, checked to be `Send` (the manager runs
/// loaders on Rocket's multi-threaded runtime).
#[diagnostic::on_unimplemented(
    message = "this `async` loader's future is not `Send`: it holds a value that is not `Send` (an `Rc`, a `RefCell` borrow, a `MutexGuard`, …) across an `.await`",
    label = "not `Send`",
    note = "drop the value before the `.await` (end its scope with a block), or use a `Send` type (`Arc` instead of `Rc`, `tokio::sync::Mutex` instead of `std::sync::Mutex`)"
)]
pub trait SendLoader: Sized {
    /// The future, known to be `Send`.
    fn into_send(self) -> SendFuture<Self>;
}

#[diagnostic::do_not_recommend]
impl<F: std::future::Future + Send> SendLoader for F {
    fn into_send(self) -> SendFuture<Self> {
        SendFuture(self)
    }
}

/// A future known to be `Send`: built only by [`SendLoader::into_send`],
/// which requires it. Being `Send` unconditionally keeps a failed check from
/// cascading into the glue's own `Send` bound.
#[doc(hidden)]
pub struct SendFuture<F>(F);

// SAFETY: the only constructor (`SendLoader::into_send`) requires `F: Send`.
unsafe impl<F> Send for SendFuture<F> {}

impl<F: std::future::Future> std::future::Future for SendFuture<F> {
    type Output = F::Output;
    fn poll(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<F::Output> {
        // SAFETY: structural pinning of the only field; it is never moved out.
        unsafe { self.map_unchecked_mut(|s| &mut s.0) }.poll(cx)
    }
}

/// What `#[token_in_blocklist]` and `#[token_verification]` return: `bool`.
#[diagnostic::on_unimplemented(
    message = "`#[token_in_blocklist]` and `#[token_verification]` functions return `bool`, not `{Self}`",
    label = "return `bool`",
    note = "`#[token_in_blocklist]`: `true` when the token is revoked; `#[token_verification]`: `false` refuses the token; a store that fails should refuse too (return `true` / `false`), never accept"
)]
pub trait Predicate {
    /// The answer.
    fn into_bool(self) -> bool;
}

#[diagnostic::do_not_recommend]
impl Predicate for bool {
    fn into_bool(self) -> bool {
        self
    }
}

/// A `#[jwt_required]` route's `Json<T>`: `T` is read from the JSON body.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read from a JSON body: it does not implement `Deserialize`",
    label = "the body of this `Json<..>` is not `Deserialize`",
    note = "add `#[derive(serde::Deserialize)]` (or `rocket::serde::Deserialize`) to the type"
)]
pub trait JsonBody<'r>: serde::Deserialize<'r> {}

#[diagnostic::do_not_recommend]
impl<'r, T: serde::Deserialize<'r>> JsonBody<'r> for T {}
