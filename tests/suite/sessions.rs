//! Sessions that cannot be forked: every token of one login shares a session
//! (`jwt_sessions`), logout revokes the session, and refresh-token rotation
//! (`jwt_refresh_token_rotation`) retires each refresh token on use and takes
//! a second use as theft. Against the in-memory store, the real Redis, SQLite
//! and PostgreSQL, with concurrent refreshes and two instances.

use std::time::Duration;

use rocket::figment::Figment;
use rocket::http::{Cookie, Header, Method, Status};
use rocket::local::asynchronous::Client;
use rocket::serde::json::{json, Value};
use rocket::{Build, Rocket};
use rocket_db_pools::Database;
use rocket_jwt_extended::{
    get_jwt, jwt_required, Check, Claims, Entry, ImplicitRefresh, JwtCookies, JwtError, JwtManager,
    JwtState, MemoryStore, PostgresStore, RedisStore, RevocationStore, Revocations, SqliteStore,
    StoreError, Tokens,
};

use crate::common::{figment, forge};
use crate::stores::{with_redis, PostgresDb, RedisDb, SqliteDb, POSTGRES_URL, REDIS_URL};

#[post("/login")]
fn login(tokens: Tokens<'_>) -> Result<Value, JwtError> {
    // Two separate calls, as flask's login does: one session all the same.
    Ok(json!({
        "access_token": tokens.create_access_token("ann")?,
        "refresh_token": tokens.create_refresh_token("ann")?,
    }))
}

#[jwt_required(refresh)]
#[post("/refresh_plain")]
fn refresh_plain(tokens: Tokens<'_>) -> Result<Value, JwtError> {
    let identity = rocket_jwt_extended::get_jwt_identity().unwrap_or_default();
    Ok(json!({ "access_token": tokens.create_access_token(&identity)? }))
}

#[jwt_required(refresh)]
#[post("/rotate")]
async fn rotate(tokens: Tokens<'_>) -> Result<Value, JwtError> {
    let new = tokens.refresh_session(&get_jwt()).await?;
    Ok(json!({ "access_token": new.access_token, "refresh_token": new.refresh_token }))
}

#[jwt_required]
#[get("/protected")]
fn protected() -> Value {
    json!({ "ok": true })
}

#[jwt_required(verify_type = false)]
#[delete("/logout_session")]
async fn logout_session(revocations: Revocations<'_>) -> Result<Value, JwtError> {
    revocations.revoke_session(&get_jwt()).await?;
    Ok(json!({ "msg": "Session revoked" }))
}

#[jwt_required]
#[delete("/logout_everywhere")]
async fn logout_everywhere(revocations: Revocations<'_>) -> Result<Value, JwtError> {
    let identity = rocket_jwt_extended::get_jwt_identity().unwrap_or_default();
    revocations.revoke_all(&identity).await?;
    Ok(json!({}))
}

fn unique(what: &str) -> String {
    format!("{what}-{}", uuid::Uuid::new_v4().simple())
}

fn rotation(fig: Figment) -> (Figment, std::path::PathBuf) {
    let sqlite = std::env::temp_dir().join(format!("{}.sqlite", unique("rocket-jwt-session")));
    let fig = with_redis(fig, REDIS_URL)
        .merge((
            "databases.jwt_sqlite.url",
            format!("sqlite://{}?mode=rwc", sqlite.display()),
        ))
        .merge(("databases.jwt_postgres.url", POSTGRES_URL))
        .merge(("jwt_refresh_token_rotation", true));
    (fig, sqlite)
}

fn app(fig: Figment, manager: JwtManager) -> Rocket<Build> {
    rocket::custom(fig)
        .attach(RedisDb::init())
        .attach(SqliteDb::init())
        .attach(PostgresDb::init())
        .attach(manager)
        .mount(
            "/",
            routes![
                login,
                refresh_plain,
                rotate,
                protected,
                logout_session,
                logout_everywhere
            ],
        )
}

