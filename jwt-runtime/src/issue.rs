//! Issuing tokens: `create_access_token` / `create_refresh_token`, the
//! builder behind them, and token pairs revoked together.

use std::future::IntoFuture;
use std::marker::PhantomData;
use std::time::Duration;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::config::Expiry;
use crate::loaders::{into_object, RawIdentity};
use crate::state::JwtState;
use crate::token::{
    self, loader_encoding_key, new_session_id, EncodeError, TokenType, REFRESH_EXP_CLAIM,
    REFRESH_JTI_CLAIM, SESSION_CLAIM,
};
use crate::util::{poll_once, BoxFuture};

/// What a token is issued for. The identity is always a string in the token
/// (`sub`), so a token can never carry an identity flask-jwt-extended would
/// refuse with "Subject must be a string".
///
/// Implemented for strings, integers and UUIDs; `#[user_identity]` implements
/// it for your own user type.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used as a JWT identity",
    label = "not a string, integer or UUID",
    note = "write `#[user_identity] fn identity(user: &{Self}) -> String` to turn a `{Self}` into the identity string"
)]
pub trait Identity {
    /// The identity string written into the identity claim.
    fn to_identity(&self) -> String;

    /// The object itself, for loaders that take `&T`.
    #[doc(hidden)]
    fn as_any(&self) -> RawIdentity<'_> {
        None
    }
}

impl Identity for str {
    fn to_identity(&self) -> String {
        self.to_owned()
    }
}

impl Identity for String {
    fn to_identity(&self) -> String {
        self.clone()
    }
}

impl<T: Identity + ?Sized> Identity for &T {
    fn to_identity(&self) -> String {
        (**self).to_identity()
    }
    fn as_any(&self) -> RawIdentity<'_> {
        (**self).as_any()
    }
}

macro_rules! display_identity {
    ($($t:ty),*) => {$(
        impl Identity for $t {
            fn to_identity(&self) -> String {
                self.to_string()
            }
        }
    )*};
}
display_identity!(
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    uuid::Uuid
);

/// Freshness of an access token (flask's `fresh=` argument).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fresh {
    /// `"fresh": false`
    No,
    /// `"fresh": true`
    Yes,
    /// Fresh for this long after issue: `"fresh": <now + duration as a float timestamp>`.
    For(Duration),
}

impl From<bool> for Fresh {
    fn from(b: bool) -> Self {
        if b {
            Fresh::Yes
        } else {
            Fresh::No
        }
    }
}

impl From<Duration> for Fresh {
    fn from(d: Duration) -> Self {
        Fresh::For(d)
    }
}

/// Marker: the builder makes an access token.
#[derive(Debug)]
pub enum AccessToken {}
/// Marker: the builder makes a refresh token.
#[derive(Debug)]
pub enum RefreshToken {}

/// Builds one token. Finish with [`sign`](TokenBuilder::sign) (sync) or `.await`
/// (needed when a registered `async` loader waits on I/O).
///
/// ```no_run
/// # use rocket_jwt_extended_runtime::{Tokens, EncodeError};
/// # use std::time::Duration;
/// # async fn f(tokens: Tokens<'_>) -> Result<(), EncodeError> {
/// let token = tokens
///     .access_token("admin")
///     .fresh(Duration::from_secs(600))
///     .expires_in(Duration::from_secs(3600))
///     .additional_claims(serde_json::json!({"role": "admin"}))
///     .await?;
/// # Ok(()) }
/// ```
#[must_use = "a token builder does nothing until `.sign()` or `.await`"]
pub struct TokenBuilder<'a, K> {
    state: &'a JwtState,
    identity: String,
    raw: RawIdentity<'a>,
    fresh: Fresh,
    expires: Option<Expiry>,
    claims: Map<String, Value>,
    headers: Map<String, Value>,
    session: Option<String>,
    pair: Option<(String, Option<i64>)>,
    error: Option<EncodeError>,
    kind: PhantomData<K>,
}

