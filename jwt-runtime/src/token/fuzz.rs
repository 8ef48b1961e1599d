//! A deterministic property-based fuzzer for the codec, with no external
//! crate: a splitmix64 generator mutates a corpus of validly signed tokens
//! (HS256/384/512, several claim shapes and extra headers) and checks, for
//! every input:
//!
//! - [`decode`], [`unverified_header`] and [`unverified_parts`] never panic;
//! - `decode` accepts (returns `Ok` or `Err(TokenError::Expired)`) only an
//!   input that is byte for byte a corpus token, and only under the key that
//!   signed it: no mutation, splice or re-signing with a foreign key forges
//!   a token, and no alternative encoding of a token is accepted;
//! - an accepted token reads back the same through `unverified_parts`.
//!
//! A second property generates random claim sets and extra headers and checks
//! that they round-trip through [`encode`] and [`decode`] exactly.
//!
//! `JWT_FUZZ_ITERATIONS` sets the number of inputs (default 20 000, a couple
//! of seconds in debug) and `JWT_FUZZ_SEED` the seed (decimal or `0x` hex;
//! default fixed, so a failure reproduces). The documented long run is
//!
//! ```text
//! JWT_FUZZ_ITERATIONS=10000000 cargo test --release -p rocket-jwt-extended-runtime fuzz -- --nocapture
//! ```
//!
//! It prints how many inputs ran, how many were accepted, and how many were
//! refused per `DecodeError` variant.

use std::collections::{BTreeMap, HashMap};
use std::panic::{self, AssertUnwindSafe};
use std::time::Instant;

use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine as _;
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::{json, Map, Value};

use super::{
    decode, encode, now_secs, unverified_header, unverified_parts, DecodeError, DecodeOptions,
    Keys, Location, Policy, TokenError,
};

const DEFAULT_ITERATIONS: u64 = 20_000;
const DEFAULT_SEED: u64 = 0x6a77_745f_6675_7a7a;

// ------------------------------------------------------------------ the PRNG

/// splitmix64: tiny, fast, and good enough to drive mutations.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`; the modulo bias is irrelevant here).
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True once in `n`.
    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    let Ok(text) = std::env::var(name) else {
        return default;
    };
    let text = text.trim().replace('_', "");
    let parsed = match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => text.parse(),
    };
    parsed.unwrap_or_else(|e| panic!("{name}={text:?} is not a number: {e}"))
}

// ---------------------------------------------------------------- the corpus

/// The three real keys; the policy lists all three algorithms.
fn real_keys() -> Vec<Keys> {
    vec![
        Keys::hmac(Algorithm::HS256, b"fuzz-hs256-secret-0123456789abcd"),
        Keys::hmac(
            Algorithm::HS384,
            b"fuzz-hs384-secret-0123456789abcdef0123456789abc",
        ),
        Keys::hmac(
            Algorithm::HS512,
            b"fuzz-hs512-secret-0123456789abcdef0123456789abcdef0123456789abc",
        ),
    ]
}

/// Keys no decode uses: what an attacker may sign with.
fn foreign_keys() -> Vec<(Algorithm, EncodingKey)> {
    vec![
        (
            Algorithm::HS256,
            EncodingKey::from_secret(b"attacker-secret-0123456789abcdef"),
        ),
        (Algorithm::HS384, EncodingKey::from_secret(&[0x55; 48])),
        (Algorithm::HS512, EncodingKey::from_secret(&[0xaa; 64])),
        (Algorithm::HS256, EncodingKey::from_secret(b"secret")),
        (Algorithm::HS256, EncodingKey::from_secret(b"")),
        // The HS256 secret one byte short.
        (
            Algorithm::HS256,
            EncodingKey::from_secret(b"fuzz-hs256-secret-0123456789abc"),
        ),
    ]
}

fn policy() -> Policy {
    Policy::new(vec![Algorithm::HS256, Algorithm::HS384, Algorithm::HS512])
}

