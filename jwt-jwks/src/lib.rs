//! Verify tokens an identity provider issues (Keycloak, Auth0, Cognito,
//! Entra, or another rocket-jwt-extended service) with the keys it
//! publishes as a JWKS.
//!
//! ```no_run
//! # #[macro_use] extern crate rocket;
//! use rocket_jwt_extended_jwks::Jwks;
//! use rocket_jwt_extended_runtime::JwtManager;
//!
//! // Rocket.toml: jwt_jwks_url = "https://idp.example/.well-known/jwks.json"
//! #[launch]
//! fn rocket() -> _ {
//!     rocket::build().attach(JwtManager::new().key_source(Jwks::new()))
//! }
//! ```
//!
//! How keys are kept:
//! - Only `jwt_jwks_url` is fetched: never a `jku`/`x5u` a token names, and
//!   no redirect is followed. `https://` with the webpki roots, or
//!   `http://` on the loopback interface. With `jwt_oidc_issuer` instead,
//!   the issuer's discovery document is fetched first; its `issuer` must be
//!   the configured one exactly, and the `jwks_uri` it names is then the
//!   one URL of keys (discovered again after a failed fetch).
//! - Every fetch is bounded by `jwt_jwks_timeout_ms` (default 3000) and
//!   1 MiB. The first one happens at launch; a key server that is down then
//!   does not stop the launch, requests fail closed until it answers.
//! - The keys are re-fetched in the background every `jwt_jwks_refresh_secs`
//!   (default 300), sooner after a failure (1 s, doubling).
//! - A token naming a `kid` the keys do not have causes one fetch, at most
//!   once per `jwt_jwks_min_refetch_secs` (default 30) however many such
//!   tokens arrive: a flood of random `kid`s is answered 422 from the cache.
//! - While the key server is down, keys fetched before keep verifying for
//!   `jwt_jwks_max_stale_secs` (default 3600) past their refresh time; after
//!   that, and for an unknown `kid` meanwhile, requests fail closed: 503
//!   `Verification keys unavailable` or 422.
//! - Public keys only: `oct` (secret) keys are ignored, as are keys whose
//!   `use` is not `sig`, RSA keys under 2048 bits, and curves that do not
//!   match their `alg`. A key without `alg` counts as RS256 (RSA), ES256 or
//!   ES384 (by curve), or EdDSA.
//! - On the request path, reading the cached keys takes no lock and
//!   allocates nothing.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, Weak};
use std::time::{Duration, Instant};

use arc_swap::ArcSwapOption;
use rocket::tokio;
use serde_json::Value;

use rocket_jwt_extended_runtime::keys::{check_fetch_url, Algorithm, Jwk, Keys, VerifyKey};
use rocket_jwt_extended_runtime::{JwksSettings, KeySource, KeySourceError};

/// The largest JWKS document read.
const MAX_DOCUMENT: u64 = 1 << 20;

/// Keys fetched from `jwt_jwks_url`, cached and refreshed. Register it with
/// [`JwtManager::key_source`](rocket_jwt_extended_runtime::JwtManager::key_source).
///
/// One `Jwks` serves one Rocket; clones share the cache.
#[derive(Clone, Default)]
pub struct Jwks {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    settings: OnceLock<JwksSettings>,
    /// With `jwt_oidc_issuer`: the JWKS URL its discovery document names.
    discovered: std::sync::Mutex<Option<String>>,
    cached: ArcSwapOption<Snapshot>,
    fetch: tokio::sync::Mutex<Option<Instant>>,
    fetches: AtomicU64,
}

struct Snapshot {
    keys: Arc<Keys>,
    fetched: Instant,
}

impl Jwks {
    /// A key source configured from the `jwt_jwks_*` keys at ignite.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many fetches were made (for metrics and tests).
    pub fn fetch_count(&self) -> u64 {
        self.inner.fetches.load(Ordering::Relaxed)
    }

    /// How many keys the cache holds.
    pub fn key_count(&self) -> usize {
        self.inner
            .cached
            .load()
            .as_ref()
            .map_or(0, |s| s.keys.verify.len())
    }
}

impl Inner {
    fn settings(&self) -> Result<&JwksSettings, KeySourceError> {
        self.settings
            .get()
            .ok_or_else(|| KeySourceError("the JWKS key source was not initialised".into()))
    }

    fn current(&self) -> Result<Arc<Keys>, KeySourceError> {
        let settings = self.settings()?;
        let guard = self.cached.load();
        let Some(snapshot) = guard.as_ref() else {
            return Err(KeySourceError(format!(
                "no keys fetched yet from {}",
                settings.url
            )));
        };
        let age = snapshot.fetched.elapsed();
        if age > settings.refresh + settings.max_stale {
            return Err(KeySourceError(format!(
                "the keys from {} were fetched {} s ago, longer than jwt_jwks_refresh_secs + \
                 jwt_jwks_max_stale_secs allow",
                settings.url,
                age.as_secs()
            )));
        }
        Ok(snapshot.keys.clone())
    }

