//! The in-memory revocation store: for tests and single-process
//! applications (its revocations end with the process). The Redis and SQL
//! stores are in the `rocket-jwt-extended-stores` crate.

use std::collections::HashMap;
use std::sync::Mutex;

use rocket::{Build, Rocket};

use crate::store::{Check, Entry, RevocationStore, StoreError};

/// Revocations in this process's memory. Expired entries are purged as new
/// ones are written.
///
/// ```
/// use rocket_jwt_extended_runtime::{JwtManager, MemoryStore};
///
/// let manager = JwtManager::new().revocation_store(MemoryStore::new());
/// ```
#[derive(Default)]
pub struct MemoryStore {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// jti → expires at (None: never).
    jtis: HashMap<String, Option<i64>>,
    /// identity → (revoked before, expires at).
    identities: HashMap<String, (i64, Option<i64>)>,
    /// used refresh jti → (used at, expires at).
    used: HashMap<String, (i64, Option<i64>)>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        MemoryStore::default()
    }

    /// How many entries are kept (revoked `jti`s and identities), for tests.
    pub fn len(&self) -> usize {
        self.inner
            .lock()
            .map(|i| i.jtis.len() + i.identities.len() + i.used.len())
            .unwrap_or(0)
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Inner>, StoreError> {
        self.inner
            .lock()
            .map_err(|_| StoreError("the in-memory store is poisoned".into()))
    }
}

fn live(expires_at: Option<i64>, now: i64) -> bool {
    expires_at.is_none_or(|e| e > now)
}

#[rocket::async_trait]
impl RevocationStore for MemoryStore {
    fn name(&self) -> &'static str {
        "in-memory revocation store"
    }

    async fn init(&self, _: &Rocket<Build>) -> Result<(), String> {
        Ok(())
    }

    async fn is_revoked(&self, check: Check<'_>) -> Result<bool, StoreError> {
        let inner = self.lock()?;
        let by_jti = check
            .jtis
            .iter()
            .any(|j| inner.jtis.get(*j).is_some_and(|e| live(*e, check.now)));
        let by_identity = inner
            .identities
            .get(check.identity)
            .is_some_and(|(before, e)| live(*e, check.now) && check.iat <= *before);
        Ok(by_jti || by_identity)
    }

    async fn revoke(&self, entries: &[Entry<'_>]) -> Result<(), StoreError> {
        let mut inner = self.lock()?;
        let now = entries.first().map_or(0, |e| e.revoked_at);
        inner.jtis.retain(|_, e| live(*e, now));
        inner.identities.retain(|_, (_, e)| live(*e, now));
        inner.used.retain(|_, (_, e)| live(*e, now));
        for e in entries {
            inner.jtis.insert(e.jti.to_owned(), e.expires_at);
        }
        Ok(())
    }

    async fn revoke_identity(
        &self,
        identity: &str,
        before: i64,
        expires_at: Option<i64>,
    ) -> Result<(), StoreError> {
        let mut inner = self.lock()?;
        inner
            .identities
            .insert(identity.to_owned(), (before, expires_at));
        Ok(())
    }

    async fn consume(
        &self,
        jti: &str,
        now: i64,
        expires_at: Option<i64>,
    ) -> Result<Option<i64>, StoreError> {
        let mut inner = self.lock()?;
        inner.used.retain(|_, (_, e)| live(*e, now));
        match inner.used.get(jti) {
            Some((at, e)) if live(*e, now) => Ok(Some(*at)),
            _ => {
                inner.used.insert(jti.to_owned(), (now, expires_at));
                Ok(None)
            }
        }
    }
}
