//! With the `metrics` feature, every refusal is counted by reason and status
//! through the `metrics` facade.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use metrics::{
    Counter, CounterFn, Gauge, Histogram, Key, KeyName, Metadata, Recorder, SharedString, Unit,
};
use rocket::http::Status;

use crate::common::*;

#[derive(Default)]
struct Counts(Mutex<HashMap<String, Arc<Count>>>);

#[derive(Default)]
struct Count(AtomicU64);

impl CounterFn for Count {
    fn increment(&self, value: u64) {
        self.0.fetch_add(value, Ordering::SeqCst);
    }
    fn absolute(&self, value: u64) {
        self.0.fetch_max(value, Ordering::SeqCst);
    }
}

struct TestRecorder(&'static Counts);

fn label(key: &Key) -> String {
    let mut labels: Vec<String> = key
        .labels()
        .map(|l| format!("{}={}", l.key(), l.value()))
        .collect();
    labels.sort();
    format!("{}{{{}}}", key.name(), labels.join(","))
}

impl Recorder for TestRecorder {
    fn describe_counter(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_gauge(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_histogram(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn register_counter(&self, key: &Key, _: &Metadata<'_>) -> Counter {
        let mut map = self.0 .0.lock().unwrap();
        Counter::from_arc(map.entry(label(key)).or_default().clone())
    }
    fn register_gauge(&self, _: &Key, _: &Metadata<'_>) -> Gauge {
        Gauge::noop()
    }
    fn register_histogram(&self, _: &Key, _: &Metadata<'_>) -> Histogram {
        Histogram::noop()
    }
}

fn counts() -> &'static Counts {
    static COUNTS: OnceLock<&'static Counts> = OnceLock::new();
    COUNTS.get_or_init(|| {
        let counts: &'static Counts = Box::leak(Box::default());
        metrics::set_global_recorder(TestRecorder(counts)).expect("the only recorder");
        counts
    })
}

fn count(name: &str) -> u64 {
    counts()
        .0
        .lock()
        .unwrap()
        .get(name)
        .map_or(0, |c| c.0.load(Ordering::SeqCst))
}

#[test]
fn refusals_are_counted_by_reason_and_status() {
    let unauthorized = "rocket_jwt_extended_refusals_total{reason=unauthorized,status=401}";
    let expired = "rocket_jwt_extended_refusals_total{reason=expired_token,status=401}";
    let invalid = "rocket_jwt_extended_refusals_total{reason=invalid_token,status=422}";
    counts();
    let (u, e, i) = (count(unauthorized), count(expired), count(invalid));
    let c = client();
    assert_eq!(
        c.get("/protected").dispatch().status(),
        Status::Unauthorized
    );
    assert_eq!(
        c.get("/protected").dispatch().status(),
        Status::Unauthorized
    );
    let old = forge(serde_json::json!({"exp": now() - 5}));
    assert_eq!(
        c.get("/protected").header(bearer(&old)).dispatch().status(),
        Status::Unauthorized
    );
    assert_eq!(
        c.get("/protected")
            .header(bearer("a.b.c"))
            .dispatch()
            .status(),
        Status::UnprocessableEntity
    );
    assert!(count(unauthorized) >= u + 2);
    assert!(count(expired) > e);
    assert!(count(invalid) > i);
}