fn claim_shapes(now: i64) -> Vec<Value> {
    vec![
        json!({"sub": "alice", "iat": now, "nbf": now, "exp": now + 3600,
               "jti": "6f1c1a52-1d2e-4c1b-9a7e-2b1f0d9c8e7a", "type": "access", "fresh": false}),
        json!({"sub": "bob", "type": "refresh", "exp": now + 86_400, "csrf": "c5f0e1d2"}),
        json!({"sub": "carol", "iat": now - 7200, "exp": now - 100}),
        json!({"sub": "dave"}),
        json!({"sub": "eve", "aud": ["a", "b"], "iss": "issuer", "roles": ["admin", "ops"],
               "nested": {"k": [1, 2, {"z": null}], "f": 0.5}, "fresh": now + 300}),
        json!({"sub": "ünïcødé ✓ 😀", "note": "nul \u{0} quote \" backslash \\ line\u{2028}"}),
        json!({"sub": "frank", "blob": "x".repeat(400), "n": u64::MAX, "m": i64::MIN}),
    ]
}

fn header_shapes() -> Vec<Map<String, Value>> {
    [
        json!({}),
        json!({"kid": "k1"}),
        json!({"typ": "at+jwt", "cty": "JWT"}),
        json!({"typ": null, "kid": "rotating-2"}),
    ]
    .into_iter()
    .map(|v| match v {
        Value::Object(m) => m,
        _ => unreachable!(),
    })
    .collect()
}

/// Correctly signed tokens whose header or claims the codec refuses, so that
/// mutations also start from tokens that get past the signature.
fn refused_shapes(now: i64) -> Vec<(Value, Value)> {
    vec![
        (json!({}), json!({"sub": 7})),
        (json!({}), json!({"sub": "a", "iat": now + 3600})),
        (json!({}), json!({"sub": "a", "nbf": now + 3600})),
        (json!({}), json!({"sub": "a", "exp": 1.5})),
        (json!({}), json!({"sub": "a", "jti": 5})),
        (json!({}), json!({"user": "a"})),
        (json!({"kid": 5}), json!({"sub": "a"})),
        (json!({"crit": ["exp"]}), json!({"sub": "a"})),
        (json!({"b64": false}), json!({"sub": "a"})),
    ]
}

struct Corpus {
    /// Every token, the index of the key that signed it, and whether the codec accepts it.
    tokens: Vec<(String, usize, bool)>,
    /// Every corpus token and the index of the key that signed it.
    signed_by: HashMap<String, usize>,
}

fn build_corpus(keys: &[Keys]) -> Corpus {
    let now = now_secs();
    let as_map = |v: Value| match v {
        Value::Object(m) => m,
        other => panic!("not an object: {other}"),
    };
    let mut tokens = Vec::new();
    for (k, key) in keys.iter().enumerate() {
        for claims in claim_shapes(now) {
            let claims = as_map(claims);
            for headers in header_shapes() {
                let token = encode(key, None, headers, &claims).expect("encode corpus token");
                tokens.push((token, k, true));
            }
        }
        for (headers, claims) in refused_shapes(now) {
            let token = encode(key, None, as_map(headers), &as_map(claims)).expect("encode");
            tokens.push((token, k, false));
        }
    }
    let signed_by = tokens.iter().map(|(t, k, _)| (t.clone(), *k)).collect();
    Corpus { tokens, signed_by }
}

// --------------------------------------------------------------- mutations

const INSERTS: &[&str] = &[
    ".", "=", "==", "+", "/", "-", "_", " ", "\t", "\n", "\r\n", "\0", "A", "e30", "%2E", "é", "€",
    "😀", "\u{FEFF}", "\u{FFFD}", "\u{7f}", "..",
];

const HEADER_KEYS: &[&str] = &["alg", "typ", "kid", "crit", "b64", "cty", "jku", "zip"];
const CLAIM_KEYS: &[&str] = &[
    "sub", "exp", "nbf", "iat", "iss", "aud", "jti", "type", "fresh", "csrf",
];

