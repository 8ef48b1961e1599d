//! One module per attribute: parse into typed arguments, validate, generate.

pub mod encode_loader;
pub mod jwt_required;
pub mod loaders;
pub mod request_loader;
pub mod user_identity;
