//! What loaders take: the parts of the token and any Rocket request guard,
//! each dispatched by a trait impl (never by the spelling of a type's name),
//! and the identity given to `create_*_token` for encode-side loaders.
//!
//! A parameter type is resolved through [`LoaderParam`] (loaders and checks)
//! or [`HandlerParam`] (error handlers), whose second parameter is a marker
//! inferred by the compiler: [`FromToken`] for `&Claims`, `&JwtHeader` and
//! `&str`, [`FromGuard`] for every Rocket request guard. A type of the
//! application's own that happens to be called `Claims` is a request guard
//! like any other.

use std::any::{type_name, Any};

use rocket::http::Status;
use rocket::outcome::Outcome;
use rocket::request::{FromRequest, Request};

use crate::error::JwtError;
use crate::token::{Claims, EncodeError, JwtHeader, VerifiedJwt};

/// The raw identity object passed to `create_*_token`, when it has one.
pub type RawIdentity<'a> = Option<&'a (dyn Any + Send + Sync)>;

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
    /// The error being answered, for error handlers (`None` for loaders).
    pub error: Option<&'r JwtError>,
}

impl<'r> LoaderArgs<'r> {
    /// The parts of a verified token, for loaders and checks (no reason).
    pub fn token(token: &'r VerifiedJwt) -> Self {
        LoaderArgs {
            header: token.header(),
            claims: token.claims(),
            identity: token.identity(),
            reason: "",
            error: None,
        }
    }

    /// No token (an error handler for a request without one): empty parts.
    pub fn none(reason: &'r str) -> Self {
        LoaderArgs {
            header: JwtHeader::empty_ref(),
            claims: Claims::empty_ref(),
            identity: "",
            reason,
            error: None,
        }
    }
}

/// Marker of [`LoaderParam`]/[`HandlerParam`]: a part of the token.
#[doc(hidden)]
pub enum FromToken {}

/// Marker of [`LoaderParam`]/[`HandlerParam`]: a Rocket request guard.
#[doc(hidden)]
pub enum FromGuard {}

/// How a parameter is resolved when it fails: the guard's status, or an
/// internal error (500) when the guard errored.
pub type ParamOutcome<T> = Outcome<T, (), Status>;

/// A parameter of a request-side loader or check: the token's `&JwtHeader`,
/// its `&Claims`, the identity as `&str`, or any Rocket request guard.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a parameter of a JWT loader",
    label = "not `&JwtHeader`, `&Claims`, `&str` or a Rocket request guard",
    note = "loader parameters are the token's `&JwtHeader`, its `&Claims`, the identity as `&str`, or any type implementing `FromRequest` (e.g. `Connection<Db>`, `&State<T>`)"
)]
#[rocket::async_trait]
pub trait LoaderParam<'r, M>: Sized {
    /// The value for this request and token.
    async fn resolve(req: &'r Request<'_>, args: LoaderArgs<'r>) -> ParamOutcome<Self>;
}

/// A parameter of an error handler: the token's `&JwtHeader` and `&Claims`
/// (empty when the error has no token), the error message as `&str`, or any
/// Rocket request guard.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a parameter of a JWT error handler",
    label = "not `&JwtError`, `&JwtHeader`, `&Claims`, `&str` or a Rocket request guard",
    note = "error handler parameters are the `&JwtError`, the token's `&JwtHeader`, its `&Claims`, the error message as `&str`, or any type implementing `FromRequest`"
)]
#[rocket::async_trait]
pub trait HandlerParam<'r, M>: Sized {
    /// The value for this request and error.
    async fn resolve(req: &'r Request<'_>, args: LoaderArgs<'r>) -> ParamOutcome<Self>;
}

/// Runs the request guard `T`; an error becomes a forward with its status,
/// so the glue refuses the request instead of accepting the token.
async fn guard<'r, T: FromRequest<'r>>(req: &'r Request<'_>) -> ParamOutcome<T> {
    match T::from_request(req).await {
        Outcome::Success(v) => Outcome::Success(v),
        Outcome::Error((s, _)) | Outcome::Forward(s) => Outcome::Forward(s),
    }
}

macro_rules! token_parts {
    ($trait:ident, $str_field:ident) => {
        #[rocket::async_trait]
        impl<'r, T: FromRequest<'r>> $trait<'r, FromGuard> for T {
            async fn resolve(req: &'r Request<'_>, _: LoaderArgs<'r>) -> ParamOutcome<Self> {
                guard::<T>(req).await
            }
        }

        #[rocket::async_trait]
        impl<'r> $trait<'r, FromToken> for &'r Claims {
            async fn resolve(_: &'r Request<'_>, args: LoaderArgs<'r>) -> ParamOutcome<Self> {
                Outcome::Success(args.claims)
            }
        }

        #[rocket::async_trait]
        impl<'r> $trait<'r, FromToken> for &'r JwtHeader {
            async fn resolve(_: &'r Request<'_>, args: LoaderArgs<'r>) -> ParamOutcome<Self> {
                Outcome::Success(args.header)
            }
        }

        #[rocket::async_trait]
        impl<'r> $trait<'r, FromToken> for &'r str {
            async fn resolve(_: &'r Request<'_>, args: LoaderArgs<'r>) -> ParamOutcome<Self> {
                Outcome::Success(args.$str_field)
            }
        }
    };
}

token_parts!(LoaderParam, identity);
token_parts!(HandlerParam, reason);

/// The error itself, for `#[jwt_error]` (and any error handler).
#[rocket::async_trait]
impl<'r> HandlerParam<'r, FromToken> for &'r JwtError {
    async fn resolve(_: &'r Request<'_>, args: LoaderArgs<'r>) -> ParamOutcome<Self> {
        match args.error {
            Some(error) => Outcome::Success(error),
            None => Outcome::Forward(Status::InternalServerError),
        }
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
