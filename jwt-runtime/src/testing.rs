//! Helpers for testing an application with `rocket::local`: requests sent as
//! an identity, and tokens of every kind a test needs (expired, not yet
//! valid, no longer fresh, of the wrong type, signed with another key), all
//! minted with the application's own configuration and loaders.
//!
//! ```
//! # #[macro_use] extern crate rocket;
//! use rocket::http::Status;
//! use rocket::local::blocking::Client;
//! use rocket_jwt_extended_runtime::testing::{JwtTestClient, JwtTestRequest};
//! use rocket_jwt_extended_runtime::{FreshJwt, Jwt, JwtManager};
//!
//! #[get("/me")]
//! fn me(jwt: Jwt) -> String { jwt.identity().unwrap_or_default().to_owned() }
//!
//! #[post("/password")]
//! fn password(_jwt: FreshJwt) -> &'static str { "changed" }
//!
//! let figment = rocket::Config::figment()
//!     .merge(("jwt_secret_key", "a-doctest-secret-of-at-least-32-bytes"));
//! let rocket = rocket::custom(figment)
//!     .attach(JwtManager::new())
//!     .mount("/", routes![me, password]);
//! let client = Client::tracked(rocket).unwrap();
//!
//! // As an identity, in the Authorization header.
//! let response = client.get("/me").as_identity("ann").dispatch();
//! assert_eq!(response.into_string().unwrap(), "ann");
//!
//! // Tokens a test needs, minted with the app's configuration.
//! let tokens = client.jwt_tokens();
//! let expired = client.get("/me").bearer(&tokens.expired("ann")).dispatch();
//! assert_eq!(expired.status(), Status::Unauthorized);
//! let stale = client.post("/password").bearer(&tokens.stale("ann")).dispatch();
//! assert_eq!(stale.status(), Status::Unauthorized);
//! let fresh = client.post("/password").bearer(&tokens.fresh("ann")).dispatch();
//! assert_eq!(fresh.status(), Status::Ok);
//! ```
//!
//! With cookies, [`JwtTestRequest::with_access_cookie`] also sends the CSRF
//! header, as a browser's script would.

use rocket::http::{Cookie, Header};
use serde_json::{json, Map, Value};

use crate::issue::{TokenBuilder, TokenKind};
use crate::state::JwtState;
use crate::token::{self, alg_name, random_secret, Family, Keys};

/// Mints tokens with an application's configuration (see the module docs).
/// Every method panics on a failure: these are for tests.
#[derive(Clone, Copy)]
pub struct TestTokens<'a> {
    state: &'a JwtState,
}

fn now() -> i64 {
    token::now_secs()
}

/// Signs a builder, also when a registered loader is `async` and waits.
fn mint<K: TokenKind>(builder: TokenBuilder<'_, K>) -> String
where
    for<'x> TokenBuilder<'x, K>: Send,
{
    std::thread::scope(|s| {
        s.spawn(|| {
            rocket::tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime to sign a test token")
                .block_on(std::future::IntoFuture::into_future(builder))
        })
        .join()
        .expect("signing a test token panicked")
    })
    .unwrap_or_else(|e| panic!("cannot create a test token: {e}"))
}

impl<'a> TestTokens<'a> {
    /// Tokens of the application whose state this is.
    pub fn new(state: &'a JwtState) -> Self {
        TestTokens { state }
    }

    /// An access token, as `create_access_token` makes it.
    pub fn access(&self, identity: &str) -> String {
        mint(self.state.access_token(identity))
    }

    /// A fresh access token.
    pub fn fresh(&self, identity: &str) -> String {
        mint(self.state.access_token(identity).fresh(true))
    }

    /// An access token whose freshness has lapsed (`fresh` a time in the past).
    pub fn stale(&self, identity: &str) -> String {
        mint(
            self.state
                .access_token(identity)
                .additional_claims(json!({ "fresh": (now() - 60) as f64 })),
        )
    }

    /// A refresh token.
    pub fn refresh(&self, identity: &str) -> String {
        mint(self.state.refresh_token(identity))
    }

    /// A token of the wrong type for an access route: a refresh token.
    pub fn wrong_type(&self, identity: &str) -> String {
        self.refresh(identity)
    }

    /// An access token that expired a minute ago (beyond any leeway the
    /// configuration allows).
    pub fn expired(&self, identity: &str) -> String {
        let leeway = i64::try_from(self.state.config().leeway).unwrap_or(0);
        let past = now() - 3600 - leeway;
        mint(self.state.access_token(identity).additional_claims(json!({
            "iat": past,
            "nbf": past,
            "exp": now() - 60 - leeway,
        })))
    }

    /// An access token that is not valid for another hour (`nbf`).
    pub fn not_yet_valid(&self, identity: &str) -> String {
        let leeway = i64::try_from(self.state.config().leeway).unwrap_or(0);
        mint(
            self.state
                .access_token(identity)
                .additional_claims(json!({ "nbf": now() + 3600 + leeway })),
        )
    }

    /// An access token with these claims added (last wins).
    pub fn with_claims(&self, identity: &str, claims: Value) -> String {
        mint(self.state.access_token(identity).additional_claims(claims))
    }

    /// An access token as the application would sign it, but signed with
    /// another key of the same algorithm: what a forger without the key makes.
    pub fn foreign(&self, identity: &str) -> String {
        let genuine = self.access(identity);
        let cfg = self.state.config();
        let (header, claims) = token::unverified_parts(&genuine, cfg.max_token_size)
            .expect("a token the app just signed");
        let algorithm = cfg.algorithm;
        let keys = match Family::of(algorithm) {
            Family::Hmac => Keys::hmac(algorithm, random_secret().as_bytes()),
            _ => foreign_pair(algorithm),
        };
        let mut extra: Map<String, Value> = header.as_map().clone();
        extra.remove("alg");
        token::encode(&keys, None, extra, claims.as_map()).expect("signing with another key")
    }
}

#[cfg(feature = "rust_crypto")]
fn foreign_pair(algorithm: jsonwebtoken::Algorithm) -> Keys {
    let pair = token::generate_key_pair(algorithm).expect("a key pair");
    let (signing, public) =
        token::private_pem(algorithm, pair.private_pem.as_bytes()).expect("a generated key");
    Keys {
        algorithm,
        algorithm_name: alg_name(algorithm),
        signer: Some(token::Signer {
            kid: None,
            key: signing,
        }),
        verify: vec![public],
        kid_selects: false,
    }
}

#[cfg(not(feature = "rust_crypto"))]
fn foreign_pair(algorithm: jsonwebtoken::Algorithm) -> Keys {
    panic!(
        "TestTokens::foreign needs the rust_crypto backend to make a {} key",
        alg_name(algorithm)
    )
}

/// `client.jwt_tokens()`: [`TestTokens`] of the client's application.
pub trait JwtTestClient {
    /// Tokens minted with the application's configuration.
    ///
    /// # Panics
    /// When no `JwtManager` is attached.
    fn jwt_tokens(&self) -> TestTokens<'_>;
}

fn state_of(rocket: &rocket::Rocket<rocket::Orbit>) -> &JwtState {
    rocket
        .state::<JwtState>()
        .expect("JwtManager is not attached to the client's Rocket")
}

impl JwtTestClient for rocket::local::blocking::Client {
    fn jwt_tokens(&self) -> TestTokens<'_> {
        TestTokens::new(state_of(self.rocket()))
    }
}

