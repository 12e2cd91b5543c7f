//! The outbox: mail (and later other deliveries) written in the same transaction as the
//! change that causes it, then claimed, delivered and retried by a worker. A crash between
//! commit and delivery loses nothing: the row is still due. A job's payload (which may carry
//! a sign-in or share link) is stored sealed and wiped once the mail is sent or given up.

use crate::entities::outbox;
use crate::mail::Envelope;
use crate::secrets::Purpose;
use crate::{Error, Store};
use chrono::{DateTime, Duration};
use sea_orm::sea_query::{Expr, LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set, TransactionTrait,
};

pub const KIND_MAIL: &str = "mail";

pub type Job = outbox::Model;

/// Queues `job` in the caller's transaction `db`, sealed.
pub async fn enqueue_mail(
    store: &Store,
    db: &impl ConnectionTrait,
    sender_id: Option<i64>,
    job: &Envelope,
) -> Result<Job, Error> {
    let now = store.now();
    let plain = serde_json::to_string(job).map_err(|e| crate::error::corrupt("mail job", e))?;
    let row = outbox::ActiveModel {
        sender_id: Set(sender_id),
        kind: Set(KIND_MAIL.into()),
        payload: Set(store.sealer_for(Purpose::Outgoing).seal(&plain)),
        attempts: Set(0),
        next_attempt_at: Set(now),
        created_at: Set(now),
        ..Default::default()
    };
    Ok(row.insert(db).await?)
}

pub fn mail_of(store: &Store, job: &Job) -> Result<Envelope, Error> {
    let plain = store.sealer_for(Purpose::Outgoing).open(&job.payload).ok_or_else(|| {
        crate::error::corrupt("mail job", "the payload cannot be opened (sent already, or SECRET_KEY changed)")
    })?;
    serde_json::from_str(&plain).map_err(|e| crate::error::corrupt("mail job", e))
}

/// Claims up to `limit` due jobs for `lease`: they are pushed out of everyone else's reach
/// until then, so several workers (or instances) never deliver the same row at once; a worker
/// that dies leaves its rows due again when the lease ends.
pub async fn claim_due(store: &Store, kind: &str, limit: u64, lease: Duration) -> Result<Vec<Job>, Error> {
    let now = store.now();
    let txn = store.db.begin().await?;
    let mut query = outbox::Entity::find()
        .filter(outbox::Column::Kind.eq(kind))
        .filter(outbox::Column::SentAt.is_null())
        .filter(outbox::Column::FailedAt.is_null())
        .filter(outbox::Column::NextAttemptAt.lte(now))
        .order_by_asc(outbox::Column::NextAttemptAt)
        .limit(limit);
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        query = query.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let jobs = query.all(&txn).await?;
    if !jobs.is_empty() {
        outbox::Entity::update_many()
            .col_expr(outbox::Column::NextAttemptAt, Expr::value(now + lease))
            .filter(outbox::Column::Id.is_in(jobs.iter().map(|j| j.id)))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(jobs)
}

/// The mail went out: the job is done and its payload wiped.
pub async fn mark_sent(store: &Store, id: i64) -> Result<(), Error> {
    outbox::Entity::update_many()
        .col_expr(outbox::Column::SentAt, Expr::value(Some(store.now())))
        .col_expr(outbox::Column::Payload, Expr::value(""))
        .col_expr(outbox::Column::Attempts, Expr::col(outbox::Column::Attempts).add(1))
        .col_expr(outbox::Column::LastError, Expr::value(Option::<String>::None))
        .filter(outbox::Column::Id.eq(id))
        .exec(&store.db)
        .await?;
    Ok(())
}

/// Records a failed attempt: retried at `retry_at`, or given up for good when None (the
/// payload is then wiped; the error stays).
pub async fn mark_failed(
    store: &Store,
    id: i64,
    error: &str,
    retry_at: Option<DateTime<chrono::Utc>>,
) -> Result<(), Error> {
    let now = store.now();
    let mut update = outbox::Entity::update_many()
        .col_expr(outbox::Column::Attempts, Expr::col(outbox::Column::Attempts).add(1))
        .col_expr(outbox::Column::LastError, Expr::value(Some(error.chars().take(2_000).collect::<String>())));
    update = match retry_at {
        Some(at) => update.col_expr(outbox::Column::NextAttemptAt, Expr::value(at)),
        None => update
            .col_expr(outbox::Column::FailedAt, Expr::value(Some(now)))
            .col_expr(outbox::Column::Payload, Expr::value("")),
    };
    update.filter(outbox::Column::Id.eq(id)).exec(&store.db).await?;
    Ok(())
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> Result<Job, Error> {
    outbox::Entity::find_by_id(id).one(db).await?.ok_or(Error::not_found("outbox job"))
}

/// Jobs not yet delivered or given up, oldest first.
pub async fn pending(db: &impl ConnectionTrait) -> Result<Vec<Job>, Error> {
    Ok(outbox::Entity::find()
        .filter(outbox::Column::SentAt.is_null())
        .filter(outbox::Column::FailedAt.is_null())
        .order_by_asc(outbox::Column::Id)
        .all(db)
        .await?)
}
