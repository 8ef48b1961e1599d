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

/// What alternating rounds of two sides measured.
pub struct Rounds {
    /// Per round, side b's throughput over side a's.
    pub ratios: Vec<f64>,
    /// Side a's throughput per round.
    pub a_rps: Vec<f64>,
    /// Side b's throughput per round.
    pub b_rps: Vec<f64>,
    /// Every latency of side a, sorted.
    pub a_lat: Vec<Duration>,
    /// Every latency of side b, sorted.
    pub b_lat: Vec<Duration>,
}

/// `rounds` rounds of one window of each side, the order flipped each
/// round, so drift of a shared machine cancels out of the ratios.
pub async fn alternate<A, B, FA, FB>(rounds: usize, mut a: FA, mut b: FB) -> Rounds
where
    FA: FnMut() -> A,
    FB: FnMut() -> B,
    A: std::future::Future<Output = (f64, Vec<Duration>)>,
    B: std::future::Future<Output = (f64, Vec<Duration>)>,
{
    let mut out = Rounds {
        ratios: Vec::new(),
        a_rps: Vec::new(),
        b_rps: Vec::new(),
        a_lat: Vec::new(),
        b_lat: Vec::new(),
    };
    for round in 0..rounds {
        let (x, y) = if round % 2 == 0 {
            let x = a().await;
            (x, b().await)
        } else {
            let y = b().await;
            (a().await, y)
        };
        out.ratios.push(y.0 / x.0);
        out.a_rps.push(x.0);
        out.b_rps.push(y.0);
        out.a_lat.extend(x.1);
        out.b_lat.extend(y.1);
    }
    out.a_lat.sort();
    out.b_lat.sort();
    out
}
