//! `CurrentUser<U>`: flask's `current_user` as a request guard.

use std::any::{type_name, Any, TypeId};
use std::ops::Deref;
use std::sync::Arc;

use rocket::request::{FromRequest, Outcome, Request};
use rocket::{Ignite, Rocket, Sentinel};

use super::jwt::Jwt;
use crate::error::JwtError;
use crate::request::{fail, needs_body_error, verify, Verified, VerifyOptions};
use crate::state::JwtState;

/// The user the `#[user_lookup]` loader returned for the request's access
/// token (verified as `#[jwt_required]` does), without any macro. Derefs to `U`.
///
/// A route that takes a `CurrentUser<U>` while no `#[user_lookup]` loader
/// returning `Option<U>` is registered refuses to launch.
///
/// ```ignore
/// #[get("/me")]
/// fn me(user: CurrentUser<User>) -> Value {
///     json!({ "id": user.id, "username": user.username })
/// }
/// ```
pub struct CurrentUser<U>(Arc<U>);

impl<U> CurrentUser<U> {
    /// The shared user.
    pub fn into_inner(self) -> Arc<U> {
        self.0
    }
}

impl<U> Deref for CurrentUser<U> {
    type Target = U;
    fn deref(&self) -> &U {
        &self.0
    }
}

#[rocket::async_trait]
impl<'r, U: Any + Send + Sync> FromRequest<'r> for CurrentUser<U> {
    type Error = JwtError;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, JwtError> {
        let missing = || {
            JwtError::Configuration(format!(
                "CurrentUser<{}>: no #[user_lookup] loader returning this type is registered",
                type_name::<U>()
            ))
        };
        match verify(req, VerifyOptions::new(), None).await {
            Ok(Verified::Done(Some(passed))) => match passed.user::<U>() {
                Some(user) => Outcome::Success(CurrentUser(user)),
                None => fail(req, missing()),
            },
            Ok(Verified::Done(None)) => fail(
                req,
                JwtError::NoAuthorization("Missing JWT: this request has no user".into()),
            ),
            Ok(Verified::NeedsBody) => fail(req, needs_body_error(req, VerifyOptions::new())),
            Err(e) => fail(req, e),
        }
    }
}

impl<U: Any + Send + Sync> Sentinel for CurrentUser<U> {
    fn abort(rocket: &Rocket<Ignite>) -> bool {
        if <Jwt as Sentinel>::abort(rocket) {
            return true;
        }
        let lookup = rocket
            .state::<JwtState>()
            .and_then(|s| s.loaders().user_lookup);
        match lookup {
            Some((_, l)) if l.user == TypeId::of::<Option<U>>() => false,
            Some((name, l)) => {
                rocket::log::private::error!(
                    "a route takes CurrentUser<{}>, but the #[user_lookup] loader `{name}` returns {}",
                    type_name::<U>(),
                    l.user_name
                );
                true
            }
            None => {
                rocket::log::private::error!(
                    "a route takes CurrentUser<{}>, but no #[user_lookup] loader is registered: \
                     add one with JwtManager::new().loaders(loaders![..])",
                    type_name::<U>()
                );
                true
            }
        }
    }
}
