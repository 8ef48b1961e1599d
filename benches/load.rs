//! HTTP load in alternating windows, shared by the load benches: keep-alive
//! clients on loopback for a fixed time, every latency kept, so a ratio and
//! percentiles come from the same run.

use std::time::{Duration, Instant};

use rocket::tokio;

#[path = "../tests/suite/http.rs"]
pub mod http;

/// Requests per second and every latency of one window of `clients`
/// keep-alive clients sending `GET path` with `token` for `length`.
pub async fn window(
    port: u16,
    path: &'static str,
    token: &str,
    clients: usize,
    length: Duration,
) -> (f64, Vec<Duration>) {
    let end = Instant::now() + length;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..clients {
        let token = token.to_owned();
        tasks.spawn(async move {
            let mut conn = http::Conn::open(port).await.expect("connects");
            let mut latencies = Vec::new();
            while Instant::now() < end {
                let start = Instant::now();
                let (status, _) = conn
                    .request("GET", path, Some(&token))
                    .await
                    .expect("answers");
                assert_eq!(status, 200);
                latencies.push(start.elapsed());
            }
            latencies
        });
    }
    let mut all = Vec::new();
    while let Some(latencies) = tasks.join_next().await {
        all.extend(latencies.expect("client"));
    }
    (all.len() as f64 / length.as_secs_f64(), all)
}

/// The `p` quantile of sorted latencies.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// The median of `v` (sorted in place).
pub fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Microseconds.
pub fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}
