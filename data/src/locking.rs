//! Locking rows for the rest of a transaction where the database can. PostgreSQL takes row
//! locks (FOR UPDATE, FOR SHARE, SKIP LOCKED); SQLite has one writer connection, so a write
//! transaction already excludes every other and the query runs as it is.

use sea_orm::sea_query::{LockBehavior, LockType};
use sea_orm::{ConnectionTrait, DatabaseBackend, QuerySelect};

fn can_lock(db: &impl ConnectionTrait) -> bool {
    db.get_database_backend() == DatabaseBackend::Postgres
}

/// `query`'s rows locked against writers and other lockers until the transaction ends.
pub(crate) fn for_update<Q: QuerySelect>(query: Q, db: &impl ConnectionTrait) -> Q {
    if can_lock(db) { query.lock_exclusive() } else { query }
}

/// `query`'s rows kept from changing until the transaction ends (readers still read).
pub(crate) fn for_share<Q: QuerySelect>(query: Q, db: &impl ConnectionTrait) -> Q {
    if can_lock(db) { query.lock_shared() } else { query }
}

/// `query`'s rows that no one else holds, locked: workers claim disjoint batches.
pub(crate) fn skipping_locked<Q: QuerySelect>(query: Q, db: &impl ConnectionTrait) -> Q {
    if can_lock(db) { query.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked) } else { query }
}
