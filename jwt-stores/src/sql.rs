//! SQL stores, through a `rocket_db_pools` sqlx database: SQLite (the
//! embedded default) and PostgreSQL.
//!
//! Tables (created at launch if missing; `jwt_blocklist` by default):
//! - `<table>`: `jti` (primary key), `token_type`, `identity`, `revoked_at`,
//!   `expires_at` (indexed; the token's `exp` + leeway, NULL without `exp`);
//! - `<table>_identities`: `identity` (primary key), `revoked_before`,
//!   `expires_at` — "logout everywhere";
//! - `<table>_used`: `jti` (primary key), `used_at`, `expires_at` — refresh
//!   tokens used under rotation, inserted with `ON CONFLICT DO NOTHING` so that
//!   of two concurrent uses exactly one inserts.
//!
//! A check is one `SELECT` over both tables. Every revocation also deletes
//! the rows that have expired, so the tables stay small without a cron job.

use rocket::{Build, Rocket};
use rocket_db_pools::sqlx;
use rocket_db_pools::Database;

use rocket_jwt_extended_runtime::{Check, Entry, RevocationStore, StoreError};

use crate::pool::Captured;

/// The statements for one table, with the dialect's placeholders.
struct Statements {
    create: [String; 4],
    check: String,
    insert: String,
    purge: [String; 3],
    revoke_identity: String,
    consume: String,
    used_at: String,
}

impl Statements {
    fn new(table: &str, placeholder: fn(usize) -> String) -> Self {
        let p = placeholder;
        Statements {
            create: [
                format!(
                    "CREATE TABLE IF NOT EXISTS {table} (jti TEXT PRIMARY KEY, token_type TEXT NOT NULL, \
                     identity TEXT NOT NULL, revoked_at BIGINT NOT NULL, expires_at BIGINT)"
                ),
                format!("CREATE INDEX IF NOT EXISTS {table}_expires ON {table} (expires_at)"),
                format!(
                    "CREATE TABLE IF NOT EXISTS {table}_identities (identity TEXT PRIMARY KEY, \
                     revoked_before BIGINT NOT NULL, expires_at BIGINT)"
                ),
                format!(
                    "CREATE TABLE IF NOT EXISTS {table}_used (jti TEXT PRIMARY KEY, \
                     used_at BIGINT NOT NULL, expires_at BIGINT)"
                ),
            ],
            check: format!(
                "SELECT (SELECT COUNT(*) FROM {table} WHERE jti IN ({}, {}, {}) \
                 AND (expires_at IS NULL OR expires_at > {})) + \
                 (SELECT COUNT(*) FROM {table}_identities WHERE identity = {} \
                 AND revoked_before >= {} AND (expires_at IS NULL OR expires_at > {}))",
                p(1),
                p(2),
                p(3),
                p(4),
                p(5),
                p(6),
                p(7)
            ),
            insert: format!(
                "INSERT INTO {table} (jti, token_type, identity, revoked_at, expires_at) \
                 VALUES ({}, {}, {}, {}, {}) \
                 ON CONFLICT (jti) DO UPDATE SET expires_at = excluded.expires_at",
                p(1),
                p(2),
                p(3),
                p(4),
                p(5)
            ),
            purge: [
                format!(
                    "DELETE FROM {table} WHERE expires_at IS NOT NULL AND expires_at <= {}",
                    p(1)
                ),
                format!(
                    "DELETE FROM {table}_identities WHERE expires_at IS NOT NULL AND expires_at <= {}",
                    p(1)
                ),
                format!(
                    "DELETE FROM {table}_used WHERE expires_at IS NOT NULL AND expires_at <= {}",
                    p(1)
                ),
            ],
            revoke_identity: format!(
                "INSERT INTO {table}_identities (identity, revoked_before, expires_at) \
                 VALUES ({}, {}, {}) ON CONFLICT (identity) DO UPDATE SET \
                 revoked_before = excluded.revoked_before, expires_at = excluded.expires_at",
                p(1),
                p(2),
                p(3)
            ),
            // The insert is the atomic step: of two concurrent uses, one inserts.
            consume: format!(
                "INSERT INTO {table}_used (jti, used_at, expires_at) VALUES ({}, {}, {}) \
                 ON CONFLICT (jti) DO NOTHING",
                p(1),
                p(2),
                p(3)
            ),
            used_at: format!("SELECT used_at FROM {table}_used WHERE jti = {}", p(1)),
        }
    }
}

fn valid_table(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.len() <= 48
}

fn sql_error(e: sqlx::Error) -> StoreError {
    StoreError(format!("sql: {e}"))
}

