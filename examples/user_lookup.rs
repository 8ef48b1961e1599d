//! Automatic user loading: users live in SQLite (through `rocket_db_pools`),
//! created and seeded at launch with PBKDF2-hashed passwords. The token's
//! identity is the user's id; `#[user_lookup]` loads the user for every
//! protected request with a database connection of its own, and a deleted
//! user's tokens stop working (401 `Error loading the user <id>`).
//!
//! The database is `users` (`ROCKET_DATABASES='{users={url="sqlite://…"}}'`
//! points it elsewhere); by default a file in the temporary directory,
//! reset at every launch.
#[macro_use]
extern crate rocket;

use pbkdf2::pbkdf2_hmac;
use rocket::fairing::AdHoc;
use rocket::http::Status;
use rocket::serde::json::{json, Json, Value};
use rocket::{Build, Rocket};
use rocket_db_pools::sqlx::{self, Row};
use rocket_db_pools::{Connection, Database};
use rocket_jwt_extended::{
    current_user, jwt_required, loaders, user_identity, user_lookup, EncodeError, JwtManager,
    Tokens,
};
use sha2::Sha256;

/// PBKDF2-HMAC-SHA256 rounds for stored passwords.
const ROUNDS: u32 = 100_000;

#[derive(Database)]
#[database("users")]
struct Users(sqlx::SqlitePool);

struct User {
    id: i64,
    username: String,
}

#[user_identity]
fn identity(user: &User) -> String {
    user.id.to_string()
}

#[user_lookup]
async fn load_user(identity: &str, mut db: Connection<Users>) -> Option<User> {
    let row = sqlx::query("SELECT id, username FROM users WHERE id = ?")
        .bind(identity)
        .fetch_optional(&mut **db)
        .await
        .ok()??;
    Some(User {
        id: row.get("id"),
        username: row.get("username"),
    })
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

#[post("/login", data = "<body>")]
async fn login(
    tokens: Tokens<'_>,
    mut db: Connection<Users>,
    body: Option<Json<Value>>,
) -> Result<(Status, Value), EncodeError> {
    let body = body.map(Json::into_inner).unwrap_or_default();
    let wrong = (
        Status::Unauthorized,
        json!({ "msg": "Wrong username or password" }),
    );
    let (Some(username), Some(password)) = (body["username"].as_str(), body["password"].as_str())
    else {
        return Ok(wrong);
    };
    let row = sqlx::query("SELECT id, username, salt, hash FROM users WHERE username = ?")
        .bind(username)
        .fetch_optional(&mut **db)
        .await
        .ok()
        .flatten();
    let Some(row) = row else {
        return Ok(wrong);
    };
    let salt: Vec<u8> = row.get("salt");
    let stored: Vec<u8> = row.get("hash");
    if !same(&hash(password, &salt), &stored) {
        return Ok(wrong);
    }
    let user = User {
        id: row.get("id"),
        username: row.get("username"),
    };
    let token = tokens.create_access_token(&user)?;
    Ok((Status::Ok, json!({ "access_token": token })))
}

#[jwt_required]
#[delete("/users/<uid>")]
async fn delete_user(uid: i64, mut db: Connection<Users>) -> (Status, Value) {
    match sqlx::query("DELETE FROM users WHERE id = ?")
        .bind(uid)
        .execute(&mut **db)
        .await
    {
        Ok(_) => (Status::Ok, json!({ "msg": "deleted" })),
        Err(e) => (
            Status::InternalServerError,
            json!({ "msg": format!("could not delete: {e}") }),
        ),
    }
}

#[jwt_required]
#[get("/protected")]
fn protected() -> Value {
    let user = current_user::<User>().expect("a protected route has a user");
    json!({ "id": user.id, "username": user.username })
}

/// Creates the table and (re)seeds the two users at every launch.
async fn seed(rocket: Rocket<Build>) -> Result<Rocket<Build>, Rocket<Build>> {
    let Some(db) = Users::fetch(&rocket) else {
        return Err(rocket);
    };
    let result: Result<(), sqlx::Error> = async {
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS users (
                id INTEGER PRIMARY KEY,
                username TEXT NOT NULL UNIQUE,
                salt BLOB NOT NULL,
                hash BLOB NOT NULL
            )",
        )
        .execute(&**db)
        .await?;
        sqlx::query("DELETE FROM users").execute(&**db).await?;
        for (id, username, password) in [(1, "zhengxin", "123456"), (2, "deleted_later", "123456")]
        {
            let salt = uuid::Uuid::new_v4().as_bytes().to_vec();
            let hashed = hash(password, &salt);
            sqlx::query("INSERT INTO users (id, username, salt, hash) VALUES (?, ?, ?, ?)")
                .bind(id)
                .bind(username)
                .bind(salt)
                .bind(hashed)
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
    let db_file = std::env::temp_dir().join(format!(
        "rocket-jwt-extended-user-lookup-{}.sqlite",
        std::process::id()
    ));
    let figment = rocket::Config::figment().join((
        "databases.users.url",
        format!("sqlite://{}?mode=rwc", db_file.display()),
    ));
    rocket::custom(figment)
        .attach(Users::init())
        .attach(AdHoc::try_on_ignite("Seed users", seed))
        .attach(
            JwtManager::new()
                .ephemeral_secret_if_unset()
                .loaders(loaders![load_user]),
        )
        .mount("/", routes![login, delete_user, protected])
}
