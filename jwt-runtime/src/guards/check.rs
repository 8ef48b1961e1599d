//! Custom guard decorators: checks over the verified token and the request,
//! applied with `#[jwt_required(check = f)]` (and `#[admin_required]`).

use std::marker::PhantomData;

use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};

use crate::loaders::{CheckResult, JwtCheck, LoaderArgs, RequestLoaderFn};
use crate::request::{record, record_check_failure, verify, Authenticated, RequestState, RouteId};
use crate::request::{Verified, VerifyOptions};
use crate::response::{json_response, message_key};
use crate::state::JwtState;
use crate::token::truthy;
use crate::util::BoxFuture;

/// Runs `check` against a verified request; on failure records the response
/// for the manager's fairing and returns its status.
async fn run(
    req: &Request<'_>,
    passed: &Authenticated,
    check: RequestLoaderFn<CheckResult>,
) -> Result<(), Status> {
    let args = LoaderArgs::token(&passed.token);
    match check(req, args).await {
        Ok(()) => Ok(()),
        Err(refusal) => match *refusal {
            Ok(response) => Err(record_check_failure(req, response)),
            Err(status) => Err(status),
        },
    }
}

/// Called by the body data guard once the deferred search has succeeded.
pub(crate) async fn run_deferred(req: &Request<'_>, passed: &Authenticated) -> Result<(), Status> {
    let checks = RequestState::of(req).deferred_checks(RouteId::of(req));
    for check in checks {
        run(req, passed, check).await?;
    }
    Ok(())
}

/// The guard `#[jwt_required(check = C)]` adds after the JWT guard: it runs
/// `C` over the token that guard verified (the search is not repeated).
#[doc(hidden)]
pub struct Checked<C, const OPTS: u32>(PhantomData<C>);

/// Why a check guard failed (its response is sent by the manager's fairing).
#[derive(Debug)]
pub struct CheckFailed(pub &'static str);

#[rocket::async_trait]
impl<'r, C: JwtCheck, const OPTS: u32> FromRequest<'r> for Checked<C, OPTS> {
    type Error = CheckFailed;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, CheckFailed> {
        // A check never passes without a token: OPTIONS included, whatever
        // bits the guard was given.
        let options = VerifyOptions::from_bits(OPTS).with_checks();
        match verify(req, options, None).await {
            Ok(Verified::Done(Some(passed))) => match run(req, &passed, C::check()).await {
                Ok(()) => Outcome::Success(Checked(PhantomData)),
                Err(status) => Outcome::Error((status, CheckFailed(C::NAME))),
            },
            // An optional route without token: nothing to check. (`OPTIONS`
            // requests do not pass without a token on a route with checks.)
            Ok(Verified::Done(None)) => Outcome::Success(Checked(PhantomData)),
            Ok(Verified::NeedsBody) => {
                RequestState::of(req).defer_check(RouteId::of(req), C::check());
                Outcome::Success(Checked(PhantomData))
            }
            // The JWT guard before this one has already failed the request.
            Err(e) => {
                let (status, _) = record(req, e);
                Outcome::Error((status, CheckFailed(C::NAME)))
            }
        }
    }
}

/// `#[admin_required]`'s check: a truthy admin claim (`jwt_admin_claim`,
/// default `is_administrator`), else 403 `{"msg": "Admins only!"}`.
#[doc(hidden)]
#[allow(non_camel_case_types)]
pub struct admin_required;

#[diagnostic::do_not_recommend]
impl crate::loaders::IsJwtCheck for admin_required {}

impl JwtCheck for admin_required {
    const NAME: &'static str = "admin_required";

    fn check() -> RequestLoaderFn<CheckResult> {
        fn glue<'r>(req: &'r Request<'_>, args: LoaderArgs<'r>) -> BoxFuture<'r, CheckResult> {
            Box::pin(async move {
                let Ok(state) = JwtState::of(req) else {
                    return Err(Box::new(Err(Status::InternalServerError)));
                };
                let admin_claim = &state.config().admin_claim;
                if args.claims.get(admin_claim).is_some_and(truthy) {
                    return Ok(());
                }
                let key = message_key(Some(state));
                Err(Box::new(Ok(json_response(
                    Status::Forbidden,
                    key,
                    "Admins only!",
                ))))
            })
        }
        glue
    }
}