fn raw_values(rng: &mut Rng) -> String {
    let now = now_secs();
    let fixed: &[&str] = &[
        "null",
        "true",
        "false",
        "0",
        "-1",
        "1",
        "1.5",
        "-0",
        "0.0",
        "1e400",
        "1E2",
        "-1e-400",
        "123456789012345678901234567890",
        "18446744073709551615",
        "18446744073709551616",
        "9223372036854775807",
        "-9223372036854775808",
        "-9223372036854775809",
        "\"\"",
        "\"none\"",
        "\"None\"",
        "\"HS256\"",
        "\"HS384\"",
        "\"HS512\"",
        "\"RS256\"",
        "\"admin\"",
        "[]",
        "{}",
        "[\"b64\"]",
        "[\"exp\"]",
        "[\"a\",1]",
        "\"\\u0000\"",
        "\"\\ud800\"",
        "\"\\u0061lg\"",
        "{\"a\":{\"a\":{}}}",
        "NaN",
        "Infinity",
        "01",
        "+1",
        "'x'",
    ];
    match rng.below(5) {
        0 => (now + rng.below(20_000) as i64 - 10_000).to_string(),
        1 => format!("{}.{}", now, rng.below(1000)),
        2 => format!("\"{}\"", "x".repeat(rng.below(2000))),
        _ => (*rng.pick(fixed)).to_owned(),
    }
}

fn nested(rng: &mut Rng, inner: &str) -> String {
    let depth = 1 + rng.below(3000);
    if rng.one_in(2) {
        format!("{}{inner}{}", "[".repeat(depth), "]".repeat(depth))
    } else {
        format!("{}{inner}{}", "{\"a\":".repeat(depth), "}".repeat(depth))
    }
}

/// Inserts `"key":raw` as the first member of the JSON text's object.
fn with_member(text: &str, key: &str, raw: &str, comma: bool) -> String {
    match text.find('{') {
        Some(i) => {
            let sep = if comma { "," } else { "" };
            format!("{}{{\"{key}\":{raw}{sep}{}", &text[..i], &text[i + 1..])
        }
        None => format!("{{\"{key}\":{raw}}}"),
    }
}

fn mutate_json_text(rng: &mut Rng, text: &str, is_header: bool) -> String {
    let parsed: Option<Map<String, Value>> = serde_json::from_str(text).ok();
    let existing: Vec<String> = parsed
        .as_ref()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let reserved = if is_header { HEADER_KEYS } else { CLAIM_KEYS };
    let key = if !existing.is_empty() && rng.one_in(2) {
        rng.pick(&existing).clone()
    } else {
        (*rng.pick(reserved)).to_owned()
    };
    match rng.below(9) {
        // Change (or add) one member's value.
        0 | 1 => {
            let raw = raw_values(rng);
            match parsed {
                Some(mut map) => {
                    map.remove(&key);
                    let rest = serde_json::to_string(&map).expect("serialize map");
                    with_member(&rest, &key, &raw, !map.is_empty())
                }
                None => with_member(text, &key, &raw, text.len() > 2),
            }
        }
        // Duplicate a member (the first copy may differ from the second).
        2 => {
            let raw = raw_values(rng);
            with_member(text, &key, &raw, true)
        }
        // Nest deeply: the whole document or one member.
        3 => {
            if rng.one_in(2) {
                nested(rng, text)
            } else {
                let inner = nested(rng, "1");
                with_member(text, &key, &inner, true)
            }
        }
        // Remove a member.
        4 => match parsed {
            Some(mut map) => {
                map.remove(&key);
                serde_json::to_string(&map).expect("serialize map")
            }
            None => text.to_owned(),
        },
        // Spell a key with an escape, so it only matches once decoded.
        5 => {
            let plain = format!("\"{key}\"");
            let mut chars = key.chars();
            let escaped = match chars.next() {
                Some(c) => format!("\"\\u{:04x}{}\"", c as u32, chars.as_str()),
                None => plain.clone(),
            };
            text.replacen(&plain, &escaped, 1)
        }
        // Whitespace, a byte-order mark, trailing junk.
        6 => {
            let junk = *rng.pick(&[" ", "\n", "\u{FEFF}", " x", "}", ",", "\0", "{}"]);
            if rng.one_in(2) {
                format!("{junk}{text}")
            } else {
                format!("{text}{junk}")
            }
        }
        // Not an object at all.
        7 => raw_values(rng),
        // Cut the JSON short.
        _ => {
            let cut = rng.below(text.len() + 1);
            String::from_utf8_lossy(&text.as_bytes()[..cut]).into_owned()
        }
    }
}

