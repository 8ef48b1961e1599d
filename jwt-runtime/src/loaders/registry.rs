//! Which loaders exist and which are registered, across the whole binary.
//!
//! Every loader attribute records its function here at link time, and every
//! `loaders![..]` records what it lists. A loader that no `loaders![..]` of
//! the binary names would never run (a blocklist that is never consulted, a
//! user lookup that is never made), so the manager refuses to launch and
//! names it. Listing is counted over the whole binary, not per manager: two
//! applications in one process each register their own loaders, and a test
//! binary may build many applications from one set of functions.

use std::any::TypeId;

/// A function marked with a loader attribute.
#[doc(hidden)]
pub struct Defined {
    /// The hidden struct's type (what `loaders![..]` names).
    pub id: fn() -> TypeId,
    /// The attribute, e.g. `#[token_in_blocklist]`.
    pub attribute: &'static str,
    /// The function's name.
    pub name: &'static str,
    /// Where it is defined.
    pub file: &'static str,
    /// Where it is defined.
    pub line: u32,
}

/// A function named in a `loaders![..]` (or in `JwtManager::unused_loaders`).
#[doc(hidden)]
pub struct Listed {
    /// The hidden struct's type.
    pub id: fn() -> TypeId,
}

inventory::collect!(Defined);
inventory::collect!(Listed);

/// The loaders no `loaders![..]` in the binary names, by file and line.
pub(crate) fn never_listed() -> Vec<&'static Defined> {
    let listed: Vec<TypeId> = inventory::iter::<Listed>().map(|l| (l.id)()).collect();
    let mut out: Vec<&'static Defined> = inventory::iter::<Defined>()
        .filter(|d| !listed.contains(&(d.id)()))
        .collect();
    out.sort_by_key(|d| (d.file, d.line));
    out
}

/// The launch refusal for loaders that no `loaders![..]` in the binary
/// lists, if any: what `JwtManager` logs when it refuses to launch.
pub fn unregistered_loaders_message() -> Option<String> {
    let missing = never_listed();
    if missing.is_empty() {
        return None;
    }
    let mut message = String::new();
    for d in &missing {
        message.push_str(&format!(
            "{} function `{}` ({}:{}) is never registered, so it never runs: \
             add it to `JwtManager::new().loaders(loaders![{}])`",
            d.attribute, d.name, d.file, d.line, d.name
        ));
        message.push('\n');
    }
    message.push_str(
        "(a loader this application does not use on purpose, e.g. a library's, \
         can be named in `JwtManager::new().unused_loaders(loaders![..])`)",
    );
    Some(message)
}