async fn send(c: &Client, method: Method, path: &str, token: &str) -> (Status, Value) {
    let resp = c
        .req(method, path.to_owned())
        .header(Header::new("Authorization", format!("Bearer {token}")))
        .dispatch()
        .await;
    (resp.status(), resp.into_json().await.unwrap_or(Value::Null))
}

fn revoked() -> (Status, Value) {
    (
        Status::Unauthorized,
        json!({ "msg": "Token has been revoked" }),
    )
}

fn pair(body: &Value) -> (String, String) {
    let get = |k: &str| body[k].as_str().expect(k).to_owned();
    (get("access_token"), get("refresh_token"))
}

fn claims(c: &Client, token: &str) -> Claims {
    let s = c.rocket().state::<JwtState>().unwrap();
    s.decode_token(token, true).unwrap().claims().clone()
}

/// What every store must do for sessions and rotation.
async fn session_battery(c: &Client) {
    let s = c.rocket().state::<JwtState>().unwrap();

    // One login, one session: access and refresh tokens created apart in
    // one request share it; the access token of a pair names its refresh token.
    let resp = c.post("/login").dispatch().await;
    let (a, r) = pair(&resp.into_json::<Value>().await.unwrap());
    let sid = claims(c, &a).session().expect("a session").to_owned();
    assert_eq!(claims(c, &r).session(), Some(sid.as_str()));
    assert_eq!(send(c, Method::Get, "/protected", &a).await.0, Status::Ok);

    // Rotation: a new pair in the same session, paired; the old refresh
    // token is retired, and presenting it again revokes the whole session.
    let (status, body) = send(c, Method::Post, "/rotate", &r).await;
    assert_eq!(status, Status::Ok, "{body}");
    let (a2, r2) = pair(&body);
    let (ca2, cr2) = (claims(c, &a2), claims(c, &r2));
    assert_eq!(ca2.session(), Some(sid.as_str()));
    assert_eq!(cr2.session(), Some(sid.as_str()));
    assert_eq!(ca2.get_str("refresh_jti"), cr2.jti());
    assert_eq!(send(c, Method::Get, "/protected", &a2).await.0, Status::Ok);
    assert_eq!(send(c, Method::Post, "/rotate", &r).await, revoked());
    for token in [&a, &a2] {
        assert_eq!(send(c, Method::Get, "/protected", token).await, revoked());
    }
    assert_eq!(send(c, Method::Post, "/rotate", &r2).await, revoked());
    // Tokens minted into a revoked session later are refused too.
    let late = s.access_token("ann").session(sid.clone()).sign().unwrap();
    assert_eq!(send(c, Method::Get, "/protected", &late).await, revoked());

    // Two concurrent refreshes with the same token: exactly one succeeds.
    let (_, r) = s.token_pair("ann").await.unwrap();
    let (one, two) = rocket::tokio::join!(
        send(c, Method::Post, "/rotate", &r),
        send(c, Method::Post, "/rotate", &r)
    );
    let ok = [&one, &two].iter().filter(|a| a.0 == Status::Ok).count();
    assert_eq!(ok, 1, "{one:?} {two:?}");
    assert!(one == revoked() || two == revoked(), "{one:?} {two:?}");

    // Logout revokes the session: every token of it, before and after.
    let (a, r) = s.token_pair("ann").await.unwrap();
    let sid = claims(c, &a).session().unwrap().to_owned();
    assert_eq!(
        send(c, Method::Delete, "/logout_session", &a).await,
        (Status::Ok, json!({ "msg": "Session revoked" }))
    );
    assert_eq!(send(c, Method::Get, "/protected", &a).await, revoked());
    assert_eq!(send(c, Method::Post, "/rotate", &r).await, revoked());
    let late = s.access_token("ann").session(sid).sign().unwrap();
    assert_eq!(send(c, Method::Get, "/protected", &late).await, revoked());
    // Other sessions of the same identity are untouched.
    let (other, _) = s.token_pair("ann").await.unwrap();
    assert_eq!(
        send(c, Method::Get, "/protected", &other).await.0,
        Status::Ok
    );

    // Logout everywhere also refuses a token that carries no `iat`.
    let user = unique("everywhere");
    let first = s.access_token(&user).sign().unwrap();
    assert_eq!(
        send(c, Method::Delete, "/logout_everywhere", &first)
            .await
            .0,
        Status::Ok
    );
    let no_iat = forge(json!({ "sub": user, "iat": null, "jti": unique("jti") }));
    assert_eq!(send(c, Method::Get, "/protected", &no_iat).await, revoked());
}

