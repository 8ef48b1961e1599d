//! Loaders: the functions flask-jwt-extended registers with `@jwt.<x>_loader`.
//!
//! Each loader attribute (`#[additional_claims]`, `#[additional_headers]`, …)
//! leaves the user's function as written and emits, beside it, a hidden struct
//! of the same name that converts into a [`Loader`]. Loaders are registered
//! explicitly on the manager with [`loaders!`](crate::loaders), like routes.

use std::any::{type_name, Any, TypeId};
use std::fmt;
use std::sync::Arc;

use rocket::request::Request;
use rocket::response;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::claims::{Claims, JwtHeader};
use crate::error::{EncodeError, ErrorKind, JwtError};
use crate::util::BoxFuture;

/// The raw identity object passed to `create_*_token`, when it has one.
pub type RawIdentity<'a> = Option<&'a (dyn Any + Send + Sync)>;

/// What an encode-side loader adapter returns: a JSON object, later.
pub type LoaderFuture<'a> = BoxFuture<'a, Result<Map<String, Value>, EncodeError>>;

/// Signature of an encode-side loader adapter: identity string and raw object in,
/// a JSON object out.
pub type EncodeLoaderFn = for<'a> fn(&'a str, RawIdentity<'a>) -> LoaderFuture<'a>;

/// One registered loader. Built by the loader attributes; see [`IntoLoader`].
#[derive(Clone)]
pub struct Loader {
    pub(crate) name: &'static str,
    pub(crate) kind: LoaderKind,
}

/// A loaded user, type-erased (the `#[user_lookup]` function's `U`).
pub type AnyUser = Arc<dyn Any + Send + Sync>;

/// What a request-side loader receives besides request guards.
#[derive(Clone, Copy)]
pub struct LoaderArgs<'r> {
    /// The token's header (empty for errors without a token).
    pub header: &'r JwtHeader,
    /// The token's claims (empty for errors without a token).
    pub claims: &'r Claims,
    /// The token's identity (empty without a token).
    pub identity: &'r str,
    /// The error message, for error handlers (empty for loaders).
    pub reason: &'r str,
}

impl<'r> LoaderArgs<'r> {
    /// The parts of a verified token, for loaders and checks (no reason).
    pub fn token(token: &'r crate::claims::VerifiedJwt) -> Self {
        LoaderArgs {
            header: token.header(),
            claims: token.claims(),
            identity: token.identity(),
            reason: "",
        }
    }
}

/// A request-side loader's glue: resolves the function's request guards for
/// the current request and calls it.
pub type RequestLoaderFn<T> = for<'r, 'x> fn(&'r Request<'x>, LoaderArgs<'r>) -> BoxFuture<'r, T>;

/// `#[decode_key]` glue.
pub type DecodeKeyFn = RequestLoaderFn<Result<Vec<u8>, JwtError>>;
/// `#[token_verification]` / `#[token_in_blocklist]` glue.
pub type PredicateFn = RequestLoaderFn<Result<bool, JwtError>>;
/// `#[user_lookup]` glue.
pub type LookupFn = RequestLoaderFn<Result<Option<AnyUser>, JwtError>>;
/// Error-handler glue.
pub type ErrorHandlerFn = RequestLoaderFn<response::Result<'static>>;

/// `#[encode_key]` glue: the secret for an identity.
pub type EncodeKeyFn =
    for<'a> fn(&'a str, RawIdentity<'a>) -> BoxFuture<'a, Result<Vec<u8>, EncodeError>>;

#[derive(Clone)]
pub(crate) enum LoaderKind {
    AdditionalClaims(EncodeLoaderFn),
    AdditionalHeaders(EncodeLoaderFn),
    EncodeKey(EncodeKeyFn),
    DecodeKey(DecodeKeyFn),
    UserLookup {
        f: LookupFn,
        user: TypeId,
        user_name: &'static str,
    },
    TokenVerification(PredicateFn),
    TokenInBlocklist(PredicateFn),
    ErrorHandler(ErrorKind, ErrorHandlerFn),
}

impl LoaderKind {
    pub(crate) fn attribute(&self) -> &'static str {
        match self {
            LoaderKind::AdditionalClaims(_) => "#[additional_claims]",
            LoaderKind::AdditionalHeaders(_) => "#[additional_headers]",
            LoaderKind::EncodeKey(_) => "#[encode_key]",
            LoaderKind::DecodeKey(_) => "#[decode_key]",
            LoaderKind::UserLookup { .. } => "#[user_lookup]",
            LoaderKind::TokenVerification(_) => "#[token_verification]",
            LoaderKind::TokenInBlocklist(_) => "#[token_in_blocklist]",
            LoaderKind::ErrorHandler(kind, _) => kind.attribute(),
        }
    }
}

