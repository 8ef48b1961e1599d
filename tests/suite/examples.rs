//! The examples as their users run them: each binary started on a free port
//! and driven over real HTTP, for the flows the conformance kit does not walk
//! (deleting a user, the application's own decorator).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// A running example, killed on drop.
pub(crate) struct Running {
    child: Child,
    pub(crate) port: u16,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn example_path(name: &str) -> PathBuf {
    // target/<profile>/deps/suite-<hash> → target/<profile>/examples/<name>
    let exe = std::env::current_exe().expect("test binary path");
    let profile_dir = exe.parent().and_then(|d| d.parent()).expect("target dir");
    profile_dir.join("examples").join(name)
}

fn start(name: &str) -> Running {
    start_with(name, &[])
}

/// Starts `name` with more environment.
pub(crate) fn start_with(name: &str, env: &[(&str, &str)]) -> Running {
    spawn(name, env, None)
}

/// Starts `name` with its log (stdout and stderr) written to `log`.
fn start_logged(name: &str, env: &[(&str, &str)], log: &std::path::Path) -> Running {
    spawn(name, env, Some(log))
}

fn spawn(name: &str, env: &[(&str, &str)], log: Option<&std::path::Path>) -> Running {
    let path = example_path(name);
    assert!(path.exists(), "{} is built by `cargo test`", path.display());
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let child = Command::new(&path)
        .env("ROCKET_PORT", port.to_string())
        .env("ROCKET_ADDRESS", "127.0.0.1")
        .env("ROCKET_LOG_LEVEL", "off")
        .env("ROCKET_CLI_COLORS", "false")
        .envs(env.iter().copied())
        .stdout(match log {
            Some(p) => Stdio::from(std::fs::File::create(p).expect("log file")),
            None => Stdio::null(),
        })
        .stderr(match log {
            Some(p) => Stdio::from(
                std::fs::OpenOptions::new()
                    .append(true)
                    .open(p)
                    .expect("log file"),
            ),
            None => Stdio::null(),
        })
        .spawn()
        .expect("example starts");
    let running = Running { child, port };
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "{name} did not start listening");
        std::thread::sleep(Duration::from_millis(50));
    }
    running
}

