//! The demo in a real browser: headless Chromium driven over WebDriver
//! (Debian's `chromium` and `chromium-driver`), against the demo started on
//! a free loopback port with databases of its own. Cookies, the CSRF double
//! submit, implicit refresh and freshness are browser features; this is where
//! they are proven.
//!
//! Without Chromium the tests fail when `BROWSER_TESTS_REQUIRED` is set (CI
//! sets it) and are skipped with a printed reason otherwise.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

use crate::examples::{start_with, Running};

/// Chromium and chromedriver, or why the browser tests cannot run.
fn browser() -> Option<(PathBuf, PathBuf)> {
    let find = |env: &str, names: &[&str]| -> Option<PathBuf> {
        if let Ok(p) = std::env::var(env) {
            return Some(PathBuf::from(p));
        }
        names.iter().map(PathBuf::from).find(|p| p.exists())
    };
    let chromium = find(
        "CHROMIUM",
        &["/usr/bin/chromium", "/usr/bin/chromium-browser"],
    );
    let driver = find("CHROMEDRIVER", &["/usr/bin/chromedriver"]);
    match (chromium, driver) {
        (Some(c), Some(d)) => Some((c, d)),
        _ => {
            let why = "the browser tests need Chromium and ChromeDriver \
                       (apt-get install chromium chromium-driver, or set CHROMIUM and CHROMEDRIVER)";
            if std::env::var_os("BROWSER_TESTS_REQUIRED").is_some() {
                panic!("{why}");
            }
            eprintln!("SKIPPED: {why}");
            None
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A running chromedriver, killed on drop.
struct Driver {
    child: Child,
    port: u16,
    chromium: PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    fn start(chromium: PathBuf, chromedriver: PathBuf) -> Driver {
        let port = free_port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not listen");
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver {
            child,
            port,
            chromium,
        }
    }

    /// A new browser (its own profile, so its own cookies).
    async fn browser(&self) -> Client {
        let profile = std::env::temp_dir().join(format!("demo-browser-{}", uuid::Uuid::new_v4()));
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": self.chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--window-size=1000,900",
                    format!("--user-data-dir={}", profile.display()),
                ],
            },
        });
        let Value::Object(caps) = caps else {
            unreachable!()
        };
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("a browser session")
    }
}

/// Where the demo keeps revocations.
#[derive(Clone, Copy, PartialEq)]
enum Revocations {
    Sqlite,
    /// The Redis on 127.0.0.1:6379, under a prefix of the test's own.
    Redis,
}

/// The demo with databases of its own and a short access lifetime.
fn demo(lifetime: u64, store: Revocations) -> (Running, String) {
    let run = uuid::Uuid::new_v4();
    let dir = std::env::temp_dir().join(format!("demo-test-{run}"));
    std::fs::create_dir_all(&dir).unwrap();
    let url = |name: &str| format!("sqlite://{}?mode=rwc", dir.join(name).display());
    let revocations = match store {
        Revocations::Sqlite => url("revocations.sqlite"),
        Revocations::Redis => "redis://127.0.0.1:6379".to_owned(),
    };
    let databases = format!(
        "{{users={{url=\"{}\"}},revocations={{url=\"{revocations}\"}}}}",
        url("users.sqlite"),
    );
    let lifetime = lifetime.to_string();
    let prefix = format!("demo-test-{run}:");
    let app = start_with(
        "demo",
        &[
            ("ROCKET_DATABASES", &databases),
            ("ROCKET_JWT_ACCESS_TOKEN_EXPIRES", &lifetime),
            ("ROCKET_DEMO_REDIS_PREFIX", &prefix),
        ],
    );
    let base = format!("http://127.0.0.1:{}", app.port);
    (app, base)
}

fn runtime() -> rocket::tokio::runtime::Runtime {
    rocket::tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// Runs `script` in the page and returns its value.
async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, vec![]).await.expect("script runs")
}