fn reencode(rng: &mut Rng, bytes: &[u8]) -> String {
    match rng.below(10) {
        0 => URL_SAFE.encode(bytes),
        1 => STANDARD_NO_PAD.encode(bytes),
        _ => URL_SAFE_NO_PAD.encode(bytes),
    }
}

fn sign_foreign(rng: &mut Rng, foreign: &[(Algorithm, EncodingKey)], input: &str) -> String {
    let (alg, key) = rng.pick(foreign);
    jsonwebtoken::crypto::sign(input.as_bytes(), key, *alg).expect("sign")
}

/// Replaces the last segment with a foreign signature of everything before it.
fn resign_foreign(rng: &mut Rng, foreign: &[(Algorithm, EncodingKey)], token: &str) -> String {
    match token.rsplit_once('.') {
        Some((input, _)) => format!("{input}.{}", sign_foreign(rng, foreign, input)),
        None => format!("{token}.{}", sign_foreign(rng, foreign, token)),
    }
}

const B64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn mutate_once(
    rng: &mut Rng,
    token: &str,
    corpus: &Corpus,
    foreign: &[(Algorithm, EncodingKey)],
    max: usize,
) -> String {
    let mut bytes = token.as_bytes().to_vec();
    let len = bytes.len();
    match rng.below(16) {
        // Bit flip.
        0 if len > 0 => {
            let i = rng.below(len);
            bytes[i] ^= 1 << rng.below(8);
        }
        // Insert an interesting byte sequence.
        1 => {
            let at = rng.below(len + 1);
            let what = if rng.one_in(4) {
                vec![rng.below(256) as u8]
            } else {
                rng.pick(INSERTS).as_bytes().to_vec()
            };
            bytes.splice(at..at, what);
        }
        // Delete a run.
        2 if len > 0 => {
            let at = rng.below(len);
            let n = 1 + rng.below(4.min(len - at));
            bytes.drain(at..at + n);
        }
        // Replace a byte.
        3 if len > 0 => {
            let i = rng.below(len);
            bytes[i] = if rng.one_in(2) {
                *rng.pick(B64URL)
            } else {
                *rng.pick(b".=+/ \t\n\0\x7f\xc3\xff-_")
            };
        }
        // Segment surgery: swap, duplicate, drop.
        4 => {
            let mut segs: Vec<&str> = token.split('.').collect();
            let n = segs.len();
            match rng.below(3) {
                0 => segs.swap(rng.below(n), rng.below(n)),
                1 => {
                    let s = segs[rng.below(n)];
                    segs.insert(rng.below(n + 1), s);
                }
                _ => {
                    segs.remove(rng.below(n));
                }
            }
            return segs.join(".");
        }
        // Truncate.
        5 => bytes.truncate(rng.below(len + 1)),
        // Decode a segment, mutate its JSON, re-encode, keep the signature.
        6..=8 => {
            let mut segs: Vec<String> = token.split('.').map(str::to_owned).collect();
            let which = rng.below(2.min(segs.len()));
            let text = match URL_SAFE_NO_PAD.decode(&segs[which]) {
                Ok(b) => String::from_utf8_lossy(&b).into_owned(),
                Err(_) => "{}".to_owned(),
            };
            let mutated = mutate_json_text(rng, &text, which == 0);
            segs[which] = reencode(rng, mutated.as_bytes());
            let out = segs.join(".");
            return if rng.one_in(4) {
                resign_foreign(rng, foreign, &out)
            } else {
                out
            };
        }
        // Re-sign with a foreign key.
        9 => return resign_foreign(rng, foreign, token),
        // Splice the segments of two corpus tokens.
        10 => {
            let (other, _, _) = rng.pick(&corpus.tokens);
            let a: Vec<&str> = token.split('.').collect();
            let b: Vec<&str> = other.split('.').collect();
            let n = a.len().max(b.len());
            let mixed: Vec<&str> = (0..n)
                .filter_map(|i| {
                    let from_a = rng.one_in(2);
                    let (first, second) = if from_a { (&a, &b) } else { (&b, &a) };
                    first.get(i).or_else(|| second.get(i)).copied()
                })
                .collect();
            return mixed.join(".");
        }
        // Repeat past the size cap, or pad to just around it.
        11 => {
            if !rng.one_in(8) {
                let copies = max / len.max(1) + 1 + rng.below(3);
                let sep = if rng.one_in(2) { "." } else { "" };
                return vec![token; copies].join(sep);
            }
            let segs: Vec<&str> = token.split('.').collect();
            let &[h, _, s] = &segs[..] else {
                return token.to_owned();
            };
            let target = max - 4 + rng.below(9);
            let payload_len = target.saturating_sub(h.len() + s.len() + 2) * 3 / 4;
            let pad = payload_len.saturating_sub(r#"{"pad":"","sub":"x"}"#.len());
            let text = format!(r#"{{"pad":"{}","sub":"x"}}"#, "p".repeat(pad));
            return format!("{h}.{}.{s}", URL_SAFE_NO_PAD.encode(text));
        }
        // The signature of another corpus token.
        12 => {
            let (other, _, _) = rng.pick(&corpus.tokens);
            if let (Some((input, _)), Some((_, sig))) =
                (token.rsplit_once('.'), other.rsplit_once('.'))
            {
                return format!("{input}.{sig}");
            }
        }
        // Set unused trailing bits of a segment's last character.
        13 => {
            let mut segs: Vec<String> = token.split('.').map(str::to_owned).collect();
            let i = rng.below(segs.len());
            if let Some(last) = segs[i].pop() {
                let c = match B64URL.iter().position(|&b| b as char == last) {
                    Some(p) => B64URL[(p ^ (1 + rng.below(3))) & 63] as char,
                    None => last,
                };
                segs[i].push(c);
            }
            return segs.join(".");
        }
        // Swap the case of one character.
        14 if len > 0 => {
            let i = rng.below(len);
            let b = bytes[i];
            bytes[i] = if b.is_ascii_lowercase() {
                b.to_ascii_uppercase()
            } else {
                b.to_ascii_lowercase()
            };
        }
        // Change the header's `alg` to another listed algorithm, keep the signature.
        _ => {
            let mut segs: Vec<String> = token.split('.').map(str::to_owned).collect();
            if let Ok(b) = URL_SAFE_NO_PAD.decode(&segs[0]) {
                if let Ok(mut header) = serde_json::from_slice::<Map<String, Value>>(&b) {
                    let alg = *rng.pick(&["HS256", "HS384", "HS512"]);
                    header.insert("alg".into(), alg.into());
                    segs[0] = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header).expect("json"));
                }
            }
            return segs.join(".");
        }
    }
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

// ---------------------------------------------------------------- the check

fn category(e: &DecodeError) -> String {
    let debug = format!("{e:?}");
    debug.split('(').next().unwrap_or_default().to_owned()
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "<non-string panic>".to_owned())
}