/// One HTTP/1.1 request with `Connection: close`; status and JSON body.
fn call(
    app: &Running,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let mut stream = TcpStream::connect(("127.0.0.1", app.port)).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(30))).ok();
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !body.is_empty() {
        req.push_str("Content-Type: application/json\r\n");
    }
    if let Some(t) = token {
        req.push_str(&format!("Authorization: Bearer {t}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(&body);
    stream.write_all(req.as_bytes()).expect("send");
    let mut raw = String::new();
    stream.read_to_string(&mut raw).expect("read");
    let (head, rest) = raw.split_once("\r\n\r\n").expect("a full response");
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    let payload = if chunked {
        dechunk(rest)
    } else {
        rest.to_owned()
    };
    (
        status,
        serde_json::from_str(&payload).unwrap_or(Value::Null),
    )
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

fn login(app: &Running, body: Value) -> String {
    let (status, out) = call(app, "POST", "/login", None, Some(body));
    assert_eq!(status, 200, "{out}");
    out["access_token"].as_str().expect("a token").to_owned()
}

#[test]
fn user_lookup_example_deletes_users_and_their_tokens_stop_working() {
    let app = start("user_lookup");
    assert_eq!(
        call(
            &app,
            "POST",
            "/login",
            None,
            Some(json!({"username": "zhengxin", "password": "nope"}))
        ),
        (401, json!({"msg": "Wrong username or password"}))
    );
    let zhengxin = login(&app, json!({"username": "zhengxin", "password": "123456"}));
    let doomed = login(
        &app,
        json!({"username": "deleted_later", "password": "123456"}),
    );
    assert_eq!(
        call(&app, "GET", "/protected", Some(&zhengxin), None),
        (200, json!({"id": 1, "username": "zhengxin"}))
    );
    assert_eq!(
        call(&app, "GET", "/protected", Some(&doomed), None),
        (200, json!({"id": 2, "username": "deleted_later"}))
    );
    assert_eq!(
        call(&app, "DELETE", "/users/2", Some(&zhengxin), None),
        (200, json!({"msg": "deleted"}))
    );
    assert_eq!(
        call(&app, "GET", "/protected", Some(&doomed), None),
        (401, json!({"msg": "Error loading the user 2"}))
    );
    assert_eq!(call(&app, "DELETE", "/users/1", None, None).0, 401);
}

#[test]
fn admin_required_example_and_its_own_decorator() {
    let app = start("admin_required");
    let admin = login(&app, json!({"username": "admin"}));
    let bob = login(&app, json!({"username": "bob"}));
    let erin = login(&app, json!({"username": "erin"}));
    assert_eq!(
        call(&app, "GET", "/protected", Some(&admin), None),
        (200, json!({"foo": "bar"}))
    );
    assert_eq!(
        call(&app, "GET", "/protected", Some(&bob), None),
        (403, json!({"msg": "Admins only!"}))
    );
    assert_eq!(
        call(&app, "POST", "/articles", Some(&erin), None),
        (200, json!({"msg": "published"}))
    );
    assert_eq!(
        call(&app, "POST", "/articles", Some(&bob), None),
        (403, json!({"msg": "Editors only!"}))
    );
}

#[test]
fn rotation_example_retires_refresh_tokens_and_ends_a_session_on_reuse() {
    let app = start("rotation");
    let creds = json!({"username": "admin", "password": "123456"});
    let (status, body) = call(&app, "POST", "/login", None, Some(creds.clone()));
    assert_eq!(status, 200, "{body}");
    let refresh = body["refresh_token"]
        .as_str()
        .expect("a refresh token")
        .to_owned();
    let (status, body) = call(&app, "POST", "/refresh", Some(&refresh), None);
    assert_eq!(status, 200, "{body}");
    let access = body["access_token"].as_str().unwrap().to_owned();
    let refresh2 = body["refresh_token"].as_str().unwrap().to_owned();
    assert_eq!(
        call(&app, "GET", "/protected", Some(&access), None),
        (200, json!({ "logged_in_as": "admin" }))
    );
    // The retired refresh token again: theft; the whole session ends.
    let revoked = (401, json!({ "msg": "Token has been revoked" }));
    assert_eq!(
        call(&app, "POST", "/refresh", Some(&refresh), None),
        revoked
    );
    assert_eq!(
        call(&app, "GET", "/protected", Some(&access), None),
        revoked
    );
    assert_eq!(
        call(&app, "POST", "/refresh", Some(&refresh2), None),
        revoked
    );
    // Logout ends a session too.
    let (_, body) = call(&app, "POST", "/login", None, Some(creds));
    let access = body["access_token"].as_str().unwrap().to_owned();
    let refresh = body["refresh_token"].as_str().unwrap().to_owned();
    assert_eq!(
        call(&app, "DELETE", "/logout", Some(&access), None),
        (200, json!({ "msg": "Session revoked" }))
    );
    assert_eq!(
        call(&app, "POST", "/refresh", Some(&refresh), None),
        revoked
    );
}

#[test]
fn an_example_without_a_secret_signs_with_a_random_one() {
    // The examples used to fall back to a secret written in their source;
    // now they sign with one generated at start, so a token forged with the
    // old one (or any other) is refused.
    let app = start("basic");
    let token = login(&app, json!({"username": "admin", "password": "123456"}));
    assert_eq!(
        call(&app, "GET", "/protected", Some(&token), None),
        (200, json!({ "logged_in_as": "admin" }))
    );
    let forged = crate::common::forge_raw(
        r#"{"alg":"HS256","typ":"JWT"}"#,
        &crate::common::claims(json!({ "sub": "admin" })).to_string(),
        "development-secret-change-me-0123456789",
    );
    assert_eq!(
        call(&app, "GET", "/protected", Some(&forged), None),
        (422, json!({ "msg": "Signature verification failed" }))
    );
    // A second start signs with another secret: the first one's tokens fail.
    let again = start("basic");
    assert_eq!(call(&again, "GET", "/protected", Some(&token), None).0, 422);
}

#[test]
fn asymmetric_example_signs_publishes_and_a_resource_server_verifies() {
    let issuer = start("asymmetric");
    let token = login(&issuer, json!({"username": "admin", "password": "123456"}));
    assert_eq!(
        call(&issuer, "GET", "/protected", Some(&token), None),
        (200, json!({ "logged_in_as": "admin" }))
    );
    assert_eq!(
        call(
            &issuer,
            "POST",
            "/login",
            None,
            Some(json!({"username": "admin", "password": "x"}))
        ),
        (401, json!({ "msg": "Bad username or password" }))
    );
    // RS256 by default, with the kid of the published key.
    use base64::Engine as _;
    let header: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(token.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap();
    let (status, jwks) = call(&issuer, "GET", "/.well-known/jwks.json", None, None);
    assert_eq!(status, 200);
    assert_eq!(header["alg"], "RS256");
    assert_eq!(jwks["keys"][0]["kid"], header["kid"]);
    assert_eq!(jwks["keys"][0]["alg"], "RS256");

    let url = format!("http://127.0.0.1:{}/.well-known/jwks.json", issuer.port);
    let server = start_with("resource_server", &[("ROCKET_JWT_JWKS_URL", &url)]);
    assert_eq!(
        call(&server, "GET", "/protected", Some(&token), None),
        (200, json!({ "logged_in_as": "admin" }))
    );
    assert_eq!(
        call(&server, "GET", "/protected", None, None),
        (401, json!({ "msg": "Missing Authorization Header" }))
    );
    assert_eq!(
        call(&server, "GET", "/protected", Some("a.b.c"), None).0,
        422
    );
    // A resource server that checks an audience refuses tokens without it.
    let strict = start_with(
        "resource_server",
        &[
            ("ROCKET_JWT_JWKS_URL", &url),
            ("ROCKET_JWT_DECODE_AUDIENCE", "api"),
        ],
    );
    assert_eq!(
        call(&strict, "GET", "/protected", Some(&token), None),
        (422, json!({ "msg": "Token is missing the \"aud\" claim" }))
    );
    // Another start of the issuer has another key pair: nothing in the source signs.
    let again = start("asymmetric");
    assert_eq!(call(&again, "GET", "/protected", Some(&token), None).0, 422);
}

#[test]
fn every_refusal_is_logged_once_without_the_token() {
    let log = std::env::temp_dir().join(format!("refusal-log-{}.txt", uuid::Uuid::new_v4()));
    let app = start_logged("basic", &[("ROCKET_LOG_LEVEL", "normal")], &log);
    assert_eq!(call(&app, "GET", "/protected", None, None).0, 401);
    let forged = crate::common::forge(json!({ "sub": "admin" }));
    assert_eq!(call(&app, "GET", "/protected", Some(&forged), None).0, 422);
    // A good request is not a refusal.
    let token = login(&app, json!({"username": "admin", "password": "123456"}));
    assert_eq!(call(&app, "GET", "/protected", Some(&token), None).0, 200);
    std::thread::sleep(Duration::from_millis(300));
    drop(app);
    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = text.lines().filter(|l| l.contains("JWT refusal")).collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].contains("GET /protected: Missing Authorization Header (#[unauthorized], 401"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].contains("Signature verification failed (#[invalid_token], 422"),
        "{}",
        lines[1]
    );
    assert!(
        !text.contains(&forged) && !text.contains(&token),
        "a token was logged"
    );
    let _ = std::fs::remove_file(log);
}

#[test]
fn an_applications_own_decorator_attribute() {
    let app = start("editor_decorator");
    let erin = login(&app, json!({"username": "erin"}));
    let bob = login(&app, json!({"username": "bob"}));
    assert_eq!(
        call(&app, "POST", "/articles", Some(&erin), None),
        (200, json!({ "msg": "published" }))
    );
    assert_eq!(
        call(&app, "POST", "/articles", Some(&bob), None),
        (403, json!({ "msg": "Editors only!" }))
    );
    assert_eq!(
        call(&app, "POST", "/articles", None, None),
        (401, json!({ "msg": "Missing Authorization Header" }))
    );
    // Composed with `fresh` on DELETE: the usual checks come first (a token
    // the app did not sign), then the fresh token of an editor passes.
    let forged = crate::common::forge_raw(
        r#"{"alg":"HS256","typ":"JWT"}"#,
        &crate::common::claims(json!({ "sub": "erin" })).to_string(),
        "not-the-apps-secret-0123456789abcdef",
    );
    assert_eq!(
        call(&app, "DELETE", "/articles", Some(&forged), None).0,
        422
    );
    assert_eq!(call(&app, "DELETE", "/articles", Some(&bob), None).0, 403);
    assert_eq!(
        call(&app, "DELETE", "/articles", Some(&erin), None),
        (200, json!({ "msg": "unpublished" }))
    );
}
