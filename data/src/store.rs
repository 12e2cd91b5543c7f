use crate::Error;
use crate::api_keys::KeyCache;
use crate::clock::Clock;
use crate::secrets::{Purpose, Sealer};
use crate::shared::PendingViews;
use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, Statement};
use std::sync::Arc;
use std::time::Duration;

/// Connections that only read a SQLite file in WAL mode, next to its one writer.
const SQLITE_READERS: u32 = 4;

/// The handle every service takes: the database plus what services need to build
/// responses (public links, the share-token sealer).
#[derive(Clone, Debug)]
pub struct Store {
    /// Where writes (and every transaction) go: SQLite's one writer connection, or the
    /// PostgreSQL pool.
    pub db: DatabaseConnection,
    /// SQLite's reader pool (WAL: reads never wait behind the writer); PostgreSQL reads
    /// from its one pool.
    readers: Option<DatabaseConnection>,
    public_url: Arc<str>,
    sealers: Arc<Sealers>,
    keys: Arc<KeyCache>,
    views: Arc<PendingViews>,
    clock: Clock,
    /// The IPv6 prefix per-client limits count by (`limits::client_subject`).
    client_v6_prefix: u8,
    /// Makes the PDFs the archive keeps of what is sent (the server's Typst renderer).
    renderer: Option<Arc<dyn crate::archive::Renderer>>,
    /// A dry run's store: the mail its use case queues is also kept here (the transaction
    /// that queued it is rolled back), so a preview can show what would go out.
    rehearsal: Option<Rehearsal>,
}

/// The mail a dry run would have sent.
#[derive(Clone, Debug, Default)]
pub struct Rehearsal(Arc<std::sync::Mutex<Vec<crate::mail::Envelope>>>);

impl Rehearsal {
    pub(crate) fn keep(&self, envelope: &crate::mail::Envelope) {
        if let Ok(mut kept) = self.0.lock() {
            kept.push(envelope.clone());
        }
    }

    /// What was queued, in order.
    pub fn mail(&self) -> Vec<crate::mail::Envelope> {
        self.0.lock().map(|kept| kept.clone()).unwrap_or_default()
    }
}

impl Store {
    /// Connects, creating a SQLite file's folder when needed, and runs the migrations.
    pub async fn connect(database_url: &str, public_url: &str, server_secret: &[u8]) -> Result<Store, Error> {
        let mut opts = ConnectOptions::new(database_url.to_string());
        opts.sqlx_logging(false).acquire_timeout(Duration::from_secs(30));
        if !database_url.starts_with("sqlite:") {
            opts.max_connections(16);
            let db = Database::connect(opts).await?;
            Migrator::up(&db, None).await?;
            return Ok(Store::new(db, public_url, server_secret));
        }
        create_sqlite_folder(database_url);
        // A connection to a local file cannot go stale: no ping on every checkout.
        opts.test_before_acquire(false);
        // SQLite allows one writer at a time; one writer connection turns concurrent writes
        // into a queue instead of SQLITE_BUSY failures, while WAL lets readers go on beside it.
        let mut writer = opts.clone();
        writer.max_connections(1).min_connections(1).map_sqlx_sqlite_opts(tuned);
        let db = Database::connect(writer).await?;
        Migrator::up(&db, None).await?;
        let readers = if is_in_memory(database_url) {
            None
        } else {
            let mut readers = opts;
            readers
                .max_connections(SQLITE_READERS)
                .min_connections(1)
                .map_sqlx_sqlite_opts(|o| tuned(o).read_only(true));
            Some(Database::connect(readers).await?)
        };
        Ok(Store { readers, ..Store::new(db, public_url, server_secret) })
    }

    pub fn new(db: DatabaseConnection, public_url: &str, server_secret: &[u8]) -> Store {
        Store {
            readers: None,
            db,
            public_url: public_url.trim_end_matches('/').into(),
            sealers: Arc::new(Sealers {
                records: Sealer::new(server_secret, Purpose::Records),
                outgoing: Sealer::new(server_secret, Purpose::Outgoing),
                flash: Sealer::new(server_secret, Purpose::Flash),
            }),
            keys: Arc::default(),
            views: Arc::default(),
            clock: Clock::system(),
            client_v6_prefix: crate::limits::DEFAULT_CLIENT_V6_PREFIX,
            renderer: None,
            rehearsal: None,
        }
    }