#[track_caller]
fn fail(what: &str, seed: u64, iteration: u64, input: &str) -> ! {
    panic!(
        "{what}\n  JWT_FUZZ_SEED={seed:#x}, iteration {iteration}\n  input ({} bytes): {input:?}",
        input.len()
    )
}

#[test]
fn decode_never_panics_and_accepts_only_signed_originals() {
    let iterations = env_u64("JWT_FUZZ_ITERATIONS", DEFAULT_ITERATIONS);
    let seed = env_u64("JWT_FUZZ_SEED", DEFAULT_SEED);
    let keys = real_keys();
    let foreign = foreign_keys();
    let policy = policy();
    let max = policy.max_token_size;
    let corpus = build_corpus(&keys);

    // The corpus itself: each valid token verifies (or is expired) under its
    // key only; each refused one is refused after the signature or for its header.
    for (token, k, valid) in &corpus.tokens {
        for (j, key) in keys.iter().enumerate() {
            let r = decode(&policy, key, token, DecodeOptions::default());
            let ok = match (&r, j == *k, valid) {
                (Ok(_) | Err(TokenError::Expired(_)), true, true) => true,
                (Err(TokenError::Invalid(DecodeError::Signature)), own, _) => !own,
                (Err(TokenError::Invalid(_)), _, false) => true,
                _ => false,
            };
            assert!(ok, "corpus token {token} under key {j}: {r:?}");
        }
    }

    let mut rng = Rng(seed);
    let mut accepted_ok = 0u64;
    let mut accepted_expired = 0u64;
    let mut refused: BTreeMap<String, u64> = BTreeMap::new();
    let mut decodes = 0u64;
    let started = Instant::now();

    for iteration in 0..iterations {
        let (base, home, _) = rng.pick(&corpus.tokens).clone();
        let mut input = base;
        for _ in 0..1 + usize::from(rng.one_in(4)) * rng.below(3) {
            input = mutate_once(&mut rng, &input, &corpus, &foreign, max);
        }

        // Under the source token's key, and one input in three under another
        // real key too (HMAC is what a debug run spends its time on).
        let mut tried = vec![home];
        if rng.one_in(3) {
            tried.push((home + 1 + rng.below(keys.len() - 1)) % keys.len());
        }
        decodes += tried.len() as u64;
        let mut accepted_by = None;
        let mut refusal_at_home = None;
        for k in tried {
            let key = &keys[k];
            let opts = DecodeOptions {
                allow_expired: rng.one_in(4),
                location: if rng.one_in(2) {
                    Some(*rng.pick(&Location::ALL))
                } else {
                    None
                },
            };
            let outcome =
                panic::catch_unwind(AssertUnwindSafe(|| decode(&policy, key, &input, opts)));
            let verified = match outcome {
                Err(p) => fail(
                    &format!("decode panicked: {}", panic_message(&*p)),
                    seed,
                    iteration,
                    &input,
                ),
                Ok(Err(TokenError::Invalid(e))) => {
                    if k == home {
                        refusal_at_home = Some(e);
                    }
                    continue;
                }
                Ok(Ok(v)) => {
                    accepted_ok += 1;
                    v
                }
                Ok(Err(TokenError::Expired(v))) => {
                    if opts.allow_expired {
                        fail("Expired despite allow_expired", seed, iteration, &input);
                    }
                    accepted_expired += 1;
                    *v
                }
            };
            if corpus.signed_by.get(&input) != Some(&k) {
                fail(
                    &format!("FORGED: accepted under key {k} but not a token that key signed"),
                    seed,
                    iteration,
                    &input,
                );
            }
            if verified.encoded() != input || verified.location() != opts.location {
                fail(
                    "accepted token does not record its input",
                    seed,
                    iteration,
                    &input,
                );
            }
            match unverified_parts(&input, max) {
                Ok((header, claims))
                    if &header == verified.header()
                        && claims
                            .as_map()
                            .iter()
                            .all(|(name, v)| verified.claims().get(name) == Some(v)) => {}
                other => fail(
                    &format!("unverified_parts disagrees with decode: {other:?}"),
                    seed,
                    iteration,
                    &input,
                ),
            }
            accepted_by = Some(k);
        }

        for (what, outcome) in [
            (
                "unverified_header",
                panic::catch_unwind(|| unverified_header(&input, max).map(|_| ())),
            ),
            (
                "unverified_parts",
                panic::catch_unwind(|| unverified_parts(&input, max).map(|_| ())),
            ),
        ] {
            if let Err(p) = outcome {
                fail(
                    &format!("{what} panicked: {}", panic_message(&*p)),
                    seed,
                    iteration,
                    &input,
                );
            }
        }

        if accepted_by.is_none() {
            let name = refusal_at_home
                .as_ref()
                .map_or_else(|| "Expired under another key?".to_owned(), category);
            *refused.entry(name).or_default() += 1;
        }
    }

    let elapsed = started.elapsed();
    let refused_total: u64 = refused.values().sum();
    println!(
        "fuzz: JWT_FUZZ_SEED={seed:#x}: {iterations} inputs ({decodes} decodes, {} corpus tokens) \
         in {elapsed:.2?}",
        corpus.tokens.len(),
    );
    println!(
        "  accepted: {} (each byte-identical to a corpus token, under its own key: \
         {accepted_ok} ok, {accepted_expired} expired)",
        accepted_ok + accepted_expired
    );
    println!("  refused:  {refused_total} (variant under the source token's key)");
    for (name, n) in &refused {
        println!("    {name:<24} {n:>10}");
    }
    assert_eq!(accepted_ok + accepted_expired + refused_total, iterations);
}