/// One SQL store per sqlx driver: same statements, the driver's pool and
/// placeholders.
macro_rules! sql_store {
    ($(#[$doc:meta])* $name:ident, $pool:ty, $placeholder:expr, $label:literal) => {
        $(#[$doc])*
        pub struct $name<D: Database> {
            table: String,
            sql: Statements,
            pool: Captured<D>,
        }

        impl<D: Database<Pool = $pool>> $name<D> {
            /// The table `jwt_blocklist` (and `jwt_blocklist_identities`).
            pub fn new() -> Self {
                Self::with_table("jwt_blocklist")
            }

            /// Another table name: letters, digits and `_`, not starting
            /// with a digit (checked at launch).
            pub fn table(self, table: impl Into<String>) -> Self {
                Self::with_table(table)
            }

            fn with_table(table: impl Into<String>) -> Self {
                let table = table.into();
                $name {
                    sql: Statements::new(&table, $placeholder),
                    table,
                    pool: Captured::new(),
                }
            }
        }

        impl<D: Database<Pool = $pool>> Default for $name<D> {
            fn default() -> Self {
                Self::new()
            }
        }

        #[rocket::async_trait]
        impl<D: Database<Pool = $pool>> RevocationStore for $name<D> {
            fn name(&self) -> &'static str {
                $label
            }

            async fn init(&self, rocket: &Rocket<Build>) -> Result<(), String> {
                if !valid_table(&self.table) {
                    return Err(format!("`{}` is not a valid table name", self.table));
                }
                let pool = self.pool.capture(rocket)?;
                for statement in &self.sql.create {
                    sqlx::query(statement)
                        .execute(pool)
                        .await
                        .map_err(|e| format!("{}: creating the tables: {e}", $label))?;
                }
                Ok(())
            }

            async fn is_revoked(&self, check: Check<'_>) -> Result<bool, StoreError> {
                let first = check.jtis.first().copied().unwrap_or("");
                let second = check.jtis.get(1).copied().unwrap_or(first);
                let third = check.jtis.get(2).copied().unwrap_or(first);
                let count: i64 = sqlx::query_scalar(&self.sql.check)
                    .bind(first)
                    .bind(second)
                    .bind(third)
                    .bind(check.now)
                    .bind(check.identity)
                    .bind(check.iat)
                    .bind(check.now)
                    .fetch_one(self.pool.get()?)
                    .await
                    .map_err(sql_error)?;
                Ok(count > 0)
            }

            async fn revoke(&self, entries: &[Entry<'_>]) -> Result<(), StoreError> {
                let mut tx = self.pool.get()?.begin().await.map_err(sql_error)?;
                for e in entries {
                    sqlx::query(&self.sql.insert)
                        .bind(e.jti)
                        .bind(e.token_type)
                        .bind(e.identity)
                        .bind(e.revoked_at)
                        .bind(e.expires_at)
                        .execute(&mut *tx)
                        .await
                        .map_err(sql_error)?;
                }
                let now = entries.first().map_or(0, |e| e.revoked_at);
                for purge in &self.sql.purge {
                    sqlx::query(purge)
                        .bind(now)
                        .execute(&mut *tx)
                        .await
                        .map_err(sql_error)?;
                }
                tx.commit().await.map_err(sql_error)
            }

            async fn revoke_identity(
                &self,
                identity: &str,
                before: i64,
                expires_at: Option<i64>,
            ) -> Result<(), StoreError> {
                sqlx::query(&self.sql.revoke_identity)
                    .bind(identity)
                    .bind(before)
                    .bind(expires_at)
                    .execute(self.pool.get()?)
                    .await
                    .map_err(sql_error)?;
                Ok(())
            }

            async fn consume(
                &self,
                jti: &str,
                now: i64,
                expires_at: Option<i64>,
            ) -> Result<Option<i64>, StoreError> {
                let pool = self.pool.get()?;
                // Marks go with their tokens, also where nothing is ever revoked.
                sqlx::query(&self.sql.purge[2])
                    .bind(now)
                    .execute(pool)
                    .await
                    .map_err(sql_error)?;
                let inserted = sqlx::query(&self.sql.consume)
                    .bind(jti)
                    .bind(now)
                    .bind(expires_at)
                    .execute(pool)
                    .await
                    .map_err(sql_error)?
                    .rows_affected();
                if inserted == 1 {
                    return Ok(None);
                }
                let at: Option<i64> = sqlx::query_scalar(&self.sql.used_at)
                    .bind(jti)
                    .fetch_optional(pool)
                    .await
                    .map_err(sql_error)?;
                // Used, whatever the row says now: fail closed.
                Ok(Some(at.unwrap_or(i64::MIN)))
            }
        }
    };
}

#[cfg(feature = "sqlite")]
sql_store!(
    /// Revocations in SQLite, through the `rocket_db_pools` database `D`
    /// (`#[derive(Database)] #[database("blocklist")] struct Blocklist(sqlx::SqlitePool);`).
    ///
    /// ```ignore
    /// rocket::build()
    ///     .attach(Blocklist::init())
    ///     .attach(JwtManager::new().revocation_store(SqliteStore::<Blocklist>::new()))
    /// ```
    SqliteStore,
    sqlx::SqlitePool,
    |_| "?".to_owned(),
    "sqlite revocation store"
);

#[cfg(feature = "postgres")]
sql_store!(
    /// Revocations in PostgreSQL, through the `rocket_db_pools` database `D`
    /// (`#[derive(Database)] #[database("blocklist")] struct Blocklist(sqlx::PgPool);`).
    PostgresStore,
    sqlx::PgPool,
    |n| format!("${n}"),
    "postgres revocation store"
);