impl<'a, K: TokenKind> TokenBuilder<'a, K> {
    pub(crate) fn new<I: Identity + ?Sized>(state: &'a JwtState, identity: &'a I) -> Self {
        TokenBuilder {
            state,
            identity: identity.to_identity(),
            raw: identity.as_any(),
            fresh: Fresh::No,
            expires: None,
            claims: Map::new(),
            headers: Map::new(),
            session: None,
            pair: None,
            error: None,
            kind: PhantomData,
        }
    }

    /// The token joins the session `sid` (its `sid` claim) instead of a new
    /// one. With `jwt_sessions`, a token built without it starts a new
    /// session ([`Tokens`](crate::Tokens) joins the request's session for you).
    pub fn session(mut self, sid: impl Into<String>) -> Self {
        self.session = Some(sid.into());
        self
    }

    /// The identity string the token will carry.
    pub(crate) fn identity(&self) -> &str {
        &self.identity
    }

    /// Makes the builder fail with `error` when finished.
    pub(crate) fn refuse(mut self, error: EncodeError) -> Self {
        self.error = Some(error);
        self
    }

    /// Whether a session was chosen for the token.
    pub(crate) fn has_session(&self) -> bool {
        self.session.is_some()
    }

    /// Links the token to the refresh token `jti` (expiring at `exp`):
    /// revoking either then revokes both.
    pub(crate) fn paired_with(mut self, jti: impl Into<String>, exp: Option<i64>) -> Self {
        self.pair = Some((jti.into(), exp));
        self
    }

    /// Lifetime of this token, overriding `jwt_*_token_expires`.
    pub fn expires_in(mut self, lifetime: Duration) -> Self {
        self.expires = Some(Expiry::After(lifetime));
        self
    }

    /// This token never expires (no `exp` claim), whatever the configuration says.
    pub fn never_expires(mut self) -> Self {
        self.expires = Some(Expiry::Never);
        self
    }

    /// Claims merged over the standard ones and the `#[additional_claims]`
    /// loader's (last wins, as in flask). Must serialize to a JSON object.
    pub fn additional_claims<T: Serialize>(mut self, claims: T) -> Self {
        match into_object(claims, "additional claims") {
            Ok(m) => self.claims.extend(m),
            Err(e) => self.error = Some(e),
        }
        self
    }

    /// Header members merged over the `#[additional_headers]` loader's. `alg`
    /// is refused; a `typ` of `null` or `""` removes `typ`.
    pub fn additional_headers<T: Serialize>(mut self, headers: T) -> Self {
        match into_object(headers, "additional headers") {
            Ok(m) => self.headers.extend(m),
            Err(e) => self.error = Some(e),
        }
        self
    }

    /// Signs the token now. Fails if a registered `async` loader has to wait
    /// (e.g. on a database): use `.await` then.
    pub fn sign(self) -> Result<String, EncodeError> {
        poll_once(self.finish()).unwrap_or_else(|| {
            Err(EncodeError::Loader(
                "a registered async loader is still waiting: create this token with `.await` instead of `.sign()`"
                    .into(),
            ))
        })
    }

    async fn finish(self) -> Result<String, EncodeError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let state = self.state;
        let cfg = state.config();
        let loaders = state.loaders();

        // Loaders first, then `now`, as flask-jwt-extended does.
        let mut headers = match loaders.additional_headers {
            Some((_, f)) => f(&self.identity, self.raw).await?,
            None => Map::new(),
        };
        headers.extend(self.headers);
        let loader_claims = match loaders.additional_claims {
            Some((_, f)) => f(&self.identity, self.raw).await?,
            None => Map::new(),
        };

        let key = match loaders.encode_key {
            Some((name, f)) => {
                let secret = f(&self.identity, self.raw).await?;
                Some(loader_encoding_key(cfg.algorithm, &secret).map_err(|why| {
                    EncodeError::Loader(format!("#[encode_key] loader `{name}`: {why}"))
                })?)
            }
            None => None,
        };