#[rocket::async_test]
async fn sessions_in_memory() {
    let (fig, file) = rotation(figment());
    let c = Client::tracked(app(
        fig,
        JwtManager::new().revocation_store(MemoryStore::new()),
    ))
    .await
    .unwrap();
    session_battery(&c).await;
    let _ = std::fs::remove_file(file);
}

#[rocket::async_test]
async fn sessions_in_redis() {
    let (fig, file) = rotation(figment());
    let store = RedisStore::<RedisDb>::new().prefix(format!("{}:", unique("jwt-session")));
    let c = Client::tracked(app(fig, JwtManager::new().revocation_store(store)))
        .await
        .unwrap();
    session_battery(&c).await;
    let _ = std::fs::remove_file(file);
}

#[rocket::async_test]
async fn sessions_in_sqlite() {
    let (fig, file) = rotation(figment());
    let store = SqliteStore::<SqliteDb>::new().table(unique("jwt_s").replace('-', "_"));
    let c = Client::tracked(app(fig, JwtManager::new().revocation_store(store)))
        .await
        .unwrap();
    session_battery(&c).await;
    let _ = std::fs::remove_file(file);
}

#[rocket::async_test]
async fn sessions_in_postgres() {
    let (fig, file) = rotation(figment());
    let table = unique("jwt_s").replace('-', "_");
    let store = PostgresStore::<PostgresDb>::new().table(table.clone());
    let c = Client::tracked(app(fig, JwtManager::new().revocation_store(store)))
        .await
        .unwrap();
    session_battery(&c).await;
    let pool = PostgresDb::fetch(c.rocket()).unwrap();
    for t in ["", "_identities", "_used"] {
        let _ = sqlx_drop(pool, &format!("{table}{t}")).await;
    }
    let _ = std::fs::remove_file(file);
}

