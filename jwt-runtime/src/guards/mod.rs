//! Request and data guards: what routes take to be protected, without any
//! macro (`Jwt` & co., `CurrentUser`), what `#[jwt_required]` inserts
//! (`Checked`, the body data guards), and the handler-side services
//! (`Tokens`, `Revocations`).

mod body;
mod check;
mod jwt;
mod revocations;
mod tokens;
mod typed;
mod user;

pub use body::JsonBodyError;
pub use body::{JwtBody, JwtJson};
pub use check::CheckFailed;
pub use check::{admin_required, Checked};
pub use jwt::{FreshJwt, Jwt, JwtGuard, OptionalJwt, RefreshJwt};
pub use revocations::Revocations;
pub use tokens::{Refreshed, SessionRefresh, Tokens};
pub use typed::JwtClaims;
pub use user::CurrentUser;
