//! Steps 5–7 of flask's order, each loader at most once per request and
//! token: revocation, `#[token_verification]`, `#[user_lookup]`.

use std::sync::Arc;

use rocket::request::Request;

use super::options::VerifyOptions;
use super::revocation::is_revoked;
use super::state::RequestState;
use crate::error::JwtError;
use crate::loaders::{AnyUser, LoaderArgs};
use crate::state::JwtState;
use crate::token::VerifiedJwt;

/// Whether anything can revoke a token: a store or a `#[token_in_blocklist]`.
pub(crate) fn revocation_configured(state: &JwtState) -> bool {
    state.loaders().token_in_blocklist.is_some() || state.store().is_some()
}

/// Runs the request-side loaders for `token`; the user, when one is loaded.
pub(crate) async fn run_loaders(
    req: &Request<'_>,
    state: &JwtState,
    token: &Arc<VerifiedJwt>,
    options: VerifyOptions,
) -> Result<Option<AnyUser>, JwtError> {
    let loaders = state.loaders();
    let revocation = !options.skips_revocation_check() && revocation_configured(state);
    if !revocation && loaders.token_verification.is_none() && loaders.user_lookup.is_none() {
        return Ok(None);
    }
    // A loader whose request guard verifies the JWT again (a `Jwt` or
    // `CurrentUser` parameter) would call itself forever: refuse instead.
    let request = RequestState::of(req);
    if !request.enter_loaders() {
        return Err(JwtError::Configuration(
            "a loader's parameter verifies the JWT again (e.g. a `Jwt` or `CurrentUser` guard); \
             take `&Claims`/`&JwtHeader` instead"
                .into(),
        ));
    }
    let mut answers = request.answers(token);
    let args = LoaderArgs::token(token);
    let result = async {
        if revocation {
            let revoked = match answers.revoked {
                Some(r) => r,
                None => *answers.revoked.insert(is_revoked(req, state, args).await?),
            };
            if revoked {
                return Err(JwtError::Revoked(token.clone()));
            }
        }
        if let Some((_, f)) = loaders.token_verification {
            let verified = match answers.verified {
                Some(v) => v,
                None => *answers.verified.insert(f(req, args).await?),
            };
            if !verified {
                return Err(JwtError::VerificationFailed(token.clone()));
            }
        }
        if let Some((_, lookup)) = loaders.user_lookup {
            let user = match &answers.user {
                Some(u) => u.clone(),
                None => answers.user.insert((lookup.f)(req, args).await?).clone(),
            };
            return match user {
                Some(user) => Ok(Some(user)),
                None => Err(JwtError::UserLookup(token.clone())),
            };
        }
        Ok(None)
    }
    .await;
    request.leave_loaders();
    request.put_answers(token, answers);
    result
}
