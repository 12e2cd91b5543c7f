use crate::Error;
use crate::clock::Clock;
use crate::secrets::{Purpose, Sealer};
use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection};
use std::sync::Arc;
use std::time::Duration;

/// The handle every service takes: the database plus what services need to build
/// responses (public links, the share-token sealer).
#[derive(Clone, Debug)]
pub struct Store {
    pub db: DatabaseConnection,
    public_url: Arc<str>,
    sealers: Arc<Sealers>,
    clock: Clock,
}

impl Store {
    /// Connects, creating a SQLite file's folder when needed, and runs the migrations.
    pub async fn connect(database_url: &str, public_url: &str, server_secret: &[u8]) -> Result<Store, Error> {
        let mut opts = ConnectOptions::new(database_url.to_string());
        opts.sqlx_logging(false).acquire_timeout(Duration::from_secs(30));
        if database_url.starts_with("sqlite:") {
            create_sqlite_folder(database_url);
            // SQLite allows one writer at a time; one connection turns concurrent writers into
            // a queue instead of SQLITE_BUSY failures.
            opts.max_connections(1).min_connections(1);
        } else {
            opts.max_connections(16);
        }
        let db = Database::connect(opts).await?;
        Migrator::up(&db, None).await?;
        Ok(Store::new(db, public_url, server_secret))
    }

    pub fn new(db: DatabaseConnection, public_url: &str, server_secret: &[u8]) -> Store {
        Store {
            db,
            public_url: public_url.trim_end_matches('/').into(),
            sealers: Arc::new(Sealers {
                records: Sealer::new(server_secret, Purpose::Records),
                outgoing: Sealer::new(server_secret, Purpose::Outgoing),
                flash: Sealer::new(server_secret, Purpose::Flash),
            }),
            clock: Clock::system(),
        }
    }

    /// The same store on another clock (tests drive queues and schedules with it).
    pub fn with_clock(mut self, clock: Clock) -> Store {
        self.clock = clock;
        self
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
