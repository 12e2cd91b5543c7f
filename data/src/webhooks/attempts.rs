//! A worker's side of a delivery: what the job it claimed is to post (or why it posts
//! nothing), and each attempt's outcome, recorded only while the worker still holds the job.

use super::deliveries::{Post, body_of};
use super::schedule::Schedule;
use crate::entities::{webhook_attempt, webhook_delivery, webhook_subscription};
use crate::jobs::{self, Job, Lease, Outcome};
use crate::mail::{Envelope, Mail};
use crate::{Error, Store};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};

/// A delivery a worker holds: where to post, what, and the secrets to sign it with.
#[derive(Debug, Clone)]
pub struct DueDelivery {
    /// The worker's hold on the delivery's job; only its holder records the outcome.
    pub lease: Lease,
    pub id: i64,
    pub subscription_id: i64,
    /// The number this attempt will have (1 for the first).
    pub attempt: i32,
    pub max_attempts: i32,
    pub message_id: String,
    pub url: String,
    pub body: String,
    /// The current secret, then the previous one while it is still honoured after a rotation.
    pub secrets: Vec<String>,
}

/// What one POST came to.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    /// The HTTP status, None when no answer came.
    pub status: Option<u16>,
    pub latency_ms: i64,
    /// Why it failed; None on a 2xx.
    pub error: Option<String>,
    pub response_body: Option<String>,
    /// From a 429 or 503's Retry-After.
    pub retry_after: Option<Duration>,
}

impl Attempt {
    pub fn succeeded(&self) -> bool {
        self.error.is_none() && self.status.is_some_and(|s| (200..300).contains(&s))
    }

    fn gone(&self) -> bool {
        self.status == Some(410)
    }

    fn failure(&self) -> String {
        self.error.clone().unwrap_or_else(|| format!("HTTP {}", self.status.unwrap_or_default()))
    }
}

const DELETED: &str = "the webhook was deleted";
const PAUSED: &str = "the webhook is paused; the delivery waits for it to resume";

/// The webhook `id`, read so that it cannot be resumed (or paused) until `txn` ends: a
/// delivery parked because its webhook is paused is never left without a job by a resume.
async fn subscription(txn: &DatabaseTransaction, id: i64) -> Result<Option<webhook_subscription::Model>, Error> {
    let query = crate::locking::for_share(webhook_subscription::Entity::find_by_id(id), txn);
    Ok(query.one(txn).await?)
}

/// What `job` (claimed by this worker) is to post. None when there is nothing to post, and
/// the job was finished here: its payload cannot be read (failed, reported), its delivery went
/// with its webhook, or its webhook is paused (the delivery is parked until it resumes).
pub async fn due(store: &Store, job: &Job) -> Result<Option<DueDelivery>, Error> {
    let lease = Lease::of(job);
    let post: Post = match jobs::open(store, job) {
        Ok(post) => post,
        Err(e) => {
            jobs::finish(store, &store.db, lease, &Outcome::Failed(e.to_string())).await?;
            return Ok(None);
        }
    };
    let txn = store.db.begin().await?;
    let Some(row) = webhook_delivery::Entity::find_by_id(post.delivery_id).one(&txn).await? else {
        return drop_job(store, txn, lease, DELETED).await;
    };
    let Some(sub) = subscription(&txn, row.subscription_id).await? else {
        return drop_job(store, txn, lease, DELETED).await;
    };
    if !sub.active {
        webhook_delivery::Entity::update_many()
            .col_expr(webhook_delivery::Column::JobId, Expr::value(Option::<i64>::None))
            .filter(webhook_delivery::Column::Id.eq(row.id))
            .filter(webhook_delivery::Column::JobId.eq(lease.job_id))
            .exec(&txn)
            .await?;
        return drop_job(store, txn, lease, PAUSED).await;
    }
    txn.commit().await?;
    Ok(Some(DueDelivery {
        lease,
        id: row.id,
        subscription_id: sub.id,
        attempt: row.attempt + 1,
        max_attempts: row.max_attempts,
        // An unreadable body is still attempted: the attempt records the failure.
        body: body_of(store, &row).unwrap_or_default(),
        message_id: row.event_id,
        url: sub.url.clone(),
        secrets: signing_secrets(store, &sub, store.now()),
    }))
}

/// Finishes the job as dropped, with whatever `txn` holds; nothing when the lease was lost.
async fn drop_job(
    store: &Store,
    txn: DatabaseTransaction,
    lease: Lease,
    why: &str,
) -> Result<Option<DueDelivery>, Error> {
    if jobs::finish(store, &txn, lease, &Outcome::Dropped(why.into())).await? {
        txn.commit().await?;
    } else {
        txn.rollback().await?;
    }
    Ok(None)
}

fn signing_secrets(store: &Store, sub: &webhook_subscription::Model, now: DateTime<Utc>) -> Vec<String> {
    let mut secrets: Vec<String> = store.sealer().open(&sub.secret_sealed).into_iter().collect();
    if sub.previous_secret_until.is_some_and(|until| until > now) {
        secrets.extend(sub.previous_secret_sealed.as_deref().and_then(|s| store.sealer().open(s)));
    }
    secrets
}

