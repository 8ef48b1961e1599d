//! `Tokens<'_>`: issuing tokens from a handler.

use rocket::request::{FromRequest, Outcome, Request};

use crate::error::JwtError;
use crate::request::fail;
use crate::state::JwtState;

/// Request guard for creating tokens in a handler (flask's
/// `create_access_token` / `create_refresh_token`). Dereferences to [`JwtState`].
///
/// ```no_run
/// # #[macro_use] extern crate rocket;
/// use rocket::serde::json::{json, Value};
/// use rocket_jwt_extended_runtime::Tokens;
///
/// #[post("/login")]
/// fn login(tokens: Tokens<'_>) -> Value {
///     json!({ "access_token": tokens.create_access_token("admin").unwrap() })
/// }
/// ```
#[derive(Clone, Copy)]
pub struct Tokens<'r> {
    state: &'r JwtState,
}

impl std::ops::Deref for Tokens<'_> {
    type Target = JwtState;
    fn deref(&self) -> &JwtState {
        self.state
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Tokens<'r> {
    type Error = JwtError;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, JwtError> {
        match JwtState::of(req) {
            Ok(state) => Outcome::Success(Tokens { state }),
            Err(e) => fail(req, e),
        }
    }
}
