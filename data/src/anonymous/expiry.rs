//! The end of an anonymous session: its timed job deletes the anonymous sender and with it
//! (foreign keys, on delete cascade) the session, its customers and whatever invoices were
//! not claimed, with their lines, events, versions, views, payments and Checkout sessions.
//! Rows of claimed invoices are moved to their owner first, so the deletion cannot reach them.

use crate::entities::{anonymous_session, sender};
use crate::jobs::{self, Job, Lease, Outcome};
use crate::{Error, Store};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde::{Deserialize, Serialize};

/// The job's work: end this session once it has expired.
#[derive(Debug, Serialize, Deserialize)]
pub struct Expire {
    pub session_id: i64,
}

/// Runs an expiry job; the outcome is recorded with the deletion (or the postponement when a
/// newer invoice extended the session). False when the lease was lost.
pub async fn expire(store: &Store, job: &Job) -> Result<bool, Error> {
    let lease = Lease::of(job);
    let Expire { session_id } = match jobs::open(store, job) {
        Ok(work) => work,
        Err(e) => return jobs::finish(store, &store.db, lease, &Outcome::Failed(e.to_string())).await,
    };
    let now = store.now();
    let txn = store.db.begin().await?;
    let outcome = match anonymous_session::Entity::find_by_id(session_id).one(&txn).await? {
        Some(session) if session.expires_at > now => {
            Outcome::RetryAt(session.expires_at, "the session was extended by a newer invoice".into())
        }
        Some(session) => {
            // Whatever belongs to an invoice claimed meanwhile stays with that invoice.
            super::claim::rows_follow_invoices(&txn, session.sender_id).await?;
            sender::Entity::delete_many()
                .filter(sender::Column::Id.eq(session.sender_id))
                .filter(sender::Column::Anonymous.eq(true))
                .exec(&txn)
                .await?;
            Outcome::Done
        }
        None => Outcome::Done,
    };
    let recorded = jobs::finish(store, &txn, lease, &outcome).await?;
    if recorded {
        txn.commit().await?;
    }
    Ok(recorded)
}
