//! Integration tests through `rocket::local`, one binary for link speed.
//! Each module pins the rows of the behaviour reference it is named after.

#[macro_use]
extern crate rocket;

mod common;

mod browser;
#[cfg(all(
    feature = "redis-cluster",
    feature = "redis",
    feature = "sqlite",
    feature = "postgres"
))]
mod cluster;

mod config;
mod cookies;
mod db_loaders;
mod decoding;
mod decorators;
mod diagnostics;
mod examples;
mod header_location;
#[cfg(all(feature = "redis", feature = "sqlite", feature = "postgres"))]
mod http;
mod implicit_refresh;
mod interop;
#[cfg(feature = "jwks")]
mod jwks;
mod keys;
mod launch;
#[cfg(all(feature = "redis", feature = "sqlite", feature = "postgres"))]
mod load;
mod loaders;
mod locations;
#[cfg(feature = "metrics")]
mod metrics;
mod routes;
#[cfg(all(feature = "redis", feature = "sqlite", feature = "postgres"))]
mod sessions;
#[cfg(all(feature = "redis", feature = "sqlite", feature = "postgres"))]
mod store_failures;
#[cfg(all(feature = "redis", feature = "sqlite", feature = "postgres"))]
mod stores;

/// The store tests run against real servers and need the stores' features,
/// which `cargo test --workspace` turns on (through the `ui-tests` member).
#[cfg(not(all(
    feature = "redis",
    feature = "redis-cluster",
    feature = "sqlite",
    feature = "postgres",
    feature = "jwks",
    feature = "metrics"
)))]
#[test]
fn store_tests_need_the_store_features() {
    panic!(
        "the revocation-store, JWKS and metrics tests were not built: run `cargo test --workspace`, \
         or add `--features redis,sqlite,postgres,jwks,metrics`"
    );
}
mod testing;
mod tokens;
mod type_fresh;
