//! A minimal HTTP/1.1 keep-alive client and an in-process server on a free
//! loopback port, for load runs (tests) and throughput benchmarks.

use std::time::{Duration, Instant};

use rocket::tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use rocket::tokio::net::TcpStream;
use rocket::{Build, Rocket, Shutdown};

/// A server launched in this process; shut down on drop.
pub struct Server {
    pub port: u16,
    shutdown: Shutdown,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown.clone().notify();
    }
}

/// Launches `rocket` on a free 127.0.0.1 port and waits until it listens.
pub async fn launch(rocket: Rocket<Build>) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let figment = rocket
        .figment()
        .clone()
        .merge(("address", "127.0.0.1"))
        .merge(("port", port))
        .merge(("log_level", "off"))
        .merge(("cli_colors", false));
    let ignited = rocket.configure(figment).ignite().await.expect("ignites");
    let shutdown = ignited.shutdown();
    rocket::tokio::spawn(async move {
        let _ = ignited.launch().await;
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).await.is_err() {
        assert!(Instant::now() < deadline, "the server did not start");
        rocket::tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Server { port, shutdown }
}

/// One keep-alive connection.
pub struct Conn {
    stream: BufReader<TcpStream>,
    line: String,
}

impl Conn {
    pub async fn open(port: u16) -> std::io::Result<Conn> {
        let stream = TcpStream::connect(("127.0.0.1", port)).await?;
        stream.set_nodelay(true)?;
        Ok(Conn {
            stream: BufReader::new(stream),
            line: String::new(),
        })
    }

    /// Sends one request and reads the whole response: status and body.
    pub async fn request(
        &mut self,
        method: &str,
        path: &str,
        token: Option<&str>,
    ) -> std::io::Result<(u16, String)> {
        let auth = token
            .map(|t| format!("Authorization: Bearer {t}\r\n"))
            .unwrap_or_default();
        let req = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Content-Length: 0\r\n\r\n"
        );
        self.stream.get_mut().write_all(req.as_bytes()).await?;
        self.line.clear();
        self.stream.read_line(&mut self.line).await?;
        let status = self
            .line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("bad status line {:?}", self.line)))?;
        let mut length = 0usize;
        loop {
            self.line.clear();
            if self.stream.read_line(&mut self.line).await? == 0 {
                return Err(std::io::Error::other("connection closed"));
            }
            let header = self.line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; length];
        self.stream.read_exact(&mut body).await?;
        Ok((status, String::from_utf8_lossy(&body).into_owned()))
    }
}
