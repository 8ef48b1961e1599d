//! Loaders that take a real database connection (`rocket_db_pools` + sqlx,
//! SQLite in a temporary file): the user lookup and the blocklist query it
//! for every request, and see changes made by other requests.

use rocket::fairing::AdHoc;
use rocket::http::Status;
use rocket::local::blocking::Client;
use rocket::serde::json::{json, Value};
use rocket::{Build, Rocket};
use rocket_db_pools::sqlx::{self, Row};
use rocket_db_pools::{Connection, Database};
use rocket_jwt_extended::{
    current_user, jwt_required, loaders, token_in_blocklist, user_lookup, Claims, JwtManager,
};

use crate::common::{answer, bearer, figment, forge, json_of, says};

#[derive(Database)]
#[database("jwt_test_users")]
pub struct TestDb(sqlx::SqlitePool);

pub struct DbUser {
    id: i64,
    name: String,
}

#[user_lookup]
async fn db_lookup(identity: &str, mut db: Connection<TestDb>) -> Option<DbUser> {
    let row = sqlx::query("SELECT id, name FROM users WHERE id = ?")
        .bind(identity)
        .fetch_optional(&mut **db)
        .await
        .ok()??;
    Some(DbUser {
        id: row.get("id"),
        name: row.get("name"),
    })
}

#[token_in_blocklist]
async fn db_revoked(claims: &Claims, mut db: Connection<TestDb>) -> bool {
    let Some(jti) = claims.jti() else {
        return true;
    };
    sqlx::query("SELECT 1 FROM revoked WHERE jti = ?")
        .bind(jti)
        .fetch_optional(&mut **db)
        .await
        .map(|row| row.is_some())
        // A store that cannot answer revokes: fail closed.
        .unwrap_or(true)
}

#[jwt_required]
#[get("/me")]
fn me() -> Value {
    let user = current_user::<DbUser>().expect("protected");
    json!({ "id": user.id, "name": user.name })
}

#[jwt_required]
#[delete("/users/<id>")]
async fn delete_user(id: i64, mut db: Connection<TestDb>) -> Status {
    match sqlx::query("DELETE FROM users WHERE id = ?")
        .bind(id)
        .execute(&mut **db)
        .await
    {
        Ok(_) => Status::NoContent,
        Err(_) => Status::InternalServerError,
    }
}

#[jwt_required]
#[post("/logout")]
async fn logout(mut db: Connection<TestDb>) -> Status {
    let jti = rocket_jwt_extended::get_jwt()
        .jti()
        .unwrap_or_default()
        .to_owned();
    match sqlx::query("INSERT INTO revoked (jti) VALUES (?)")
        .bind(jti)
        .execute(&mut **db)
        .await
    {
        Ok(_) => Status::NoContent,
        Err(_) => Status::InternalServerError,
    }
}

fn app() -> (Rocket<Build>, std::path::PathBuf) {
    let file = std::env::temp_dir().join(format!(
        "rocket-jwt-extended-test-{}-{}.sqlite",
        std::process::id(),
        uuid::Uuid::new_v4()
    ));
    let fig = figment().merge((
        "databases.jwt_test_users.url",
        format!("sqlite://{}?mode=rwc", file.display()),
    ));
    let rocket = rocket::custom(fig)
        .attach(TestDb::init())
        .attach(AdHoc::try_on_ignite("schema", |rocket| async {
            let Some(db) = TestDb::fetch(&rocket) else {
                return Err(rocket);
            };
            let ok = async {
                sqlx::query("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
                    .execute(&**db)
                    .await?;
                sqlx::query("CREATE TABLE revoked (jti TEXT PRIMARY KEY)")
                    .execute(&**db)
                    .await?;
                sqlx::query("INSERT INTO users (id, name) VALUES (1, 'ada'), (2, 'bob')")
                    .execute(&**db)
                    .await?;
                Ok::<_, sqlx::Error>(())
            }
            .await;
            match ok {
                Ok(()) => Ok(rocket),
                Err(_) => Err(rocket),
            }
        }))
        .attach(JwtManager::new().loaders(loaders![db_lookup, db_revoked]))
        .mount("/", routes![me, delete_user, logout]);
    (rocket, file)
}

#[test]
fn loaders_query_the_database_for_every_request() {
    let (rocket, file) = app();
    let c = Client::tracked(rocket).expect("valid rocket");
    let ada = forge(json!({ "sub": "1", "jti": "jti-ada" }));
    let bob = forge(json!({ "sub": "2", "jti": "jti-bob" }));
    assert_eq!(
        json_of(c.get("/me").header(bearer(&ada)).dispatch()),
        (Status::Ok, json!({ "id": 1, "name": "ada" }))
    );
    // Deleting bob through one request is seen by the next one's lookup.
    assert_eq!(
        c.get("/me").header(bearer(&bob)).dispatch().status(),
        Status::Ok
    );
    assert_eq!(
        c.delete("/users/2")
            .header(bearer(&ada))
            .dispatch()
            .status(),
        Status::NoContent
    );
    assert_eq!(
        answer(c.get("/me").header(bearer(&bob)).dispatch()),
        says(Status::Unauthorized, "Error loading the user 2")
    );
    // Revoking ada's token in the database refuses it from then on.
    assert_eq!(
        c.post("/logout").header(bearer(&ada)).dispatch().status(),
        Status::NoContent
    );
    assert_eq!(
        answer(c.get("/me").header(bearer(&ada)).dispatch()),
        says(Status::Unauthorized, "Token has been revoked")
    );
    // A token without a jti cannot slip past the blocklist.
    let no_jti = forge(json!({ "sub": "1", "jti": null }));
    assert_eq!(
        answer(c.get("/me").header(bearer(&no_jti)).dispatch()).1,
        "Token has been revoked"
    );
    drop(c);
    let _ = std::fs::remove_file(file);
}
