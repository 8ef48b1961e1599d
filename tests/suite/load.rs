//! A bounded loopback load run against the Redis store: many concurrent
//! keep-alive clients for a few seconds while tokens are revoked one after
//! another. No token is accepted once its revocation has been confirmed, and
//! nothing fails except those expected refusals.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rocket::tokio;
use rocket_db_pools::Database;
use rocket_jwt_extended::{JwtManager, RedisStore};

use crate::common::figment;
use crate::http::{launch, Conn};
use crate::stores::{routes, with_redis, RedisDb, REDIS_URL};

const CLIENTS: usize = 32;
const TOKENS: usize = 48;
const RUN: Duration = Duration::from_secs(3);

#[test]
fn revocations_hold_under_concurrent_load() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run());
}

async fn run() {
    let prefix = format!("jwt-load-{}:", uuid::Uuid::new_v4().simple());
    let rocket = rocket::custom(with_redis(figment(), REDIS_URL))
        .attach(RedisDb::init())
        .attach(JwtManager::new().revocation_store(RedisStore::<RedisDb>::new().prefix(prefix)))
        .mount("/", routes());
    let server = launch(rocket).await;
    let port = server.port;

    let state = JwtManager::new().build_state(&figment()).unwrap();
    let tokens: Arc<Vec<String>> = Arc::new(
        (0..TOKENS)
            .map(|i| state.create_access_token(&format!("load-{i}")).unwrap())
            .collect(),
    );
    // When each token's revocation was confirmed (the DELETE answered 200).
    let confirmed: Arc<Mutex<Vec<Option<Instant>>>> = Arc::new(Mutex::new(vec![None; TOKENS]));
    let accepted_after_revocation = Arc::new(AtomicUsize::new(0));
    let unexpected = Arc::new(Mutex::new(Vec::<String>::new()));
    let requests = Arc::new(AtomicUsize::new(0));
    let end = Instant::now() + RUN;

    let mut tasks = tokio::task::JoinSet::new();
    for client in 0..CLIENTS {
        let (tokens, confirmed) = (tokens.clone(), confirmed.clone());
        let (bad, unexpected, requests) = (
            accepted_after_revocation.clone(),
            unexpected.clone(),
            requests.clone(),
        );
        tasks.spawn(async move {
            let mut conn = Conn::open(port).await.expect("connects");
            let mut i = client;
            while Instant::now() < end {
                i = (i + 7) % TOKENS;
                let sent = Instant::now();
                let answer = conn.request("GET", "/protected", Some(&tokens[i])).await;
                requests.fetch_add(1, Ordering::Relaxed);
                let revoked_before_sending = confirmed.lock().unwrap()[i].is_some_and(|t| t < sent);
                match answer {
                    Ok((200, _)) if revoked_before_sending => {
                        bad.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok((200, _)) => {}
                    Ok((401, body)) if body.contains("Token has been revoked") => {}
                    Ok((status, body)) => {
                        unexpected.lock().unwrap().push(format!("{status} {body}"))
                    }
                    Err(e) => {
                        unexpected.lock().unwrap().push(e.to_string());
                        conn = Conn::open(port).await.expect("reconnects");
                    }
                }
            }
        });
    }
    // Revoke one token after another while the clients run.
    let revoker = {
        let (tokens, confirmed, unexpected) =
            (tokens.clone(), confirmed.clone(), unexpected.clone());
        tokio::spawn(async move {
            let mut conn = Conn::open(port).await.expect("connects");
            for i in (0..TOKENS).step_by(2) {
                if Instant::now() >= end {
                    break;
                }
                match conn.request("DELETE", "/logout", Some(&tokens[i])).await {
                    Ok((200, _)) => confirmed.lock().unwrap()[i] = Some(Instant::now()),
                    other => unexpected
                        .lock()
                        .unwrap()
                        .push(format!("logout: {other:?}")),
                }
                tokio::time::sleep(RUN / (TOKENS as u32)).await;
            }
        })
    };
    while let Some(result) = tasks.join_next().await {
        result.expect("client task");
    }
    revoker.await.expect("revoker task");

    let revoked = confirmed
        .lock()
        .unwrap()
        .iter()
        .filter(|c| c.is_some())
        .count();
    let total = requests.load(Ordering::Relaxed);
    assert!(
        revoked >= TOKENS / 4,
        "only {revoked} revocations in the run"
    );
    assert!(total > CLIENTS * 10, "only {total} requests in the run");
    println!(
        "load run: {total} requests from {CLIENTS} clients in {RUN:?} ({:.0}/s), {revoked} revocations, 0 accepted after revocation",
        total as f64 / RUN.as_secs_f64()
    );
    assert_eq!(accepted_after_revocation.load(Ordering::Relaxed), 0);
    {
        let unexpected = unexpected.lock().unwrap();
        assert!(
            unexpected.is_empty(),
            "{} unexpected answers: {:?}",
            unexpected.len(),
            &unexpected[..unexpected.len().min(5)]
        );
    }
    // Every revoked token is refused at the end; the others are accepted.
    let mut conn = Conn::open(port).await.unwrap();
    for (i, token) in tokens.iter().enumerate() {
        let (status, _) = conn
            .request("GET", "/protected", Some(token))
            .await
            .unwrap();
        let was_revoked = confirmed.lock().unwrap()[i].is_some();
        assert_eq!(status, if was_revoked { 401 } else { 200 }, "token {i}");
    }
    drop(server);
}
