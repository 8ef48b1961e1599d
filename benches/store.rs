//! The Redis revocation store under load, over real HTTP on loopback: the
//! same protected route on two servers, one checking every token against
//! Redis (127.0.0.1:6379) and one without a store, driven by the same
//! keep-alive clients in alternating windows (order flipped each round).
//!
//! Reports the throughput ratio (median of the per-round ratios) and the
//! latency percentiles of each side, so the store's added p50/p99 is the
//! difference measured in the same run.
//!
//! `cargo bench --bench store`

#[macro_use]
extern crate rocket;

mod load;

use std::time::Duration;

use rocket::figment::Figment;
use rocket::serde::json::{json, Value};
use rocket::tokio;
use rocket_db_pools::{deadpool_redis, Database};
use rocket_jwt_extended::{jwt_required, JwtManager};
use rocket_jwt_extended_stores::RedisStore;

/// One window of the bench's clients on `port`.
async fn window(port: u16, token: &str) -> (f64, Vec<Duration>) {
    load::window(port, "/protected", token, CLIENTS, WINDOW).await
}

const SECRET: &str = "benchmark-secret-key-that-is-at-least-32-bytes";
const CLIENTS: usize = 16;
const ROUNDS: usize = 7;
const WINDOW: Duration = Duration::from_millis(1500);

#[derive(Database)]
#[database("bench_blocklist")]
struct Blocklist(deadpool_redis::Pool);

#[jwt_required]
#[get("/protected")]
fn protected() -> Value {
    json!({ "hello": "world" })
}

fn figment() -> Figment {
    Figment::from(rocket::Config::release_default())
        .merge(("log_level", "off"))
        .merge(("jwt_secret_key", SECRET))
        .merge(("databases.bench_blocklist.url", "redis://127.0.0.1:6379"))
        .merge(("databases.bench_blocklist.max_connections", 32))
}

/// CPU seconds the Redis server has used so far (`INFO cpu`).
fn redis_cpu() -> f64 {
    let out = std::process::Command::new("redis-cli")
        .args(["-h", "127.0.0.1", "-p", "6379", "INFO", "cpu"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    out.lines()
        .filter_map(|l| l.split_once(':'))
        .filter(|(k, _)| *k == "used_cpu_sys" || *k == "used_cpu_user")
        .filter_map(|(_, v)| v.trim().parse::<f64>().ok())
        .sum()
}

async fn run() {
    let prefix = format!("jwt-bench-{}:", uuid::Uuid::new_v4().simple());
    let baseline = load::http::launch(
        rocket::custom(figment())
            .attach(Blocklist::init())
            .attach(JwtManager::new())
            .mount("/", routes![protected]),
    )
    .await;
    let with_store = load::http::launch(
        rocket::custom(figment())
            .attach(Blocklist::init())
            .attach(
                JwtManager::new().revocation_store(RedisStore::<Blocklist>::new().prefix(prefix)),
            )
            .mount("/", routes![protected]),
    )
    .await;
    let token = JwtManager::new()
        .build_state(&figment())
        .unwrap()
        .create_access_token("bench")
        .unwrap();
    // Warm both (connections, pools).
    window(baseline.port, &token).await;
    window(with_store.port, &token).await;

    let redis_seconds = std::cell::Cell::new(0.0);
    let mut r = load::alternate(
        ROUNDS,
        || window(baseline.port, &token),
        || async {
            let before = redis_cpu();
            let s = window(with_store.port, &token).await;
            redis_seconds.set(redis_seconds.get() + redis_cpu() - before);
            s
        },
    )
    .await;
    let redis_seconds = redis_seconds.get();
    let (base_lat, store_lat) = (&r.a_lat, &r.b_lat);
    let (b50, b99) = (
        load::percentile(base_lat, 0.50),
        load::percentile(base_lat, 0.99),
    );
    let (s50, s99) = (
        load::percentile(store_lat, 0.50),
        load::percentile(store_lat, 0.99),
    );
    println!("protected route over loopback HTTP, {CLIENTS} keep-alive clients, {ROUNDS} alternating rounds of {WINDOW:?}:");
    println!(
        "  throughput: without store {:.0} req/s, with Redis store {:.0} req/s; ratio (median of rounds) = {:.3}",
        load::median(&mut r.a_rps),
        load::median(&mut r.b_rps),
        load::median(&mut r.ratios)
    );
    println!(
        "  latency without store: p50 {:.0} µs, p99 {:.0} µs ({} requests)",
        load::us(b50),
        load::us(b99),
        base_lat.len()
    );
    println!(
        "  latency with store:    p50 {:.0} µs, p99 {:.0} µs ({} requests)",
        load::us(s50),
        load::us(s99),
        store_lat.len()
    );
    println!(
        "  added by the store:    p50 {:+.0} µs, p99 {:+.0} µs",
        load::us(s50) - load::us(b50),
        load::us(s99) - load::us(b99)
    );
    let windows = ROUNDS as f64 * WINDOW.as_secs_f64();
    println!(
        "  the Redis server itself used {:.2} of the machine's {} cores during the store's windows ({:.1} µs of CPU per request)",
        redis_seconds / windows,
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        redis_seconds * 1e6 / store_lat.len() as f64
    );
}

fn main() {
    // `cargo test --benches` runs benches once with `--bench` absent: keep it short then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(run());
}
