//! The one request-local state: everything the JWT machinery remembers
//! about a request between its guards, its data guard, its handler and the
//! response fairings, behind one lock.
//!
//! The keying rule: what belongs to the route being tried (deferred searches
//! and checks, the accepted token) is keyed by [`RouteId`], because a request
//! forwarded to another route must not finish with the first route's
//! options; what belongs to a decoded token (loader answers) is keyed by the
//! token's `Arc`, shared by every guard that asked for the same search; the
//! search is keyed by what it depends on ([`VerifyOptions::search_key`]).
//! Everything else is per request.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use rocket::http::{Cookie, Status};
use rocket::request::Request;
use rocket::Response;

use super::options::VerifyOptions;
use crate::error::JwtError;
use crate::loaders::{AnyUser, CheckResult, RequestLoaderFn};
use crate::token::VerifiedJwt;

/// The identity of the route Rocket is trying for a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RouteId(usize);

impl RouteId {
    pub(crate) fn of(req: &Request<'_>) -> RouteId {
        RouteId(
            req.route()
                .map_or(0, |r| r as *const rocket::Route as usize),
        )
    }
}

/// The outcome of one token search.
pub(crate) type Found = Result<Arc<VerifiedJwt>, JwtError>;

/// What the request-side loaders answered for one token, so that each runs
/// at most once however many guards verify.
#[derive(Default, Clone)]
pub(crate) struct LoaderAnswers {
    pub revoked: Option<bool>,
    pub verified: Option<bool>,
    pub user: Option<Option<AnyUser>>,
}

