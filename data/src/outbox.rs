//! The outbox: mail (and later other deliveries) written in the same transaction as the
//! change that causes it, then claimed, delivered and retried by a worker. A crash between
//! commit and delivery loses nothing: the row is still due.

use crate::Error;
use crate::entities::outbox;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};

pub const KIND_MAIL: &str = "mail";

/// A mail to render and send: which template, to whom, and the template's values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MailJob {
    pub template: String,
    pub to: Vec<String>,
    #[serde(default)]
    pub cc: Vec<String>,
    #[serde(default)]
    pub reply_to: Option<String>,
    pub vars: serde_json::Value,
}

pub type Job = outbox::Model;

pub async fn enqueue_mail(db: &impl ConnectionTrait, sender_id: Option<i64>, job: &MailJob) -> Result<Job, Error> {
    let now = Utc::now();
    let row = outbox::ActiveModel {
        sender_id: Set(sender_id),
        kind: Set(KIND_MAIL.into()),
        payload: Set(serde_json::to_string(job).map_err(|e| crate::error::corrupt("mail job", e))?),
        attempts: Set(0),
        next_attempt_at: Set(now),
        created_at: Set(now),
        ..Default::default()
    };
    Ok(row.insert(db).await?)
}

pub fn mail_of(job: &Job) -> Result<MailJob, Error> {
    serde_json::from_str(&job.payload).map_err(|e| crate::error::corrupt("mail job", e))
}

/// Claims up to `limit` due jobs for `lease`: they are pushed out of everyone else's reach
/// until then, so several workers (or instances) never deliver the same row at once; a worker
/// that dies leaves its rows due again when the lease ends.
pub async fn claim_due<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    kind: &str,
    limit: u64,
    lease: Duration,
) -> Result<Vec<Job>, Error> {
    let now = Utc::now();
    let txn = db.begin().await?;
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

pub async fn mark_sent(db: &impl ConnectionTrait, id: i64) -> Result<(), Error> {
    outbox::Entity::update_many()
        .col_expr(outbox::Column::SentAt, Expr::value(Some(Utc::now())))
        .col_expr(outbox::Column::Attempts, Expr::col(outbox::Column::Attempts).add(1))
        .col_expr(outbox::Column::LastError, Expr::value(Option::<String>::None))
        .filter(outbox::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Records a failed attempt: retried at `retry_at`, or given up for good when None.
pub async fn mark_failed(
    db: &impl ConnectionTrait,
    id: i64,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> Result<(), Error> {
    let now = Utc::now();
    let mut update = outbox::Entity::update_many()
        .col_expr(outbox::Column::Attempts, Expr::col(outbox::Column::Attempts).add(1))
        .col_expr(outbox::Column::LastError, Expr::value(Some(error.chars().take(2_000).collect::<String>())));
    update = match retry_at {
        Some(at) => update.col_expr(outbox::Column::NextAttemptAt, Expr::value(at)),
        None => update.col_expr(outbox::Column::FailedAt, Expr::value(Some(now))),
    };
    update.filter(outbox::Column::Id.eq(id)).exec(db).await?;
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