// ------------------------------------------------------- round-trip property

const NAME_POOL: &[&str] = &[
    "k",
    "roles",
    "n",
    "",
    "ünï",
    "a\"b",
    "back\\slash",
    "sp ace",
    "😀",
    "\u{0}",
    "dot.ted",
];
const CHAR_POOL: &[char] = &[
    'a', 'Z', '0', ' ', '"', '\\', '/', '\n', '\t', '\u{0}', '\u{1f}', 'é', '€', '😀', '\u{FEFF}',
    '\u{2028}', '.', '=',
];

fn random_string(rng: &mut Rng) -> String {
    (0..rng.below(12)).map(|_| *rng.pick(CHAR_POOL)).collect()
}

fn random_value(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth == 0 { 6 } else { 8 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.one_in(2)),
        2 => json!(rng.next_u64() as i64),
        3 => json!(rng.next_u64()),
        // Exactly representable floats, so that text round trips are exact.
        4 => json!((rng.below(1 << 20) as f64 - (1 << 19) as f64) / 8.0),
        5 => Value::String(random_string(rng)),
        6 => Value::Array(
            (0..rng.below(4))
                .map(|_| random_value(rng, depth - 1))
                .collect(),
        ),
        _ => Value::Object(
            (0..rng.below(4))
                .map(|_| (random_string(rng), random_value(rng, depth - 1)))
                .collect(),
        ),
    }
}

