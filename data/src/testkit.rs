//! Fresh databases for tests: a temporary SQLite file, or a new database on the PostgreSQL
//! server named by TEST_DATABASE_URL (dropped afterwards). Without one a test says it is
//! skipped (`skip`); under CI=true that fails it.

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
                    skip("TEST_DATABASE_URL is not set (scripts/test.sh starts a PostgreSQL for it)");
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

    /// The store on this database, making "PDFs" with [`TextRenderer`] (the server's tests
    /// use the real renderer).
    pub async fn store(&self) -> Store {
        let store = Store::connect(&self.url, TEST_PUBLIC_URL, TEST_SECRET).await.expect("connect and migrate");
        store.with_renderer(std::sync::Arc::new(TextRenderer))
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

/// Says that the running test cannot run here and returns having done nothing. Under CI=true
/// that is a failure (it panics). Otherwise the test is named on the terminal (written past
/// the test harness's output capture) and in the file JUPITER_SKIP_LOG names, which the test
/// command counts in its closing line: a skip never passes for a pass unseen.
pub fn skip(why: &str) {
    let test = std::thread::current().name().unwrap_or("a test").to_string();
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI=true and {test} cannot run: {why}");
    }
    let line = format!("SKIPPED {test}: {why}\n");
    let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
    if let Ok(path) = std::env::var("JUPITER_SKIP_LOG") {
        let file = std::fs::OpenOptions::new().create(true).append(true).open(path);
        if let Ok(mut file) = file {
            let _ = std::io::Write::write_all(&mut file, line.as_bytes());
        }
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

/// Every statement a store runs, kept for a test to count or explain.
#[derive(Clone, Debug, Default)]
pub struct Statements(std::sync::Arc<std::sync::Mutex<Vec<sea_orm::Statement>>>);

impl Statements {
    /// `store`, recording its statements here.
    pub fn observe(&self, store: Store) -> Store {
        let kept = self.0.clone();
        store.observed(move |s| kept.lock().unwrap_or_else(|p| p.into_inner()).push(s.clone()))
    }

    /// The statements run since the last call.
    pub fn take(&self) -> Vec<sea_orm::Statement> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// The SQL of the statements run since the last call.
    pub fn take_sql(&self) -> Vec<String> {
        self.take().into_iter().map(|s| s.sql).collect()
    }
}

/// How the database runs `statement`: SQLite's EXPLAIN QUERY PLAN lines, or PostgreSQL's
/// EXPLAIN with sequential scans and sorts priced out, so a tiny test table still shows
/// the plan an index allows (a Seq Scan or Sort left in it means no index serves the query).
pub async fn plan(store: &Store, statement: &sea_orm::Statement) -> Vec<String> {
    use sea_orm::{DatabaseBackend, Statement, TransactionTrait};
    let backend = store.backend();
    let txn = store.db.begin().await.expect("begin");
    let (prefix, column) = match backend {
        DatabaseBackend::Sqlite => ("EXPLAIN QUERY PLAN", "detail"),
        _ => {
            txn.execute_unprepared("SET LOCAL enable_seqscan = off").await.expect("set");
            txn.execute_unprepared("SET LOCAL enable_sort = off").await.expect("set");
            ("EXPLAIN", "QUERY PLAN")
        }
    };
    let sql = format!("{prefix} {}", statement.sql);
    let explain = match &statement.values {
        Some(values) => Statement::from_sql_and_values(backend, sql, values.clone()),
        None => Statement::from_string(backend, sql),
    };
    let rows = txn.query_all(explain).await.expect("explain");
    let lines = rows.iter().map(|r| r.try_get::<String>("", column).expect("plan line")).collect();
    txn.rollback().await.ok();
    lines
}

/// How many rows PostgreSQL reads to answer `statement` (EXPLAIN ANALYZE: the rows every
/// table or index scan returned plus those it read and filtered out); None on SQLite, which
/// does not count them.
pub async fn rows_read(store: &Store, statement: &sea_orm::Statement) -> Option<u64> {
    use sea_orm::{DatabaseBackend, Statement, TransactionTrait};
    if store.backend() != DatabaseBackend::Postgres {
        return None;
    }
    fn scanned(node: &serde_json::Value) -> u64 {
        let number = |key: &str| node.get(key).and_then(serde_json::Value::as_u64).unwrap_or(0);
        let is_scan = node.get("Node Type").and_then(|t| t.as_str()).is_some_and(|t| t.ends_with("Scan"));
        let own = if is_scan {
            (number("Actual Rows") + number("Rows Removed by Filter") + number("Rows Removed by Index Recheck"))
                * number("Actual Loops").max(1)
        } else {
            0
        };
        let children = node.get("Plans").and_then(|p| p.as_array()).map_or(0, |p| p.iter().map(scanned).sum());
        own + children
    }
    let sql = format!("EXPLAIN (ANALYZE, FORMAT JSON) {}", statement.sql);
    let explain = match &statement.values {
        Some(values) => Statement::from_sql_and_values(DatabaseBackend::Postgres, sql, values.clone()),
        None => Statement::from_string(DatabaseBackend::Postgres, sql),
    };
    let txn = store.db.begin().await.expect("begin");
    let row = txn.query_one(explain).await.expect("explain analyze").expect("a plan");
    txn.rollback().await.ok();
    let plan: serde_json::Value = row.try_get("", "QUERY PLAN").expect("plan json");
    Some(plan.as_array()?.iter().filter_map(|p| p.get("Plan")).map(scanned).sum())
}

/// Columns that pick an owner's rows or a list's subset: a query comparing one of them to
/// a value must find its rows through an index on it, never by filtering a wider range.
const KEY_COLUMNS: &[&str] = &["sender_id", "customer_id", "status", "invoice_id", "subscription_id", "delivery_id"];

/// What is wrong with how a query runs: a whole table read, a sort, or a key column
/// (`KEY_COLUMNS`) the query compares with a value but the plan only filters on.
pub fn unindexed(sql: &str, plan: &[String]) -> Vec<String> {
    // A row found by its primary key may be checked against its owner afterwards.
    let by_primary_key = plan.iter().any(|l| l.contains("Index Cond: (id = "));
    // One customer's range may be narrowed by status (the list's customer-and-status filter):
    // the customer bounds what is read.
    let within_customer = plan.iter().any(|l| l.contains("Index Cond:") && l.contains("(customer_id = "));
    let mut found = Vec::new();
    for line in plan {
        let l = line.trim_start_matches([' ', '-', '>']);
        if (l.starts_with("SCAN ") && !l.starts_with("SCAN CONSTANT"))
            || l.contains("USE TEMP B-TREE")
            || l.starts_with("Seq Scan")
            || l.starts_with("Sort")
            || l.starts_with("Incremental Sort")
        {
            found.push(line.clone());
        }
        // PostgreSQL: "Filter: ((sender_id = 1) AND …)" means the index did not pick them.
        if let Some(filter) = l.strip_prefix("Filter: ").filter(|_| !by_primary_key) {
            for column in KEY_COLUMNS.iter().filter(|c| !(within_customer && **c == "status")) {
                let compared = [format!("({column} = '"), format!("({column})::text = '")];
                if compared.iter().any(|c| filter.contains(c.as_str())) {
                    found.push(format!("{line} (filters on {column})"));
                }
            }
        }
        // SQLite: "SEARCH invoices USING INDEX i (sender_id=? AND id<?)" lists what the
        // index picks; every key column the query compares for that table must be there.
        if let Some(rest) = l.strip_prefix("SEARCH ").filter(|r| !r.contains("PRIMARY KEY (rowid=?)")) {
            let table = rest.split_whitespace().next().unwrap_or_default();
            let picked = rest.split_once('(').map(|(_, c)| c).unwrap_or_default();
            for column in KEY_COLUMNS {
                let compared = sql.contains(&format!("\"{table}\".\"{column}\" = ?"));
                if compared && !picked.contains(&format!("{column}=")) {
                    found.push(format!("{line} (filters on {column})"));
                }
            }
        }
    }
    found
}

/// Stands in for the server's Typst renderer in this crate's tests: a document's "PDF" is a
/// text naming it and its JSON, so the same document always makes the same bytes and a
/// changed one other bytes.
#[derive(Debug, Default, Clone, Copy)]
pub struct TextRenderer;

impl crate::archive::Renderer for TextRenderer {
    fn pdf<'a>(
        &'a self,
        document: crate::archive::Document<'a>,
        _sender: &'a crate::senders::Sender,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Vec<u8>, String>> + Send + 'a>> {
        let (printable, credit) = document.printable();
        let json = serde_json::to_string(&printable).map_err(|e| e.to_string());
        let corrects = credit.map(|c| c.invoice_number).unwrap_or_default();
        Box::pin(async move { Ok(format!("%PDF-test {} {corrects}\n{}", printable.id, json?).into_bytes()) })
    }
}