/// Records an attempt: the job's outcome (only while `due.lease` still holds it: false, and
/// nothing written, when another worker took the job over), the log row, the delivery's state
/// and next try, the subscription's health, and (410 Gone, or failing for days) disables the
/// subscription and mails its owner.
pub async fn record(
    store: &Store,
    due: &DueDelivery,
    attempt: &Attempt,
    schedule: &Schedule,
    jitter: f64,
) -> Result<bool, Error> {
    let now = store.now();
    let txn = store.db.begin().await?;
    let Some(sub) = webhook_subscription::Entity::find_by_id(due.subscription_id).one(&txn).await? else {
        drop_job(store, txn, due.lease, DELETED).await?;
        return Ok(false);
    };
    let ok = attempt.succeeded();
    let retry = (!ok && !attempt.gone() && due.attempt < due.max_attempts)
        .then(|| schedule.delay_after(due.attempt, jitter))
        .flatten()
        .map(|d| now + Schedule::honour_retry_after(d, attempt.retry_after));
    let outcome = match (ok, retry) {
        (true, _) => Outcome::Done,
        (false, Some(at)) => Outcome::RetryAt(at, attempt.failure()),
        (false, None) => Outcome::Failed(attempt.failure()),
    };
    if !jobs::finish(store, &txn, due.lease, &outcome).await? {
        txn.rollback().await?;
        return Ok(false);
    }
    log_attempt(&txn, due, attempt, now).await?;
    let status = attempt.status.map(i32::from);
    let mut delivery = webhook_delivery::Entity::update_many()
        .col_expr(webhook_delivery::Column::Attempt, Expr::value(due.attempt))
        .col_expr(webhook_delivery::Column::LastAttemptAt, Expr::value(Some(now)))
        .col_expr(webhook_delivery::Column::LastStatus, Expr::value(status))
        .col_expr(webhook_delivery::Column::LastError, Expr::value(attempt.error.clone()))
        .col_expr(webhook_delivery::Column::LastLatencyMs, Expr::value(Some(attempt.latency_ms)))
        // A finished delivery's next attempt time is when it finished.
        .col_expr(webhook_delivery::Column::NextAttemptAt, Expr::value(retry.unwrap_or(now)));
    delivery = match outcome {
        Outcome::Done => delivery.col_expr(webhook_delivery::Column::Succeeded, Expr::value(true)),
        Outcome::Failed(_) => delivery.col_expr(webhook_delivery::Column::FailedPermanently, Expr::value(true)),
        _ => delivery,
    };
    delivery.filter(webhook_delivery::Column::Id.eq(due.id)).exec(&txn).await?;
    keep_health(store, &txn, sub, attempt, schedule, now).await?;
    txn.commit().await?;
    Ok(true)
}

async fn log_attempt(
    txn: &DatabaseTransaction,
    due: &DueDelivery,
    attempt: &Attempt,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    webhook_attempt::ActiveModel {
        delivery_id: Set(due.id),
        attempt: Set(due.attempt),
        attempted_at: Set(now - Duration::milliseconds(attempt.latency_ms)),
        status: Set(attempt.status.map(i32::from)),
        latency_ms: Set(attempt.latency_ms),
        error: Set(attempt.error.clone()),
        response_body: Set(attempt.response_body.clone()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// The subscription's last status and failing streak; disables it on 410 Gone or after
/// failing for days, and tells its owner.
async fn keep_health(
    store: &Store,
    txn: &DatabaseTransaction,
    sub: webhook_subscription::Model,
    attempt: &Attempt,
    schedule: &Schedule,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let ok = attempt.succeeded();
    let mut row: webhook_subscription::ActiveModel = sub.clone().into();
    row.last_status = Set(attempt.status.map(i32::from));
    if ok {
        row.last_delivered_at = Set(Some(now));
        row.failing_since = Set(None);
    } else if sub.failing_since.is_none() {
        row.failing_since = Set(Some(now));
    }
    let disable = if ok || !sub.active {
        None
    } else if attempt.gone() {
        Some("the endpoint answered 410 Gone".to_string())
    } else {
        sub.failing_since
            .filter(|since| now - *since >= schedule.disable_after())
            .map(|since| format!("every delivery has failed since {}", since.format("%Y-%m-%d %H:%M UTC")))
    };
    if let Some(reason) = &disable {
        row.active = Set(false);
        row.disabled_reason = Set(Some(reason.clone()));
        tell_owner(store, txn, &sub, reason).await?;
    }
    row.update(txn).await?;
    Ok(())
}

async fn tell_owner(
    store: &Store,
    db: &impl ConnectionTrait,
    sub: &webhook_subscription::Model,
    reason: &str,
) -> Result<(), Error> {
    let owner = crate::senders::get(db, sub.sender_id).await?;
    let Some(address) = owner.email.clone() else { return Ok(()) };
    let job = Envelope {
        to: vec![address],
        cc: vec![],
        reply_to: None,
        mail: Mail::WebhookDisabled {
            url: sub.url.clone(),
            reason: reason.to_string(),
            link: format!("{}/webhooks", store.public_url()),
        },
    };
    crate::mail::queue(store, db, Some(owner.id), &job).await?;
    Ok(())
}
