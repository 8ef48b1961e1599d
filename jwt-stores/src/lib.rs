//! Revocation stores for `rocket-jwt-extended`, through `rocket_db_pools`
//! databases: Redis (`redis` feature), SQLite (`sqlite`) and PostgreSQL
//! (`postgres`), and a Redis Cluster over its own cluster client
//! (`redis-cluster`). Each implements the runtime's `RevocationStore`, takes its
//! pool from the Rocket once, at ignite, and keeps it.
//!
//! Applications usually enable the facade's feature of the same name and use
//! `rocket_jwt_extended::RedisStore` & co.; depending on this crate directly
//! works the same. The in-memory store is in the runtime itself.
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "redis")]
mod redis;
#[cfg(feature = "redis-cluster")]
mod redis_cluster;
#[cfg(any(feature = "redis", feature = "redis-cluster"))]
mod redis_common;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql;

#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use self::redis::RedisStore;
#[cfg(feature = "redis-cluster")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis-cluster")))]
pub use self::redis_cluster::RedisClusterStore;
#[cfg(feature = "postgres")]
#[cfg_attr(docsrs, doc(cfg(feature = "postgres")))]
pub use sql::PostgresStore;
#[cfg(feature = "sqlite")]
#[cfg_attr(docsrs, doc(cfg(feature = "sqlite")))]
pub use sql::SqliteStore;

#[cfg(any(feature = "redis", feature = "sqlite", feature = "postgres"))]
mod pool;