#[derive(Default)]
struct Inner {
    searches: Vec<(u32, Found)>,
    deferred: Vec<(RouteId, VerifyOptions)>,
    deferred_checks: Vec<(RouteId, RequestLoaderFn<CheckResult>)>,
    answers: Vec<(usize, LoaderAnswers)>,
    authenticated: Option<(RouteId, Arc<VerifiedJwt>)>,
    recorded: Option<(Status, JwtError)>,
    returned: Option<JwtError>,
    check_failure: Option<(Status, Response<'static>)>,
    cookies: Vec<Cookie<'static>>,
}

/// The JWT state of one request (see the module docs for the keying rule).
#[derive(Default)]
pub(crate) struct RequestState {
    inner: Mutex<Inner>,
    loaders_running: AtomicBool,
    body: OnceLock<String>,
    sessions: Mutex<Vec<(String, String)>>,
}

fn token_key(token: &Arc<VerifiedJwt>) -> usize {
    Arc::as_ptr(token) as usize
}

impl RequestState {
    pub(crate) fn of<'r>(req: &'r Request<'_>) -> &'r RequestState {
        req.local_cache(RequestState::default)
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // Nothing panics while holding the lock; a poisoned one is still consistent.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn search(&self, key: u32) -> Option<Found> {
        let inner = self.lock();
        inner
            .searches
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, f)| f.clone())
    }

    pub(crate) fn put_search(&self, key: u32, found: Found) {
        self.lock().searches.push((key, found));
    }

    /// The data guard will finish the search of `route` with these options.
    pub(crate) fn defer(&self, route: RouteId, options: VerifyOptions) {
        let mut inner = self.lock();
        inner.deferred.retain(|(r, _)| *r != route);
        inner.deferred.push((route, options));
    }

    pub(crate) fn deferred(&self, route: RouteId) -> Option<VerifyOptions> {
        let inner = self.lock();
        inner
            .deferred
            .iter()
            .find(|(r, _)| *r == route)
            .map(|(_, o)| *o)
    }

    /// A check that waits for the body data guard to find the token.
    pub(crate) fn defer_check(&self, route: RouteId, check: RequestLoaderFn<CheckResult>) {
        self.lock().deferred_checks.push((route, check));
    }

    pub(crate) fn deferred_checks(&self, route: RouteId) -> Vec<RequestLoaderFn<CheckResult>> {
        let inner = self.lock();
        inner
            .deferred_checks
            .iter()
            .filter(|(r, _)| *r == route)
            .map(|(_, f)| *f)
            .collect()
    }

    pub(crate) fn answers(&self, token: &Arc<VerifiedJwt>) -> LoaderAnswers {
        let (inner, id) = (self.lock(), token_key(token));
        inner
            .answers
            .iter()
            .find(|(k, _)| *k == id)
            .map(|(_, a)| a.clone())
            .unwrap_or_default()
    }

    pub(crate) fn put_answers(&self, token: &Arc<VerifiedJwt>, answers: LoaderAnswers) {
        let (mut inner, id) = (self.lock(), token_key(token));
        inner.answers.retain(|(k, _)| *k != id);
        inner.answers.push((id, answers));
    }

    /// Marks the loaders running; `false` if they already were (a loader
    /// whose parameter verifies the JWT again).
    pub(crate) fn enter_loaders(&self) -> bool {
        !self.loaders_running.swap(true, Ordering::SeqCst)
    }

    pub(crate) fn leave_loaders(&self) {
        self.loaders_running.store(false, Ordering::SeqCst);
    }

    /// A guard of `route` accepted `token` with every check done.
    pub(crate) fn authenticate(&self, route: RouteId, token: Arc<VerifiedJwt>) {
        self.lock().authenticated = Some((route, token));
    }

    pub(crate) fn authenticated(&self, route: RouteId) -> Option<Arc<VerifiedJwt>> {
        let inner = self.lock();
        match &inner.authenticated {
            Some((r, token)) if *r == route => Some(token.clone()),
            _ => None,
        }
    }

    pub(crate) fn record(&self, status: Status, error: JwtError) {
        self.lock().recorded = Some((status, error));
    }

    pub(crate) fn recorded(&self) -> Option<JwtError> {
        self.lock().recorded.as_ref().map(|(_, e)| e.clone())
    }

    pub(crate) fn take_recorded(&self) -> Option<(Status, JwtError)> {
        self.lock().recorded.take()
    }

    /// A handler returned this error, and a handler of its kind is registered.
    pub(crate) fn record_returned(&self, error: JwtError) {
        self.lock().returned = Some(error);
    }

    pub(crate) fn take_returned(&self) -> Option<JwtError> {
        self.lock().returned.take()
    }

    pub(crate) fn record_check_failure(&self, status: Status, response: Response<'static>) {
        self.lock().check_failure = Some((status, response));
    }

    pub(crate) fn take_check_failure(&self) -> Option<(Status, Response<'static>)> {
        self.lock().check_failure.take()
    }

    /// Queues a cookie for the response; a later one of the same name and
    /// path replaces an earlier one.
    pub(crate) fn queue_cookie(&self, cookie: Cookie<'static>) {
        let mut inner = self.lock();
        inner
            .cookies
            .retain(|c| c.name() != cookie.name() || c.path() != cookie.path());
        inner.cookies.push(cookie);
    }

    pub(crate) fn has_queued_cookie(&self, name: &str) -> bool {
        self.lock().cookies.iter().any(|c| c.name() == name)
    }

    pub(crate) fn take_cookies(&self) -> Vec<Cookie<'static>> {
        std::mem::take(&mut self.lock().cookies)
    }

    /// The session that tokens created in this request for `identity` start
    /// (`jwt_sessions`), when no token of that identity authenticated it: one
    /// per identity, so tokens minted for two users never share one.
    pub(crate) fn new_session(&self, identity: &str) -> String {
        let mut sessions = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, sid)) = sessions.iter().find(|(i, _)| i == identity) {
            return sid.clone();
        }
        let sid = crate::token::new_session_id();
        sessions.push((identity.to_owned(), sid.clone()));
        sid
    }

    /// The request body as text, kept for the request's lifetime so that a
    /// data guard can hand the handler a value that borrows from it.
    pub(crate) fn keep_body(&self, text: String) -> &str {
        self.body.get_or_init(|| text)
    }
}
