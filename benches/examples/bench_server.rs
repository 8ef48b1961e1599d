//! The server side of `benches/callgrind.sh`: one protected and one open route,
//! in one of several modes, so each is measured in the same binary:
//!
//! - `handwritten`: `GET /protected` behind the guard a Rocket user would write
//!   alone with jsonwebtoken (`strip_prefix("Bearer ")`, `decode` into a typed
//!   struct, key and `Validation` built once);
//! - `ours`: the same route under `#[jwt_required]` (`JwtManager` attached);
//! - `ours-redis`: `ours` with the Redis revocation store (127.0.0.1:6379);
//! - `bare`: `GET /open` in an app without the manager;
//! - `ours-open`: `GET /open` in an app with the manager attached.
//!
//! `bench_server MODE PORT`. One worker thread, logging off. `GET /shutdown`
//! stops it; on exit it prints `allocations N` (a counting allocator) to
//! stderr, so the script can take per-request differences.

#[macro_use]
extern crate rocket;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

#[path = "../handwritten.rs"]
mod handwritten;

use handwritten::{protected_handwritten, HandwrittenKeys};
use rocket::figment::Figment;
use rocket::Shutdown;
use rocket_db_pools::{deadpool_redis, Database};
use rocket_jwt_extended::{get_jwt_identity, jwt_required, JwtManager};
use rocket_jwt_extended_stores::RedisStore;

/// Counts allocations (and reallocations), nothing else.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: forwards to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The secret both modes verify with (the client signs with it too).
pub const SECRET: &str = "benchmark-secret-key-that-is-at-least-32-bytes";

#[derive(Database)]
#[database("bench_revocations")]
struct Revocations(deadpool_redis::Pool);

#[jwt_required]
#[get("/protected")]
fn protected() -> String {
    get_jwt_identity().unwrap_or_default()
}

/// The same route with its location named: no body data guard.
#[jwt_required(locations = "headers")]
#[get("/protected")]
fn protected_headers() -> String {
    get_jwt_identity().unwrap_or_default()
}

#[get("/open")]
fn open() -> &'static str {
    "ok"
}

#[get("/shutdown")]
fn shutdown(shutdown: Shutdown) -> &'static str {
    shutdown.notify();
    "bye"
}

fn figment(port: u16) -> Figment {
    Figment::from(rocket::Config::release_default())
        .merge(("port", port))
        .merge(("workers", 1))
        .merge(("log_level", "off"))
        .merge(("jwt_secret_key", SECRET))
        .merge(("databases.bench_revocations.url", "redis://127.0.0.1:6379"))
        .merge(("databases.bench_revocations.max_connections", 4))
}

#[rocket::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = args.first().cloned().unwrap_or_else(|| "ours".into());
    let port: u16 = args.get(1).and_then(|p| p.parse().ok()).unwrap_or(8100);
    let base = rocket::custom(figment(port)).mount("/", routes![shutdown]);
    let rocket = match mode.as_str() {
        "handwritten" => base
            .manage(HandwrittenKeys::hs256(SECRET))
            .mount("/", routes![protected_handwritten]),
        "ours" => base
            .attach(JwtManager::new())
            .mount("/", routes![protected]),
        "ours-headers" => base
            .attach(JwtManager::new())
            .mount("/", routes![protected_headers]),
        "ours-redis" => {
            let prefix = format!("jwt-bench-{}:", std::process::id());
            base.attach(Revocations::init())
                .attach(
                    JwtManager::new()
                        .revocation_store(RedisStore::<Revocations>::new().prefix(prefix)),
                )
                .mount("/", routes![protected])
        }
        "bare" => base.mount("/", routes![open]),
        "ours-open" => base.attach(JwtManager::new()).mount("/", routes![open]),
        other => panic!("unknown mode {other}: handwritten, ours, ours-redis, bare, ours-open"),
    };
    if let Err(e) = rocket.launch().await {
        panic!("launch failed: {e}");
    }
    eprintln!("allocations {}", ALLOCATIONS.load(Ordering::Relaxed));
}
