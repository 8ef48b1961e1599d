//! The in-memory store: for tests and single-process applications (its
//! revocations end with the process).

use std::collections::HashMap;
use std::sync::Mutex;

use rocket::{Build, Orbit, Rocket};

use super::{Check, Entry, RevocationStore, StoreError};
use crate::util::BoxFuture;

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
            .map(|i| i.jtis.len() + i.identities.len())
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

impl RevocationStore for MemoryStore {
    fn name(&self) -> &'static str {
        "in-memory revocation store"
    }

    fn init<'a>(&'a self, _: &'a Rocket<Build>) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async { Ok(()) })
    }

    fn is_revoked<'a>(
        &'a self,
        _: &'a Rocket<Orbit>,
        check: Check<'a>,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        Box::pin(async move {
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
        })
    }

    fn revoke<'a>(
        &'a self,
        _: &'a Rocket<Orbit>,
        entries: &'a [Entry<'a>],
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let mut inner = self.lock()?;
            let now = entries.first().map_or(0, |e| e.revoked_at);
            inner.jtis.retain(|_, e| live(*e, now));
            inner.identities.retain(|_, (_, e)| live(*e, now));
            for e in entries {
                inner.jtis.insert(e.jti.to_owned(), e.expires_at);
            }
            Ok(())
        })
    }

    fn revoke_identity<'a>(
        &'a self,
        _: &'a Rocket<Orbit>,
        identity: &'a str,
        before: i64,
        expires_at: Option<i64>,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let mut inner = self.lock()?;
            inner
                .identities
                .insert(identity.to_owned(), (before, expires_at));
            Ok(())
        })
    }
}
