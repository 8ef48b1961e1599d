//! Runtime of `rocket-jwt-extended`: configuration, the token engine, token
//! locations, guards, the manager fairing, loaders and error responses.
//!
//! Applications depend on the `rocket-jwt-extended` facade, which re-exports
//! this crate together with the attribute macros; everything here also works
//! without any macro.
#![deny(missing_docs)]

mod body;
mod check;
mod claims;
mod codec;
mod config;
mod context;
mod cookies;
mod error;
mod guard;
mod loaders;
mod manager;
mod refresh;
mod respond;
mod stores;
mod tokens;
mod user;
mod util;
mod verify;

pub use body::JsonBodyError;
pub use check::{CheckFailed, CheckOutput, CheckResult, JwtCheck};
pub use claims::{Claims, JwtHeader, VerifiedJwt};
pub use config::{Expiry, JwtConfig, Location, SameSite};
pub use context::{
    current_user, get_jwt, get_jwt_header, get_jwt_identity, get_jwt_request_location,
    try_current_user, try_get_jwt, CurrentJwt, NoJwtContext,
};
pub use cookies::{CookieOptions, JwtCookies, JwtCookiesExt, WithJwtCookies};
pub use error::{ConfigError, DecodeError, EncodeError, ErrorKind, JwtError};
pub use guard::{FreshJwt, Jwt, JwtGuard, OptionalJwt, RefreshJwt};
pub use loaders::{
    AnyUser, ErrorResponse, FromIdentity, IntoKey, IntoLoader, Loader, LoaderArgs, LoaderParam,
    LookupResult, RequestLoaderFn,
};
pub use manager::{JwtManager, JwtState};
pub use refresh::ImplicitRefresh;
pub use respond::recorded_error;
#[cfg(feature = "postgres")]
pub use stores::PostgresStore;
#[cfg(feature = "redis")]
pub use stores::RedisStore;
#[cfg(feature = "sqlite")]
pub use stores::SqliteStore;
pub use stores::{
    Check, Entry, MemoryStore, RevocationStore, Revocations, StoreError, REFRESH_EXP_CLAIM,
    REFRESH_JTI_CLAIM,
};
pub use tokens::{AccessToken, Fresh, Identity, RefreshToken, TokenBuilder, TokenKind, Tokens};
pub use user::CurrentUser;
pub use verify::{verify_jwt_in_request, Authenticated, VerifyOptions};

/// Collects loaders for [`JwtManager::loaders`], like Rocket's `routes![]`.
///
/// ```ignore
/// rocket::build().attach(JwtManager::new().loaders(loaders![add_claims, identity_headers]))
/// ```
#[macro_export]
macro_rules! loaders {
    ($($($segment:ident)::+),* $(,)?) => {
        ::std::vec![$($crate::IntoLoader::into_loader($($segment)::+ {})),*]
    };
}

/// What the attribute macros' generated code calls. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::body::{JwtBody, JwtJson};
    pub use crate::check::{admin_required, Checked};
    pub use crate::context::{enter, scope, SyncScope};
    pub use crate::loaders::{guard_failed, into_any_user, EncodeKeyFn};
    pub use crate::loaders::{into_object, EncodeLoaderFn, LoaderFuture, RawIdentity};
    pub use crate::util::BoxFuture;
    pub use rocket;
    pub use serde_json;
}
