//! `Tokens<'_>`: issuing tokens from a handler, in the request's session,
//! and exchanging a refresh token for new tokens of the same session
//! (with rotation and reuse detection when configured).

use std::future::IntoFuture;
use std::sync::Arc;
use std::time::Duration;

use rocket::request::{FromRequest, Outcome, Request};
use serde::Serialize;

use crate::error::JwtError;
use crate::issue::{
    AccessToken, Fresh, Identity, RefreshToken, TokenBuilder, TokenKind, TokenPair,
};
use crate::request::{
    bounded, decode_in_request, entry_expiry, fail, session_entry, session_key, token_entries,
};
use crate::request::{RequestState, RouteId};
use crate::state::JwtState;
use crate::token::{self, new_session_id, Claims, DecodeError, EncodeError, JwtHeader};
use crate::token::{TokenType, VerifiedJwt};
use crate::util::{poll_once, BoxFuture};

/// Request guard for creating tokens in a handler (flask's
/// `create_access_token` / `create_refresh_token`). Dereferences to [`JwtState`].
///
/// With `jwt_sessions`, the tokens it creates belong to the request's session:
/// the session of the token that authenticated the request when it has the
/// same identity (an access token created at a refresh route is then also
/// paired with that refresh token), else one new session shared by every
/// token this request creates (a login's access and refresh tokens).
///
/// ```no_run
/// # #[macro_use] extern crate rocket;
/// use rocket::serde::json::{json, Value};
/// use rocket_jwt_extended_runtime::Tokens;
///
/// #[post("/login")]
/// fn login(tokens: Tokens<'_>) -> Value {
///     json!({ "access_token": tokens.create_access_token("admin").unwrap() })
/// }
/// ```
#[derive(Clone, Copy)]
pub struct Tokens<'r> {
    state: &'r JwtState,
    req: &'r Request<'r>,
    request: &'r RequestState,
    route: RouteId,
}

impl std::ops::Deref for Tokens<'_> {
    type Target = JwtState;
    fn deref(&self) -> &JwtState {
        self.state
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Tokens<'r> {
    type Error = JwtError;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, JwtError> {
        match JwtState::of(req) {
            Ok(state) => Outcome::Success(Tokens {
                state,
                req,
                request: RequestState::of(req),
                route: RouteId::of(req),
            }),
            Err(e) => fail(req, e),
        }
    }
}

impl<'r> Tokens<'r> {
    /// Puts a token being built into the request's session (see the type's docs).
    fn in_session<'a, K: TokenKind>(&'a self, builder: TokenBuilder<'a, K>) -> TokenBuilder<'a, K> {
        if !self.state.config().sessions || builder.has_session() {
            return builder;
        }
        let current = self
            .request
            .authenticated(self.route)
            .filter(|t| t.identity() == builder.identity());
        let Some(current) = current else {
            let sid = self.request.new_session(builder.identity());
            return builder.session(sid);
        };
        let claims = current.claims();
        if claims.is_refresh() && self.state.config().refresh_token_rotation {
            // Minting here would let a retired refresh token keep working.
            return builder.refuse(EncodeError::Loader(
                "with jwt_refresh_token_rotation, exchange a refresh token with \
                 `tokens.refresh_session(&get_jwt())`, which retires it"
                    .into(),
            ));
        }
        let sid = match claims.session() {
            Some(sid) => sid.to_owned(),
            None => self.request.new_session(builder.identity()),
        };
        let builder = builder.session(sid);
        match (K::TYPE, claims.is_refresh(), claims.jti()) {
            (TokenType::Access, true, Some(jti)) => builder.paired_with(jti, claims.exp()),
            _ => builder,
        }
    }

    /// flask's `decode_token(token, allow_expired)`, as [`JwtState::decode_token`]
    /// but with the key a `#[decode_key]` loader picks, as flask's does. An
    /// `async` loader that has to wait makes it fail: use
    /// [`decode`](Self::decode) then.
    pub fn decode_token(&self, token: &str, allow_expired: bool) -> Result<VerifiedJwt, JwtError> {
        poll_once(self.decode(token, allow_expired)).unwrap_or_else(|| {
            Err(JwtError::Configuration(
                "the #[decode_key] loader is still waiting: use `tokens.decode(..).await`".into(),
            ))
        })
    }

    /// [`decode_token`](Self::decode_token), awaiting an `async` `#[decode_key]` loader.
    pub async fn decode(&self, token: &str, allow_expired: bool) -> Result<VerifiedJwt, JwtError> {
        decode_in_request(self.req, self.state, token, allow_expired).await
    }

