//! The end of an anonymous session: its timed job deletes the anonymous sender and with it
//! (foreign keys, on delete cascade) the session, its customers and whatever invoices were
//! not claimed, with their lines, events, versions, views, payments and Checkout sessions.
//! Rows of claimed invoices are moved to their owner first, so the deletion cannot reach them.

use crate::entities::{anonymous_session, sender};
use crate::jobs::{self, Job, Outcome};
use crate::{Error, Store};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};

/// The job's work: end this session once it has expired.
#[derive(Debug, Serialize, Deserialize)]
pub struct Expire {
    pub session_id: i64,
}

/// Runs an expiry job; the outcome is recorded with the deletion (or the postponement when a
/// newer invoice extended the session). False when the lease was lost.
pub async fn expire(store: &Store, job: &Job) -> Result<bool, Error> {
    jobs::run_once(store, job, async |txn, Expire { session_id }| end(store, txn, session_id).await).await
}

/// Deletes the session's anonymous sender once it has expired; the job's outcome.
async fn end(store: &Store, txn: &sea_orm::DatabaseTransaction, session_id: i64) -> Result<Outcome, Error> {
    let now = store.now();
    Ok(match anonymous_session::Entity::find_by_id(session_id).one(txn).await? {
        Some(session) if session.expires_at > now => {
            Outcome::RetryAt(session.expires_at, "the session was extended by a newer invoice".into())
        }
        Some(session) => {
            // Whatever belongs to an invoice claimed meanwhile stays with that invoice.
            super::claim::rows_follow_invoices(txn, session.sender_id).await?;
            sender::Entity::delete_many()
                .filter(sender::Column::Id.eq(session.sender_id))
                .filter(sender::Column::Anonymous.eq(true))
                .exec(txn)
                .await?;
            Outcome::Done
        }
        None => Outcome::Done,
    })
}
