//! Loaders: the functions flask-jwt-extended registers with `@jwt.<x>_loader`.
//!
//! Each loader attribute (`#[additional_claims]`, `#[additional_headers]`, …)
//! leaves the user's function as written and emits, beside it, a hidden struct
//! of the same name that converts into a [`Loader`]. Loaders are registered
//! explicitly on the manager with [`loaders!`](crate::loaders), like routes;
//! [`Loaders`] is one manager's registry. What loaders take is in `params`,
//! what they return in `outputs`.

mod outputs;
mod params;
mod registry;

use std::any::{type_name, Any, TypeId};
use std::fmt;

use rocket::request::Request;
use rocket::response;

use serde_json::{Map, Value};

use crate::error::{ErrorKind, JwtError};
use crate::token::EncodeError;
use crate::util::BoxFuture;

pub use outputs::{
    into_object, AnyUser, CheckOutput, CheckResult, ErrorResponse, IntoKey, IntoObject, JsonBody,
    LookupResult, Predicate, SendFuture, SendLoader,
};
pub use params::{
    guard_failed, FromGuard, FromIdentity, FromToken, HandlerParam, LoaderArgs, LoaderParam,
    ParamOutcome, RawIdentity, UserObject,
};
pub use registry::{unregistered_loaders_message, Defined, Listed};

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
    /// An encode-side loader's `&User` parameter type, when it takes one.
    pub(crate) user_param: Option<&'static str>,
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
    /// `#[jwt_error]`: every kind without a handler of its own.
    AnyErrorHandler(ErrorHandlerFn),
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
            LoaderKind::AnyErrorHandler(_) => "#[jwt_error]",
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
            user_param: None,
            kind: LoaderKind::AdditionalClaims(f),
        }
    }

    /// An `#[additional_headers]` loader named `name`.
    #[doc(hidden)]
    pub fn additional_headers(name: &'static str, f: EncodeLoaderFn) -> Self {
        Loader {
            name,
            user_param: None,
            kind: LoaderKind::AdditionalHeaders(f),
        }
    }

    #[doc(hidden)]
    pub fn encode_key(name: &'static str, f: EncodeKeyFn) -> Self {
        Loader {
            name,
            user_param: None,
            kind: LoaderKind::EncodeKey(f),
        }
    }

    #[doc(hidden)]
    pub fn decode_key(name: &'static str, f: DecodeKeyFn) -> Self {
        Loader {
            name,
            user_param: None,
            kind: LoaderKind::DecodeKey(f),
        }
    }

    /// `R` is the function's return type, `Option<User>` (checked where the
    /// glue converts it, so a wrong type is reported once).
    #[doc(hidden)]
    pub fn user_lookup<R: Any>(name: &'static str, f: LookupFn) -> Self {
        Loader {
            name,
            user_param: None,
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
            user_param: None,
            kind: LoaderKind::TokenVerification(f),
        }
    }

    #[doc(hidden)]
    pub fn token_in_blocklist(name: &'static str, f: PredicateFn) -> Self {
        Loader {
            name,
            user_param: None,
            kind: LoaderKind::TokenInBlocklist(f),
        }
    }

    #[doc(hidden)]
    pub fn error_handler(name: &'static str, kind: ErrorKind, f: ErrorHandlerFn) -> Self {
        Loader {
            name,
            user_param: None,
            kind: LoaderKind::ErrorHandler(kind, f),
        }
    }

    /// `#[jwt_error]` glue: the handler of every error without one of its own.
    pub fn any_error_handler(name: &'static str, f: ErrorHandlerFn) -> Self {
        Loader {
            name,
            user_param: None,
            kind: LoaderKind::AnyErrorHandler(f),
        }
    }

    /// The name of the user's function.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// An encode-side loader that takes `&User` (a `#[user_identity]` type)
    /// instead of the identity string: creating a token from anything but a
    /// `User` then fails, which the manager says at launch.
    #[doc(hidden)]
    pub fn taking_user(mut self, user_type: &'static str) -> Self {
        self.user_param = Some(user_type);
        self
    }

    /// The user type an encode-side loader takes (`&User`), if not the
    /// identity string.
    pub fn user_type(&self) -> Option<&'static str> {
        self.user_param
    }

    /// The attribute that made it, e.g. `#[user_lookup]`.
    pub fn attribute(&self) -> &'static str {
        self.kind.attribute()
    }
}

