//! The client side of `benches/callgrind.sh`: `bench_client PORT PATH N`
//! sends N keep-alive `GET PATH` requests with a flask-jwt-extended access
//! token (HS256, the bench secret) over one connection, checks each is a
//! 200, then `GET /shutdown`. It waits for the server to listen first.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const SECRET: &str = "benchmark-secret-key-that-is-at-least-32-bytes";

fn token() -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let claims = serde_json::json!({
        "fresh": false, "iat": now, "jti": "7b0c8a9e-bench", "type": "access",
        "sub": "bench", "nbf": now, "exp": now + 3600,
    });
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()),
    )
    .expect("signs")
}

fn connect(port: u16) -> TcpStream {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        match TcpStream::connect(("127.0.0.1", port)) {
            Ok(s) => return s,
            Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => panic!("the server on {port} does not answer: {e}"),
        }
    }
}

/// Sends one request and reads its response; returns the status.
fn exchange(reader: &mut BufReader<TcpStream>, request: &[u8]) -> u16 {
    reader.get_mut().write_all(request).expect("writes");
    let mut line = String::new();
    reader.read_line(&mut line).expect("reads the status line");
    let status: u16 = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut length = 0usize;
    loop {
        line.clear();
        reader.read_line(&mut line).expect("reads a header");
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).expect("reads the body");
    status
}

fn main() {
    let mut args = std::env::args().skip(1);
    let port: u16 = args.next().and_then(|p| p.parse().ok()).expect("PORT");
    let path = args.next().expect("PATH");
    let n: usize = args.next().and_then(|p| p.parse().ok()).expect("N");
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {}\r\n\r\n",
        token()
    );
    let mut reader = BufReader::new(connect(port));
    for i in 0..n {
        let status = exchange(&mut reader, request.as_bytes());
        assert_eq!(status, 200, "request {i} answered {status}");
    }
    let _ = exchange(
        &mut reader,
        b"GET /shutdown HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
}
