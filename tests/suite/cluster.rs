//! The Redis Cluster store against a real local cluster: six redis-server
//! processes in cluster mode on free loopback ports (three masters, three
//! replicas), created with `redis-cli --cluster create`. Application
//! instances share it: a token revoked through one is refused by the others,
//! and the keys of one check are on one slot.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rocket::http::{Method, Status};
use rocket::local::asynchronous::Client;
use rocket_jwt_extended::{JwtManager, JwtState, RedisClusterStore};

use crate::common::figment;
use crate::stores::{call, routes};

const REVOKED: &str = "Token has been revoked";

/// A free port whose cluster bus port (the port + 10000) is free too.
fn free_port() -> u16 {
    loop {
        let Ok(listener) = TcpListener::bind("127.0.0.1:0") else {
            continue;
        };
        let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
        if port == 0 || port > 55535 {
            continue;
        }
        if TcpListener::bind(("127.0.0.1", port + 10000)).is_ok() {
            return port;
        }
    }
}

fn cli(port: u16, args: &[&str]) -> String {
    Command::new("redis-cli")
        .args(["-h", "127.0.0.1", "-p", &port.to_string()])
        .args(args)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default()
}

/// A local cluster, stopped (and its files removed) on drop.
struct Cluster {
    dir: PathBuf,
    nodes: Vec<(u16, Option<Child>)>,
}

impl Cluster {
    fn start() -> Cluster {
        let dir =
            std::env::temp_dir().join(format!("jwt-cluster-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        let mut nodes = Vec::new();
        for _ in 0..6 {
            let port = free_port();
            let child = Command::new("redis-server")
                .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
                .args(["--cluster-enabled", "yes", "--cluster-node-timeout", "1000"])
                .args(["--cluster-config-file", &format!("nodes-{port}.conf")])
                .args(["--save", "", "--appendonly", "no"])
                .arg("--dir")
                .arg(&dir)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("redis-server is installed");
            nodes.push((port, Some(child)));
        }
        let cluster = Cluster { dir, nodes };
        let deadline = Instant::now() + Duration::from_secs(10);
        for (port, _) in &cluster.nodes {
            while !cli(*port, &["PING"]).contains("PONG") {
                assert!(
                    Instant::now() < deadline,
                    "redis-server on {port} did not start"
                );
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        let addresses: Vec<String> = cluster
            .nodes
            .iter()
            .map(|(p, _)| format!("127.0.0.1:{p}"))
            .collect();
        let created = Command::new("redis-cli")
            .arg("--cluster")
            .arg("create")
            .args(&addresses)
            .args(["--cluster-replicas", "1", "--cluster-yes"])
            .output()
            .expect("redis-cli is installed");
        assert!(
            created.status.success(),
            "redis-cli --cluster create: {}",
            String::from_utf8_lossy(&created.stdout)
        );
        cluster.wait_ok(Duration::from_secs(20));
        cluster
    }

    fn urls(&self) -> Vec<String> {
        self.nodes
            .iter()
            .map(|(p, _)| format!("redis://127.0.0.1:{p}"))
            .collect()
    }

    fn live_ports(&self) -> Vec<u16> {
        self.nodes
            .iter()
            .filter(|(_, c)| c.is_some())
            .map(|(p, _)| *p)
            .collect()
    }

    /// Every live node says the cluster is up and each agrees on the slots.
    fn wait_ok(&self, within: Duration) {
        let deadline = Instant::now() + within;
        loop {
            let ok = self
                .live_ports()
                .iter()
                .all(|p| cli(*p, &["CLUSTER", "INFO"]).contains("cluster_state:ok"));
            if ok {
                return;
            }
            assert!(Instant::now() < deadline, "the cluster did not become ok");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The master serving `key`'s slot.
    fn owner_of(&self, key: &str) -> u16 {
        let port = self.live_ports()[0];
        let slot: u16 = cli(port, &["CLUSTER", "KEYSLOT", key])
            .trim()
            .parse()
            .expect("a slot");
        let nodes = cli(port, &["CLUSTER", "NODES"]);
        let lines: Vec<Vec<&str>> = nodes.lines().map(|l| l.split(' ').collect()).collect();
        let port_of = |addr: &str| -> u16 {
            addr.split(['@', ':'])
                .nth(1)
                .and_then(|p| p.parse().ok())
                .unwrap_or(0)
        };
        let master = lines
            .iter()
            .find(|f| {
                f.len() > 8
                    && f[2].contains("master")
                    && f[8..].iter().any(|range| {
                        let (a, b) = range.split_once('-').unwrap_or((range, range));
                        matches!((a.parse::<u16>(), b.parse::<u16>()), (Ok(a), Ok(b)) if a <= slot && slot <= b)
                    })
            })
            .expect("a master serves the slot");
        port_of(master[1])
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for (_, child) in &mut self.nodes {
            if let Some(mut c) = child.take() {
                let _ = c.kill();
                let _ = c.wait();
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

async fn instance(urls: &[String], prefix: &str) -> Client {
    let fig = figment().merge(("jwt_revocation_timeout_ms", 500));
    let store = RedisClusterStore::new(urls.iter().cloned()).prefix(prefix);
    let rocket = rocket::custom(fig)
        .attach(JwtManager::new().revocation_store(store))
        .mount("/", routes());
    Client::untracked(rocket).await.expect("launches")
}

#[rocket::async_test]
async fn a_revocation_through_one_instance_is_refused_by_the_others() {
    let cluster = Cluster::start();
    let urls = cluster.urls();
    let prefix = format!("jwt-cluster-{}:", uuid::Uuid::new_v4().simple());
    let (a, b) = (
        instance(&urls, &prefix).await,
        instance(&urls, &prefix).await,
    );
    let identity = "failover-user";
    let tokens = a.rocket().state::<JwtState>().unwrap();
    let revoked = tokens.create_access_token(identity).unwrap();
    let kept = tokens.create_access_token(identity).unwrap();

    assert_eq!(
        call(&b, Method::Get, "/protected", &revoked).await.0,
        Status::Ok
    );
    assert_eq!(
        call(&a, Method::Delete, "/logout", &revoked).await.0,
        Status::Ok
    );
    for c in [&a, &b] {
        assert_eq!(
            call(c, Method::Get, "/protected", &revoked).await,
            (Status::Unauthorized, REVOKED.to_owned())
        );
        assert_eq!(
            call(c, Method::Get, "/protected", &kept).await.0,
            Status::Ok
        );
    }

    // One check is one slot: the identity's mark and the token's jti share it.
    let probe = RedisClusterStore::new(urls.clone()).prefix(prefix.clone());
    let master = cluster.owner_of(&probe.identity_key(identity));
    assert_eq!(
        master,
        cluster.owner_of(&probe.jti_key(identity, "any-jti")),
        "a check's keys are on one slot"
    );

    // A third instance, started after the revocation, sees it too.
    let c = instance(&urls, &prefix).await;
    assert_eq!(
        call(&c, Method::Get, "/protected", &revoked).await,
        (Status::Unauthorized, REVOKED.to_owned())
    );
    assert_eq!(
        call(&c, Method::Get, "/protected", &kept).await.0,
        Status::Ok
    );
}
