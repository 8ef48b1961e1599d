//! Revocation stores against real servers: the in-memory store, Redis
//! (127.0.0.1:6379), SQLite (a temporary file) and PostgreSQL
//! (127.0.0.1:5432, database `test`). Every test uses identities, `jti`s,
//! key prefixes and table names of its own, so tests run in parallel and
//! twice in a row.

use std::time::Duration;

use rocket::figment::Figment;
use rocket::http::{Header, Method, Status};
use rocket::local::asynchronous::Client;
use rocket::serde::json::{json, Value};
use rocket::{Build, Rocket};
use rocket_db_pools::{deadpool_redis, sqlx, Database};
use rocket_jwt_extended::{
    get_jwt, jwt_required, JwtError, JwtManager, JwtState, MemoryStore, PostgresStore, RedisStore,
    Revocations, SqliteStore,
};

use crate::common::figment;

#[derive(Database)]
#[database("jwt_redis")]
pub struct RedisDb(deadpool_redis::Pool);

#[derive(Database)]
#[database("jwt_sqlite")]
pub struct SqliteDb(sqlx::SqlitePool);

#[derive(Database)]
#[database("jwt_postgres")]
pub struct PostgresDb(sqlx::PgPool);

pub const REDIS_URL: &str = "redis://127.0.0.1:6379";
pub const POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

#[jwt_required(verify_type = false)]
#[delete("/logout")]
async fn logout(revocations: Revocations<'_>) -> Result<Value, JwtError> {
    let token = get_jwt();
    revocations.revoke(&token).await?;
    let kind = if token.is_refresh() {
        "Refresh"
    } else {
        "Access"
    };
    Ok(json!({ "msg": format!("{kind} token successfully revoked") }))
}

#[jwt_required]
#[delete("/logout_everywhere")]
async fn logout_everywhere(revocations: Revocations<'_>) -> Result<Value, JwtError> {
    let identity = rocket_jwt_extended::get_jwt_identity().unwrap_or_default();
    revocations.revoke_all(&identity).await?;
    Ok(json!({ "msg": "logged out everywhere" }))
}

#[jwt_required]
#[get("/protected")]
fn protected() -> Value {
    json!({ "hello": "world" })
}

#[jwt_required(refresh)]
#[post("/refresh")]
fn refresh() -> Value {
    json!({ "refreshed": true })
}

#[jwt_required(skip_revocation_check)]
#[get("/unchecked")]
fn unchecked() -> Value {
    json!({ "hello": "anyway" })
}

pub fn routes() -> Vec<rocket::Route> {
    routes![logout, logout_everywhere, protected, refresh, unchecked]
}

fn unique(what: &str) -> String {
    format!("{what}-{}", uuid::Uuid::new_v4().simple())
}

pub fn with_redis(fig: Figment, url: &str) -> Figment {
    fig.merge(("databases.jwt_redis.url", url))
        .merge(("databases.jwt_redis.connect_timeout", 1))
}

pub fn app(fig: Figment, manager: JwtManager) -> Rocket<Build> {
    rocket::custom(fig)
        .attach(RedisDb::init())
        .attach(SqliteDb::init())
        .attach(PostgresDb::init())
        .attach(manager)
        .mount("/", routes())
}

/// A figment with all three databases configured (each store uses its own).
fn databases(fig: Figment) -> (Figment, std::path::PathBuf) {
    let sqlite = std::env::temp_dir().join(format!("{}.sqlite", unique("rocket-jwt-store")));
    let fig = with_redis(fig, REDIS_URL)
        .merge((
            "databases.jwt_sqlite.url",
            format!("sqlite://{}?mode=rwc", sqlite.display()),
        ))
        .merge(("databases.jwt_postgres.url", POSTGRES_URL))
        .merge(("databases.jwt_postgres.connect_timeout", 2));
    (fig, sqlite)
}

pub async fn call(c: &Client, method: Method, path: &'static str, token: &str) -> (Status, String) {
    let resp = c
        .req(method, path)
        .header(Header::new("Authorization", format!("Bearer {token}")))
        .dispatch()
        .await;
    let status = resp.status();
    let body: Value = resp.into_json().await.unwrap_or(Value::Null);
    (status, body["msg"].as_str().unwrap_or("").to_owned())
}