async fn text(c: &Client, id: &str) -> String {
    js(
        c,
        &format!("return document.getElementById('{id}').textContent"),
    )
    .await
    .as_str()
    .unwrap_or("")
    .to_owned()
}

async fn visible(c: &Client, id: &str) -> bool {
    js(
        c,
        &format!("return !document.getElementById('{id}').hidden"),
    )
    .await
        == json!(true)
}

/// Waits until `check` holds, up to `secs`.
async fn until<F, Fut>(secs: u64, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting for: {what}");
        rocket::tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn fill(c: &Client, id: &str, value: &str) {
    let field = c.find(Locator::Id(id)).await.expect(id);
    field.clear().await.unwrap();
    field.send_keys(value).await.unwrap();
}

async fn click(c: &Client, id: &str) {
    c.find(Locator::Id(id))
        .await
        .expect(id)
        .click()
        .await
        .unwrap();
}

async fn login(c: &Client, base: &str, user: &str, password: &str) {
    c.goto(base).await.unwrap();
    until(10, "the login form", || visible(c, "login-panel")).await;
    fill(c, "username", user).await;
    fill(c, "password", password).await;
    click(c, "login-button").await;
}

async fn logged_in_as(c: &Client, user: &str) {
    until(10, &format!("logged in as {user}"), || async {
        visible(c, "session-panel").await && text(c, "identity").await == user
    })
    .await;
}

async fn access_cookie(c: &Client) -> Option<String> {
    c.get_all_cookies()
        .await
        .unwrap()
        .into_iter()
        .find(|k| k.name() == "access_token_cookie")
        .map(|k| k.value().to_owned())
}

/// A page on another origin whose form posts to `target` as soon as it loads.
fn hostile_page(target: &str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://127.0.0.1:{}/",
        listener.local_addr().unwrap().port()
    );
    let page = format!(
        "<!doctype html><form id=f method=post action=\"{target}\">\
         <input name=new_password value=hijacked-password></form>\
         <script>document.getElementById('f').submit()</script>"
    );
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
                page.len()
            );
        }
    });
    url
}

#[test]
fn a_user_logs_in_and_the_session_lives_in_the_browser() {
    let Some((chromium, chromedriver)) = browser() else {
        return;
    };
    let driver = Driver::start(chromium, chromedriver);
    let (_app, base) = demo(6, Revocations::Sqlite);
    runtime().block_on(async {
        let c = driver.browser().await;

        // A wrong password shows the error.
        login(&c, &base, "user", "not-the-password").await;
        until(10, "the login error", || async {
            text(&c, "login-message").await == "Wrong username or password"
        })
        .await;

        login(&c, &base, "user", "user-password").await;
        logged_in_as(&c, "user").await;
        assert_eq!(text(&c, "role").await, "user");

        // The access cookie is invisible to the page's script; the CSRF one is not.
        let cookies = js(&c, "return document.cookie").await;
        let cookies = cookies.as_str().unwrap();
        assert!(cookies.contains("csrf_access_token="), "{cookies}");
        assert!(!cookies.contains("access_token_cookie"), "{cookies}");
        let first = access_cookie(&c)
            .await
            .expect("the browser holds the access cookie");

        // An unsafe request without the CSRF header is refused.
        let answer = c
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 fetch('/api/logout', {method: 'POST', credentials: 'same-origin'})
                   .then(async r => done([r.status, (await r.json()).msg]));",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(answer, json!([401, "Missing CSRF token"]));

        // The admin panel is refused to a user.
        click(&c, "admin-button").await;
        until(10, "the admin refusal", || async {
            text(&c, "admin-message").await == "Admins only!"
        })
        .await;

        // Implicit refresh renews the cookie while the page is open, past the
        // first token's lifetime.
        until(20, "an implicit renewal", || async {
            text(&c, "renewals").await.parse::<u32>().unwrap_or(0) >= 1
        })
        .await;
        rocket::tokio::time::sleep(Duration::from_secs(4)).await;
        logged_in_as(&c, "user").await;
        let renewed = access_cookie(&c).await.expect("still logged in");
        assert_ne!(renewed, first, "the cookie was renewed");

        // A renewed token is not fresh: the password change asks for the
        // password again, then goes through.
        until(10, "a token that is not fresh", || async {
            text(&c, "fresh").await == "not fresh"
        })
        .await;
        fill(&c, "new-password", "user-password-2").await;
        click(&c, "password-button").await;
        until(10, "the password prompt", || visible(&c, "reauth-form")).await;
        fill(&c, "reauth-password", "user-password").await;
        click(&c, "reauth-button").await;
        until(10, "the password change", || async {
            text(&c, "password-message").await == "Password changed"
        })
        .await;

        // A form posted from another origin (another loopback port) is refused.
        let hostile = hostile_page(&format!("{base}/api/password"));
        let tab = c.new_window(true).await.unwrap();
        let home = c.window().await.unwrap();
        c.switch_to_window(tab.handle).await.unwrap();
        c.goto(&hostile).await.unwrap();
        until(10, "the refusal of the forged form", || async {
            c.source()
                .await
                .unwrap_or_default()
                .contains("Missing CSRF token")
        })
        .await;
        c.close_window().await.unwrap();
        c.switch_to_window(home).await.unwrap();
        logged_in_as(&c, "user").await;

        // The new password works, the hostile one does not.
        click(&c, "logout-button").await;
        until(10, "the login form after logout", || {
            visible(&c, "login-panel")
        })
        .await;
        login(&c, &base, "user", "hijacked-password").await;
        until(10, "the login error", || async {
            text(&c, "login-message").await == "Wrong username or password"
        })
        .await;
        login(&c, &base, "user", "user-password-2").await;
        logged_in_as(&c, "user").await;
        c.close().await.unwrap();
    });
}

