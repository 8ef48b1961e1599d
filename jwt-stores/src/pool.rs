//! The pool a store takes from the Rocket at ignite.

use std::sync::OnceLock;

use rocket::{Build, Rocket};

use rocket_jwt_extended_runtime::StoreError;

/// The pool of the `rocket_db_pools` database `D`, taken at ignite.
pub(crate) struct Captured<D: rocket_db_pools::Database>(OnceLock<D::Pool>);

impl<D: rocket_db_pools::Database> Captured<D>
where
    D::Pool: Clone,
{
    pub(crate) const fn new() -> Self {
        Captured(OnceLock::new())
    }

    /// Takes the pool from the Rocket (its database fairing must have
    /// run, i.e. been attached before the manager).
    pub(crate) fn capture(&self, rocket: &Rocket<Build>) -> Result<&D::Pool, String> {
        let pool = D::fetch(rocket).map(|db| &**db).ok_or_else(|| {
            format!(
                "the database `{}` is not attached: attach `{}::init()` before the JwtManager",
                D::NAME,
                std::any::type_name::<D>()
            )
        })?;
        // One store serves one Rocket: a second one (a cloned manager) would
        // otherwise silently keep the first Rocket's pool.
        if self.0.set(pool.clone()).is_err() {
            return Err(format!(
                "this store is already prepared for another Rocket's `{}`: give each Rocket \
                 its own store (e.g. RedisStore::<{}>::new())",
                D::NAME,
                std::any::type_name::<D>()
            ));
        }
        self.get().map_err(|e| e.0)
    }

    /// The captured pool; an error before the launch captured it.
    pub(crate) fn get(&self) -> Result<&D::Pool, StoreError> {
        self.0.get().ok_or_else(|| {
            StoreError(format!(
                "the database `{}` was not captured: register the store with \
                 JwtManager::revocation_store so that it is prepared at launch",
                D::NAME
            ))
        })
    }
}