    /// A builder for an access token for `identity`, in the request's session.
    pub fn access_token<'a, I: Identity + ?Sized>(
        &'a self,
        identity: &'a I,
    ) -> TokenBuilder<'a, AccessToken> {
        self.in_session(self.state.access_token(identity))
    }

    /// A builder for a refresh token for `identity`, in the request's session.
    pub fn refresh_token<'a, I: Identity + ?Sized>(
        &'a self,
        identity: &'a I,
    ) -> TokenBuilder<'a, RefreshToken> {
        self.in_session(self.state.refresh_token(identity))
    }

    /// `create_access_token(identity)`, in the request's session.
    pub fn create_access_token<I: Identity + ?Sized>(
        &self,
        identity: &I,
    ) -> Result<String, EncodeError> {
        self.access_token(identity).sign()
    }

    /// `create_refresh_token(identity)`, in the request's session.
    pub fn create_refresh_token<I: Identity + ?Sized>(
        &self,
        identity: &I,
    ) -> Result<String, EncodeError> {
        self.refresh_token(identity).sign()
    }

    /// A token pair (see [`JwtState::token_pair`]) in the request's session.
    pub fn token_pair<'a, I: Identity + ?Sized>(&'a self, identity: &'a I) -> TokenPair<'a> {
        let mut pair = self.state.token_pair(identity);
        if self.state.config().sessions {
            pair.refresh = self.in_session(pair.refresh);
            pair.access = self.in_session(pair.access);
        }
        pair
    }

    /// [`JwtState::create_token_pair`] in the request's session.
    pub async fn create_token_pair<I: Identity + ?Sized + Sync>(
        &self,
        identity: &I,
    ) -> Result<(String, String), EncodeError> {
        self.token_pair(identity).await
    }

    /// At a refresh route: new tokens for the refresh token `claims` (from
    /// `get_jwt()`), in its session. The new access token is paired with the
    /// refresh token, so that revoking either revokes both.
    ///
    /// With `jwt_refresh_token_rotation`, the refresh token works once: this
    /// retires it (atomically, in the store) and also returns a new refresh
    /// token. A retired refresh token presented again (after
    /// `jwt_refresh_token_reuse_grace`) is taken as stolen: its whole session
    /// is revoked and the answer is 401 `Token has been revoked`. A store that
    /// is down fails it closed (503).
    ///
    /// ```no_run
    /// # #[macro_use] extern crate rocket;
    /// use rocket::serde::json::{json, Value};
    /// use rocket_jwt_extended_runtime::{get_jwt, JwtError, Tokens};
    ///
    /// // #[jwt_required(refresh)] above this route
    /// #[post("/refresh")]
    /// async fn refresh(tokens: Tokens<'_>) -> Result<Value, JwtError> {
    ///     let new = tokens.refresh_session(&get_jwt()).await?;
    ///     Ok(json!({ "access_token": new.access_token, "refresh_token": new.refresh_token }))
    /// }
    /// ```
    ///
    /// `claims` must be those of the refresh token this request was
    /// authenticated with, on a route that checks revocation (`get_jwt()`
    /// under `#[jwt_required(refresh)]`): anything else is refused, so a
    /// revoked or merely decoded token cannot mint.
    pub fn refresh_session(&self, claims: &Claims) -> SessionRefresh<'_> {
        let verified = self
            .request
            .authenticated(self.route)
            .is_some_and(|t| t.claims().jti().is_some() && t.claims().jti() == claims.jti());
        SessionRefresh {
            state: self.state,
            verified,
            claims: claims.clone(),
            fresh: Fresh::No,
            expires: None,
            extra: serde_json::Map::new(),
            error: None,
        }
    }
}

/// The tokens [`Tokens::refresh_session`] issued.
#[derive(Debug, Clone)]
pub struct Refreshed {
    /// The new access token.
    pub access_token: String,
    /// The new refresh token, with `jwt_refresh_token_rotation`.
    pub refresh_token: Option<String>,
}

/// New tokens for a refresh token, from [`Tokens::refresh_session`]; finish
/// with `.await`.
#[must_use = "a refresh does nothing until `.await`"]
pub struct SessionRefresh<'a> {
    state: &'a JwtState,
    verified: bool,
    claims: Claims,
    fresh: Fresh,
    expires: Option<Duration>,
    extra: serde_json::Map<String, serde_json::Value>,
    error: Option<EncodeError>,
}

