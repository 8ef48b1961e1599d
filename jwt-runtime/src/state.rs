//! [`JwtState`]: what the manager builds at ignite and every request shares —
//! the validated configuration (with its keys and verification policy), the
//! registered loaders and the revocation store.

use std::sync::Arc;

use rocket::figment::Figment;
use rocket::request::Request;

use crate::config::JwtConfig;
use crate::error::JwtError;
use crate::key_source::{KeySource, SharedKeySource};
use crate::loaders::{Loader, Loaders};
use crate::store::{RevocationStore, SharedStore};
use crate::token::{self, DecodeError, DecodeOptions, JwtHeader, TokenError, VerifiedJwt};

/// The ignited manager: validated configuration, keys and loaders, shared by
/// every request. Reach it with the [`Tokens`](crate::Tokens) guard or
/// `rocket.state::<JwtState>()`.
pub struct JwtState {
    config: JwtConfig,
    loaders: Loaders,
    store: Option<SharedStore>,
    key_source: Option<SharedKeySource>,
    jwks_body: String,
}

impl JwtState {
    /// Validates the configuration and the loaders, and proves the keys work.
    pub(crate) fn build(
        figment: &Figment,
        loaders: &[Loader],
        store: Option<SharedStore>,
        key_source: Option<SharedKeySource>,
    ) -> Result<JwtState, String> {
        let config = JwtConfig::from_figment(figment).map_err(|e| e.to_string())?;
        match (&config.jwks, &key_source) {
            (Some(_), None) => {
                return Err(
                    "invalid JWT configuration `jwt_jwks_url`: keys are fetched by a \
                     key source; enable the `jwks` feature and register one with \
                     JwtManager::new().key_source(Jwks::new())"
                        .into(),
                )
            }
            (None, Some(source)) => {
                return Err(format!(
                    "invalid JWT configuration `jwt_jwks_url`: the key source {} is \
                     registered but neither jwt_jwks_url nor jwt_oidc_issuer is set",
                    source.name()
                ))
            }
            _ => {}
        }
        if config.refresh_token_rotation && store.is_none() {
            return Err(
                "invalid JWT configuration `jwt_refresh_token_rotation`: rotation \
                        retires refresh tokens in a revocation store; register one with \
                        JwtManager::new().revocation_store(..)"
                    .into(),
            );
        }
        let state = JwtState {
            jwks_body: config.keys().jwks().to_string(),
            config,
            loaders: Loaders::build(loaders)?,
            store,
            key_source,
        };
        state.self_test()?;
        Ok(state)
    }

    /// The validated configuration.
    pub fn config(&self) -> &JwtConfig {
        &self.config
    }

    pub(crate) fn loaders(&self) -> &Loaders {
        &self.loaders
    }

    /// The registered revocation store.
    pub fn store(&self) -> Option<&Arc<dyn RevocationStore>> {
        self.store.as_ref()
    }

    /// The registered key source (`jwt_jwks_url`).
    pub fn key_source(&self) -> Option<&Arc<dyn KeySource>> {
        self.key_source.as_ref()
    }

    /// The JWKS document of the configured public keys (what
    /// [`jwks_routes`](crate::jwks_routes) serves).
    pub fn jwks(&self) -> serde_json::Value {
        self.config.keys().jwks()
    }

    /// The JWKS document, serialized once at ignite.
    pub(crate) fn jwks_body(&self) -> &str {
        &self.jwks_body
    }

    /// The state of the manager attached to the request's Rocket.
    pub(crate) fn of<'r>(req: &Request<'r>) -> Result<&'r JwtState, JwtError> {
        req.rocket().state::<JwtState>().ok_or_else(|| {
            JwtError::Configuration(
                "JwtManager is not attached: add `.attach(JwtManager::new())` to your Rocket"
                    .into(),
            )
        })
    }

    /// flask's `decode_token(token, allow_expired=...)`: full verification
    /// (signature, times, audience, issuer, identity claim) but no type,
    /// freshness, blocklist or user checks.
    ///
    /// A `#[decode_key]` loader may take request guards, so it runs only
    /// inside a request: with one registered, use the
    /// [`Tokens`](crate::Tokens) guard's `decode_token`; here the call is
    /// refused rather than verified with the wrong key.
    pub fn decode_token(&self, token: &str, allow_expired: bool) -> Result<VerifiedJwt, JwtError> {
        if let Some((name, _)) = self.loaders.decode_key {
            return Err(JwtError::Configuration(format!(
                "the #[decode_key] loader `{name}` needs the request: decode with the \
                 `Tokens<'_>` guard (`tokens.decode_token(..)`) inside a handler"
            )));
        }
        let opts = DecodeOptions {
            allow_expired,
            location: None,
        };
        let cfg = &self.config;
        if let Some(source) = &self.key_source {
            // A resource server with no keys of its own goes straight to the
            // source; outside a request nothing is fetched: the keys as last
            // fetched.
            if !cfg.keys().verify.is_empty() {
                let local = token::decode(cfg.policy(), cfg.keys(), token, opts);
                let unknown = matches!(
                    local,
                    Err(TokenError::Invalid(
                        DecodeError::UnknownKid | DecodeError::NoKey
                    ))
                );
                if !unknown {
                    return Ok(local?);
                }
            }
            let keys = source
                .current()
                .map_err(|e| JwtError::KeysUnavailable(e.0))?;
            return Ok(token::decode(cfg.policy(), &*keys, token, opts)?);
        }
        Ok(token::decode(cfg.policy(), cfg.keys(), token, opts)?)
    }

    /// flask's `get_unverified_jwt_headers(token)`: the header, unverified.
    pub fn get_unverified_jwt_headers(&self, token: &str) -> Result<JwtHeader, JwtError> {
        Ok(token::unverified_header(token, self.config.max_token_size)?)
    }

    /// Signs and verifies one token so that a broken crypto backend fails the
    /// launch, not the first request (a server without a signing key has
    /// had each key checked as it was read).
    fn self_test(&self) -> Result<(), String> {
        let cfg = &self.config;
        if cfg.keys().signer.is_none() {
            return Ok(());
        }
        let claims = serde_json::Map::from_iter([
            ("sub".to_owned(), "self-test".into()),
            (cfg.identity_claim.clone(), "self-test".into()),
        ]);
        let token = token::encode(cfg.keys(), None, Default::default(), &claims)
            .map_err(|e| format!("JWT self-test failed to sign: {e}"))?;
        let mut policy = cfg.policy().clone();
        policy.issuers = None;
        policy.audiences = None;
        token::decode(&policy, cfg.keys(), &token, DecodeOptions::default())
            .map(|_| ())
            .map_err(|e| format!("JWT self-test failed to verify: {e}"))
    }
}
