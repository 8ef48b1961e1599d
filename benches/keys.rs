//! Verification cost of the asymmetric algorithms, each beside a baseline
//! measured in the same run (`cargo bench --bench keys`):
//! - RS256 / ES256 / EdDSA: `decode_token` (all of flask's checks) vs raw
//!   `jsonwebtoken::decode` of the same token with the same key;
//! - JWKS: `decode_token` on a resource server whose key came from a JWKS
//!   (warm cache) vs the same key configured statically, with the heap
//!   allocations of one call counted for both.
//!
//! Criterion runs first for the details; then the ratios from a paired run
//! (alternating batches, order flipped each round, median of the ratios).

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};

mod paired;

use criterion::{black_box, Criterion};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use paired::paired;
use rocket::figment::Figment;
use rocket_jwt_extended::keys::{generate_key_pair, KeyPair};
use rocket_jwt_extended::{JwtManager, JwtState};
use rocket_jwt_extended_jwks::Jwks;
use serde_json::{Map, Value};

/// Counts allocations, to show the JWKS path makes none of its own.
struct Counting;
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn figment() -> Figment {
    Figment::from(rocket::Config::release_default()).merge(("log_level", "off"))
}

/// One algorithm: our state and jsonwebtoken's key for the same token.
struct Case {
    name: &'static str,
    state: JwtState,
    dec: DecodingKey,
    validation: Validation,
    token: String,
}

fn case(name: &'static str, alg: Algorithm, pair: &KeyPair) -> Case {
    let state = JwtManager::new()
        .build_state(
            &figment()
                .merge(("jwt_algorithm", name))
                .merge(("jwt_private_key", pair.private_pem.clone())),
        )
        .unwrap();
    let token = state.create_access_token("admin").unwrap();
    let dec = match alg {
        Algorithm::ES256 => DecodingKey::from_ec_pem(pair.public_pem.as_bytes()),
        Algorithm::EdDSA => DecodingKey::from_ed_pem(pair.public_pem.as_bytes()),
        _ => DecodingKey::from_rsa_pem(pair.public_pem.as_bytes()),
    }
    .unwrap();
    let mut validation = Validation::new(alg);
    validation.leeway = 0;
    validation.validate_nbf = true;
    Case {
        name,
        state,
        dec,
        validation,
        token,
    }
}

impl Case {
    fn baseline(&self) {
        let t = black_box(self.token.as_str());
        black_box(
            jsonwebtoken::decode::<Map<String, Value>>(t, &self.dec, &self.validation).unwrap(),
        );
    }

    fn ours(&self) {
        black_box(
            self.state
                .decode_token(black_box(&self.token), false)
                .unwrap(),
        );
    }
}

/// Serves `body` to every request on a loopback port (the bench's key server).
fn serve(body: String) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/jwks.json", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut buf = [0u8; 2048];
            let _ = stream.read(&mut buf);
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

/// A resource server whose ES256 key came from a JWKS, and the same key static.
fn jwks_pair(pair: &KeyPair) -> (JwtState, JwtState, String) {
    let issuer = JwtManager::new()
        .build_state(
            &figment()
                .merge(("jwt_algorithm", "ES256"))
                .merge(("jwt_private_key", pair.private_pem.clone())),
        )
        .unwrap();
    let token = issuer.create_access_token("admin").unwrap();
    let url = serve(issuer.jwks().to_string());
    let jwks = Jwks::new();
    let manager = JwtManager::new().key_source(jwks.clone());
    let remote_figment = figment().merge(("jwt_jwks_url", url));
    let remote = manager.build_state(&remote_figment).unwrap();
    // Ignite the key source as the fairing would: one fetch, then the cache.
    let settings = remote.config().jwks.clone().unwrap();
    rocket::tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(rocket_jwt_extended::KeySource::init(&jwks, &settings))
        .unwrap();
    let static_key = JwtManager::new()
        .build_state(
            &figment()
                .merge(("jwt_algorithm", "ES256"))
                .merge(("jwt_public_key", pair.public_pem.clone())),
        )
        .unwrap();
    (remote, static_key, token)
}

fn allocations(op: &dyn Fn()) -> usize {
    op();
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    op();
    ALLOCATIONS.load(Ordering::Relaxed) - before
}

fn main() {
    let rsa = generate_key_pair(Algorithm::RS256).unwrap();
    let ec = generate_key_pair(Algorithm::ES256).unwrap();
    let ed = generate_key_pair(Algorithm::EdDSA).unwrap();
    let cases = [
        case("RS256", Algorithm::RS256, &rsa),
        case("ES256", Algorithm::ES256, &ec),
        case("EdDSA", Algorithm::EdDSA, &ed),
    ];
    let (remote, static_key, token) = jwks_pair(&ec);
    let via_jwks = || {
        black_box(remote.decode_token(black_box(&token), false).unwrap());
    };
    let via_static = || {
        black_box(static_key.decode_token(black_box(&token), false).unwrap());
    };

    let mut c = Criterion::default().configure_from_args();
    for case in &cases {
        let mut g = c.benchmark_group(format!("verify {}", case.name));
        g.bench_function("baseline jsonwebtoken::decode", |b| {
            b.iter(|| case.baseline())
        });
        g.bench_function("decode_token", |b| b.iter(|| case.ours()));
        g.finish();
    }
    let mut g = c.benchmark_group("jwks");
    g.bench_function("baseline static ES256 key", |b| b.iter(via_static));
    g.bench_function("key from a JWKS (warm)", |b| b.iter(via_jwks));
    g.finish();
    c.final_summary();

    println!("\npaired ratios (ours / baseline, alternating batches, medians):");
    for case in &cases {
        let (b, o, r) = paired(&|| case.baseline(), &|| case.ours(), 31, 200);
        println!(
            "  verify {:<6} decode_token {o:>9.0} ns vs jsonwebtoken::decode {b:>9.0} ns = {r:.3}x",
            case.name
        );
    }
    let (b, o, r) = paired(&via_static, &via_jwks, 31, 200);
    println!("  jwks   warm JWKS key {o:>9.0} ns vs static key          {b:>9.0} ns = {r:.3}x");
    println!(
        "  allocations per decode: warm JWKS key {}, static key {}",
        allocations(&via_jwks),
        allocations(&via_static)
    );
}