impl SessionRefresh<'_> {
    /// The new access token's freshness (usually not fresh: it comes from a refresh).
    pub fn fresh(mut self, fresh: impl Into<Fresh>) -> Self {
        self.fresh = fresh.into();
        self
    }

    /// The new access token's lifetime.
    pub fn expires_in(mut self, lifetime: Duration) -> Self {
        self.expires = Some(lifetime);
        self
    }

    /// Claims added to the new access token.
    pub fn additional_claims<T: Serialize>(mut self, claims: T) -> Self {
        match crate::loaders::into_object(claims, "additional claims") {
            Ok(m) => self.extra.extend(m),
            Err(e) => self.error = Some(e),
        }
        self
    }

    /// The refresh token as a decoded token, for the revoked answer.
    fn as_token(&self, identity: &str) -> Arc<VerifiedJwt> {
        Arc::new(VerifiedJwt {
            header: JwtHeader::empty(),
            claims: self.claims.clone(),
            identity: identity.to_owned(),
            location: None,
            token: String::new(),
        })
    }

    async fn finish(self) -> Result<Refreshed, JwtError> {
        if let Some(e) = self.error {
            return Err(e.into());
        }
        let (state, claims) = (self.state, &self.claims);
        let cfg = state.config();
        if !claims.is_refresh() {
            return Err(JwtError::WrongTokenType {
                refresh_required: true,
            });
        }
        if !self.verified {
            return Err(JwtError::Configuration(
                "refresh_session takes the claims of the refresh token that authenticated \
                 this request (`get_jwt()` under #[jwt_required(refresh)], revocation checked)"
                    .into(),
            ));
        }
        let identity = claims
            .get_str(&cfg.identity_claim)
            .ok_or_else(|| DecodeError::MissingClaim(cfg.identity_claim.clone()))?
            .to_owned();
        // A refresh token from before sessions were on gets a session named
        // after its `jti`: every use of it lands in the same one, so a reuse
        // still ends whatever the first use started.
        let sid = match claims.session() {
            Some(sid) => Some(sid.to_owned()),
            None if cfg.sessions => claims
                .jti()
                .map(str::to_owned)
                .or_else(|| Some(new_session_id())),
            None => None,
        };
        let mut refresh = None;
        if cfg.refresh_token_rotation {
            let now = token::now_secs();
            let store = state.store().ok_or_else(|| {
                JwtError::Configuration(
                    "jwt_refresh_token_rotation needs a revocation store".into(),
                )
            })?;
            let Some(jti) = claims.jti() else {
                return Err(JwtError::Revoked(self.as_token(&identity)));
            };
            let expires_at = entry_expiry(cfg, claims.exp(), now);
            let used = bounded(state, store.consume(jti, now, expires_at)).await?;
            let grace = i64::try_from(cfg.refresh_reuse_grace.as_secs()).unwrap_or(0);
            if let Some(used_at) = used {
                // Within the grace a client may retry (a lost response);
                // with none (the default) a second use is always theft, and
                // so is one whose first use is dated in the future (clocks).
                if !(0..grace).contains(&now.saturating_sub(used_at)) {
                    // Reuse of a retired refresh token: the session is taken
                    // as stolen and ends, for the thief and the owner alike.
                    let mut entries = token_entries(cfg, claims, now)?;
                    let key = sid.as_deref().map(|sid| session_key(&identity, sid));
                    if let Some(key) = &key {
                        entries.push(session_entry(cfg, key, &identity, now));
                    }
                    bounded(state, store.revoke(&entries)).await?;
                    return Err(JwtError::Revoked(self.as_token(&identity)));
                }
            }
            let mut builder = state.refresh_token(&identity);
            if let Some(sid) = &sid {
                builder = builder.session(sid.clone());
            }
            refresh = Some(builder.await?);
        }
        let mut access = state.access_token(&identity).fresh(self.fresh);
        if let Some(sid) = &sid {
            access = access.session(sid.clone());
        }
        if let Some(lifetime) = self.expires {
            access = access.expires_in(lifetime);
        }
        let pair = match &refresh {
            Some(new) => {
                let new = token::unverified_parts(new, usize::MAX)?.1;
                new.jti().map(|j| (j.to_owned(), new.exp()))
            }
            None => claims.jti().map(|j| (j.to_owned(), claims.exp())),
        };
        if let Some((jti, exp)) = pair {
            access = access.paired_with(jti, exp);
        }
        let access_token = access.additional_claims(self.extra).await?;
        Ok(Refreshed {
            access_token,
            refresh_token: refresh,
        })
    }
}

impl<'a> IntoFuture for SessionRefresh<'a> {
    type Output = Result<Refreshed, JwtError>;
    type IntoFuture = BoxFuture<'a, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.finish())
    }
}
