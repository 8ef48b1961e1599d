//! The manager: a fairing that reads the configuration at ignite, refuses to
//! launch on a bad one, manages the shared [`JwtState`], and renders JWT
//! errors on the way out.

use rocket::fairing::{self, Fairing, Info, Kind};
use rocket::http::Header;
use rocket::request::Request;
use rocket::{Build, Response, Rocket};

use crate::cookies::write_pending;
use crate::error::JwtError;
use crate::key_source::{KeySource, SharedKeySource};
use crate::loaders::Loader;
use crate::request::{take_marker, RequestState, GUARD_FAILED};
use crate::response::answer_error;
use crate::state::JwtState;
use crate::store::{RevocationStore, SharedStore};
use crate::token::{random_secret, Family};

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
    key_source: Option<SharedKeySource>,
    ephemeral_secret: bool,
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

    /// Loaders defined in this binary that this application does not use on
    /// purpose (a library's, another application's in a test binary). Naming
    /// them here keeps the launch check quiet: without it, a loader that no
    /// `loaders![..]` in the binary lists refuses the launch, since it would
    /// never run. They are not registered.
    pub fn unused_loaders(self, loaders: Vec<Loader>) -> Self {
        drop(loaders);
        self
    }

    /// Keeps revocations in `store` (Redis, SQL or in memory): every
    /// protected request consults it, and the [`Revocations`](crate::Revocations)
    /// guard writes to it. See [`RevocationStore`].
    pub fn revocation_store(mut self, store: impl RevocationStore) -> Self {
        self.store = Some(std::sync::Arc::new(store));
        self
    }

    /// Verifies tokens with keys fetched by `source` from `jwt_jwks_url`
    /// (see the `rocket-jwt-extended-jwks` crate, or the facade's `jwks`
    /// feature), when the configured keys do not know a token's `kid`.
    pub fn key_source(mut self, source: impl KeySource) -> Self {
        self.key_source = Some(std::sync::Arc::new(source));
        self
    }

    /// For examples and demos: when no key is configured, sign with one
    /// generated at launch instead of refusing to launch, and say so in the
    /// log: a random secret for HS algorithms, a key pair for the asymmetric
    /// ones (`jwt_algorithm`; key pairs need the `rust_crypto` backend).
    /// Tokens then do not survive a restart and are not shared between
    /// instances, and nobody can forge them with a key written in the source.
    /// A configured key always wins.
    ///
    /// ```
    /// use rocket_jwt_extended_runtime::JwtManager;
    ///
    /// let manager = JwtManager::new().ephemeral_secret_if_unset();
    /// ```
    pub fn ephemeral_secret_if_unset(mut self) -> Self {
        self.ephemeral_secret = true;
        self
    }

    /// The same as [`ephemeral_secret_if_unset`](Self::ephemeral_secret_if_unset),
    /// named for asymmetric algorithms.
    pub fn ephemeral_keys_if_unset(self) -> Self {
        self.ephemeral_secret_if_unset()
    }

    /// Validates the configuration and builds the state without a Rocket
    /// (for tests, tools and benchmarks).
    pub fn build_state(&self, figment: &rocket::figment::Figment) -> Result<JwtState, String> {
        let figment = match self.ephemeral_secret {
            true => with_ephemeral_keys(figment)?,
            false => figment.clone(),
        };
        JwtState::build(
            &figment,
            &self.loaders,
            self.store.clone(),
            self.key_source.clone(),
        )
    }
}

/// `figment` with a key generated for its algorithm when it configures none.
fn with_ephemeral_keys(
    figment: &rocket::figment::Figment,
) -> Result<rocket::figment::Figment, String> {
    let set = |key: &str| figment.find_value(key).is_ok();
    let configured = [
        "jwt_secret_key",
        "jwt_private_key",
        "jwt_private_key_file",
        "jwt_public_key",
        "jwt_public_key_file",
        "jwt_keys",
        "jwt_jwks_url",
        "jwt_oidc_issuer",
    ];
    let algorithm = figment.extract_inner::<String>("jwt_algorithm").ok();
    let asymmetric = algorithm
        .as_deref()
        .and_then(|a| a.parse::<jsonwebtoken::Algorithm>().ok())
        .filter(|a| Family::of(*a) != Family::Hmac);
    let unconfigured = !configured.iter().any(|k| set(k));
    match asymmetric {
        None if unconfigured => {
            rocket::log::private::warn!(
                "jwt_secret_key is not set: signing with a random secret generated at launch; \
                 tokens will not survive a restart (set ROCKET_JWT_SECRET_KEY to keep them)"
            );
            Ok(figment.clone().merge(("jwt_secret_key", random_secret())))
        }
        Some(alg) if unconfigured => ephemeral_pair(figment, alg),
        _ => Ok(figment.clone()),
    }
}

#[cfg(feature = "rust_crypto")]
fn ephemeral_pair(
    figment: &rocket::figment::Figment,
    alg: jsonwebtoken::Algorithm,
) -> Result<rocket::figment::Figment, String> {
    let pair = crate::token::generate_key_pair(alg)?;
    rocket::log::private::warn!(
        "no key is configured: signing with a {} key pair generated at launch; tokens will \
         not survive a restart (set ROCKET_JWT_PRIVATE_KEY_FILE to keep them)",
        crate::token::alg_name(alg)
    );
    Ok(figment.clone().merge(("jwt_private_key", pair.private_pem)))
}

