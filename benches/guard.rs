//! Our `#[jwt_required]` route against the same route behind a hand-written
//! jsonwebtoken guard (`benches/handwritten.rs`), over real HTTP on loopback:
//! both servers in this process, driven by the same keep-alive clients in
//! alternating windows (order flipped each round).
//!
//! Reports the throughput ratio (median of the per-round ratios) and each
//! side's p50/p99, from the same run. Instruction counts, which do not
//! depend on the machine's load, come from `bash benches/callgrind.sh`.
//!
//! `cargo bench --bench guard`

#[macro_use]
extern crate rocket;

mod handwritten;
mod load;

use std::time::Duration;

use rocket::figment::Figment;
use rocket::tokio;
use rocket_jwt_extended::{get_jwt_identity, jwt_required, JwtManager};

const SECRET: &str = "benchmark-secret-key-that-is-at-least-32-bytes";
const CLIENTS: usize = 16;
const ROUNDS: usize = 7;
const WINDOW: Duration = Duration::from_millis(1500);

#[jwt_required]
#[get("/protected")]
fn protected() -> String {
    get_jwt_identity().unwrap_or_default()
}

fn figment() -> Figment {
    Figment::from(rocket::Config::release_default())
        .merge(("log_level", "off"))
        .merge(("jwt_secret_key", SECRET))
}

async fn window(port: u16, token: &str) -> (f64, Vec<Duration>) {
    load::window(port, "/protected", token, CLIENTS, WINDOW).await
}

async fn run() {
    let handwritten = load::http::launch(
        rocket::custom(figment())
            .manage(handwritten::HandwrittenKeys::hs256(SECRET))
            .mount("/", routes![handwritten::protected_handwritten]),
    )
    .await;
    let ours = load::http::launch(
        rocket::custom(figment())
            .attach(JwtManager::new())
            .mount("/", routes![protected]),
    )
    .await;
    let token = JwtManager::new()
        .build_state(&figment())
        .unwrap()
        .create_access_token("bench")
        .unwrap();
    window(handwritten.port, &token).await;
    window(ours.port, &token).await;

    let mut r = load::alternate(
        ROUNDS,
        || window(handwritten.port, &token),
        || window(ours.port, &token),
    )
    .await;
    println!("protected route over loopback HTTP, {CLIENTS} keep-alive clients, {ROUNDS} alternating rounds of {WINDOW:?}:");
    println!(
        "  throughput: hand-written guard {:.0} req/s, #[jwt_required] {:.0} req/s; ratio (median of rounds) = {:.3}",
        load::median(&mut r.a_rps),
        load::median(&mut r.b_rps),
        load::median(&mut r.ratios)
    );
    for (name, lat) in [
        ("hand-written guard", &r.a_lat),
        ("#[jwt_required]   ", &r.b_lat),
    ] {
        println!(
            "  latency {name}: p50 {:.0} µs, p99 {:.0} µs ({} requests)",
            load::us(load::percentile(lat, 0.50)),
            load::us(load::percentile(lat, 0.99)),
            lat.len()
        );
    }
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