        let now_f = token::now_f64();
        let now = now_f.floor() as i64;
        let mut claims = Map::new();
        let fresh = match self.fresh {
            Fresh::No => Value::Bool(false),
            Fresh::Yes => Value::Bool(true),
            Fresh::For(d) => serde_json::Number::from_f64(now_f + d.as_secs_f64())
                .map(Value::Number)
                .unwrap_or(Value::Bool(false)),
        };
        claims.insert("fresh".into(), fresh);
        claims.insert("iat".into(), now.into());
        claims.insert("jti".into(), uuid::Uuid::new_v4().to_string().into());
        claims.insert("type".into(), K::TYPE.as_str().into());
        claims.insert(cfg.identity_claim.clone(), self.identity.into());
        if cfg.encode_nbf {
            claims.insert("nbf".into(), now.into());
        }
        if cfg.csrf_protect {
            claims.insert("csrf".into(), uuid::Uuid::new_v4().to_string().into());
        }
        if let Some(aud) = &cfg.encode_audience {
            claims.insert("aud".into(), aud.clone());
        }
        if let Some(iss) = &cfg.encode_issuer {
            claims.insert("iss".into(), iss.clone().into());
        }
        let lifetime = self
            .expires
            .unwrap_or(cfg.expires_for(K::TYPE.is_refresh()));
        if cfg.sessions {
            // A revoked session is remembered as long as the longest
            // configured lifetime: no token of a session may outlive that.
            if let Some(max) = cfg.longest_lifetime() {
                let too_long = match lifetime {
                    Expiry::Never => true,
                    Expiry::After(d) => d.as_secs() > max,
                };
                if too_long {
                    return Err(EncodeError::Loader(format!(
                        "with jwt_sessions a token cannot live longer than the longest \
                         configured lifetime ({max} s), which is how long a revoked \
                         session is remembered"
                    )));
                }
            }
        }
        if let Expiry::After(d) = lifetime {
            let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
            claims.insert("exp".into(), now.saturating_add(secs).into());
        }
        claims.extend(loader_claims);
        claims.extend(self.claims);
        // The session and the pair link are this crate's: set after the
        // loaders' and the caller's claims, so that neither can replace them.
        match self.session {
            Some(sid) => {
                claims.insert(SESSION_CLAIM.into(), sid.into());
            }
            None if cfg.sessions => {
                claims.insert(SESSION_CLAIM.into(), new_session_id().into());
            }
            None => {}
        }
        if let Some((jti, exp)) = self.pair {
            claims.insert(REFRESH_JTI_CLAIM.into(), jti.into());
            if let Some(exp) = exp {
                claims.insert(REFRESH_EXP_CLAIM.into(), exp.into());
            }
        }

        token::encode(cfg.keys(), key.as_ref(), headers, &claims)
    }
}

impl<'a> TokenBuilder<'a, AccessToken> {
    /// Marks the token fresh: `true`, `false`, or a `Duration` ("fresh for").
    /// Refresh tokens have no such method: they are never fresh.
    pub fn fresh(mut self, fresh: impl Into<Fresh>) -> Self {
        self.fresh = fresh.into();
        self
    }
}

impl<'a, K: TokenKind + 'a> IntoFuture for TokenBuilder<'a, K> {
    type Output = Result<String, EncodeError>;
    type IntoFuture = BoxFuture<'a, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.finish())
    }
}

/// Access or refresh, as a type; implemented by [`AccessToken`] and [`RefreshToken`].
pub trait TokenKind: Send + sealed::Sealed {
    /// The token type.
    const TYPE: TokenType;
    /// The `type` claim.
    const NAME: &'static str = Self::TYPE.as_str();
    /// Whether it is a refresh token.
    const REFRESH: bool = Self::TYPE.is_refresh();
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::AccessToken {}
    impl Sealed for super::RefreshToken {}
}

impl TokenKind for AccessToken {
    const TYPE: TokenType = TokenType::Access;
}

impl TokenKind for RefreshToken {
    const TYPE: TokenType = TokenType::Refresh;
}

