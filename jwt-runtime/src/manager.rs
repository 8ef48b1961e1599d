//! The manager: a fairing that reads the configuration at ignite, refuses to
//! launch on a bad one, manages the shared [`JwtState`], and renders JWT
//! errors on the way out.

use rocket::fairing::{self, Fairing, Info, Kind};
use rocket::request::Request;
use rocket::{Build, Response, Rocket};

use crate::claims::{JwtHeader, VerifiedJwt};
use crate::codec::{self, DecodeOptions};
use crate::config::JwtConfig;
use crate::error::JwtError;
use crate::loaders::{Loader, Loaders};
use crate::stores::{RevocationStore, SharedStore};

/// flask-jwt-extended's `JWTManager(app)`: attach it to Rocket.
///
/// ```no_run
/// # #[macro_use] extern crate rocket;
/// use rocket_jwt_extended_runtime::JwtManager;
///
/// #[launch]
/// fn rocket() -> _ {
///     rocket::build().attach(JwtManager::new())
/// }
/// ```
#[derive(Default, Clone)]
pub struct JwtManager {
    loaders: Vec<Loader>,
    store: Option<SharedStore>,
}

impl JwtManager {
    /// A manager configured from Rocket's `jwt_*` keys, with no loaders.
    pub fn new() -> Self {
        JwtManager::default()
    }

    /// Registers loaders, built with [`loaders!`](crate::loaders).
    pub fn loaders(mut self, loaders: Vec<Loader>) -> Self {
        self.loaders.extend(loaders);
        self
    }

    /// Keeps revocations in `store` (Redis, SQL or in memory): every
    /// protected request consults it, and the [`Revocations`](crate::Revocations)
    /// guard writes to it. See [`RevocationStore`].
    pub fn revocation_store(mut self, store: impl RevocationStore) -> Self {
        self.store = Some(std::sync::Arc::new(store));
        self
    }

    /// Validates the configuration and builds the state without a Rocket
    /// (for tests, tools and benchmarks).
    pub fn build_state(&self, figment: &rocket::figment::Figment) -> Result<JwtState, String> {
        let config = JwtConfig::from_figment(figment).map_err(|e| e.to_string())?;
        let loaders = Loaders::build(&self.loaders)?;
        let state = JwtState {
            config,
            loaders,
            store: self.store.clone(),
        };
        state.self_test()?;
        Ok(state)
    }
}

#[rocket::async_trait]
impl Fairing for JwtManager {
    fn info(&self) -> Info {
        Info {
            name: "JWT manager",
            kind: Kind::Ignite | Kind::Response | Kind::Singleton,
        }
    }

    async fn on_ignite(&self, rocket: Rocket<Build>) -> fairing::Result {
        let state = match self.build_state(rocket.figment()) {
            Ok(state) => state,
            Err(message) => {
                rocket::log::private::error!("{message}");
                return Err(rocket);
            }
        };
        if let Some(store) = &self.store {
            if let Err(message) = store.init(&rocket).await {
                rocket::log::private::error!("{}: {message}", store.name());
                return Err(rocket);
            }
        }
        Ok(rocket.manage(state))
    }

    async fn on_response<'r>(&self, req: &'r Request<'_>, res: &mut Response<'r>) {
        crate::respond::render(req, res).await;
        crate::cookies::write_pending(req, res);
    }
}

/// The ignited manager: validated configuration, keys and loaders, shared by
/// every request. Reach it with the [`Tokens`](crate::Tokens) guard or
/// `rocket.state::<JwtState>()`.
pub struct JwtState {
    config: JwtConfig,
    loaders: Loaders,
    store: Option<SharedStore>,
}

impl JwtState {
    /// The validated configuration.
    pub fn config(&self) -> &JwtConfig {
        &self.config
    }

    pub(crate) fn loaders(&self) -> &Loaders {
        &self.loaders
    }

    /// The registered revocation store.
    pub fn store(&self) -> Option<&std::sync::Arc<dyn RevocationStore>> {
        self.store.as_ref()
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
    pub fn decode_token(&self, token: &str, allow_expired: bool) -> Result<VerifiedJwt, JwtError> {
        codec::decode(
            &self.config,
            token,
            DecodeOptions {
                allow_expired,
                ..DecodeOptions::default()
            },
        )
    }

    /// flask's `get_unverified_jwt_headers(token)`: the header, unverified.
    pub fn get_unverified_jwt_headers(&self, token: &str) -> Result<JwtHeader, JwtError> {
        Ok(codec::unverified_header(token, self.config.max_token_size)?)
    }

    /// Signs and verifies one token so that a broken crypto backend fails the
    /// launch, not the first request.
    fn self_test(&self) -> Result<(), String> {
        let token = codec::encode(
            &self.config,
            Default::default(),
            &serde_json::Map::from_iter([
                ("sub".to_owned(), "self-test".into()),
                (self.config.identity_claim.clone(), "self-test".into()),
            ]),
            None,
        )
        .map_err(|e| format!("JWT self-test failed to sign: {e}"))?;
        let mut config = self.config.clone();
        config.decode_audience = None;
        config.decode_issuer = None;
        codec::decode(&config, &token, DecodeOptions::default())
            .map(|_| ())
            .map_err(|e| format!("JWT self-test failed to verify: {e}"))
    }
}