fn state(c: &Client) -> &JwtState {
    c.rocket().state::<JwtState>().expect("manager")
}

const REVOKED: (Status, &str) = (Status::Unauthorized, "Token has been revoked");

fn revoked(answer: (Status, String)) -> bool {
    (answer.0, answer.1.as_str()) == REVOKED
}

/// What every store must do, through the routes.
async fn battery(c: &Client) {
    let s = state(c);
    let user = unique("user");
    let access = s.create_access_token(&user).unwrap();
    let refresh_token = s.create_refresh_token(&user).unwrap();
    let other = s.create_access_token(&user).unwrap();

    // Revoke an access token: refused from then on, everywhere but where the
    // route skips the check; other tokens of the same user are fine.
    assert_eq!(
        call(c, Method::Get, "/protected", &access).await.0,
        Status::Ok
    );
    assert_eq!(
        call(c, Method::Delete, "/logout", &access).await,
        (Status::Ok, "Access token successfully revoked".into())
    );
    assert!(revoked(call(c, Method::Get, "/protected", &access).await));
    assert!(revoked(call(c, Method::Delete, "/logout", &access).await));
    // The same token spelled differently (padding, another base64 of the
    // same bytes) is refused before the store is even asked.
    for respelled in [format!("{access}="), access.replacen('.', "=.", 1)] {
        let answer = call(c, Method::Get, "/protected", &respelled).await;
        assert_eq!(answer.0, Status::UnprocessableEntity, "{respelled}");
    }
    assert_eq!(
        call(c, Method::Get, "/unchecked", &access).await.0,
        Status::Ok
    );
    assert_eq!(
        call(c, Method::Get, "/protected", &other).await.0,
        Status::Ok
    );

    // Revoke a refresh token.
    assert_eq!(
        call(c, Method::Post, "/refresh", &refresh_token).await.0,
        Status::Ok
    );
    assert_eq!(
        call(c, Method::Delete, "/logout", &refresh_token).await,
        (Status::Ok, "Refresh token successfully revoked".into())
    );
    assert!(revoked(
        call(c, Method::Post, "/refresh", &refresh_token).await
    ));

    // Revoke both: revoking the access token of a pair revokes its refresh
    // token, and revoking the refresh token revokes the access token.
    let (pa, pr) = s.create_token_pair(&user).await.unwrap();
    assert_eq!(call(c, Method::Delete, "/logout", &pa).await.0, Status::Ok);
    assert!(revoked(call(c, Method::Post, "/refresh", &pr).await));
    let (pa, pr) = s.create_token_pair(&user).await.unwrap();
    assert_eq!(call(c, Method::Get, "/protected", &pa).await.0, Status::Ok);
    assert_eq!(call(c, Method::Delete, "/logout", &pr).await.0, Status::Ok);
    assert!(revoked(call(c, Method::Get, "/protected", &pa).await));

    // Logout everywhere: every token of the identity issued until now, in the
    // same round trip as the jti check; other identities untouched.
    let everywhere = unique("everywhere");
    let first = s.create_access_token(&everywhere).unwrap();
    let second = s.create_refresh_token(&everywhere).unwrap();
    let bystander = s.create_access_token(&unique("bystander")).unwrap();
    assert_eq!(
        call(c, Method::Delete, "/logout_everywhere", &first)
            .await
            .0,
        Status::Ok
    );
    assert!(revoked(call(c, Method::Get, "/protected", &first).await));
    assert!(revoked(call(c, Method::Post, "/refresh", &second).await));
    assert_eq!(
        call(c, Method::Get, "/protected", &bystander).await.0,
        Status::Ok
    );
    // Tokens issued in a later second are fine (the same second is refused:
    // `iat` has whole seconds, and refusing is the safe side).
    rocket::tokio::time::sleep(Duration::from_millis(1100)).await;
    let later = s.create_access_token(&everywhere).unwrap();
    assert_eq!(
        call(c, Method::Get, "/protected", &later).await.0,
        Status::Ok
    );

    // A token without a `jti` cannot slip past a store.
    let no_jti = crate::common::forge(json!({ "jti": null, "sub": user }));
    assert!(revoked(call(c, Method::Get, "/protected", &no_jti).await));

    // Concurrent revocations all land.
    let tokens: Vec<String> = (0..16)
        .map(|_| s.create_access_token(&user).unwrap())
        .collect();
    let revocations = tokens.iter().map(|t| call(c, Method::Delete, "/logout", t));
    for answer in futures_join(revocations).await {
        assert_eq!(answer.0, Status::Ok);
    }
    for t in &tokens {
        assert!(revoked(call(c, Method::Get, "/protected", t).await));
    }
}

