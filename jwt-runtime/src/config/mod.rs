//! Configuration: every `JWT_*` option of flask-jwt-extended as a flat `jwt_*`
//! key of Rocket's configuration (`Rocket.toml`, `ROCKET_JWT_*` environment
//! variables, or any figment provider), validated once at ignite.

mod jwks;
mod keys;
mod model;
mod parse;

pub use jwks::check_fetch_url;

pub use model::{ConfigError, Expiry, JwksSettings, JwtConfig, SameSite};
