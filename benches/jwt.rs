//! Benchmarks, each beside a baseline measured in the same run:
//! - encode: `create_access_token` vs raw `jsonwebtoken::encode` of the same claims;
//! - decode: `decode_token` (all of flask's checks) vs raw `jsonwebtoken::decode`;
//! - route: a `#[jwt_required]` route vs the same route unprotected, through
//!   Rocket's local client.
//!
//! `cargo bench --bench jwt` runs criterion for the details, then prints the
//! ratios from a paired run: short batches of baseline and ours alternate
//! (order flipped each round) and the median of the per-round ratios is
//! reported, so drift of a shared machine cancels out of the ratio.

#[macro_use]
extern crate rocket;

use criterion::{black_box, Criterion};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rocket::figment::Figment;
use rocket::http::Header as HttpHeader;
use rocket::local::blocking::Client;
use rocket_jwt_extended::{jwt_required, JwtManager, JwtState};
use serde_json::{json, Map, Value};

const SECRET: &str = "benchmark-secret-key-that-is-at-least-32-bytes";

#[jwt_required]
#[get("/protected")]
fn protected() -> &'static str {
    "ok"
}

#[get("/open")]
fn open() -> &'static str {
    "ok"
}

fn figment() -> Figment {
    Figment::from(rocket::Config::release_default())
        .merge(("log_level", "off"))
        .merge(("jwt_secret_key", SECRET))
}

/// The claims flask-jwt-extended writes, with fresh random `jti` and `csrf`
/// as every real token has, so the baseline does the same work as ours.
fn claims(now: i64) -> Value {
    json!({"fresh": false, "iat": now, "jti": uuid::Uuid::new_v4().to_string(), "type": "access",
           "sub": "admin", "nbf": now, "csrf": uuid::Uuid::new_v4().to_string(), "exp": now + 900})
}

fn benches(c: &mut Criterion) {
    let state: JwtState = JwtManager::new().build_state(&figment()).unwrap();
    let enc = EncodingKey::from_secret(SECRET.as_bytes());
    let dec = DecodingKey::from_secret(SECRET.as_bytes());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;

    let mut g = c.benchmark_group("encode");
    g.bench_function("baseline_jsonwebtoken", |b| {
        b.iter(|| jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims(now), &enc).unwrap())
    });
    g.bench_function("create_access_token", |b| {
        b.iter(|| state.create_access_token(black_box("admin")).unwrap())
    });
    g.finish();

    let token = state.create_access_token("admin").unwrap();
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 0;
    validation.validate_nbf = true;
    let mut g = c.benchmark_group("decode");
    g.bench_function("baseline_jsonwebtoken", |b| {
        b.iter(|| {
            jsonwebtoken::decode::<Map<String, Value>>(black_box(&token), &dec, &validation)
                .unwrap()
        })
    });
    g.bench_function("decode_token", |b| {
        b.iter(|| state.decode_token(black_box(&token), false).unwrap())
    });
    g.finish();

    let rocket = rocket::custom(figment())
        .attach(JwtManager::new())
        .mount("/", routes![protected, open]);
    let client = Client::untracked(rocket).unwrap();
    let auth = HttpHeader::new("Authorization", format!("Bearer {token}"));
    let mut g = c.benchmark_group("route");
    g.bench_function("baseline_unprotected", |b| {
        b.iter(|| {
            let r = client.get("/open").header(auth.clone()).dispatch();
            assert_eq!(r.status().code, 200);
        })
    });
    g.bench_function("jwt_required", |b| {
        b.iter(|| {
            let r = client.get("/protected").header(auth.clone()).dispatch();
            assert_eq!(r.status().code, 200);
        })
    });
    g.finish();
}

/// Median ns per call of `base` and `ours`, and the median of per-round ratios.
fn paired(mut base: impl FnMut(), mut ours: impl FnMut()) -> (f64, f64, f64) {
    const ROUNDS: usize = 41;
    const ITERS: u32 = 2000;
    let time = |f: &mut dyn FnMut()| {
        let t = std::time::Instant::now();
        for _ in 0..ITERS {
            f();
        }
        t.elapsed().as_nanos() as f64 / f64::from(ITERS)
    };
    let (mut bs, mut os, mut rs) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let (b, o) = if round % 2 == 0 {
            let b = time(&mut base);
            (b, time(&mut ours))
        } else {
            let o = time(&mut ours);
            (time(&mut base), o)
        };
        bs.push(b);
        os.push(o);
        rs.push(o / b);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    (median(&mut bs), median(&mut os), median(&mut rs))
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    benches(&mut c);
    c.final_summary();

    let state: JwtState = JwtManager::new().build_state(&figment()).unwrap();
    let enc = EncodingKey::from_secret(SECRET.as_bytes());
    let dec = DecodingKey::from_secret(SECRET.as_bytes());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let token = state.create_access_token("admin").unwrap();
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 0;
    validation.validate_nbf = true;
    let rocket = rocket::custom(figment())
        .attach(JwtManager::new())
        .mount("/", routes![protected, open]);
    let client = Client::untracked(rocket).unwrap();
    let auth = HttpHeader::new("Authorization", format!("Bearer {token}"));
    let get = |path: &'static str| {
        let r = client.get(path).header(auth.clone()).dispatch();
        assert_eq!(r.status().code, 200);
    };

    println!("\npaired ratios (ours / baseline, alternating batches, medians):");
    let rows = [
        (
            "encode: create_access_token / jsonwebtoken::encode",
            paired(
                || {
                    drop(black_box(
                        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims(now), &enc)
                            .unwrap(),
                    ))
                },
                || {
                    drop(black_box(
                        state.create_access_token(black_box("admin")).unwrap(),
                    ))
                },
            ),
        ),
        (
            "decode: decode_token / jsonwebtoken::decode",
            paired(
                || {
                    drop(black_box(
                        jsonwebtoken::decode::<Map<String, Value>>(
                            black_box(&token),
                            &dec,
                            &validation,
                        )
                        .unwrap(),
                    ))
                },
                || {
                    drop(black_box(
                        state.decode_token(black_box(&token), false).unwrap(),
                    ))
                },
            ),
        ),
        (
            "route: #[jwt_required] / unprotected (local client)",
            paired(|| get("/open"), || get("/protected")),
        ),
    ];
    for (name, (b, o, r)) in rows {
        println!("  {name:<55} {o:>8.0} ns vs {b:>8.0} ns = {r:.3}x");
    }
}
