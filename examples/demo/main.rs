//! The demo: one page in the browser that logs in with cookies and shows the
//! session as it lives — the access token's remaining lifetime, whether it is
//! fresh, when it was last renewed — with a fresh-only password change, an
//! admin panel, logout and logout everywhere.
//!
//! ```sh
//! cargo run --example demo        # then open http://127.0.0.1:8000
//! ```
//!
//! - Users live in SQLite (`users`, seeded at first start with `admin` /
//!   `admin-password` and `user` / `user-password`), passwords hashed with
//!   PBKDF2-HMAC-SHA256 and a random salt.
//! - The access token is in an HttpOnly cookie the page's script cannot read;
//!   the CSRF value is in a readable cookie, and the script sends it as the
//!   `X-CSRF-TOKEN` header on every unsafe request (double submit).
//! - Access tokens live 60 s (`ROCKET_JWT_ACCESS_TOKEN_EXPIRES`) and are
//!   renewed implicitly in the second half of their life while the page polls.
//! - Revocations (logout, logout everywhere) are kept in SQLite too, so a
//!   fresh machine needs nothing running; with
//!   `ROCKET_DATABASES='{revocations={url="redis://127.0.0.1:6379"}}'` they
//!   are kept in Redis (under `ROCKET_DEMO_REDIS_PREFIX`, by default
//!   `rocket-jwt-extended-demo:`).
//!
//! In production, serve it over TLS and harden the cookies:
//! `ROCKET_JWT_COOKIE_SECURE=true`, `ROCKET_JWT_COOKIE_SAMESITE=Strict` (or
//! `Lax`), and `__Host-` names (`ROCKET_JWT_ACCESS_COOKIE_NAME=__Host-access`,
//! `ROCKET_JWT_ACCESS_CSRF_COOKIE_NAME=__Host-csrf`), which the browser binds
//! to this exact host, path `/` and HTTPS.
#[macro_use]
extern crate rocket;

use std::time::Duration;

use pbkdf2::pbkdf2_hmac;
use rocket::fairing::AdHoc;
use rocket::http::{ContentType, Header, Status};
use rocket::serde::json::{json, Json, Value};
use rocket::{Build, Rocket};
use rocket_db_pools::sqlx::{self, Row};
use rocket_db_pools::{deadpool_redis, Connection, Database};
use rocket_jwt_extended::{
    current_user, get_jwt, get_jwt_identity, jwt_check, jwt_required, loaders, user_lookup,
    ImplicitRefresh, JwtCookies, JwtError, JwtManager, Revocations, Tokens,
};
use rocket_jwt_extended_stores::{RedisStore, SqliteStore};
use sha2::Sha256;

/// PBKDF2-HMAC-SHA256 rounds for stored passwords.
const ROUNDS: u32 = 100_000;

/// How long a re-entered password keeps the token fresh.
const FRESH_FOR: Duration = Duration::from_secs(300);

#[derive(Database)]
#[database("users")]
struct Users(sqlx::SqlitePool);

#[derive(Database)]
#[database("revocations")]
struct SqlRevocations(sqlx::SqlitePool);

#[derive(Database)]
#[database("revocations")]
struct RedisRevocations(deadpool_redis::Pool);

struct User {
    username: String,
    admin: bool,
}

#[user_lookup]
async fn load_user(identity: &str, mut db: Connection<Users>) -> Option<User> {
    let row = sqlx::query("SELECT username, admin FROM users WHERE username = ?")
        .bind(identity)
        .fetch_optional(&mut **db)
        .await
        .ok()??;
    Some(User {
        username: row.get("username"),
        admin: row.get::<i64, _>("admin") != 0,
    })
}

/// The role lives in the database, so a demoted admin is refused at once.
#[jwt_check]
async fn admin_only(identity: &str, mut db: Connection<Users>) -> Result<(), (Status, Value)> {
    let admin = sqlx::query("SELECT admin FROM users WHERE username = ?")
        .bind(identity)
        .fetch_optional(&mut **db)
        .await
        .ok()
        .flatten()
        .is_some_and(|row| row.get::<i64, _>("admin") != 0);
    if admin {
        Ok(())
    } else {
        Err((Status::Forbidden, json!({ "msg": "Admins only!" })))
    }
}

fn hash(password: &str, salt: &[u8]) -> Vec<u8> {
    let mut out = [0u8; 32];
    pbkdf2_hmac::<Sha256>(password.as_bytes(), salt, ROUNDS, &mut out);
    out.to_vec()
}

