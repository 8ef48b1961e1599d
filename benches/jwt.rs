//! Benchmarks, each beside a baseline measured in the same run:
//! - encode: `create_access_token` vs raw `jsonwebtoken::encode` of the same claims;
//! - decode: `decode_token` (all of flask's checks) vs raw `jsonwebtoken::decode`;
//! - route: a `#[jwt_required]` route vs the same route unprotected, through
//!   Rocket's local client.
//!
//! `cargo bench --bench jwt` prints the ratios last (read from criterion's estimates).

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

fn claims(now: i64) -> Value {
    json!({"fresh": false, "iat": now, "jti": uuid(), "type": "access", "sub": "admin",
           "nbf": now, "csrf": uuid(), "exp": now + 900})
}

fn uuid() -> String {
    "0b8f7a4e-5a1d-4d8b-8d25-3c5f0e0a9c11".into()
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

fn mean_ns(group: &str, name: &str) -> Option<f64> {
    let path = format!(
        "{}/target/criterion/{group}/{name}/new/estimates.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    v["mean"]["point_estimate"].as_f64()
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    benches(&mut c);
    c.final_summary();
    println!("\nratios (ours / baseline, same run):");
    for (group, ours, base) in [
        ("encode", "create_access_token", "baseline_jsonwebtoken"),
        ("decode", "decode_token", "baseline_jsonwebtoken"),
        ("route", "jwt_required", "baseline_unprotected"),
    ] {
        if let (Some(o), Some(b)) = (mean_ns(group, ours), mean_ns(group, base)) {
            println!(
                "  {group:<7} {ours:<20} {:>9.0} ns  vs {base:<22} {:>9.0} ns  = {:.3}x",
                o,
                b,
                o / b
            );
        }
    }
}
