//! The fairings: the manager (ignite: configuration, keys, loaders, store;
//! response: refusals rendered, queued cookies written) and implicit refresh.

mod manager;
mod refresh;

pub use manager::JwtManager;
pub use refresh::ImplicitRefresh;