#[test]
fn random_claim_sets_round_trip_through_encode_and_decode() {
    let iterations = (env_u64("JWT_FUZZ_ITERATIONS", DEFAULT_ITERATIONS) / 10).max(100);
    let seed = env_u64("JWT_FUZZ_SEED", DEFAULT_SEED) ^ 0x726f_756e_6474_7270;
    let keys = real_keys();
    let policy = policy();
    let mut rng = Rng(seed);
    let now = now_secs();

    for iteration in 0..iterations {
        let mut claims = Map::new();
        claims.insert("sub".into(), Value::String(random_string(&mut rng)));
        for _ in 0..rng.below(6) {
            claims.insert(
                format!("{}{}", rng.pick(NAME_POOL), rng.below(4)),
                random_value(&mut rng, 3),
            );
        }
        if rng.one_in(2) {
            claims.insert("exp".into(), json!(now + 60 + rng.below(100_000) as i64));
        }
        if rng.one_in(2) {
            claims.insert("iat".into(), json!(now - rng.below(100_000) as i64));
        }
        if rng.one_in(3) {
            claims.insert("jti".into(), Value::String(random_string(&mut rng)));
        }
        if rng.one_in(3) {
            claims.insert("type".into(), json!(rng.pick(&["access", "refresh"])));
        }
        let mut headers = Map::new();
        if rng.one_in(2) {
            headers.insert("kid".into(), Value::String(random_string(&mut rng)));
        }
        if rng.one_in(3) {
            headers.insert("x-extra".into(), random_value(&mut rng, 2));
        }

        let k = rng.below(keys.len());
        let token = encode(&keys[k], None, headers.clone(), &claims).expect("encode");
        let context = || format!("seed {seed:#x}, iteration {iteration}, token {token}");
        let v = decode(&policy, &keys[k], &token, DecodeOptions::default())
            .unwrap_or_else(|e| panic!("refused ({e}): {}", context()));

        let mut want = claims.clone();
        want.entry("type").or_insert_with(|| json!("access"));
        want.entry("fresh").or_insert(json!(false));
        want.entry("jti").or_insert(Value::Null);
        assert_eq!(v.claims().as_map(), &want, "{}", context());
        assert_eq!(Some(v.identity()), claims["sub"].as_str(), "{}", context());
        let mut want_header = headers;
        want_header.insert("typ".into(), json!("JWT"));
        want_header.insert("alg".into(), json!(keys[k].algorithm_name));
        assert_eq!(v.header().as_map(), &want_header, "{}", context());

        for (j, other) in keys.iter().enumerate().filter(|(j, _)| *j != k) {
            let r = decode(&policy, other, &token, DecodeOptions::default());
            assert!(
                matches!(r, Err(TokenError::Invalid(DecodeError::Signature))),
                "key {j} accepted a key-{k} token: {}",
                context()
            );
        }
    }
}