    /// Fetches and, on success, replaces the cache. Callers hold `fetch`.
    async fn fetch_now(&self) -> Result<Arc<Keys>, KeySourceError> {
        let settings = self.settings()?.clone();
        let url = match &settings.issuer {
            None => settings.url.clone(),
            Some(issuer) => {
                let known = self.discovered.lock().ok().and_then(|d| d.clone());
                match known {
                    Some(url) => url,
                    None => {
                        let document = self.get(&settings, settings.url.clone()).await?;
                        let url = jwks_uri(&document, issuer)
                            .map_err(|e| KeySourceError(format!("{}: {e}", settings.url)))?;
                        if let Ok(mut d) = self.discovered.lock() {
                            *d = Some(url.clone());
                        }
                        url
                    }
                }
            }
        };
        let document = match self.get(&settings, url.clone()).await {
            Ok(d) => d,
            Err(e) => {
                // Discover again next time: the issuer may have moved its keys.
                if let Ok(mut d) = self.discovered.lock() {
                    *d = None;
                }
                return Err(e);
            }
        };
        let keys =
            Arc::new(parse_jwks(&document).map_err(|e| KeySourceError(format!("{url}: {e}")))?);
        self.cached.store(Some(Arc::new(Snapshot {
            keys: keys.clone(),
            fetched: Instant::now(),
        })));
        Ok(keys)
    }

    /// One bounded GET off the async workers.
    async fn get(&self, settings: &JwksSettings, url: String) -> Result<Value, KeySourceError> {
        self.fetches.fetch_add(1, Ordering::Relaxed);
        let deadline = settings.timeout + Duration::from_millis(250);
        let timeout = settings.timeout;
        let shown = url.clone();
        let job = tokio::task::spawn_blocking(move || fetch_document(&url, timeout));
        match tokio::time::timeout(deadline, job).await {
            Ok(Ok(result)) => result,
            Ok(Err(e)) => Err(KeySourceError(format!("fetching {shown} failed: {e}"))),
            Err(_) => Err(KeySourceError(format!("fetching {shown} timed out"))),
        }
    }

    async fn refetch(&self) -> Result<Arc<Keys>, KeySourceError> {
        let settings = self.settings()?;
        let mut last = self.fetch.lock().await;
        if let Some(at) = *last {
            if at.elapsed() < settings.min_refetch {
                // Fetched a moment ago (perhaps while this request waited):
                // the cache is the answer.
                return self.current();
            }
        }
        *last = Some(Instant::now());
        match self.fetch_now().await {
            Ok(keys) => Ok(keys),
            Err(e) => {
                rocket::log::private::warn!("JWKS: {e}");
                self.current().map_err(|_| e)
            }
        }
    }
}

impl KeySource for Jwks {
    fn name(&self) -> &'static str {
        "Jwks"
    }

    fn init<'a>(
        &'a self,
        settings: &'a JwksSettings,
    ) -> rocket_jwt_extended_runtime::__private::BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            if self.inner.settings.set(settings.clone()).is_err() {
                return Err(
                    "this Jwks already serves another Rocket; create one per Rocket".into(),
                );
            }
            {
                let mut last = self.inner.fetch.lock().await;
                *last = Some(Instant::now());
                match self.inner.fetch_now().await {
                    Ok(keys) => rocket::log::private::info!(
                        "JWKS: {} keys from {}",
                        keys.verify.len(),
                        settings.url
                    ),
                    Err(e) => rocket::log::private::warn!(
                        "JWKS: {e}; requests fail closed until the key server answers"
                    ),
                }
            }
            tokio::spawn(refresh_loop(Arc::downgrade(&self.inner)));
            Ok(())
        })
    }

    fn current(&self) -> Result<Arc<Keys>, KeySourceError> {
        self.inner.current()
    }

    fn refetch(
        &self,
    ) -> rocket_jwt_extended_runtime::__private::BoxFuture<'_, Result<Arc<Keys>, KeySourceError>>
    {
        Box::pin(self.inner.refetch())
    }
}

/// Re-fetches when the keys are due, sooner after a failure; ends when the
/// key source is dropped.
async fn refresh_loop(inner: Weak<Inner>) {
    let mut backoff = Duration::from_secs(1);
    loop {
        let wait = match inner.upgrade() {
            None => return,
            Some(inner) => {
                let Ok(settings) = inner.settings() else {
                    return;
                };
                let fresh_for = inner
                    .cached
                    .load()
                    .as_ref()
                    .map(|s| settings.refresh.saturating_sub(s.fetched.elapsed()));
                match fresh_for {
                    Some(wait) if !wait.is_zero() => {
                        backoff = Duration::from_secs(1);
                        wait
                    }
                    _ => {
                        let mut last = inner.fetch.lock().await;
                        *last = Some(Instant::now());
                        match inner.fetch_now().await {
                            Ok(_) => {
                                backoff = Duration::from_secs(1);
                                settings.refresh
                            }
                            Err(e) => {
                                rocket::log::private::warn!("JWKS: {e}");
                                let wait = backoff.min(settings.refresh);
                                backoff = (backoff * 2).min(settings.refresh);
                                wait
                            }
                        }
                    }
                }
            }
        };
        tokio::time::sleep(wait).await;
    }
}