/// Runs futures concurrently on the current task.
async fn futures_join<F: std::future::Future>(futures: impl Iterator<Item = F>) -> Vec<F::Output> {
    let futures: Vec<_> = futures.map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    let mut pending: Vec<_> = futures.into_iter().enumerate().collect();
    std::future::poll_fn(move |cx| {
        pending.retain_mut(|(i, f)| match f.as_mut().poll(cx) {
            std::task::Poll::Ready(out) => {
                outputs[*i] = Some(out);
                false
            }
            std::task::Poll::Pending => true,
        });
        if pending.is_empty() {
            std::task::Poll::Ready(outputs.drain(..).map(|o| o.expect("ready")).collect())
        } else {
            std::task::Poll::Pending
        }
    })
    .await
}

#[rocket::async_test]
async fn the_memory_store_purges_expired_entries() {
    let (_fig, file) = databases(figment());
    let store = MemoryStore::new();
    let now = crate::common::now();
    let entry = |jti: &'static str, expires_at| rocket_jwt_extended::Entry {
        jti,
        token_type: "access",
        identity: "u",
        revoked_at: now,
        expires_at,
    };
    use rocket_jwt_extended::RevocationStore;
    store
        .revoke(&[entry("gone", Some(now - 1)), entry("kept", None)])
        .await
        .unwrap();
    assert_eq!(store.len(), 2);
    store.revoke(&[entry("new", Some(now + 60))]).await.unwrap();
    assert_eq!(
        store.len(),
        2,
        "the expired entry went with the next revocation"
    );
    let check = |jti: &'static str| rocket_jwt_extended::Check {
        jtis: std::slice::from_ref(Box::leak(Box::new(jti))),
        identity: "u",
        iat: now,
        now,
    };
    assert!(store.is_revoked(check("kept")).await.unwrap());
    assert!(store.is_revoked(check("new")).await.unwrap());
    assert!(!store.is_revoked(check("gone")).await.unwrap());
    let _ = std::fs::remove_file(file);
}

#[rocket::async_test]
async fn memory_store() {
    let (fig, file) = databases(figment());
    let c = Client::untracked(app(
        fig,
        JwtManager::new().revocation_store(MemoryStore::new()),
    ))
    .await
    .unwrap();
    battery(&c).await;
    let _ = std::fs::remove_file(file);
}

#[rocket::async_test]
async fn redis_store() {
    let prefix = format!("{}:", unique("jwt-test"));
    let (fig, file) = databases(figment().merge(("jwt_decode_leeway", 10)));
    let store = RedisStore::<RedisDb>::new().prefix(prefix.clone());
    let c = Client::untracked(app(fig, JwtManager::new().revocation_store(store)))
        .await
        .unwrap();
    battery(&c).await;

    // Entries live exactly as long as their token (+ leeway), refresh
    // tokens included; logout-everywhere marks as long as the longest token.
    let s = state(&c);
    let user = unique("ttl");
    let access = s.create_access_token(&user).unwrap();
    let refresh_token = s.create_refresh_token(&user).unwrap();
    call(&c, Method::Delete, "/logout", &access).await;
    call(&c, Method::Delete, "/logout", &refresh_token).await;
    let jti = |t: &str| {
        s.decode_token(t, false)
            .unwrap()
            .claims()
            .jti()
            .unwrap()
            .to_owned()
    };
    let pool = RedisDb::fetch(c.rocket()).unwrap();
    let mut conn = pool.get().await.unwrap();
    let ttl = |key: String| {
        let mut cmd = deadpool_redis::redis::cmd("TTL");
        cmd.arg(key);
        cmd
    };
    let access_ttl: i64 = ttl(format!("{prefix}jti:{}", jti(&access)))
        .query_async(&mut conn)
        .await
        .unwrap();
    let refresh_ttl: i64 = ttl(format!("{prefix}jti:{}", jti(&refresh_token)))
        .query_async(&mut conn)
        .await
        .unwrap();
    assert!((905..=910).contains(&access_ttl), "{access_ttl}");
    let month = 30 * 24 * 3600;
    assert!(
        (month + 5..=month + 10).contains(&refresh_ttl),
        "{refresh_ttl}"
    );

    // An entry whose token is about to expire still lives one second.
    let store = s.store().unwrap();
    let now = rocket_jwt_extended_now();
    let soon = unique("soon");
    let entry = rocket_jwt_extended::Entry {
        jti: &soon,
        token_type: "access",
        identity: &user,
        revoked_at: now,
        expires_at: Some(now),
    };
    store.revoke(&[entry]).await.unwrap();
    // A logout-everywhere mark that is not a timestamp refuses (fail closed).
    let odd = unique("odd");
    let mut set = deadpool_redis::redis::cmd("SET");
    set.arg(format!("{prefix}identity:{odd}"))
        .arg("not-a-number");
    set.query_async::<_, ()>(&mut conn).await.unwrap();
    let odd_token = s.create_access_token(&odd).unwrap();
    assert!(revoked(
        call(&c, Method::Get, "/protected", &odd_token).await
    ));
    let soon_ttl: i64 = ttl(format!("{prefix}jti:{soon}"))
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(soon_ttl, 1);
    let _ = std::fs::remove_file(file);
}