async fn sqlx_drop(pool: &rocket_db_pools::sqlx::PgPool, table: &str) -> Result<(), String> {
    rocket_db_pools::sqlx::query(&format!("DROP TABLE IF EXISTS {table}"))
        .execute(pool)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[rocket::async_test]
async fn two_instances_share_sessions_through_redis() {
    let prefix = format!("{}:", unique("jwt-session-shared"));
    let instance = |fig: Figment| {
        let store = RedisStore::<RedisDb>::new().prefix(prefix.clone());
        Client::tracked(app(fig, JwtManager::new().revocation_store(store)))
    };
    let (fig, file) = rotation(figment());
    let (a, b) = (
        instance(fig.clone()).await.unwrap(),
        instance(fig).await.unwrap(),
    );
    let s = a.rocket().state::<JwtState>().unwrap();
    // Rotate on one instance, reuse on the other: theft, seen by both.
    let (access, r) = s.token_pair("ann").await.unwrap();
    let (status, body) = send(&a, Method::Post, "/rotate", &r).await;
    assert_eq!(status, Status::Ok);
    let (a2, _) = pair(&body);
    assert_eq!(send(&b, Method::Post, "/rotate", &r).await, revoked());
    for token in [&access, &a2] {
        assert_eq!(send(&a, Method::Get, "/protected", token).await, revoked());
        assert_eq!(send(&b, Method::Get, "/protected", token).await, revoked());
    }
    // A logout on one instance ends the session on the other.
    let (access, _) = s.token_pair("ann").await.unwrap();
    assert_eq!(
        send(&b, Method::Get, "/protected", &access).await.0,
        Status::Ok
    );
    send(&a, Method::Delete, "/logout_session", &access).await;
    assert_eq!(
        send(&b, Method::Get, "/protected", &access).await,
        revoked()
    );
    let _ = std::fs::remove_file(file);
}

#[rocket::async_test]
async fn a_grace_interval_lets_a_retry_through_and_no_longer() {
    let (fig, file) = rotation(figment().merge(("jwt_refresh_token_reuse_grace", 2)));
    let c = Client::tracked(app(
        fig,
        JwtManager::new().revocation_store(MemoryStore::new()),
    ))
    .await
    .unwrap();
    let s = c.rocket().state::<JwtState>().unwrap();
    let (_, r) = s.token_pair("ann").await.unwrap();
    assert_eq!(send(&c, Method::Post, "/rotate", &r).await.0, Status::Ok);
    // The client lost the answer and retries at once: served again.
    let (status, body) = send(&c, Method::Post, "/rotate", &r).await;
    assert_eq!(status, Status::Ok);
    let (a2, _) = pair(&body);
    rocket::tokio::time::sleep(Duration::from_millis(2100)).await;
    // Past the grace, a use is theft.
    assert_eq!(send(&c, Method::Post, "/rotate", &r).await, revoked());
    assert_eq!(send(&c, Method::Get, "/protected", &a2).await, revoked());
    let _ = std::fs::remove_file(file);
}

/// A store of the application's own that checks but cannot rotate.
struct NoRotation;

#[rocket::async_trait]
impl RevocationStore for NoRotation {
    fn name(&self) -> &'static str {
        "no-rotation test store"
    }
    async fn init(&self, _: &Rocket<Build>) -> Result<(), String> {
        Ok(())
    }
    async fn is_revoked(&self, _: Check<'_>) -> Result<bool, StoreError> {
        Ok(false)
    }
    async fn revoke(&self, _: &[Entry<'_>]) -> Result<(), StoreError> {
        Ok(())
    }
    async fn revoke_identity(&self, _: &str, _: i64, _: Option<i64>) -> Result<(), StoreError> {
        Ok(())
    }
}

#[rocket::async_test]
async fn rotation_fails_closed_and_needs_a_store() {
    let (fig, file) = rotation(figment());
    let c = Client::tracked(app(
        fig.clone(),
        JwtManager::new().revocation_store(NoRotation),
    ))
    .await
    .unwrap();
    let s = c.rocket().state::<JwtState>().unwrap();
    let (_, r) = s.token_pair("ann").await.unwrap();
    assert_eq!(
        send(&c, Method::Post, "/rotate", &r).await,
        (
            Status::ServiceUnavailable,
            json!({ "msg": "Revocation store unavailable" })
        )
    );
    // Without a store, rotation refuses to launch.
    let err = JwtManager::new().build_state(&fig).err().expect("refused");
    assert!(err.contains("jwt_refresh_token_rotation"), "{err}");
    let _ = std::fs::remove_file(file);
}

#[rocket::async_test]
async fn without_rotation_a_refresh_route_stays_in_the_session_and_pairs() {
    let (fig, file) = rotation(figment());
    let fig = fig
        .merge(("jwt_refresh_token_rotation", false))
        .merge(("jwt_sessions", true));
    let c = Client::tracked(app(
        fig,
        JwtManager::new().revocation_store(MemoryStore::new()),
    ))
    .await
    .unwrap();
    let resp = c.post("/login").dispatch().await;
    let (a, r) = pair(&resp.into_json::<Value>().await.unwrap());
    let (status, body) = send(&c, Method::Post, "/refresh_plain", &r).await;
    assert_eq!(status, Status::Ok);
    let a2 = body["access_token"].as_str().unwrap();
    let (ca, ca2, cr) = (claims(&c, &a), claims(&c, a2), claims(&c, &r));
    assert_eq!(ca2.session(), ca.session());
    assert_eq!(ca2.get_str("refresh_jti"), cr.jti());
    // Without rotation the refresh token keeps working; logout ends it all.
    assert_eq!(
        send(&c, Method::Post, "/refresh_plain", &r).await.0,
        Status::Ok
    );
    send(&c, Method::Delete, "/logout_session", a2).await;
    for (method, path, token) in [
        (Method::Get, "/protected", a.as_str()),
        (Method::Get, "/protected", a2),
        (Method::Post, "/refresh_plain", r.as_str()),
    ] {
        assert_eq!(send(&c, method, path, token).await, revoked(), "{path}");
    }
    let _ = std::fs::remove_file(file);
}

// Implicit refresh within the session, and logout that a copied cookie
// cannot survive.

#[post("/cookie_login")]
async fn cookie_login(tokens: Tokens<'_>, cookies: JwtCookies<'_>) -> Result<Value, JwtError> {
    let token = tokens.access_token("ann").await?;
    cookies.set_access_cookies(&token)?;
    Ok(json!({}))
}

#[jwt_required]
#[get("/cookie_protected")]
fn cookie_protected() -> Value {
    json!({ "ok": true })
}

#[jwt_required]
#[delete("/cookie_logout")]
async fn cookie_logout(revocations: Revocations<'_>) -> Result<Value, JwtError> {
    revocations.revoke_session(&get_jwt()).await?;
    Ok(json!({}))
}

#[rocket::async_test]
async fn implicit_refresh_stays_in_the_session_and_cannot_outlive_its_revocation() {
    let fig = figment()
        .merge(("jwt_token_location", ["cookies"]))
        .merge(("jwt_access_token_expires", 3))
        .merge(("jwt_sessions", true))
        .merge(("jwt_cookie_csrf_protect", false));
    let rocket = rocket::custom(fig)
        .attach(JwtManager::new().revocation_store(MemoryStore::new()))
        .attach(ImplicitRefresh::within(Duration::from_secs(10)))
        .mount("/", routes![cookie_login, cookie_protected, cookie_logout]);
    let c = Client::untracked(rocket).await.unwrap();
    let access_cookie = |resp: &rocket::local::asynchronous::LocalResponse<'_>| {
        resp.cookies()
            .get("access_token_cookie")
            .map(|c| c.value().to_owned())
    };
    let resp = c.post("/cookie_login").dispatch().await;
    let original = access_cookie(&resp).expect("logged in");
    let sid = claims(&c, &original).session().unwrap().to_owned();
    // Within the window every answer renews it, in the same session.
    let resp = c
        .get("/cookie_protected")
        .cookie(Cookie::new("access_token_cookie", original.clone()))
        .dispatch()
        .await;
    assert_eq!(resp.status(), Status::Ok);
    let renewed = access_cookie(&resp).expect("renewed");
    assert_ne!(renewed, original);
    assert_eq!(claims(&c, &renewed).session(), Some(sid.as_str()));
    // Logout with the renewed cookie; the copy of the original taken before
    // is refused, not renewed, and so is the renewed one.
    let resp = c
        .delete("/cookie_logout")
        .cookie(Cookie::new("access_token_cookie", renewed.clone()))
        .dispatch()
        .await;
    assert_eq!(resp.status(), Status::Ok);
    for copy in [original, renewed] {
        let resp = c
            .get("/cookie_protected")
            .cookie(Cookie::new("access_token_cookie", copy))
            .dispatch()
            .await;
        assert_eq!(resp.status(), Status::Unauthorized);
        assert_eq!(access_cookie(&resp), None, "never renewed");
    }
}

