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