impl JwtState {
    /// A builder for an access token for `identity`.
    pub fn access_token<'a, I: Identity + ?Sized>(
        &'a self,
        identity: &'a I,
    ) -> TokenBuilder<'a, AccessToken> {
        TokenBuilder::new(self, identity)
    }

    /// A builder for a refresh token for `identity`.
    pub fn refresh_token<'a, I: Identity + ?Sized>(
        &'a self,
        identity: &'a I,
    ) -> TokenBuilder<'a, RefreshToken> {
        TokenBuilder::new(self, identity)
    }

    /// A non-fresh access token with the configured lifetime
    /// (`create_access_token(identity)`). Use [`access_token`](Self::access_token)
    /// for `fresh`, `expires_delta`, `additional_claims`, `additional_headers`.
    pub fn create_access_token<I: Identity + ?Sized>(
        &self,
        identity: &I,
    ) -> Result<String, EncodeError> {
        self.access_token(identity).sign()
    }

    /// A refresh token with the configured lifetime (`create_refresh_token(identity)`).
    pub fn create_refresh_token<I: Identity + ?Sized>(
        &self,
        identity: &I,
    ) -> Result<String, EncodeError> {
        self.refresh_token(identity).sign()
    }

    /// An access and a refresh token for `identity` that are revoked together:
    /// the access token carries the refresh token's `jti` (and `exp`), and the
    /// store checks both. See [`token_pair`](Self::token_pair) for options.
    pub async fn create_token_pair<I: Identity + ?Sized + Sync>(
        &self,
        identity: &I,
    ) -> Result<(String, String), EncodeError> {
        self.token_pair(identity).await
    }

    /// A builder for an access and a refresh token revoked together, in one
    /// session: `.fresh(..)`, `.additional_claims(..)` (both tokens),
    /// `.access_expires_in(..)`, `.refresh_expires_in(..)`, `.session(..)`,
    /// then `.await` for `(access, refresh)`.
    pub fn token_pair<'a, I: Identity + ?Sized>(&'a self, identity: &'a I) -> TokenPair<'a> {
        TokenPair {
            access: self.access_token(identity),
            refresh: self.refresh_token(identity),
        }
    }
}

/// An access and a refresh token issued together: same session, and the
/// access token names the refresh token, so revoking either revokes both.
#[must_use = "a token pair does nothing until `.await`"]
pub struct TokenPair<'a> {
    pub(crate) access: TokenBuilder<'a, AccessToken>,
    pub(crate) refresh: TokenBuilder<'a, RefreshToken>,
}

impl TokenPair<'_> {
    /// The access token's freshness (the refresh token is never fresh).
    pub fn fresh(mut self, fresh: impl Into<Fresh>) -> Self {
        self.access = self.access.fresh(fresh);
        self
    }

    /// Claims added to both tokens.
    pub fn additional_claims<T: Serialize>(mut self, claims: T) -> Self {
        match into_object(claims, "additional claims") {
            Ok(m) => {
                self.access = self.access.additional_claims(&m);
                self.refresh = self.refresh.additional_claims(&m);
            }
            Err(e) => self.access.error = Some(e),
        }
        self
    }

    /// The access token's lifetime.
    pub fn access_expires_in(mut self, lifetime: Duration) -> Self {
        self.access = self.access.expires_in(lifetime);
        self
    }

    /// The refresh token's lifetime.
    pub fn refresh_expires_in(mut self, lifetime: Duration) -> Self {
        self.refresh = self.refresh.expires_in(lifetime);
        self
    }

    /// Both tokens join the session `sid`.
    pub fn session(mut self, sid: impl Into<String>) -> Self {
        let sid = sid.into();
        self.access = self.access.session(sid.clone());
        self.refresh = self.refresh.session(sid);
        self
    }

    async fn finish(self) -> Result<(String, String), EncodeError> {
        let TokenPair { access, refresh } = self;
        // One session for both (a new one unless chosen, with `jwt_sessions`).
        let (access, refresh) = match refresh
            .session
            .clone()
            .or_else(|| refresh.state.config().sessions.then(new_session_id))
        {
            Some(sid) => (access.session(sid.clone()), refresh.session(sid)),
            None => (access, refresh),
        };
        let refresh = refresh.await?;
        let claims = token::unverified_parts(&refresh, usize::MAX)
            .map_err(|e| EncodeError::Loader(e.to_string()))?
            .1;
        let access = match claims.jti() {
            Some(jti) => access.paired_with(jti, claims.exp()),
            None => access,
        };
        Ok((access.await?, refresh))
    }
}

impl<'a> IntoFuture for TokenPair<'a> {
    type Output = Result<(String, String), EncodeError>;
    type IntoFuture = BoxFuture<'a, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.finish())
    }
}