impl JwtTestClient for rocket::local::asynchronous::Client {
    fn jwt_tokens(&self) -> TestTokens<'_> {
        TestTokens::new(state_of(self.rocket()))
    }
}

/// Requests sent as an identity or with a given token, for `rocket::local`
/// requests (blocking and asynchronous). The methods consume and return the
/// request, as `LocalRequest`'s own builders do.
#[allow(clippy::wrong_self_convention)]
pub trait JwtTestRequest: Sized {
    /// The application's state.
    #[doc(hidden)]
    fn jwt_state(&self) -> &JwtState;
    /// Adds a header (`LocalRequest::header`).
    #[doc(hidden)]
    fn jwt_header(self, header: Header<'static>) -> Self;
    /// Adds a cookie (`LocalRequest::cookie`).
    #[doc(hidden)]
    fn jwt_cookie(self, cookie: Cookie<'static>) -> Self;

    /// With `token` in the configured header (`Authorization: Bearer …`).
    fn bearer(self, token: &str) -> Self {
        let cfg = self.jwt_state().config();
        let value = match cfg.header_type.as_str() {
            "" => token.to_owned(),
            kind => format!("{kind} {token}"),
        };
        let name = cfg.header_name.clone();
        self.jwt_header(Header::new(name, value))
    }

    /// As `identity`: a new access token in the configured header.
    fn as_identity(self, identity: &str) -> Self {
        let token = TestTokens::new(self.jwt_state()).access(identity);
        self.bearer(&token)
    }

    /// As `identity`, with a refresh token in the configured header.
    fn as_identity_refresh(self, identity: &str) -> Self {
        let token = TestTokens::new(self.jwt_state()).refresh(identity);
        self.bearer(&token)
    }

    /// With `token` in the access cookie (the refresh cookie for a refresh
    /// token) and its CSRF value in the CSRF header, as a browser's script
    /// would send them.
    fn with_access_cookie(self, token: &str) -> Self {
        let cfg = self.jwt_state().config();
        let parts = token::unverified_parts(token, cfg.max_token_size).ok();
        let refresh = parts.as_ref().is_some_and(|(_, c)| c.is_refresh());
        let (cookie, header) = if refresh {
            (&cfg.refresh_cookie_name, &cfg.refresh_csrf_header_name)
        } else {
            (&cfg.access_cookie_name, &cfg.access_csrf_header_name)
        };
        let csrf = parts
            .as_ref()
            .and_then(|(_, c)| c.csrf().map(str::to_owned));
        let (cookie, header) = (cookie.clone(), header.clone());
        let request = self.jwt_cookie(Cookie::new(cookie, token.to_owned()));
        match csrf {
            Some(csrf) => request.jwt_header(Header::new(header, csrf)),
            None => request,
        }
    }

    /// As `identity`, with a new access token in cookies (and the CSRF header).
    fn as_identity_in_cookies(self, identity: &str) -> Self {
        let token = TestTokens::new(self.jwt_state()).access(identity);
        self.with_access_cookie(&token)
    }
}

macro_rules! local_request {
    ($($request:ty),*) => {$(
        impl JwtTestRequest for $request {
            fn jwt_state(&self) -> &JwtState {
                state_of(self.rocket())
            }
            fn jwt_header(self, header: Header<'static>) -> Self {
                self.header(header)
            }
            fn jwt_cookie(self, cookie: Cookie<'static>) -> Self {
                self.cookie(cookie)
            }
        }
    )*};
}

local_request!(
    rocket::local::blocking::LocalRequest<'_>,
    rocket::local::asynchronous::LocalRequest<'_>
);