#[cfg(not(feature = "rust_crypto"))]
fn ephemeral_pair(
    _: &rocket::figment::Figment,
    alg: jsonwebtoken::Algorithm,
) -> Result<rocket::figment::Figment, String> {
    Err(format!(
        "invalid JWT configuration `jwt_private_key`: no key is configured for {}, and \
         ephemeral key pairs need the `rust_crypto` backend",
        crate::token::alg_name(alg)
    ))
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
        if let Some(message) = crate::loaders::unregistered_loaders_message() {
            for line in message.lines() {
                rocket::log::private::error!("{line}");
            }
            return Err(rocket);
        }
        let state = match self.build_state(rocket.figment()) {
            Ok(state) => state,
            Err(message) => {
                rocket::log::private::error!("{message}");
                return Err(rocket);
            }
        };
        if let (Some(source), Some(settings)) = (&self.key_source, &state.config().jwks) {
            if let Err(message) = source.init(settings).await {
                rocket::log::private::error!("{}: {message}", source.name());
                return Err(rocket);
            }
        }
        if let Some(store) = &self.store {
            if let Err(message) = store.init(&rocket).await {
                rocket::log::private::error!("{}: {message}", store.name());
                return Err(rocket);
            }
        }
        Ok(rocket.manage(state))
    }

    async fn on_response<'r>(&self, req: &'r Request<'_>, res: &mut Response<'r>) {
        // Most responses carry neither a refusal nor queued cookies: one
        // look at the `Set-Cookie` headers, and nothing else is touched.
        if res.status().code < 400 && !crate::request::has_marker(res) {
            return;
        }
        render(req, res).await;
        write_pending(req, res);
    }
}

/// Replaces a catcher's response with the JWT refusal recorded for the
/// request: a check's own response, the registered error handler's, or
/// flask-jwt-extended's default; and the default response of a `JwtError`
/// a handler returned with the registered handler's. A response whose status differs from the
/// recorded one came from elsewhere (e.g. a handler that ran because the
/// guard was wrapped in `Option`) and is kept.
async fn render<'r>(req: &'r Request<'_>, res: &mut Response<'r>) {
    // A failed JWT guard leaves a trace: either a catcher answered with an
    // error status, or a handler ran and the marker cookie reached the
    // response. Without either, skip the request state entirely.
    let marked = take_marker(res, GUARD_FAILED);
    if !marked && res.status().code < 400 {
        return;
    }
    let request = RequestState::of(req);
    if let Some(error) = request.take_returned() {
        // The handler returned a `JwtError`: its kind's handler answers, and
        // what else the handler's response carried (its cookies, other
        // fairings' headers) is kept where the new response does not say.
        if res.status() == error.status() {
            let before: Vec<Header<'static>> = res
                .headers()
                .iter()
                .map(|h| Header::new(h.name.as_str().to_owned(), h.value.into_owned()))
                .collect();
            log_refusal(req, &error);
            answer_error(req, res, &error).await;
            for header in before {
                let name = header.name.as_str().to_owned();
                if name.eq_ignore_ascii_case("Set-Cookie") || !res.headers().contains(&name) {
                    res.adjoin_header(header);
                }
            }
        }
        return;
    }
    if !marked {
        if let Some((status, check)) = request.take_check_failure() {
            if status == res.status() {
                rocket::log::private::info!(
                    "JWT refusal: {} {}: a check refused the request ({status})",
                    req.method(),
                    route_of(req)
                );
                count_refusal("check", status);
                *res = check;
                return;
            }
        }
    }
    let Some((status, error)) = request.take_recorded() else {
        return;
    };
    if marked || res.status() != status {
        // A handler ran (the guard was optional for it): keep its response.
        return;
    }
    log_refusal(req, &error);
    answer_error(req, res, &error).await;
}

/// The route a request matched (its URI pattern), or its path.
fn route_of(req: &Request<'_>) -> String {
    req.route()
        .map(|r| r.uri.to_string())
        .unwrap_or_else(|| req.uri().path().to_string())
}

/// One line per refusal, through Rocket's logger: the route, the reason, the
/// error kind and where the token was found. Never the token itself.
fn log_refusal(req: &Request<'_>, error: &JwtError) {
    let location = error
        .token()
        .and_then(|t| t.location())
        .map_or("-", |l| l.as_str());
    rocket::log::private::info!(
        "JWT refusal: {} {}: {} ({}, {}, token location: {location})",
        req.method(),
        route_of(req),
        error,
        error.kind().attribute(),
        error.status()
    );
    count_refusal(
        error.kind().attribute_name().unwrap_or("configuration"),
        error.status(),
    );
}

/// With the `metrics` feature: `rocket_jwt_extended_refusals_total`, by
/// reason (the error attribute's name, `check`, or `configuration`) and status.
#[cfg(feature = "metrics")]
fn count_refusal(reason: &'static str, status: rocket::http::Status) {
    metrics::counter!(
        "rocket_jwt_extended_refusals_total",
        "reason" => reason,
        "status" => status.code.to_string()
    )
    .increment(1);
}

#[cfg(not(feature = "metrics"))]
fn count_refusal(_: &'static str, _: rocket::http::Status) {}