/// Compares without an early exit, so timing does not tell how much matched.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether `password` is `username`'s.
async fn password_ok(db: &mut Connection<Users>, username: &str, password: &str) -> bool {
    let row = sqlx::query("SELECT salt, hash FROM users WHERE username = ?")
        .bind(username)
        .fetch_optional(&mut ***db)
        .await
        .ok()
        .flatten();
    match row {
        Some(row) => same(
            &hash(password, &row.get::<Vec<u8>, _>("salt")),
            &row.get::<Vec<u8>, _>("hash"),
        ),
        None => {
            // As slow as a real check, so timing does not tell who exists.
            hash(password, b"no-such-user");
            false
        }
    }
}

fn field<'a>(body: &'a Option<Json<Value>>, name: &str) -> &'a str {
    body.as_ref().and_then(|b| b[name].as_str()).unwrap_or("")
}

const PAGE: &str = include_str!("index.html");
const SCRIPT: &str = include_str!("app.js");

/// The page's scripts come from this origin only.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                   form-action 'self'; frame-ancestors 'none'";

#[derive(Responder)]
struct Page {
    body: (ContentType, &'static str),
    csp: Header<'static>,
}

#[get("/")]
fn index() -> Page {
    Page {
        body: (ContentType::HTML, PAGE),
        csp: Header::new("Content-Security-Policy", CSP),
    }
}

#[get("/app.js")]
fn script() -> (ContentType, &'static str) {
    (ContentType::JavaScript, SCRIPT)
}

#[post("/api/login", data = "<body>")]
async fn login(
    tokens: Tokens<'_>,
    cookies: JwtCookies<'_>,
    mut db: Connection<Users>,
    body: Option<Json<Value>>,
) -> Result<(Status, Value), JwtError> {
    let (username, password) = (field(&body, "username"), field(&body, "password"));
    if !password_ok(&mut db, username, password).await {
        return Ok((
            Status::Unauthorized,
            json!({ "msg": "Wrong username or password" }),
        ));
    }
    // A password just typed: the token is fresh for a while.
    let token = tokens.access_token(username).fresh(FRESH_FOR).await?;
    cookies.set_access_cookies(&token)?;
    Ok((Status::Ok, json!({ "msg": "login successful" })))
}

/// Who is logged in and the state of the session.
#[jwt_required(optional)]
#[get("/api/session")]
fn session() -> Value {
    let Some(identity) = get_jwt_identity() else {
        return json!({ "logged_in": false });
    };
    let claims = get_jwt();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64());
    let user = current_user::<User>();
    json!({
        "logged_in": true,
        "username": user.as_ref().map_or(identity, |u| u.username.clone()),
        "admin": user.is_some_and(|u| u.admin),
        "issued_at": claims.iat(),
        "expires_at": claims.exp(),
        "fresh": claims.is_fresh_at(now),
        "fresh_until": claims.get("fresh"),
        "session": claims.session(),
        "now": now,
    })
}

/// Re-enter the password: a fresh token in the same session.
#[jwt_required]
#[post("/api/reauth", data = "<body>")]
async fn reauth(
    tokens: Tokens<'_>,
    cookies: JwtCookies<'_>,
    mut db: Connection<Users>,
    body: Option<Json<Value>>,
) -> Result<(Status, Value), JwtError> {
    let identity = get_jwt_identity().unwrap_or_default();
    if !password_ok(&mut db, &identity, field(&body, "password")).await {
        return Ok((Status::Unauthorized, json!({ "msg": "Wrong password" })));
    }
    let token = tokens.access_token(&identity).fresh(FRESH_FOR).await?;
    cookies.set_access_cookies(&token)?;
    Ok((Status::Ok, json!({ "msg": "password confirmed" })))
}

/// Needs a fresh token: a stolen session cannot take the account over.
#[jwt_required(fresh)]
#[post("/api/password", data = "<body>")]
async fn change_password(mut db: Connection<Users>, body: Option<Json<Value>>) -> (Status, Value) {
    let identity = get_jwt_identity().unwrap_or_default();
    let new = field(&body, "new_password");
    if new.chars().count() < 8 {
        return (
            Status::UnprocessableEntity,
            json!({ "msg": "The new password needs at least 8 characters" }),
        );
    }
    let salt = uuid::Uuid::new_v4().as_bytes().to_vec();
    let result = sqlx::query("UPDATE users SET salt = ?, hash = ? WHERE username = ?")
        .bind(&salt)
        .bind(hash(new, &salt))
        .bind(&identity)
        .execute(&mut **db)
        .await;
    match result {
        Ok(_) => (Status::Ok, json!({ "msg": "password changed" })),
        Err(e) => {
            rocket::error!("changing the password failed: {e}");
            (
                Status::InternalServerError,
                json!({ "msg": "The password could not be changed" }),
            )
        }
    }
}

