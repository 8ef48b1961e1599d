//! flask-jwt-extended's feature set for Rocket, as attributes.
#![deny(missing_docs)]

pub use rocket_jwt_extended_macros::*;
pub use rocket_jwt_extended_runtime::*;