#[post("/login_two")]
fn login_two(tokens: Tokens<'_>) -> Result<Value, JwtError> {
    Ok(json!({
        "ann": tokens.create_access_token("ann")?,
        "bob": tokens.create_access_token("bob")?,
        "ann_refresh": tokens.create_refresh_token("ann")?,
    }))
}

#[jwt_required(refresh)]
#[post("/mint_at_refresh")]
fn mint_at_refresh(tokens: Tokens<'_>) -> Result<Value, JwtError> {
    Ok(json!({ "access_token": tokens.create_access_token("ann")? }))
}

#[jwt_required(refresh, skip_revocation_check)]
#[post("/rotate_unchecked")]
async fn rotate_unchecked(tokens: Tokens<'_>) -> Result<Value, JwtError> {
    let new = tokens.refresh_session(&get_jwt()).await?;
    Ok(json!({ "access_token": new.access_token }))
}

#[post("/rotate_decoded/<token>")]
async fn rotate_decoded(token: &str, tokens: Tokens<'_>) -> Result<Value, JwtError> {
    let decoded = tokens.decode_token(token, false)?;
    let new = tokens.refresh_session(decoded.claims()).await?;
    Ok(json!({ "access_token": new.access_token }))
}

#[rocket::async_test]
async fn what_the_second_reading_found_stays_closed() {
    let (fig, file) = rotation(figment());
    let rocket = app(fig, JwtManager::new().revocation_store(MemoryStore::new())).mount(
        "/",
        routes![login_two, mint_at_refresh, rotate_unchecked, rotate_decoded],
    );
    let c = Client::tracked(rocket).await.unwrap();
    let s = c.rocket().state::<JwtState>().unwrap();

    // Tokens minted for two identities in one request never share a session.
    let body: Value = c
        .post("/login_two")
        .dispatch()
        .await
        .into_json()
        .await
        .unwrap();
    let sid = |k: &str| {
        claims(&c, body[k].as_str().unwrap())
            .session()
            .unwrap()
            .to_owned()
    };
    assert_ne!(sid("ann"), sid("bob"));
    assert_eq!(sid("ann"), sid("ann_refresh"));

    // Under rotation a refresh route cannot mint around refresh_session.
    let (_, r) = s.token_pair("ann").await.unwrap();
    let (status, _) = send(&c, Method::Post, "/mint_at_refresh", &r).await;
    assert_eq!(status, Status::InternalServerError);
    // refresh_session takes only the request's own, revocation-checked token.
    for path in [
        "/rotate_unchecked".to_owned(),
        format!("/rotate_decoded/{r}"),
    ] {
        let (status, _) = send(&c, Method::Post, &path, &r).await;
        assert_eq!(status, Status::InternalServerError, "{path}");
    }
    // The token was not consumed by those refusals: the real route works once.
    assert_eq!(send(&c, Method::Post, "/rotate", &r).await.0, Status::Ok);
    assert_eq!(send(&c, Method::Post, "/rotate", &r).await, revoked());

    // A refresh token from before sessions (no sid): its uses share a
    // session named after its jti, so a reuse ends what the first use began.
    let old = forge(json!({ "sub": "ann", "type": "refresh", "jti": unique("old") }));
    let (status, body) = send(&c, Method::Post, "/rotate", &old).await;
    assert_eq!(status, Status::Ok);
    let (first, _) = pair(&body);
    assert_eq!(send(&c, Method::Post, "/rotate", &old).await, revoked());
    assert_eq!(send(&c, Method::Get, "/protected", &first).await, revoked());

    // No token of a session outlives how long a revoked session is kept.
    let err = s
        .access_token("ann")
        .never_expires()
        .sign()
        .unwrap_err()
        .to_string();
    assert!(err.contains("cannot live longer"), "{err}");
    // Neither a loader nor the caller can replace the session or the pair link.
    let tampered = s
        .access_token("ann")
        .session("mine")
        .additional_claims(json!({ "sid": "theirs" }))
        .sign()
        .unwrap();
    assert_eq!(claims(&c, &tampered).session(), Some("mine"));
    let _ = std::fs::remove_file(file);
}
