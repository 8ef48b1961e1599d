//! Stores that refuse, stall or are down: protected requests fail closed
//! with a 503 within `jwt_revocation_timeout_ms`, never accept a token and
//! never hang; once the store is back, requests succeed without a restart.
//! A private `redis-server` on a free port is paused (`CLIENT PAUSE`),
//! stopped and restarted; PostgreSQL is reached through a proxy that the
//! test closes (connection refused) and reopens.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rocket::http::{Method, Status};
use rocket::local::asynchronous::Client;
use rocket::tokio;
use rocket::tokio::io::copy_bidirectional;
use rocket::tokio::net::TcpStream;
use rocket_db_pools::Database;
use rocket_jwt_extended::{JwtManager, JwtState, PostgresStore, RedisStore};

use crate::common::figment;
use crate::stores::{call, routes, with_redis, PostgresDb, RedisDb};

const TIMEOUT_MS: u64 = 300;
const UNAVAILABLE: &str = "Revocation store unavailable";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A private redis-server, stopped on drop.
struct PrivateRedis {
    port: u16,
    child: Option<Child>,
}

impl PrivateRedis {
    fn start(port: u16) -> PrivateRedis {
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server is installed");
        let server = PrivateRedis {
            port,
            child: Some(child),
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while !server.cli(&["PING"]).contains("PONG") {
            assert!(Instant::now() < deadline, "redis-server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    fn cli(&self, args: &[&str]) -> String {
        Command::new("redis-cli")
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string()])
            .args(args)
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default()
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        self.stop();
    }
}

/// One protected request: its answer and how long it took.
async fn timed(c: &Client, token: &str) -> ((Status, String), Duration) {
    let start = Instant::now();
    let answer = call(c, Method::Get, "/protected", token).await;
    (answer, start.elapsed())
}

/// A refusal within the timeout (plus slack for a loaded machine).
fn bounded_refusal(answer: &(Status, String), took: Duration) {
    assert_eq!(
        (answer.0, answer.1.as_str()),
        (Status::ServiceUnavailable, UNAVAILABLE),
        "took {took:?}"
    );
    assert!(
        took < Duration::from_millis(TIMEOUT_MS + 900),
        "refused after {took:?}, more than the {TIMEOUT_MS} ms timeout allows"
    );
}

/// Retries until the store answers again (it recovers without a restart).
async fn recovers(c: &Client, token: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let ((status, msg), _) = timed(c, token).await;
        if status == Status::Ok {
            return;
        }
        assert_eq!(
            msg, UNAVAILABLE,
            "only the store's refusal while it comes back"
        );
        assert!(Instant::now() < deadline, "the store did not come back");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[rocket::async_test]
async fn redis_paused_stopped_and_restarted() {
    let port = free_port();
    let mut redis = PrivateRedis::start(port);
    let fig = with_redis(figment(), &format!("redis://127.0.0.1:{port}"))
        .merge(("jwt_revocation_timeout_ms", TIMEOUT_MS));
    let rocket = rocket::custom(fig)
        .attach(RedisDb::init())
        .attach(JwtManager::new().revocation_store(RedisStore::<RedisDb>::new()))
        .mount("/", routes());
    let c = Client::untracked(rocket).await.unwrap();
    let s = c.rocket().state::<JwtState>().unwrap();
    let token = s.create_access_token("paused").unwrap();
    let revoked_token = s.create_access_token("paused").unwrap();
    assert_eq!(
        call(&c, Method::Delete, "/logout", &revoked_token).await.0,
        Status::Ok
    );
    assert_eq!(timed(&c, &token).await.0 .0, Status::Ok);

    // Stalled: every command waits; the request is refused in time.
    assert!(redis
        .cli(&["CLIENT", "PAUSE", "3000", "ALL"])
        .contains("OK"));
    let (answer, took) = timed(&c, &token).await;
    bounded_refusal(&answer, took);
    // A revoked token is refused too, never accepted for lack of an answer.
    let (answer, took) = timed(&c, &revoked_token).await;
    bounded_refusal(&answer, took);
    // Revoking fails closed as well (the handler gets the 503).
    let fresh = s.create_access_token("paused").unwrap();
    let (status, msg) = call(&c, Method::Delete, "/logout", &fresh).await;
    assert!(
        (status, msg.as_str()) == (Status::ServiceUnavailable, UNAVAILABLE),
        "{status} {msg}"
    );
    redis.cli(&["CLIENT", "UNPAUSE"]);
    recovers(&c, &token).await;
    // The revocation made before the pause still holds.
    let answer = call(&c, Method::Get, "/protected", &revoked_token).await;
    assert_eq!(
        answer,
        (Status::Unauthorized, "Token has been revoked".into())
    );

    // Down: connection refused, still bounded.
    redis.stop();
    let (answer, took) = timed(&c, &token).await;
    bounded_refusal(&answer, took);
    let (answer, took) = timed(&c, &token).await;
    bounded_refusal(&answer, took);

    // Back (empty: this test server keeps nothing on disk): no restart needed.
    let _redis = PrivateRedis::start(port);
    recovers(&c, &token).await;
}

/// An application with the Redis store configured by `fig`, and an access
/// token of `identity`.
async fn redis_app(fig: rocket::figment::Figment, identity: &str) -> (Client, String) {
    let rocket = rocket::custom(fig)
        .attach(RedisDb::init())
        .attach(JwtManager::new().revocation_store(RedisStore::<RedisDb>::new()))
        .mount("/", routes());
    let c = Client::untracked(rocket).await.unwrap();
    let token = c
        .rocket()
        .state::<JwtState>()
        .unwrap()
        .create_access_token(identity)
        .unwrap();
    (c, token)
}

/// Connections this machine has open to `port` (client side, established),
/// read from `/proc/net/tcp`: counted while Redis is paused, when it cannot
/// be asked.
fn open_connections_to(port: u16) -> usize {
    let table = std::fs::read_to_string("/proc/net/tcp").unwrap_or_default();
    let wanted = format!(":{port:04X}");
    table
        .lines()
        .skip(1)
        .filter(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            cols.len() > 3 && cols[2].ends_with(&wanted) && cols[3] == "01"
        })
        .count()
}

#[rocket::async_test]
async fn a_stalled_redis_is_never_given_more_connections_than_the_pool_holds() {
    const POOL: usize = 2;
    let port = free_port();
    let redis = PrivateRedis::start(port);
    let fig = with_redis(figment(), &format!("redis://127.0.0.1:{port}"))
        .merge(("databases.jwt_redis.max_connections", POOL))
        .merge(("jwt_revocation_timeout_ms", 150));
    let (c, token) = redis_app(fig, "stalled").await;
    assert_eq!(timed(&c, &token).await.0 .0, Status::Ok);

    // Every command waits; each request gives up after the timeout, and the
    // store replaces the connection that stopped answering, within the pool.
    assert!(redis
        .cli(&["CLIENT", "PAUSE", "4000", "ALL"])
        .contains("OK"));
    let mut most = 0;
    for _ in 0..12 {
        let (answer, took) = timed(&c, &token).await;
        assert_eq!(answer.0, Status::ServiceUnavailable, "took {took:?}");
        most = most.max(open_connections_to(port));
    }
    redis.cli(&["CLIENT", "UNPAUSE"]);
    assert!(
        most <= POOL,
        "{most} connections were open to a pool of {POOL}: timed-out requests leaked connections"
    );
    recovers(&c, &token).await;
}

/// The RESP commands complete in `buf` (each an array of bulk strings), by
/// their first word; what is left of an incomplete one stays in `buf`.
fn take_commands(buf: &mut Vec<u8>) -> Vec<String> {
    fn line(buf: &[u8], at: usize) -> Option<(&[u8], usize)> {
        let end = buf[at..].windows(2).position(|w| w == b"\r\n")? + at;
        Some((&buf[at..end], end + 2))
    }
    let mut commands = Vec::new();
    let mut at = 0;
    'next: while at < buf.len() {
        let Some((head, mut pos)) = line(buf, at) else {
            break;
        };
        let count: usize = std::str::from_utf8(&head[1..])
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let mut name = String::new();
        for i in 0..count {
            let Some((len, p)) = line(buf, pos) else {
                break 'next;
            };
            let len: usize = std::str::from_utf8(&len[1..])
                .ok()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            if buf.len() < p + len + 2 {
                break 'next;
            }
            if i == 0 {
                name = String::from_utf8_lossy(&buf[p..p + len]).to_uppercase();
            }
            pos = p + len + 2;
        }
        commands.push(name);
        at = pos;
    }
    buf.drain(..at);
    commands
}

