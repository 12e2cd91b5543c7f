use crate::Error;
use crate::secrets::Sealer;
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
    sealer: Arc<Sealer>,
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
        Store { db, public_url: public_url.trim_end_matches('/').into(), sealer: Arc::new(Sealer::new(server_secret)) }
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

    pub(crate) fn sealer(&self) -> &Sealer {
        &self.sealer
    }
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
