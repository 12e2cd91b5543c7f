//! One pool per backend, set up as JupiterInvoice sets up its own: SQLite in WAL with
//! synchronous=NORMAL and one writer connection; PostgreSQL with a pool of 16.

use sea_orm::sqlx::postgres::PgPoolOptions;
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sea_orm::sqlx::{PgPool, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

#[derive(Clone)]
pub enum Db {
    Sqlite { writer: SqlitePool, readers: SqlitePool },
    Postgres(PgPool),
}

pub async fn connect(url: &str) -> Result<Db, crate::Failure> {
    if !url.starts_with("sqlite:") {
        return Ok(Db::Postgres(PgPoolOptions::new().max_connections(16).connect(url).await?));
    }
    let opts = SqliteConnectOptions::from_str(url)?
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(10))
        .foreign_keys(true);
    let writer = SqlitePoolOptions::new().max_connections(1).connect_with(opts.clone()).await?;
    let readers = SqlitePoolOptions::new().max_connections(4).connect_with(opts.read_only(true)).await?;
    Ok(Db::Sqlite { writer, readers })
}

impl Db {
    /// `sql` written with `?` placeholders, in the form this backend takes.
    pub fn sql(&self, sql: &str) -> String {
        match self {
            Db::Sqlite { .. } => sql.to_string(),
            Db::Postgres(_) => {
                let mut out = String::with_capacity(sql.len() + 8);
                let mut n = 0;
                for c in sql.chars() {
                    if c == '?' {
                        n += 1;
                        out.push_str(&format!("${n}"));
                    } else {
                        out.push(c);
                    }
                }
                out
            }
        }
    }
}