/// Implemented by the hidden struct a loader attribute emits.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a JWT loader",
    label = "not a function marked with a loader attribute",
    note = "`loaders![..]` lists functions marked `#[user_lookup]`, `#[token_in_blocklist]`, `#[token_verification]`, `#[additional_claims]`, `#[additional_headers]`, `#[encode_key]`, `#[decode_key]`, `#[jwt_error]` or an error attribute (`#[expired_token]`, …); a `#[jwt_check]` is applied with `#[jwt_required(check = ..)]`, and a `#[user_identity]` function needs no registration"
)]
pub trait IntoLoader {
    /// The loader to register.
    fn into_loader(self) -> Loader;
}

/// The registered user lookup.
#[derive(Clone, Copy)]
pub(crate) struct UserLookup {
    pub f: LookupFn,
    pub user: TypeId,
    pub user_name: &'static str,
}

/// The registered loaders of one manager (at most one of each kind).
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
    pub any_error: Option<(&'static str, ErrorHandlerFn)>,
}

fn put<T>(slot: &mut Option<(&'static str, T)>, l: &Loader, value: T) -> Result<(), String> {
    if let Some((prev, _)) = slot {
        return Err(duplicate(l, prev));
    }
    *slot = Some((l.name, value));
    Ok(())
}

fn duplicate(l: &Loader, prev: &str) -> String {
    if prev == l.name {
        return format!(
            "{} `{prev}` is registered twice; list it once in `loaders![..]`",
            l.kind.attribute()
        );
    }
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
            if let Some(user) = l.user_param {
                rocket::log::private::info!(
                    "{} `{}` takes `&{user}`: tokens must be created from a `{user}` \
                     (`create_access_token(&user)`); one created from a plain identity \
                     fails with 500. Take `identity: &str` to accept both.",
                    l.kind.attribute(),
                    l.name
                );
            }
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
                LoaderKind::AnyErrorHandler(f) => put(&mut out.any_error, l, *f)?,
            }
        }
        Ok(out)
    }

    /// The handler for `kind`: its own, else `#[jwt_error]`'s. Configuration
    /// errors (500) have no attribute of their own and go to `#[jwt_error]` too.
    pub(crate) fn error_handler(&self, kind: ErrorKind) -> Option<ErrorHandlerFn> {
        self.error_handlers
            .iter()
            .find(|(k, ..)| *k == kind)
            .map(|(_, _, f)| *f)
            .or(self.any_error.map(|(_, f)| f))
    }
}

/// A check usable in `#[jwt_required(check = ..)]`. The `#[jwt_check]`
/// attribute implements it for a function; see its documentation.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a JWT check",
    label = "not marked with `#[jwt_check]`",
    note = "mark the function with `#[jwt_check]` to use it in `#[jwt_required(check = ..)]`"
)]
pub trait JwtCheck {
    /// The function's name, for messages.
    const NAME: &'static str;
    /// The glue that resolves the function's request guards and calls it.
    fn check() -> RequestLoaderFn<CheckResult>;
}

/// `check = NAME` names a [`JwtCheck`] by its value: `#[jwt_check]` turns the
/// function's name into a unit value of the check's type, so `#[jwt_required]`
/// reaches the check through this trait's method, and a name that is not a
/// check (a function without the attribute, a struct) is one error, at the
/// name, in these words. `#[jwt_check]` implements it; a hand-written
/// [`JwtCheck`] on a unit struct adds `impl IsJwtCheck for X {}`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a `#[jwt_check]` function",
    label = "not marked with `#[jwt_check]`",
    note = "mark the function with `#[jwt_check]` to use it in `#[jwt_required(check = ..)]`, e.g. `#[jwt_check] fn admins_only(claims: &Claims) -> Result<(), Status> {{ .. }}`"
)]
pub trait IsJwtCheck: JwtCheck + Sized {
    /// The check's glue.
    fn check_glue(self) -> RequestLoaderFn<CheckResult> {
        <Self as JwtCheck>::check()
    }
}