fn rocket_jwt_extended_now() -> i64 {
    crate::common::now()
}

#[rocket::async_test]
async fn two_instances_share_one_redis() {
    let prefix = format!("{}:", unique("jwt-shared"));
    let make = || {
        let (fig, file) = databases(figment());
        let store = RedisStore::<RedisDb>::new().prefix(prefix.clone());
        (app(fig, JwtManager::new().revocation_store(store)), file)
    };
    let ((a, fa), (b, fb)) = (make(), make());
    let a = Client::untracked(a).await.unwrap();
    let b = Client::untracked(b).await.unwrap();
    let token = state(&a).create_access_token(&unique("shared")).unwrap();
    assert_eq!(
        call(&b, Method::Get, "/protected", &token).await.0,
        Status::Ok
    );
    assert_eq!(
        call(&a, Method::Delete, "/logout", &token).await.0,
        Status::Ok
    );
    assert!(revoked(call(&b, Method::Get, "/protected", &token).await));
    // A new instance (a restart) sees it too.
    let (c, fc) = make();
    let c = Client::untracked(c).await.unwrap();
    assert!(revoked(call(&c, Method::Get, "/protected", &token).await));
    for f in [fa, fb, fc] {
        let _ = std::fs::remove_file(f);
    }
}

async fn sql_rows(
    c: &Client,
    table: &str,
    sqlite: bool,
) -> Vec<(String, String, String, i64, Option<i64>)> {
    let q = format!("SELECT jti, token_type, identity, revoked_at, expires_at FROM {table} ORDER BY revoked_at, jti");
    if sqlite {
        let pool = SqliteDb::fetch(c.rocket()).unwrap();
        sqlx::query_as(&q).fetch_all(&**pool).await.unwrap()
    } else {
        let pool = PostgresDb::fetch(c.rocket()).unwrap();
        sqlx::query_as(&q).fetch_all(&**pool).await.unwrap()
    }
}

async fn sql_exec(c: &Client, sql: &str, sqlite: bool) {
    if sqlite {
        let pool = SqliteDb::fetch(c.rocket()).unwrap();
        sqlx::query(sql).execute(&**pool).await.unwrap();
    } else {
        let pool = PostgresDb::fetch(c.rocket()).unwrap();
        sqlx::query(sql).execute(&**pool).await.unwrap();
    }
}