/// The `jwks_uri` of an OpenID Connect discovery document, whose `issuer`
/// must be the configured one exactly (OpenID Connect Discovery §4.3), and
/// which must be a URL keys may be fetched from.
fn jwks_uri(document: &Value, issuer: &str) -> Result<String, String> {
    let named = document.get("issuer").and_then(Value::as_str);
    if named != Some(issuer) {
        return Err(format!(
            "the discovery document names issuer {named:?}, not \"{issuer}\""
        ));
    }
    let uri = document
        .get("jwks_uri")
        .and_then(Value::as_str)
        .ok_or("the discovery document has no jwks_uri")?;
    check_fetch_url("jwks_uri", uri).map_err(|e| e.message)?;
    // An https issuer names keys over https: never a plain-http URL, not
    // even on the loopback interface (this server's own services).
    let https = |u: &str| {
        u.get(..8)
            .is_some_and(|p| p.eq_ignore_ascii_case("https://"))
    };
    if https(issuer) && !https(uri) {
        return Err(format!(
            "the discovery document names jwks_uri \"{uri}\", which is not https"
        ));
    }
    Ok(uri.to_owned())
}

/// One GET: no redirects, a deadline, a size cap.
fn fetch_document(url: &str, timeout: Duration) -> Result<Value, KeySourceError> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        // Straight to the configured host: no proxy from the environment.
        .proxy(None)
        .max_redirects(0)
        .http_status_as_error(false)
        .build()
        .into();
    let mut response = agent
        .get(url)
        .header("Accept", "application/json, application/jwk-set+json")
        .call()
        .map_err(|e| KeySourceError(format!("fetching {url} failed: {e}")))?;
    let status = response.status();
    if !status.is_success() {
        return Err(KeySourceError(format!(
            "fetching {url} failed: status {}",
            status.as_u16()
        )));
    }
    let body = response
        .body_mut()
        .with_config()
        .limit(MAX_DOCUMENT)
        .read_to_vec()
        .map_err(|e| KeySourceError(format!("reading {url} failed: {e}")))?;
    serde_json::from_slice(&body)
        .map_err(|e| KeySourceError(format!("{url} is not a JSON document: {e}")))
}

/// The verification keys of a JWKS document; unusable keys are skipped
/// (and logged), a document that is not a JWKS is an error.
pub fn parse_jwks(document: &Value) -> Result<Keys, String> {
    let list = document
        .get("keys")
        .and_then(Value::as_array)
        .ok_or("not a JWKS: no \"keys\" list")?;
    let mut verify = Vec::new();
    for (i, raw) in list.iter().enumerate() {
        match key_of(raw) {
            Ok(key) => {
                if key.kid.is_some() && verify.iter().any(|k: &VerifyKey| k.kid == key.kid) {
                    rocket::log::private::warn!("JWKS: key {i}: its kid is used twice; skipped");
                    continue;
                }
                verify.push(key)
            }
            Err(why) => rocket::log::private::warn!("JWKS: key {i} skipped: {why}"),
        }
    }
    Ok(Keys::verify_only(Algorithm::RS256, verify))
}

fn key_of(raw: &Value) -> Result<VerifyKey, String> {
    if let Some(usage) = raw.get("use") {
        if usage != "sig" {
            return Err(format!("its use is {usage}, not \"sig\""));
        }
    }
    let kty = raw.get("kty").and_then(Value::as_str).unwrap_or("");
    if kty == "oct" {
        return Err("a shared secret is never taken from a JWKS".into());
    }
    let jwk: Jwk = serde_json::from_value(raw.clone()).map_err(|e| format!("not a JWK: {e}"))?;
    let kid = raw.get("kid").and_then(Value::as_str).map(str::to_owned);
    let alg = match raw.get("alg").and_then(Value::as_str) {
        Some(name) => name
            .parse::<Algorithm>()
            .map_err(|_| format!("unsupported alg \"{name}\""))?,
        None => match (kty, raw.get("crv").and_then(Value::as_str)) {
            ("RSA", _) => Algorithm::RS256,
            ("EC", Some("P-256")) => Algorithm::ES256,
            ("EC", Some("P-384")) => Algorithm::ES384,
            ("OKP", Some("Ed25519")) => Algorithm::EdDSA,
            _ => return Err(format!("unsupported key type \"{kty}\"")),
        },
    };
    VerifyKey::from_jwk(kid, alg, &jwk)
}
