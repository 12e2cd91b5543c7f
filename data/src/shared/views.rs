//! Views of a share link that change nothing but the view log are written after the page
//! is answered, many in one statement: opening a link is a read. The first view (sent →
//! viewed, its event and webhooks) is not deferred; it is written in the request.
//!
//! Pending views live in memory until the writer takes them (the server's views worker, a
//! fraction of a second later; at shutdown it writes what is left). If too many are
//! pending the request writes its own view instead, so the log never falls far behind.

use crate::entities::{invoice, invoice_view};
use crate::{Error, Store};
use sea_orm::{ActiveValue::NotSet, ColumnTrait, EntityTrait, QueryFilter, QuerySelect, Set, TransactionTrait};
use std::collections::{BTreeSet, HashSet};
use std::sync::Mutex;

/// More pending than this: write in the request (the writer is falling behind).
const MAX_PENDING: usize = 10_000;
/// Rows per INSERT (SQLite allows 32,766 bound values; a view row binds 5).
const ROWS_PER_INSERT: usize = 1_000;

/// One opening of a link, to be written.
#[derive(Debug, Clone)]
pub(crate) struct View {
    pub invoice_id: i64,
    pub version: i32,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub at: chrono::DateTime<chrono::Utc>,
}

impl View {
    pub(crate) fn row(self) -> invoice_view::ActiveModel {
        invoice_view::ActiveModel {
            id: NotSet,
            invoice_id: Set(self.invoice_id),
            version: Set(self.version),
            ip: Set(self.ip),
            user_agent: Set(self.user_agent.map(|u| u.chars().take(300).collect())),
            created_at: Set(self.at),
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct PendingViews(Mutex<Vec<View>>);

impl PendingViews {
    /// Keeps `view` for the writer; gives it back when too many are pending.
    fn push(&self, view: View) -> Result<(), View> {
        let mut pending = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if pending.len() >= MAX_PENDING {
            return Err(view);
        }
        pending.push(view);
        Ok(())
    }

    fn take(&self) -> Vec<View> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }

    /// Puts back views a failed write did not keep, ahead of newer ones.
    fn restore(&self, mut views: Vec<View>) {
        let mut pending = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        views.append(&mut pending);
        *pending = views;
    }
}

/// Records `view` after the response, or now when the writer is behind.
pub(crate) async fn record_later(store: &Store, view: View) -> Result<(), Error> {
    match store.pending_views().push(view) {
        Ok(()) => Ok(()),
        Err(view) => write_all(store, &[view]).await.map(|_| ()),
    }
}

/// Writes the views pending now; returns how many were written. On a database error they
/// stay pending; views of invoices deleted meanwhile are dropped (nothing left to log them on).
pub async fn record_pending(store: &Store) -> Result<usize, Error> {
    let views = store.pending_views().take();
    if views.is_empty() {
        return Ok(0);
    }
    match write_all(store, &views).await {
        Ok(written) => Ok(written),
        Err(e) => {
            store.pending_views().restore(views);
            Err(e)
        }
    }
}

/// All or nothing, so a retry after an error writes no view twice. Only views of invoices
/// that still exist are written (held so until the commit): one deleted invoice cannot fail
/// the batch, and with it every later one.
async fn write_all(store: &Store, views: &[View]) -> Result<usize, Error> {
    let txn = store.db.begin().await?;
    let ids: BTreeSet<i64> = views.iter().map(|v| v.invoice_id).collect();
    let ids: Vec<i64> = ids.into_iter().collect();
    let mut live = HashSet::with_capacity(ids.len());
    for chunk in ids.chunks(ROWS_PER_INSERT) {
        let existing = invoice::Entity::find()
            .select_only()
            .column(invoice::Column::Id)
            .filter(invoice::Column::Id.is_in(chunk.to_vec()));
        live.extend(crate::locking::for_share(existing, &txn).into_tuple::<i64>().all(&txn).await?);
    }
    let kept: Vec<View> = views.iter().filter(|v| live.contains(&v.invoice_id)).cloned().collect();
    for chunk in kept.chunks(ROWS_PER_INSERT) {
        invoice_view::Entity::insert_many(chunk.iter().cloned().map(View::row)).exec(&txn).await?;
    }
    txn.commit().await?;
    Ok(kept.len())
}