/// The SQL-specific checks: rows as stored, and the purge of expired rows.
async fn sql_checks(c: &Client, table: &str, sqlite: bool) {
    let s = state(c);
    let user = unique("rows");
    let access = s.create_access_token(&user).unwrap();
    let claims = s.decode_token(&access, false).unwrap();
    call(c, Method::Delete, "/logout", &access).await;
    let rows = sql_rows(c, table, sqlite).await;
    let row = rows
        .iter()
        .find(|r| r.0 == claims.claims().jti().unwrap())
        .expect("the revoked row");
    assert_eq!((row.1.as_str(), row.2.as_str()), ("access", user.as_str()));
    assert_eq!(row.4, claims.claims().exp());
    assert!((row.3 - crate::common::now()).abs() <= 2);

    // Expired rows go with the next revocation.
    sql_exec(
        c,
        &format!(
            "INSERT INTO {table} (jti, token_type, identity, revoked_at, expires_at) VALUES ('long-gone', 'access', 'x', 1, 2)"
        ),
        sqlite,
    )
    .await;
    assert!(sql_rows(c, table, sqlite)
        .await
        .iter()
        .any(|r| r.0 == "long-gone"));
    let another = s.create_access_token(&user).unwrap();
    call(c, Method::Delete, "/logout", &another).await;
    assert!(!sql_rows(c, table, sqlite)
        .await
        .iter()
        .any(|r| r.0 == "long-gone"));
    sql_exec(c, &format!("DROP TABLE {table}"), sqlite).await;
    sql_exec(c, &format!("DROP TABLE {table}_identities"), sqlite).await;
}

#[rocket::async_test]
async fn sqlite_store() {
    let table = unique("jwt_bl").replace('-', "_");
    let (fig, file) = databases(figment());
    let store = SqliteStore::<SqliteDb>::new().table(table.clone());
    let c = Client::untracked(app(fig, JwtManager::new().revocation_store(store)))
        .await
        .unwrap();
    battery(&c).await;
    sql_checks(&c, &table, true).await;
    let _ = std::fs::remove_file(file);
}

#[rocket::async_test]
async fn postgres_store() {
    let table = unique("jwt_bl").replace('-', "_");
    let (fig, file) = databases(figment());
    let store = PostgresStore::<PostgresDb>::new().table(table.clone());
    let c = Client::untracked(app(fig, JwtManager::new().revocation_store(store)))
        .await
        .unwrap();
    battery(&c).await;
    sql_checks(&c, &table, false).await;
    let _ = std::fs::remove_file(file);
}

#[rocket::async_test]
async fn a_bad_table_name_or_a_missing_database_refuses_to_launch() {
    let (fig, file) = databases(figment());
    let store = SqliteStore::<SqliteDb>::new().table("bad name; DROP TABLE x");
    let kind = |r: Result<Client, rocket::Error>| r.err().map(|e| e.kind().to_string());
    let result =
        Client::untracked(app(fig.clone(), JwtManager::new().revocation_store(store))).await;
    assert!(kind(result).is_some_and(|k| k.contains("fairing")));
    // The store's database is not attached.
    let rocket = rocket::custom(fig)
        .attach(JwtManager::new().revocation_store(RedisStore::<RedisDb>::new()))
        .mount("/", routes());
    assert!(kind(Client::untracked(rocket).await).is_some_and(|k| k.contains("fairing")));
    let _ = std::fs::remove_file(file);
}

#[rocket::async_test]
async fn the_revocations_guard_needs_a_store() {
    let (fig, file) = databases(figment());
    let c = Client::untracked(app(fig, JwtManager::new()))
        .await
        .unwrap();
    let token = state(&c).create_access_token("u").unwrap();
    let (status, msg) = call(&c, Method::Delete, "/logout", &token).await;
    assert_eq!(status, Status::InternalServerError);
    assert!(msg.contains("revocation_store"), "{msg}");
    let _ = std::fs::remove_file(file);
}

#[test]
fn the_timeout_is_configurable_and_validated() {
    use rocket_jwt_extended::JwtConfig;
    let cfg = JwtConfig::from_figment(&figment()).unwrap();
    assert_eq!(cfg.revocation_timeout, Duration::from_millis(1000));
    let cfg =
        JwtConfig::from_figment(&figment().merge(("jwt_revocation_timeout_ms", 250))).unwrap();
    assert_eq!(cfg.revocation_timeout, Duration::from_millis(250));
    for bad in [0, -1, 600_001] {
        let e = JwtConfig::from_figment(&figment().merge(("jwt_revocation_timeout_ms", bad)))
            .expect_err("refused");
        assert_eq!(e.key, "jwt_revocation_timeout_ms");
    }
}