    /// The same store on another clock (tests drive queues and schedules with it).
    pub fn with_clock(mut self, clock: Clock) -> Store {
        self.clock = clock;
        self
    }

    /// The same store making documents with `renderer` (sending needs one: what goes out is
    /// archived as it is sent).
    pub fn with_renderer(mut self, renderer: Arc<dyn crate::archive::Renderer>) -> Store {
        self.renderer = Some(renderer);
        self
    }

    /// The same store for a dry run (a `preview_…` use case): what it would mail is kept in
    /// the returned rehearsal.
    pub fn rehearsing(&self) -> (Store, Rehearsal) {
        let rehearsal = Rehearsal::default();
        (Store { rehearsal: Some(rehearsal.clone()), ..self.clone() }, rehearsal)
    }

    pub(crate) fn rehearsal(&self) -> Option<&Rehearsal> {
        self.rehearsal.as_ref()
    }

    pub(crate) fn renderer(&self) -> Option<&Arc<dyn crate::archive::Renderer>> {
        self.renderer.as_ref()
    }

    /// The same store counting IPv6 clients by networks of `prefix` bits (CLIENT_IPV6_PREFIX).
    pub fn with_client_v6_prefix(mut self, prefix: u8) -> Store {
        self.client_v6_prefix = prefix.min(128);
        self
    }

    pub fn client_v6_prefix(&self) -> u8 {
        self.client_v6_prefix
    }

    /// Calls `observe` with every statement either connection runs (tests count and explain
    /// the queries a use case makes).
    pub fn observed(mut self, observe: impl Fn(&Statement) + Send + Sync + 'static) -> Store {
        let observe = Arc::new(observe);
        let again = observe.clone();
        self.db.set_metric_callback(move |info| observe(info.statement));
        if let Some(readers) = &mut self.readers {
            readers.set_metric_callback(move |info| again(info.statement));
        }
        self
    }

    /// The connection for reads outside a transaction.
    pub fn reader(&self) -> &DatabaseConnection {
        self.readers.as_ref().unwrap_or(&self.db)
    }

    pub(crate) fn pending_views(&self) -> &PendingViews {
        &self.views
    }

    pub(crate) fn key_cache(&self) -> &KeyCache {
        &self.keys
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Now, by this store's clock.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    pub fn backend(&self) -> DatabaseBackend {
        self.db.get_database_backend()
    }

    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    pub fn share_url(&self, token: &str) -> String {
        format!("{}/i/{token}", self.public_url)
    }

    /// Seals secrets kept on their own rows (share tokens, webhook secrets).
    pub(crate) fn sealer(&self) -> &Sealer {
        &self.sealers.records
    }

    pub(crate) fn sealer_for(&self, purpose: Purpose) -> &Sealer {
        match purpose {
            Purpose::Records => &self.sealers.records,
            Purpose::Outgoing => &self.sealers.outgoing,
            Purpose::Flash => &self.sealers.flash,
        }
    }
}

#[derive(Debug)]
struct Sealers {
    records: Sealer,
    outgoing: Sealer,
    flash: Sealer,
}

/// SQLite as a server database: WAL (readers beside the writer), one fsync per commit
/// (`NORMAL` is durable in WAL mode except for the last commits on power loss), a busy
/// timeout instead of instant SQLITE_BUSY, foreign keys enforced.
fn tuned(opts: SqliteConnectOptions) -> SqliteConnectOptions {
    opts.journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(10))
        .foreign_keys(true)
}

fn is_in_memory(url: &str) -> bool {
    url.contains(":memory:") || url.contains("mode=memory")
}

fn create_sqlite_folder(url: &str) {
    let path = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let path = path.split('?').next().unwrap_or("");
    if path.is_empty() || path == ":memory:" {
        return;
    }
    if let Some(parent) = std::path::Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
        // A failure here surfaces as a clear connect error right after.
        let _ = std::fs::create_dir_all(parent);
    }
}