impl fmt::Debug for Loader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind.attribute(), self.name)
    }
}

impl Loader {
    /// An `#[additional_claims]` loader named `name`.
    #[doc(hidden)]
    pub fn additional_claims(name: &'static str, f: EncodeLoaderFn) -> Self {
        Loader {
            name,
            kind: LoaderKind::AdditionalClaims(f),
        }
    }

    /// An `#[additional_headers]` loader named `name`.
    #[doc(hidden)]
    pub fn additional_headers(name: &'static str, f: EncodeLoaderFn) -> Self {
        Loader {
            name,
            kind: LoaderKind::AdditionalHeaders(f),
        }
    }

    #[doc(hidden)]
    pub fn encode_key(name: &'static str, f: EncodeKeyFn) -> Self {
        Loader {
            name,
            kind: LoaderKind::EncodeKey(f),
        }
    }

    #[doc(hidden)]
    pub fn decode_key(name: &'static str, f: DecodeKeyFn) -> Self {
        Loader {
            name,
            kind: LoaderKind::DecodeKey(f),
        }
    }

    /// `R` is the function's return type, `Option<User>` (checked where the
    /// glue converts it, so a wrong type is reported once).
    #[doc(hidden)]
    pub fn user_lookup<R: Any>(name: &'static str, f: LookupFn) -> Self {
        Loader {
            name,
            kind: LoaderKind::UserLookup {
                f,
                user: TypeId::of::<R>(),
                user_name: type_name::<R>(),
            },
        }
    }

    #[doc(hidden)]
    pub fn token_verification(name: &'static str, f: PredicateFn) -> Self {
        Loader {
            name,
            kind: LoaderKind::TokenVerification(f),
        }
    }

    #[doc(hidden)]
    pub fn token_in_blocklist(name: &'static str, f: PredicateFn) -> Self {
        Loader {
            name,
            kind: LoaderKind::TokenInBlocklist(f),
        }
    }

    #[doc(hidden)]
    pub fn error_handler(name: &'static str, kind: ErrorKind, f: ErrorHandlerFn) -> Self {
        Loader {
            name,
            kind: LoaderKind::ErrorHandler(kind, f),
        }
    }

    /// The name of the user's function.
    pub fn name(&self) -> &'static str {
        self.name
    }
}

/// Implemented by the hidden struct a loader attribute emits.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a JWT loader",
    label = "not marked with a loader attribute",
    note = "mark the function with `#[additional_claims]`, `#[additional_headers]`, … before listing it in `loaders![..]`"
)]
pub trait IntoLoader {
    /// The loader to register.
    fn into_loader(self) -> Loader;
}

/// The registered loaders of one manager (at most one of each kind).
/// The registered user lookup.
#[derive(Clone, Copy)]
pub(crate) struct UserLookup {
    pub f: LookupFn,
    pub user: TypeId,
    pub user_name: &'static str,
}

