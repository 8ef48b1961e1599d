//! Custom guard decorators: checks over the verified token and the request,
//! applied with `#[jwt_required(check = f)]` (and `#[admin_required]`).

use std::marker::PhantomData;
use std::sync::Mutex;

use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::{self, Responder};
use rocket::serde::json::Json;

use crate::loaders::{LoaderArgs, RequestLoaderFn};
use crate::manager::JwtState;
use crate::util::BoxFuture;
use crate::verify::{verify, Authenticated, Verified, VerifyOptions};

/// What a check's glue returns: pass, or the response to send instead.
pub type CheckResult = Result<(), Box<response::Result<'static>>>;

/// A check usable in `#[jwt_required(check = ..)]`. The `#[jwt_check]`
/// attribute implements it for a function; see its documentation.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a JWT check",
    label = "not marked with `#[jwt_check]`",
    note = "mark the function with `#[jwt_check]` to use it in `#[jwt_required(check = ..)]`"
)]
pub trait JwtCheck {
    /// The function's name, for messages.
    const NAME: &'static str;
    /// The glue that resolves the function's request guards and calls it.
    fn check() -> RequestLoaderFn<CheckResult>;
}

/// What a `#[jwt_check]` function returns: `Ok(())` passes, `Err(responder)`
/// answers with that responder.
#[diagnostic::on_unimplemented(
    message = "a `#[jwt_check]` function returns `Result<(), R>` where `R` is a Rocket `Responder`, not `{Self}`",
    label = "return `Ok(())` to pass, `Err(response)` to refuse",
    note = "e.g. `Result<(), (Status, Json<Value>)>` or `Result<(), Status>`"
)]
pub trait CheckOutput<'r> {
    /// The check's outcome.
    fn into_outcome(self, req: &'r Request<'_>) -> CheckResult;
}

impl<'r, R: Responder<'r, 'static>> CheckOutput<'r> for Result<(), R> {
    fn into_outcome(self, req: &'r Request<'_>) -> CheckResult {
        match self {
            Ok(()) => Ok(()),
            Err(r) => Err(Box::new(r.respond_to(req))),
        }
    }
}

/// Checks deferred until the body data guard has found the token, keyed by
/// the route being tried (see `body::defer`).
#[derive(Default)]
struct DeferredChecks(Mutex<Vec<(usize, RequestLoaderFn<CheckResult>)>>);

/// Runs `check` against a verified request; on failure records the response
/// for the manager's fairing and returns its status.
async fn run(
    req: &Request<'_>,
    passed: &Authenticated,
    check: RequestLoaderFn<CheckResult>,
) -> Result<(), rocket::http::Status> {
    let args = LoaderArgs::token(&passed.token);
    match check(req, args).await {
        Ok(()) => Ok(()),
        Err(refusal) => match *refusal {
            Ok(response) => Err(crate::respond::record_check_failure(req, response)),
            Err(status) => Err(status),
        },
    }
}

/// Called by the body data guard once the deferred search has succeeded.
pub(crate) async fn run_deferred(
    req: &Request<'_>,
    passed: &Authenticated,
) -> Result<(), rocket::http::Status> {
    let route = crate::body::route_id(req);
    let checks: Vec<_> = req
        .local_cache(DeferredChecks::default)
        .0
        .lock()
        .map(|c| {
            c.iter()
                .filter(|(r, _)| *r == route)
                .map(|(_, f)| *f)
                .collect()
        })
        .unwrap_or_default();
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
        let options = VerifyOptions::from_bits(OPTS);
        match verify(req, options, None).await {
            Ok(Verified::Done(Some(passed))) => match run(req, &passed, C::check()).await {
                Ok(()) => Outcome::Success(Checked(PhantomData)),
                Err(status) => Outcome::Error((status, CheckFailed(C::NAME))),
            },
            // Optional route without token, or OPTIONS: nothing to check.
            Ok(Verified::Done(None)) => Outcome::Success(Checked(PhantomData)),
            Ok(Verified::NeedsBody) => {
                let route = crate::body::route_id(req);
                if let Ok(mut c) = req.local_cache(DeferredChecks::default).0.lock() {
                    c.push((route, C::check()));
                }
                Outcome::Success(Checked(PhantomData))
            }
            // The JWT guard before this one has already failed the request.
            Err(e) => {
                let (status, _) = crate::respond::record(req, e);
                Outcome::Error((status, CheckFailed(C::NAME)))
            }
        }
    }
}

/// `#[admin_required]`'s check: a truthy admin claim (`jwt_admin_claim`,
/// default `is_administrator`), else 403 `{"msg": "Admins only!"}`.
#[doc(hidden)]
#[allow(non_camel_case_types)]
pub struct admin_required {}

impl JwtCheck for admin_required {
    const NAME: &'static str = "admin_required";

    fn check() -> RequestLoaderFn<CheckResult> {
        fn glue<'r>(req: &'r Request<'_>, args: LoaderArgs<'r>) -> BoxFuture<'r, CheckResult> {
            Box::pin(async move {
                let Ok(state) = JwtState::of(req) else {
                    return Err(Box::new(Err(rocket::http::Status::InternalServerError)));
                };
                let cfg = state.config();
                let admin = args
                    .claims
                    .get(&cfg.admin_claim)
                    .is_some_and(crate::verify::truthy);
                if admin {
                    return Ok(());
                }
                let body = serde_json::Value::Object(serde_json::Map::from_iter([(
                    cfg.error_msg_key.clone(),
                    "Admins only!".into(),
                )]));
                let mut res = Json(body).respond_to(req);
                if let Ok(r) = &mut res {
                    r.set_status(rocket::http::Status::Forbidden);
                }
                Err(Box::new(res))
            })
        }
        glue
    }
}