/// A server speaking just enough RESP: `+OK` to every command, and `mget`
/// to MGET (a reply that does not fit the question).
async fn odd_redis(mget: &'static [u8]) -> u16 {
    use rocket::tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = rocket::tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let (mut buf, mut chunk) = (Vec::new(), [0u8; 4096]);
                loop {
                    let n = match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => n,
                    };
                    buf.extend_from_slice(&chunk[..n]);
                    for command in take_commands(&mut buf) {
                        let reply: &[u8] = if command == "MGET" { mget } else { b"+OK\r\n" };
                        if socket.write_all(reply).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    port
}

#[rocket::async_test]
async fn a_redis_answer_that_does_not_fit_the_question_fails_closed() {
    // An empty array (what a cluster mid-failover can give) and one value
    // for the two keys of a check: neither is ever read as "not revoked".
    for mget in [&b"*0\r\n"[..], &b"*1\r\n$-1\r\n"[..]] {
        let port = odd_redis(mget).await;
        let fig = with_redis(figment(), &format!("redis://127.0.0.1:{port}"))
            .merge(("jwt_revocation_timeout_ms", TIMEOUT_MS));
        let (c, token) = redis_app(fig, "odd").await;
        let (answer, took) = timed(&c, &token).await;
        bounded_refusal(&answer, took);
    }
}

/// A TCP proxy to PostgreSQL that can refuse connections and cut them.
struct Proxy {
    port: u16,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Proxy {
    async fn open(port: u16) -> Proxy {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("proxy port");
        let task = tokio::spawn(async move {
            let mut conns = tokio::task::JoinSet::new();
            while let Ok((mut inbound, _)) = listener.accept().await {
                conns.spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect("127.0.0.1:5432").await {
                        let _ = copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        });
        Proxy {
            port,
            task: Some(task),
        }
    }

    /// Stops listening and cuts every proxied connection.
    async fn close(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = task.await;
        }
    }
}

#[rocket::async_test]
async fn postgres_refused_then_back() {
    let port = free_port();
    let mut proxy = Proxy::open(port).await;
    let table = format!("jwt_fail_{}", uuid::Uuid::new_v4().simple());
    let fig = figment()
        .merge((
            "databases.jwt_postgres.url",
            format!("postgres://postgres@127.0.0.1:{port}/test"),
        ))
        .merge(("databases.jwt_postgres.connect_timeout", 1))
        .merge(("jwt_revocation_timeout_ms", TIMEOUT_MS));
    let store = PostgresStore::<PostgresDb>::new().table(table.clone());
    let rocket = rocket::custom(fig)
        .attach(PostgresDb::init())
        .attach(JwtManager::new().revocation_store(store))
        .mount("/", routes());
    let c = Client::untracked(rocket).await.unwrap();
    let token = c
        .rocket()
        .state::<JwtState>()
        .unwrap()
        .create_access_token("pg")
        .unwrap();
    assert_eq!(timed(&c, &token).await.0 .0, Status::Ok);

    proxy.close().await;
    for _ in 0..3 {
        let (answer, took) = timed(&c, &token).await;
        bounded_refusal(&answer, took);
    }

    let _proxy = Proxy::open(proxy.port).await;
    recovers(&c, &token).await;
    let pool = PostgresDb::fetch(c.rocket()).unwrap();
    for t in [table.clone(), format!("{table}_identities")] {
        let _ = rocket_db_pools::sqlx::query(&format!("DROP TABLE {t}"))
            .execute(&**pool)
            .await;
    }
}

/// A store of the application's own that fails or never answers.
struct Broken {
    stall: bool,
}

#[rocket::async_trait]
impl rocket_jwt_extended::RevocationStore for Broken {
    fn name(&self) -> &'static str {
        "broken test store"
    }

    async fn init(&self, _: &rocket::Rocket<rocket::Build>) -> Result<(), String> {
        Ok(())
    }

    async fn is_revoked(
        &self,
        _: rocket_jwt_extended::Check<'_>,
    ) -> Result<bool, rocket_jwt_extended::StoreError> {
        if self.stall {
            std::future::pending::<()>().await;
        }
        Err(rocket_jwt_extended::StoreError("refused".into()))
    }

    async fn revoke(
        &self,
        _: &[rocket_jwt_extended::Entry<'_>],
    ) -> Result<(), rocket_jwt_extended::StoreError> {
        Err(rocket_jwt_extended::StoreError("refused".into()))
    }

    async fn revoke_identity(
        &self,
        _: &str,
        _: i64,
        _: Option<i64>,
    ) -> Result<(), rocket_jwt_extended::StoreError> {
        Err(rocket_jwt_extended::StoreError("refused".into()))
    }
}

#[rocket_jwt_extended::store_unavailable]
fn maintenance(
    reason: &str,
) -> (
    Status,
    rocket::serde::json::Json<rocket::serde::json::Value>,
) {
    (
        Status::ServiceUnavailable,
        rocket::serde::json::Json(
            rocket::serde::json::json!({ "maintenance": true, "reason": reason }),
        ),
    )
}

#[rocket::async_test]
async fn a_store_of_ones_own_that_fails_or_stalls_fails_closed() {
    for stall in [false, true] {
        let fig = figment().merge(("jwt_revocation_timeout_ms", TIMEOUT_MS));
        let rocket = rocket::custom(fig)
            .attach(JwtManager::new().revocation_store(Broken { stall }))
            .mount("/", routes());
        let c = Client::untracked(rocket).await.unwrap();
        let token = c
            .rocket()
            .state::<JwtState>()
            .unwrap()
            .create_access_token("b")
            .unwrap();
        let (answer, took) = timed(&c, &token).await;
        bounded_refusal(&answer, took);
        // Routes that skip the check do not consult the store.
        let answer = call(&c, Method::Get, "/unchecked", &token).await;
        assert_eq!(answer.0, Status::Ok);
    }
    // The application's own answer instead of the default.
    let rocket = rocket::custom(figment())
        .attach(
            JwtManager::new()
                .loaders(rocket_jwt_extended::loaders![maintenance])
                .revocation_store(Broken { stall: false }),
        )
        .mount("/", routes());
    let c = Client::untracked(rocket).await.unwrap();
    let token = c
        .rocket()
        .state::<JwtState>()
        .unwrap()
        .create_access_token("b")
        .unwrap();
    let resp = c
        .get("/protected")
        .header(rocket::http::Header::new(
            "Authorization",
            format!("Bearer {token}"),
        ))
        .dispatch()
        .await;
    assert_eq!(resp.status(), Status::ServiceUnavailable);
    let body: rocket::serde::json::Value = resp.into_json().await.unwrap();
    assert_eq!(
        body,
        rocket::serde::json::json!({ "maintenance": true, "reason": "Revocation store unavailable" })
    );
}
