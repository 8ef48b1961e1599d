//! The request side: everything that runs per request to verify a token.
//!
//! `options` (what a route asks for) → `state` (the one request-local
//! state) → `locations` and `body` (where the token is read) → `decode`
//! (keys, CSRF) → `revocation` and `loaders` (steps 5–7) → `pipeline`
//! (`verify_jwt_in_request`, flask's order, once per request) → `refusal`
//! (what a failing guard records for the response fairing).

mod body;
mod decode;
mod loaders;
mod locations;
mod options;
mod pipeline;
mod refusal;
mod revocation;
mod state;

pub(crate) use body::RequestBody;
pub(crate) use decode::decode_in_request;
pub(crate) use options::needs_body;
pub use options::VerifyOptions;
pub(crate) use pipeline::{authenticated, needs_body_error, verify, Verified};
pub use pipeline::{verify_jwt_in_request, Authenticated};
pub use refusal::recorded_error;
pub(crate) use refusal::{
    fail, has_marker, mark_cookies_queued, record, record_check_failure, take_marker,
    COOKIES_QUEUED, GUARD_FAILED,
};
pub(crate) use revocation::{
    bounded, check_token, entry_expiry, is_revoked, longest_lifetime, session_entry, session_key,
    token_entries,
};
pub(crate) use state::{RequestState, RouteId};
