//! Runtime of `rocket-jwt-extended`: configuration, the token engine, token
//! locations, guards, the manager fairing, loaders and error responses.
//!
//! Applications depend on the `rocket-jwt-extended` facade, which re-exports
//! this crate together with the attribute macros; everything here also works
//! without any macro. The layers, bottom to top, and why they run that way,
//! are described in the repository's `ARCHITECTURE.md`.
#![deny(missing_docs)]

// The layers (bottom to top) and the rule between them: ARCHITECTURE.md.
mod config;
mod context;
mod cookies;
mod error;
mod fairing;
mod guards;
mod issue;
mod key_source;
mod loaders;
mod memory_store;
mod protect;
mod publish;
mod request;
mod response;
mod state;
mod store;
pub mod testing;
mod token;
mod util;

pub use config::{ConfigError, Expiry, JwksSettings, JwtConfig, SameSite};
pub use context::{
    current_user, get_jwt, get_jwt_as, get_jwt_header, get_jwt_identity, get_jwt_request_location,
    try_current_user, try_get_jwt, CurrentJwt, NoJwtContext,
};
pub use cookies::{CookieOptions, JwtCookies, JwtCookiesExt, WithJwtCookies};
pub use error::{ErrorKind, JwtError};
pub use fairing::{ImplicitRefresh, JwtManager};
pub use guards::{
    CheckFailed, CurrentUser, FreshJwt, JsonBodyError, Jwt, JwtClaims, JwtGuard, JwtJson,
    OptionalJwt, RefreshJwt, Refreshed, Revocations, SessionRefresh, Tokens,
};
pub use issue::{AccessToken, Fresh, Identity, RefreshToken, TokenBuilder, TokenKind, TokenPair};
pub use key_source::{KeySource, KeySourceError};
pub use loaders::{
    unregistered_loaders_message, AnyUser, CheckOutput, CheckResult, ErrorResponse, FromGuard,
    FromIdentity, FromToken, HandlerParam, IntoKey, IntoLoader, IntoObject, IsJwtCheck, JsonBody,
    JwtCheck, Loader, LoaderArgs, LoaderParam, LookupResult, ParamOutcome, Predicate,
    RequestLoaderFn, SendLoader,
};
pub use memory_store::MemoryStore;
pub use protect::protect;
pub use publish::jwks_routes;
pub use request::{recorded_error, verify_jwt_in_request, Authenticated, VerifyOptions};
pub use state::JwtState;
pub use store::{Check, Entry, RevocationStore, StoreError};
pub use token::{
    Claims, DecodeError, EncodeError, JwtHeader, Location, TokenType, VerifiedJwt,
    REFRESH_EXP_CLAIM, REFRESH_JTI_CLAIM, SESSION_CLAIM,
};

/// Keys: what verifies and signs tokens, the checks every key passes, and
/// (with `rust_crypto`) fresh key pairs. For key sources and tools; an
/// application configures keys through `jwt_*` keys instead.
pub mod keys {
    pub use crate::config::check_fetch_url;
    pub use crate::token::{
        alg_name, check_pair, private_pem, thumbprint, Family, KeyLookup, Keys, Signer, Verifier,
        VerifyKey, MIN_RSA_BITS, SUPPORTED_ALGORITHMS,
    };
    #[cfg(feature = "rust_crypto")]
    pub use crate::token::{generate_key_pair, generate_rsa_key_pair, KeyPair};
    pub use jsonwebtoken::jwk::Jwk;
    pub use jsonwebtoken::Algorithm;
}

/// What the attribute macros' generated code calls. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::context::{enter, scope, SyncScope};
    pub use crate::guards::{admin_required, Checked, JwtBody};
    pub use crate::loaders::{guard_failed, EncodeKeyFn};
    pub use crate::loaders::{Defined, Listed, SendFuture, UserObject};
    pub use crate::loaders::{EncodeLoaderFn, LoaderFuture, RawIdentity};
    pub use crate::util::BoxFuture;
    pub use inventory;
    pub use rocket;
    pub use serde_json;
}
