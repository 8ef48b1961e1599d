//! `Revocations<'_>`: revoking tokens from a handler. flask leaves this to
//! the application; here it writes to the registered store.

use rocket::request::{FromRequest, Outcome, Request};

use crate::error::JwtError;
use crate::request::{
    bounded, check_token, fail, longest_lifetime, session_entry, session_key, token_entries,
};
use crate::state::JwtState;
use crate::store::RevocationStore;
use crate::token::{now_secs, Claims};

/// Revoking tokens from a handler, in the registered store.
///
/// ```ignore
/// #[jwt_required(verify_type = false)]
/// #[delete("/logout")]
/// async fn logout(revocations: Revocations<'_>) -> Result<Value, JwtError> {
///     let token = get_jwt();
///     revocations.revoke(&token).await?;
///     Ok(json!({ "msg": format!("{} token successfully revoked", token.token_type()) }))
/// }
/// ```
pub struct Revocations<'r> {
    state: &'r JwtState,
    store: &'r dyn RevocationStore,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Revocations<'r> {
    type Error = JwtError;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, JwtError> {
        let state = match JwtState::of(req) {
            Ok(state) => state,
            Err(e) => return fail(req, e),
        };
        match state.store() {
            Some(store) => Outcome::Success(Revocations {
                state,
                store: &**store,
            }),
            None => fail(
                req,
                JwtError::Configuration(
                    "no revocation store is registered: JwtManager::new().revocation_store(..)"
                        .into(),
                ),
            ),
        }
    }
}

impl Revocations<'_> {
    /// Revokes a token by its claims until it expires. An access token created
    /// with [`JwtState::create_token_pair`] revokes its refresh token too.
    pub async fn revoke(&self, claims: &Claims) -> Result<(), JwtError> {
        let entries = token_entries(self.state.config(), claims, now_secs())?;
        bounded(self.state, self.store.revoke(&entries)).await
    }

    /// Logout: revokes the session the token belongs to (`jwt_sessions`),
    /// so that every token of it is refused, those issued before and after
    /// this call, through explicit or implicit refresh; and the token itself.
    /// A token without a session is revoked as [`revoke`](Self::revoke) does.
    pub async fn revoke_session(&self, claims: &Claims) -> Result<(), JwtError> {
        let cfg = self.state.config();
        let now = now_secs();
        let mut entries = token_entries(cfg, claims, now)?;
        let identity = claims.get_str(&cfg.identity_claim).unwrap_or("");
        let key = claims.session().map(|sid| session_key(identity, sid));
        if let Some(key) = &key {
            entries.push(session_entry(cfg, key, identity, now));
        }
        bounded(self.state, self.store.revoke(&entries)).await
    }

    /// "Logout everywhere": revokes every token of `identity` issued until
    /// now (including this second), checked in the same round trip as `jti`.
    pub async fn revoke_all(&self, identity: &str) -> Result<(), JwtError> {
        let cfg = self.state.config();
        let now = now_secs();
        let expires_at =
            longest_lifetime(cfg).map(|l| now.saturating_add(l).saturating_add(cfg.leeway as i64));
        bounded(
            self.state,
            self.store.revoke_identity(identity, now, expires_at),
        )
        .await
    }

    /// Whether a token is revoked (what protected routes check).
    pub async fn is_revoked(&self, claims: &Claims) -> Result<bool, JwtError> {
        let identity = claims
            .get_str(&self.state.config().identity_claim)
            .unwrap_or("");
        check_token(self.state, claims, identity).await
    }
}
