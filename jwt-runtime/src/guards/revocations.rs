//! `Revocations<'_>`: revoking tokens from a handler. flask leaves this to
//! the application; here it writes to the registered store.

use rocket::request::{FromRequest, Outcome, Request};
use serde_json::Value;

use crate::error::JwtError;
use crate::request::{bounded, check_token, entry_expiry, fail, longest_lifetime};
use crate::state::JwtState;
use crate::store::{Entry, RevocationStore};
use crate::token::{now_secs, Claims, TokenType, REFRESH_EXP_CLAIM, REFRESH_JTI_CLAIM};

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
        let cfg = self.state.config();
        let now = now_secs();
        let jti = claims.jti().ok_or_else(|| {
            JwtError::Configuration("a token without `jti` cannot be revoked".into())
        })?;
        let identity = claims.get_str(&cfg.identity_claim).unwrap_or("");
        let mut entries = vec![Entry {
            jti,
            token_type: claims.token_type(),
            identity,
            revoked_at: now,
            expires_at: entry_expiry(cfg, claims.exp(), now),
        }];
        if let Some(refresh) = claims.get_str(REFRESH_JTI_CLAIM) {
            let refresh_exp = claims.get(REFRESH_EXP_CLAIM).and_then(Value::as_i64);
            entries.push(Entry {
                jti: refresh,
                token_type: TokenType::Refresh.as_str(),
                identity,
                revoked_at: now,
                expires_at: entry_expiry(cfg, refresh_exp, now),
            });
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