#[jwt_required(check = admin_only)]
#[get("/api/admin")]
async fn admin_panel(mut db: Connection<Users>) -> Value {
    let users: Vec<Value> = sqlx::query("SELECT username, admin FROM users ORDER BY username")
        .fetch_all(&mut **db)
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| json!({ "username": r.get::<String, _>("username"), "admin": r.get::<i64, _>("admin") != 0 }))
        .collect();
    json!({ "users": users })
}

/// Ends this session (every token of this login) and clears the cookies.
#[jwt_required]
#[post("/api/logout")]
async fn logout(revocations: Revocations<'_>, cookies: JwtCookies<'_>) -> Result<Value, JwtError> {
    revocations.revoke_session(&get_jwt()).await?;
    cookies.unset_jwt_cookies();
    Ok(json!({ "msg": "logout successful" }))
}

/// Ends every session of the user, in every browser.
#[jwt_required]
#[post("/api/logout_all")]
async fn logout_all(
    revocations: Revocations<'_>,
    cookies: JwtCookies<'_>,
) -> Result<Value, JwtError> {
    revocations
        .revoke_all(&get_jwt_identity().unwrap_or_default())
        .await?;
    cookies.unset_jwt_cookies();
    Ok(json!({ "msg": "logged out everywhere" }))
}

/// Creates the users table and seeds the two users at first start.
async fn seed(rocket: Rocket<Build>) -> Result<Rocket<Build>, Rocket<Build>> {
    let Some(db) = Users::fetch(&rocket) else {
        return Err(rocket);
    };
    let result: Result<(), sqlx::Error> = async {
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS users (
                username TEXT PRIMARY KEY,
                salt BLOB NOT NULL,
                hash BLOB NOT NULL,
                admin INTEGER NOT NULL DEFAULT 0
            )",
        )
        .execute(&**db)
        .await?;
        for (username, password, admin) in
            [("admin", "admin-password", 1), ("user", "user-password", 0)]
        {
            let salt = uuid::Uuid::new_v4().as_bytes().to_vec();
            sqlx::query(
                "INSERT OR IGNORE INTO users (username, salt, hash, admin) VALUES (?, ?, ?, ?)",
            )
            .bind(username)
            .bind(&salt)
            .bind(hash(password, &salt))
            .bind(admin)
            .execute(&**db)
            .await?;
        }
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Ok(rocket),
        Err(e) => {
            rocket::error!("could not seed the users database: {e}");
            Err(rocket)
        }
    }
}

#[launch]
fn rocket() -> _ {
    let dir = std::env::temp_dir().join("rocket-jwt-extended-demo");
    let _ = std::fs::create_dir_all(&dir);
    let sqlite = |name: &str| format!("sqlite://{}?mode=rwc", dir.join(name).display());
    let figment = rocket::Config::figment()
        .join(("databases.users.url", sqlite("users.sqlite")))
        .join(("databases.revocations.url", sqlite("revocations.sqlite")))
        .join(("jwt_token_location", ["cookies"]))
        .join(("jwt_access_token_expires", 60))
        .join(("jwt_sessions", true));
    let lifetime: u64 = figment
        .extract_inner("jwt_access_token_expires")
        .unwrap_or(60);
    let redis = figment
        .extract_inner::<String>("databases.revocations.url")
        .is_ok_and(|url| url.starts_with("redis://") || url.starts_with("rediss://"));
    // Keys under a prefix of their own in a shared Redis (`ROCKET_DEMO_REDIS_PREFIX`).
    let prefix = figment
        .extract_inner::<String>("demo_redis_prefix")
        .unwrap_or_else(|_| "rocket-jwt-extended-demo:".into());

    let manager = JwtManager::new()
        .ephemeral_secret_if_unset()
        .loaders(loaders![load_user]);
    let rocket = rocket::custom(figment).attach(Users::init());
    let rocket = if redis {
        rocket
            .attach(RedisRevocations::init())
            .attach(manager.revocation_store(RedisStore::<RedisRevocations>::new().prefix(prefix)))
    } else {
        rocket
            .attach(SqlRevocations::init())
            .attach(manager.revocation_store(SqliteStore::<SqlRevocations>::new()))
    };
    rocket
        .attach(AdHoc::try_on_ignite("Seed users", seed))
        .attach(ImplicitRefresh::within(Duration::from_secs(lifetime / 2)))
        .mount(
            "/",
            routes![
                index,
                script,
                login,
                session,
                reauth,
                change_password,
                admin_panel,
                logout,
                logout_all
            ],
        )
}
