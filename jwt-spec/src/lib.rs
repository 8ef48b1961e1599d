//! The vocabulary that `rocket-jwt-extended`'s runtime and its attribute
//! macros share, written once: where a token may be found and which of those
//! places need the request body; and the "did you mean" rule both use.
//!
//! The macro crate validates `#[jwt_required(locations = [..])]` against these
//! tables at compile time; the runtime searches requests with the same
//! [`Location`] values. Nothing here depends on anything.
#![deny(missing_docs)]
use std::fmt;
use std::str::FromStr;

/// Where a token may be found in a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Location {
    /// The `Authorization` header (name and scheme configurable).
    Headers,
    /// The access/refresh cookies, with double-submit CSRF protection.
    Cookies,
    /// A key of a JSON request body.
    Json,
    /// A query-string parameter.
    QueryString,
}

impl Location {
    /// Every location, in flask-jwt-extended's spelling order.
    pub const ALL: [Location; 4] = [
        Location::Headers,
        Location::Cookies,
        Location::Json,
        Location::QueryString,
    ];

    /// Every configuration spelling, in the order of [`Location::ALL`].
    pub const NAMES: [&'static str; 4] = ["headers", "cookies", "json", "query_string"];

    /// The configuration spelling: `headers`, `cookies`, `json`, `query_string`.
    pub const fn as_str(self) -> &'static str {
        Location::NAMES[self.index()]
    }

    const fn index(self) -> usize {
        match self {
            Location::Headers => 0,
            Location::Cookies => 1,
            Location::Json => 2,
            Location::QueryString => 3,
        }
    }

    /// The location spelled `name`, if any.
    pub fn from_name(name: &str) -> Option<Location> {
        Location::ALL.into_iter().find(|l| l.as_str() == name)
    }

    /// A small integer code (1..=4) used to pack location lists into const generics.
    pub const fn code(self) -> u32 {
        self.index() as u32 + 1
    }

    /// The inverse of [`Location::code`].
    pub const fn from_code(code: u32) -> Option<Location> {
        match code {
            1..=4 => Some(Location::ALL[code as usize - 1]),
            _ => None,
        }
    }

    /// Whether reading this location always needs the request body (only a
    /// data guard can read it).
    pub const fn reads_body(self) -> bool {
        matches!(self, Location::Json)
    }

    /// Whether reading this location may need the request body, depending on
    /// the configuration: the JSON body, or the CSRF form field of the cookie
    /// location (`jwt_csrf_check_form`).
    pub const fn may_read_body(self) -> bool {
        matches!(self, Location::Json | Location::Cookies)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Location {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Location::from_name(s).ok_or_else(|| {
            format!("'{s}' is not a valid location; expected one of headers, cookies, json, query_string")
        })
    }
}

/// The candidate closest to `given` by edit distance, when it is close
/// enough to be a likely misspelling: what "did you mean" hints suggest, in
/// the macros and in the configuration alike.
pub fn closest<'a>(given: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (distance(given, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min()
        .map(|(_, c)| c)
}

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_codes_and_variants_agree() {
        for (i, loc) in Location::ALL.into_iter().enumerate() {
            assert_eq!(Location::NAMES[i], loc.as_str());
            assert_eq!(Location::from_name(loc.as_str()), Some(loc));
            assert_eq!(Location::from_code(loc.code()), Some(loc));
        }
        assert_eq!(Location::from_code(0), None);
        assert_eq!(Location::from_code(5), None);
        assert_eq!(Location::from_name("header"), None);
    }

    #[test]
    fn closest_suggests_near_names_only() {
        let names = ["jwt_access_token_expires", "jwt_refresh_token_expires"];
        assert_eq!(
            closest("jwt_acess_token_expires", &names),
            Some("jwt_access_token_expires")
        );
        assert_eq!(closest("jwt_something_else", &names), None);
        assert_eq!(closest("cookie", &Location::NAMES), Some("cookies"));
    }

    #[test]
    fn only_json_always_reads_the_body() {
        let always: [bool; 4] = Location::ALL.map(Location::reads_body);
        assert_eq!(always, [false, false, true, false]);
        let maybe: [bool; 4] = Location::ALL.map(Location::may_read_body);
        assert_eq!(maybe, [false, true, true, false]);
    }
}
