//! Loaders: the functions flask-jwt-extended registers with `@jwt.<x>_loader`.
//!
//! Each loader attribute (`#[additional_claims]`, `#[additional_headers]`, …)
//! leaves the user's function as written and emits, beside it, a hidden struct
//! of the same name that converts into a [`Loader`]. Loaders are registered
//! explicitly on the manager with [`loaders!`](crate::loaders), like routes.

use std::any::{type_name, Any};
use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::EncodeError;
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

#[derive(Clone)]
pub(crate) enum LoaderKind {
    AdditionalClaims(EncodeLoaderFn),
    AdditionalHeaders(EncodeLoaderFn),
}

impl LoaderKind {
    pub(crate) fn attribute(&self) -> &'static str {
        match self {
            LoaderKind::AdditionalClaims(_) => "#[additional_claims]",
            LoaderKind::AdditionalHeaders(_) => "#[additional_headers]",
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
#[derive(Clone, Default)]
pub(crate) struct Loaders {
    pub additional_claims: Option<(&'static str, EncodeLoaderFn)>,
    pub additional_headers: Option<(&'static str, EncodeLoaderFn)>,
}

impl Loaders {
    pub(crate) fn build(list: &[Loader]) -> Result<Loaders, String> {
        let mut out = Loaders::default();
        for l in list {
            let slot = match &l.kind {
                LoaderKind::AdditionalClaims(f) => (&mut out.additional_claims, *f),
                LoaderKind::AdditionalHeaders(f) => (&mut out.additional_headers, *f),
            };
            if let Some((prev, _)) = slot.0 {
                return Err(format!(
                    "two {} loaders are registered (`{prev}` and `{}`); register one",
                    l.kind.attribute(),
                    l.name
                ));
            }
            *slot.0 = Some((l.name, slot.1));
        }
        Ok(out)
    }
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
