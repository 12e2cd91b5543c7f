//! Fresh databases for tests: a temporary SQLite file, or a new database on the PostgreSQL
//! server named by TEST_DATABASE_URL (dropped afterwards). Under CI=true a missing
//! PostgreSQL fails the test instead of skipping it.

use crate::Store;
use sea_orm::{ConnectionTrait, Database};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub const TEST_PUBLIC_URL: &str = "http://invoices.test";
pub const TEST_SECRET: &[u8] = b"test-secret";

pub struct TestDb {
    pub url: String,
    pub backend: Backend,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl TestDb {
    /// None when PostgreSQL is not configured outside CI (the test is then skipped).
    pub async fn new(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}/test.db?mode=rwc", dir.path().display());
                Some(TestDb { url, backend, _dir: Some(dir), pg: None })
            }
            Backend::Postgres => {
                let Ok(admin) = std::env::var("TEST_DATABASE_URL") else {
                    if std::env::var("CI").is_ok_and(|v| v == "true") {
                        panic!("CI=true but TEST_DATABASE_URL is not set: PostgreSQL tests must run in CI");
                    }
                    eprintln!("skipped: set TEST_DATABASE_URL to run the PostgreSQL variant");
                    return None;
                };
                let name = format!("t_{}", crate::secrets::random_token(9).to_lowercase().replace(['-', '_'], "x"));
                let conn = Database::connect(&admin).await.expect("connect to TEST_DATABASE_URL");
                conn.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.expect("create test database");
                conn.close().await.ok();
                let base = admin.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(admin.clone());
                let url = format!("{base}/{name}");
                Some(TestDb { url, backend, _dir: None, pg: Some((admin, name)) })
            }
        }
    }

    pub async fn store(&self) -> Store {
        Store::connect(&self.url, TEST_PUBLIC_URL, TEST_SECRET).await.expect("connect and migrate")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((admin, name)) = self.pg.take() else { return };
        // Drop may run inside a runtime; a separate thread with its own runtime avoids
        // blocking it.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
            rt.block_on(async {
                let conn = Database::connect(&admin).await.ok()?;
                conn.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await.ok()?;
                conn.close().await.ok()
            })
        })
        .join();
    }
}

/// Runs `async fn body(db: TestDb)` once on SQLite and once on PostgreSQL, as two tests
/// named `<name>::sqlite` and `<name>::postgres`.
#[macro_export]
macro_rules! on_both_databases {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                if let Some(db) = $crate::testkit::TestDb::new($crate::testkit::Backend::Sqlite).await {
                    super::$name(db).await
                }
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(db) = $crate::testkit::TestDb::new($crate::testkit::Backend::Postgres).await {
                    super::$name(db).await
                }
            }
        }
    };
}

/// Every place in the database where `needle` stands in a text column: `table.column`.
/// Tests scan for raw secrets after a flow (nothing may be stored in the clear).
pub async fn text_columns_containing(store: &Store, needle: &str) -> Vec<String> {
    use sea_orm::{DatabaseBackend, Statement};
    let db = &store.db;
    let backend = db.get_database_backend();
    let catalog = match backend {
        DatabaseBackend::Sqlite => {
            "SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND (upper(p.type) LIKE '%TEXT%' OR upper(p.type) LIKE '%CHAR%' OR upper(p.type) LIKE '%CLOB%' OR p.type = '')"
        }
        _ => {
            "SELECT table_name AS t, column_name AS c FROM information_schema.columns \
             WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'json', 'jsonb')"
        }
    };
    let columns = db.query_all(Statement::from_string(backend, catalog)).await.expect("catalog");
    let mut found = Vec::new();
    for row in columns {
        let (table, column): (String, String) = (row.try_get("", "t").expect("t"), row.try_get("", "c").expect("c"));
        let sql = format!("SELECT CAST(\"{column}\" AS TEXT) AS v FROM \"{table}\"");
        for value in db.query_all(Statement::from_string(backend, sql)).await.expect("scan") {
            if value.try_get::<Option<String>>("", "v").ok().flatten().is_some_and(|v| v.contains(needle)) {
                found.push(format!("{table}.{column}"));
            }
        }
    }
    found.sort();
    found.dedup();
    found
}