#[test]
fn logout_ends_the_session_in_other_tabs_and_browsers_with_revocations_in_redis() {
    let Some((chromium, chromedriver)) = browser() else {
        return;
    };
    let driver = Driver::start(chromium, chromedriver);
    let (_app, base) = demo(60, Revocations::Redis);
    runtime().block_on(async {
        // Logout in one tab ends the session in another tab.
        let a = driver.browser().await;
        login(&a, &base, "admin", "admin-password").await;
        logged_in_as(&a, "admin").await;
        let first = a.window().await.unwrap();
        let second = a.new_window(true).await.unwrap();
        a.switch_to_window(second.handle.clone()).await.unwrap();
        a.goto(&base).await.unwrap();
        logged_in_as(&a, "admin").await;
        click(&a, "logout-button").await;
        a.switch_to_window(first.clone()).await.unwrap();
        until(10, "the other tab to see the logout", || {
            visible(&a, "login-panel")
        })
        .await;

        // The admin sees the admin panel.
        login(&a, &base, "admin", "admin-password").await;
        logged_in_as(&a, "admin").await;
        assert_eq!(text(&a, "role").await, "admin");
        click(&a, "admin-button").await;
        until(10, "the admin table", || async {
            let t = text(&a, "admin-content").await;
            t.contains("admin") && t.contains("user")
        })
        .await;
        if let Ok(path) = std::env::var("DEMO_SCREENSHOT") {
            std::fs::write(path, a.screenshot().await.unwrap()).unwrap();
        }

        // Logout everywhere ends the session in another browser too.
        let b = driver.browser().await;
        login(&b, &base, "admin", "admin-password").await;
        logged_in_as(&b, "admin").await;
        click(&a, "logout-all-button").await;
        until(10, "the other browser to be logged out", || async {
            visible(&b, "login-panel").await
                && text(&b, "login-message").await == "Token has been revoked"
        })
        .await;
        until(10, "this browser to be logged out", || {
            visible(&a, "login-panel")
        })
        .await;
        a.close().await.unwrap();
        b.close().await.unwrap();
    });
}
