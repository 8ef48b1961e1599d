//! The accessors of a decorated handler: `get_jwt()`, `get_jwt_identity()`, …
//!
//! `#[jwt_required]` verifies the token in a hidden guard and makes it current
//! for the handler's body: a task-local for `async fn` handlers, a
//! thread-local for sync ones (Rocket runs those inline, on one thread).

use std::any::Any;
use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::ops::Deref;
use std::sync::Arc;

use crate::error::JwtError;
use crate::request::Authenticated;
use crate::token::{Claims, DecodeError, JwtHeader, Location, VerifiedJwt};

type Current = Option<Authenticated>;

rocket::tokio::task_local! {
    static TASK: Current;
}

thread_local! {
    static SYNC: RefCell<Vec<Current>> = const { RefCell::new(Vec::new()) };
}

/// An accessor was called outside a handler decorated with `#[jwt_required]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoJwtContext;

impl fmt::Display for NoJwtContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "no verified JWT here: get_jwt(), get_jwt_identity(), get_jwt_header(), \
             get_jwt_request_location() and current_user() work inside a handler marked \
             #[jwt_required] (or #[admin_required]) and the code it calls and awaits, \
             not in a task or thread it spawns; read the values first and move them in \
             (`let identity = get_jwt_identity(); tokio::spawn(async move { .. identity .. })`), \
             or, on a route without the attribute, take a `Jwt` guard parameter and use its methods",
        )
    }
}

impl std::error::Error for NoJwtContext {}

/// Runs `fut` with `token` current (async handlers).
#[doc(hidden)]
pub async fn scope<F: Future>(token: Current, fut: F) -> F::Output {
    TASK.scope(token, fut).await
}

/// Makes `token` current until the returned value is dropped (sync handlers).
#[doc(hidden)]
pub fn enter(token: Current) -> SyncScope {
    SYNC.with(|s| s.borrow_mut().push(token));
    SyncScope(())
}

/// Drop guard of [`enter`].
#[doc(hidden)]
pub struct SyncScope(());

impl Drop for SyncScope {
    fn drop(&mut self) {
        SYNC.with(|s| {
            s.borrow_mut().pop();
        });
    }
}

fn current() -> Result<Current, NoJwtContext> {
    if let Ok(token) = TASK.try_with(Clone::clone) {
        return Ok(token);
    }
    SYNC.with(|s| s.borrow().last().cloned())
        .ok_or(NoJwtContext)
}

/// The current token's claims (`get_jwt()`); dereferences to [`Claims`],
/// empty on an optional route without token.
#[derive(Clone)]
pub struct CurrentJwt(Option<Arc<VerifiedJwt>>);

impl CurrentJwt {
    /// The verified token, if any.
    pub fn token(&self) -> Option<&Arc<VerifiedJwt>> {
        self.0.as_ref()
    }

    /// The header of the token (empty without token).
    pub fn header(&self) -> &JwtHeader {
        match self.0.as_deref() {
            Some(t) => t.header(),
            None => JwtHeader::empty_ref(),
        }
    }
}

impl Deref for CurrentJwt {
    type Target = Claims;
    fn deref(&self) -> &Claims {
        match self.0.as_deref() {
            Some(t) => t.claims(),
            None => Claims::empty_ref(),
        }
    }
}

impl fmt::Debug for CurrentJwt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// Like [`get_jwt`], but an error instead of a panic outside a decorated handler.
pub fn try_get_jwt() -> Result<CurrentJwt, NoJwtContext> {
    current().map(|c| CurrentJwt(c.map(|a| a.token)))
}

#[track_caller]
fn expect<T>(r: Result<T, NoJwtContext>) -> T {
    r.unwrap_or_else(|e| panic!("{e}"))
}

/// The claims of the current token (flask's `get_jwt()`); empty on an optional
/// route without token.
///
/// # Panics
/// Outside a handler marked `#[jwt_required]` (a programming error; the
/// message names the fix). [`try_get_jwt`] returns an error instead.
#[track_caller]
pub fn get_jwt() -> CurrentJwt {
    expect(try_get_jwt())
}

/// The header of the current token (flask's `get_jwt_header()`).
///
/// # Panics
/// Outside a handler marked `#[jwt_required]`.
#[track_caller]
pub fn get_jwt_header() -> JwtHeader {
    get_jwt().header().clone()
}

/// The identity of the current token (flask's `get_jwt_identity()`); `None` on
/// an optional route without token.
///
/// # Panics
/// Outside a handler marked `#[jwt_required]`.
#[track_caller]
pub fn get_jwt_identity() -> Option<String> {
    get_jwt().token().map(|t| t.identity().to_owned())
}

/// The current token's claims deserialized into `T` (the accessor form of
/// [`JwtClaims`](crate::JwtClaims)): claims `T` does not name are ignored;
/// claims that do not fit are `DecodeError::ClaimsShape` with serde's reason
/// (422 `Invalid claims: …` when returned from the handler).
///
/// # Panics
/// Outside a handler marked `#[jwt_required]`.
#[track_caller]
pub fn get_jwt_as<T: serde::de::DeserializeOwned>() -> Result<T, JwtError> {
    let claims = get_jwt();
    serde_json::from_value(serde_json::Value::Object(claims.as_map().clone()))
        .map_err(|e| JwtError::Decode(DecodeError::ClaimsShape(e.to_string())))
}

/// Where the current token was found (flask's `get_jwt_request_location()`).
///
/// # Panics
/// Outside a handler marked `#[jwt_required]`.
#[track_caller]
pub fn get_jwt_request_location() -> Option<Location> {
    get_jwt().token().and_then(|t| t.location())
}

/// flask's `current_user`: the user the `#[user_lookup]` loader returned for
/// this request's token, inside a `#[jwt_required]` handler.
///
/// `None` on an optional route without token.
///
/// # Panics
///
/// Outside a decorated handler (see [`try_current_user`]), and — programming
/// errors, as flask raises — when no `#[user_lookup]` loader is registered or
/// it returns another type than `U` (a route that takes a `CurrentUser<U>`
/// guard is checked at launch instead).
#[track_caller]
pub fn current_user<U: Any + Send + Sync>() -> Option<Arc<U>> {
    expect(try_current_user())
}

/// [`current_user`] without panicking outside a decorated handler.
#[track_caller]
pub fn try_current_user<U: Any + Send + Sync>() -> Result<Option<Arc<U>>, NoJwtContext> {
    let Some(passed) = current()? else {
        return Ok(None);
    };
    match passed.user {
        // A registered lookup that finds nobody fails the request, so a
        // verified token without a user means no lookup is registered.
        None => panic!(
            "current_user::<{}>(): no #[user_lookup] loader is registered; add one with \
             JwtManager::new().loaders(loaders![..])",
            std::any::type_name::<U>()
        ),
        Some(user) => match user.downcast::<U>() {
            Ok(u) => Ok(Some(u)),
            Err(_) => panic!(
                "current_user::<{}>(): the #[user_lookup] loader returns another type",
                std::any::type_name::<U>()
            ),
        },
    }
}