#[derive(Clone, Default)]
pub(crate) struct Loaders {
    pub additional_claims: Option<(&'static str, EncodeLoaderFn)>,
    pub additional_headers: Option<(&'static str, EncodeLoaderFn)>,
    pub encode_key: Option<(&'static str, EncodeKeyFn)>,
    pub decode_key: Option<(&'static str, DecodeKeyFn)>,
    pub user_lookup: Option<(&'static str, UserLookup)>,
    pub token_verification: Option<(&'static str, PredicateFn)>,
    pub token_in_blocklist: Option<(&'static str, PredicateFn)>,
    pub error_handlers: Vec<(ErrorKind, &'static str, ErrorHandlerFn)>,
}

fn put<T>(slot: &mut Option<(&'static str, T)>, l: &Loader, value: T) -> Result<(), String> {
    if let Some((prev, _)) = slot {
        return Err(duplicate(l, prev));
    }
    *slot = Some((l.name, value));
    Ok(())
}

fn duplicate(l: &Loader, prev: &str) -> String {
    format!(
        "two {} loaders are registered (`{prev}` and `{}`); register one",
        l.kind.attribute(),
        l.name
    )
}

impl Loaders {
    pub(crate) fn build(list: &[Loader]) -> Result<Loaders, String> {
        let mut out = Loaders::default();
        for l in list {
            match &l.kind {
                LoaderKind::AdditionalClaims(f) => put(&mut out.additional_claims, l, *f)?,
                LoaderKind::AdditionalHeaders(f) => put(&mut out.additional_headers, l, *f)?,
                LoaderKind::EncodeKey(f) => put(&mut out.encode_key, l, *f)?,
                LoaderKind::DecodeKey(f) => put(&mut out.decode_key, l, *f)?,
                LoaderKind::UserLookup { f, user, user_name } => put(
                    &mut out.user_lookup,
                    l,
                    UserLookup {
                        f: *f,
                        user: *user,
                        user_name,
                    },
                )?,
                LoaderKind::TokenVerification(f) => put(&mut out.token_verification, l, *f)?,
                LoaderKind::TokenInBlocklist(f) => put(&mut out.token_in_blocklist, l, *f)?,
                LoaderKind::ErrorHandler(kind, f) => {
                    if let Some((_, prev, _)) = out.error_handlers.iter().find(|(k, ..)| k == kind)
                    {
                        return Err(duplicate(l, prev));
                    }
                    out.error_handlers.push((*kind, l.name, *f));
                }
            }
        }
        Ok(out)
    }

    pub(crate) fn error_handler(&self, kind: ErrorKind) -> Option<ErrorHandlerFn> {
        self.error_handlers
            .iter()
            .find(|(k, ..)| *k == kind)
            .map(|(_, _, f)| *f)
    }
}

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

/// The message when a loader's request guard fails: the request cannot be
/// authenticated, so it is refused (500) rather than accepted.
pub fn guard_failed(loader: &str, guard: &str, status: rocket::http::Status) -> JwtError {
    JwtError::Configuration(format!(
        "loader `{loader}`: its request guard `{guard}` failed ({status})"
    ))
}

/// Converts a loader's first argument from the identity given to `create_*_token`.
///
/// `&str` receives the identity string the token will carry; `&T` receives the
/// object itself when the token is created for a `T` (a type with a
/// `#[user_identity]` function).
#[diagnostic::on_unimplemented(
    message = "a JWT loader's identity parameter must be `&str` or `&T`, not `{Self}`",
    label = "take the identity by reference"
)]
pub trait FromIdentity<'a>: Sized {
    /// Extracts the argument; `loader` names the loader for the error message.
    fn from_identity(
        identity: &'a str,
        raw: RawIdentity<'a>,
        loader: &'static str,
    ) -> Result<Self, EncodeError>;
}

impl<'a> FromIdentity<'a> for &'a str {
    fn from_identity(
        identity: &'a str,
        _: RawIdentity<'a>,
        _: &'static str,
    ) -> Result<Self, EncodeError> {
        Ok(identity)
    }
}

impl<'a, T: Any> FromIdentity<'a> for &'a T {
    fn from_identity(
        _: &'a str,
        raw: RawIdentity<'a>,
        loader: &'static str,
    ) -> Result<Self, EncodeError> {
        raw.and_then(|r| r.downcast_ref::<T>()).ok_or_else(|| {
            EncodeError::Loader(format!(
                "loader `{loader}` takes a `&{}`, but the token was created for another identity type",
                type_name::<T>()
            ))
        })
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

/// A parameter of a request-side loader, check or error handler that is not
/// a part of the token: any Rocket request guard, resolved for the request.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a parameter of a JWT loader",
    label = "not `&JwtHeader`, `&Claims`, `&str` or a Rocket request guard",
    note = "loader parameters are the token's `&JwtHeader`, its `&Claims`, the identity (or the error message) as `&str`, or any type implementing `FromRequest` (e.g. `Connection<Db>`, `&State<T>`)"
)]
#[rocket::async_trait]
pub trait LoaderParam<'r>: Sized {
    /// Runs the request guard.
    async fn resolve(
        req: &'r Request<'_>,
    ) -> rocket::outcome::Outcome<Self, (), rocket::http::Status>;
}

#[rocket::async_trait]
impl<'r, T: rocket::request::FromRequest<'r>> LoaderParam<'r> for T {
    async fn resolve(
        req: &'r Request<'_>,
    ) -> rocket::outcome::Outcome<Self, (), rocket::http::Status> {
        match T::from_request(req).await {
            rocket::outcome::Outcome::Success(v) => rocket::outcome::Outcome::Success(v),
            rocket::outcome::Outcome::Error((s, _)) => rocket::outcome::Outcome::Forward(s),
            rocket::outcome::Outcome::Forward(s) => rocket::outcome::Outcome::Forward(s),
        }
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
