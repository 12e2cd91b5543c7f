//! One durable queue for all background work. A job is written in the transaction of the
//! change that calls for it (so a crash between commit and delivery loses nothing), claimed
//! by one worker at a time under a short lease the worker renews while it runs, and finished
//! (done, due again later, or failed for good) only by the holder of the current lease:
//! each claim bumps the job's `attempts`, and an outcome names the attempt it ran, so a
//! worker whose lease ran out, and whose job another worker took, cannot overwrite the newer
//! result. A job's payload is stored sealed and wiped once it is finished; finished jobs
//! are pruned after a while.

use crate::entities::job;
use crate::secrets::Purpose;
use crate::{Error, Store};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub const KIND_MAIL: &str = "mail";
pub const KIND_WEBHOOK: &str = "webhook";
/// Deletes what an anonymous session left unclaimed when it ends.
pub const KIND_ANONYMOUS_EXPIRY: &str = "anonymous_expiry";
/// Makes a recurring invoice's next occurrence (one timer per template).
pub const KIND_RECURRING: &str = "recurring";
/// Sends an invoice's next payment reminder (one timer per invoice).
pub const KIND_REMINDER: &str = "reminder";

pub type Job = job::Model;

/// A worker's hold on a job: the job and the attempt it claimed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lease {
    pub job_id: i64,
    pub attempt: i32,
}

impl Lease {
    /// The lease of a job as `claim` returned it.
    pub fn of(job: &Job) -> Lease {
        Lease { job_id: job.id, attempt: job.attempts }
    }
}

/// How an attempt ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Done,
    /// Failed; due again then.
    RetryAt(DateTime<Utc>, String),
    /// Failed for good: the error stays, the payload is wiped.
    Failed(String),
    /// Not run, and no longer wanted as it stands (its webhook was paused or deleted): done
    /// with, the reason kept.
    Dropped(String),
    /// Ran; a timer that is due again then (a schedule's next date).
    Next(DateTime<Utc>),
}

/// Queues `work` in the caller's transaction `db`, sealed, due at `run_at`.
pub async fn enqueue<T: Serialize>(
    store: &Store,
    db: &impl ConnectionTrait,
    kind: &str,
    sender_id: Option<i64>,
    work: &T,
    run_at: DateTime<Utc>,
) -> Result<Job, Error> {
    insert(store, db, None, kind, sender_id, work, run_at).await
}

/// Makes the job keyed `key` due at `run_at`: the unfinished one with that key is moved
/// there (unless a worker holds it: its outcome sets the next time, and it reads the state
/// the caller's transaction leaves), or a new one is queued. A schedule's one timer: the
/// unique index on unfinished keys keeps it one, whoever calls.
pub async fn ensure<T: Serialize>(
    store: &Store,
    db: &impl ConnectionTrait,
    key: &str,
    kind: &str,
    sender_id: Option<i64>,
    work: &T,
    run_at: DateTime<Utc>,
) -> Result<(), Error> {
    let pending = job::Entity::find()
        .filter(job::Column::Key.eq(key))
        .filter(job::Column::DoneAt.is_null())
        .filter(job::Column::FailedAt.is_null())
        .one(db)
        .await?;
    match pending {
        Some(job) => {
            reschedule(store, db, job.id, run_at).await?;
        }
        None => {
            insert(store, db, Some(key), kind, sender_id, work, run_at).await?;
        }
    }
    Ok(())
}

/// Whether an unfinished job has `key`.
pub async fn pending_key(db: &impl ConnectionTrait, key: &str) -> Result<bool, Error> {
    let found = job::Entity::find()
        .filter(job::Column::Key.eq(key))
        .filter(job::Column::DoneAt.is_null())
        .filter(job::Column::FailedAt.is_null())
        .one(db)
        .await?;
    Ok(found.is_some())
}

/// Makes every unfinished job of `kind` of a sender due now (not those a worker holds): a
/// changed policy or time zone, which each job reads when it runs.
pub async fn wake_all(store: &Store, db: &impl ConnectionTrait, kind: &str, sender_id: i64) -> Result<u64, Error> {
    let now = store.now();
    let not_held =
        sea_orm::Condition::any().add(job::Column::LeasedUntil.is_null()).add(job::Column::LeasedUntil.lte(now));
    let woken = job::Entity::update_many()
        .col_expr(job::Column::RunAt, Expr::value(now))
        .filter(job::Column::Kind.eq(kind))
        .filter(job::Column::SenderId.eq(sender_id))
        .filter(job::Column::DoneAt.is_null())
        .filter(job::Column::FailedAt.is_null())
        .filter(not_held)
        .exec(db)
        .await?;
    Ok(woken.rows_affected)
}

async fn insert<T: Serialize>(
    store: &Store,
    db: &impl ConnectionTrait,
    key: Option<&str>,
    kind: &str,
    sender_id: Option<i64>,
    work: &T,
    run_at: DateTime<Utc>,
) -> Result<Job, Error> {
    let plain = serde_json::to_string(work).map_err(|e| crate::error::corrupt("job", e))?;
    let row = job::ActiveModel {
        key: Set(key.map(str::to_string)),
        sender_id: Set(sender_id),
        kind: Set(kind.into()),
        payload: Set(store.sealer_for(Purpose::Outgoing).seal(&plain)),
        attempts: Set(0),
        run_at: Set(run_at),
        created_at: Set(store.now()),
        ..Default::default()
    };
    Ok(row.insert(db).await?)
}

/// The job's work; an error when it cannot be opened or no longer parses (reported and
/// failed for good by the worker, never retried).
pub fn open<T: DeserializeOwned>(store: &Store, job: &Job) -> Result<T, Error> {
    let plain = store.sealer_for(Purpose::Outgoing).open(&job.payload).ok_or_else(|| {
        crate::error::corrupt("job", "the payload cannot be opened (finished already, or SECRET_KEY changed)")
    })?;
    serde_json::from_str(&plain).map_err(|e| crate::error::corrupt("job", e))
}

/// Runs one attempt of a job whose whole effect is written in one transaction: opens its
/// work, runs `step` in the transaction and records the outcome there, committing only while
/// the lease holds (a worker whose lease ran out writes nothing). A payload that no longer
/// opens fails the job for good. False when the lease was lost.
pub async fn run_once<T, F>(store: &Store, job: &Job, step: F) -> Result<bool, Error>
where
    T: DeserializeOwned,
    F: AsyncFnOnce(&sea_orm::DatabaseTransaction, T) -> Result<Outcome, Error>,
{
    let lease = Lease::of(job);
    let work = match open::<T>(store, job) {
        Ok(work) => work,
        Err(e) => return finish(store, &store.db, lease, &Outcome::Failed(e.to_string())).await,
    };
    let txn = store.db.begin().await?;
    let outcome = step(&txn, work).await?;
    let recorded = finish(store, &txn, lease, &outcome).await?;
    if recorded {
        txn.commit().await?;
    }
    Ok(recorded)
}

/// Claims up to `limit` due jobs of `kind` for `lease`: each gets its next attempt number
/// and is out of every other worker's reach (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite:
/// the one writer) until the lease ends, when it is due again unless renewed or finished.
pub async fn claim(store: &Store, kind: &str, limit: u64, lease: Duration) -> Result<Vec<Job>, Error> {
    let now = store.now();
    let txn = store.db.begin().await?;
    let mut query = job::Entity::find()
        .filter(job::Column::Kind.eq(kind))
        .filter(job::Column::DoneAt.is_null())
        .filter(job::Column::FailedAt.is_null())
        .filter(job::Column::RunAt.lte(now))
        .order_by_asc(job::Column::RunAt)
        .limit(limit);
    query = crate::locking::skipping_locked(query, &txn);
    let mut jobs = query.all(&txn).await?;
    if !jobs.is_empty() {
        job::Entity::update_many()
            .col_expr(job::Column::Attempts, Expr::col(job::Column::Attempts).add(1))
            .col_expr(job::Column::RunAt, Expr::value(now + lease))
            .col_expr(job::Column::LeasedUntil, Expr::value(Some(now + lease)))
            .filter(job::Column::Id.is_in(jobs.iter().map(|j| j.id)))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    for job in &mut jobs {
        job.attempts += 1;
        job.run_at = now + lease;
        job.leased_until = Some(now + lease);
    }
    Ok(jobs)
}

/// The jobs among `leases` still held by them, kept for another `lease`; returns how many.
pub async fn renew(store: &Store, leases: &[Lease], lease: Duration) -> Result<u64, Error> {
    let until = store.now() + lease;
    let mut renewed = 0;
    for held in leases {
        renewed += held_by(job::Entity::update_many(), *held)
            .col_expr(job::Column::RunAt, Expr::value(until))
            .col_expr(job::Column::LeasedUntil, Expr::value(Some(until)))
            .exec(&store.db)
            .await?
            .rows_affected;
    }
    Ok(renewed)
}

/// Records, in `db` (the transaction that records the rest of the outcome, where there is
/// more), how the attempt under `lease` ended; false (and nothing written) when the lease was
/// lost: the job was claimed again after it ran out, or finished by someone else.
pub async fn finish(store: &Store, db: &impl ConnectionTrait, lease: Lease, outcome: &Outcome) -> Result<bool, Error> {
    let now = store.now();
    let error = |e: &str| Expr::value(Some(e.chars().take(2_000).collect::<String>()));
    let update = held_by(job::Entity::update_many(), lease)
        .col_expr(job::Column::LeasedUntil, Expr::value(Option::<DateTime<Utc>>::None));
    let update = match outcome {
        Outcome::Done => update
            .col_expr(job::Column::DoneAt, Expr::value(Some(now)))
            .col_expr(job::Column::Payload, Expr::value(""))
            .col_expr(job::Column::LastError, Expr::value(Option::<String>::None)),
        Outcome::RetryAt(at, e) => {
            update.col_expr(job::Column::RunAt, Expr::value(*at)).col_expr(job::Column::LastError, error(e))
        }
        Outcome::Failed(e) => update
            .col_expr(job::Column::FailedAt, Expr::value(Some(now)))
            .col_expr(job::Column::Payload, Expr::value(""))
            .col_expr(job::Column::LastError, error(e)),
        Outcome::Dropped(why) => update
            .col_expr(job::Column::DoneAt, Expr::value(Some(now)))
            .col_expr(job::Column::Payload, Expr::value(""))
            .col_expr(job::Column::LastError, error(why)),
        Outcome::Next(at) => update
            .col_expr(job::Column::RunAt, Expr::value(*at))
            .col_expr(job::Column::LastError, Expr::value(Option::<String>::None)),
    };
    Ok(update.exec(db).await?.rows_affected == 1)
}

/// Makes an unfinished job due now, unless a worker holds it (its attempt is under way, and
/// its outcome sets when it runs next); false when it is held or finished.
pub async fn wake(store: &Store, db: &impl ConnectionTrait, id: i64) -> Result<bool, Error> {
    reschedule(store, db, id, store.now()).await
}

/// Moves an unfinished job to `run_at`, unless a worker holds it; false when it is held or
/// finished.
pub async fn reschedule(
    store: &Store,
    db: &impl ConnectionTrait,
    id: i64,
    run_at: DateTime<Utc>,
) -> Result<bool, Error> {
    let now = store.now();
    let not_held =
        sea_orm::Condition::any().add(job::Column::LeasedUntil.is_null()).add(job::Column::LeasedUntil.lte(now));
    let woken = job::Entity::update_many()
        .col_expr(job::Column::RunAt, Expr::value(run_at))
        .filter(job::Column::Id.eq(id))
        .filter(job::Column::DoneAt.is_null())
        .filter(job::Column::FailedAt.is_null())
        .filter(not_held)
        .exec(db)
        .await?;
    Ok(woken.rows_affected == 1)
}

/// Whether the job is still to run or running.
pub async fn is_unfinished(db: &impl ConnectionTrait, id: i64) -> Result<bool, Error> {
    let found = job::Entity::find_by_id(id)
        .filter(job::Column::DoneAt.is_null())
        .filter(job::Column::FailedAt.is_null())
        .one(db)
        .await?;
    Ok(found.is_some())
}

/// When the next unfinished job of `kind` is due (tests move their clock there).
pub async fn next_due(store: &Store, kind: &str) -> Result<Option<DateTime<Utc>>, Error> {
    let next = job::Entity::find()
        .filter(job::Column::Kind.eq(kind))
        .filter(job::Column::DoneAt.is_null())
        .filter(job::Column::FailedAt.is_null())
        .order_by_asc(job::Column::RunAt)
        .one(&store.db)
        .await?;
    Ok(next.map(|j| j.run_at))
}

/// How long finished and failed jobs are kept (for the record, then pruned).
pub const KEEP_FINISHED: Duration = Duration::days(30);

/// Deletes jobs finished (done, dropped or failed) before `now - age`; returns how many.
pub async fn prune(store: &Store, age: Duration) -> Result<u64, Error> {
    let before = store.now() - age;
    let finished_before =
        sea_orm::Condition::any().add(job::Column::DoneAt.lt(before)).add(job::Column::FailedAt.lt(before));
    Ok(job::Entity::delete_many().filter(finished_before).exec(&store.db).await?.rows_affected)
}

/// Only the current holder's attempt of an unfinished job.
fn held_by(update: sea_orm::UpdateMany<job::Entity>, lease: Lease) -> sea_orm::UpdateMany<job::Entity> {
    update
        .filter(job::Column::Id.eq(lease.job_id))
        .filter(job::Column::Attempts.eq(lease.attempt))
        .filter(job::Column::DoneAt.is_null())
        .filter(job::Column::FailedAt.is_null())
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> Result<Job, Error> {
    job::Entity::find_by_id(id).one(db).await?.ok_or(Error::not_found("job"))
}

/// The jobs given up on, newest first, at most `limit`: what operators look at.
pub async fn failed(db: &impl ConnectionTrait, limit: u64) -> Result<Vec<Job>, Error> {
    Ok(job::Entity::find()
        .filter(job::Column::FailedAt.is_not_null())
        .order_by_desc(job::Column::FailedAt)
        .limit(limit)
        .all(db)
        .await?)
}

/// Jobs of `kind` not yet done or given up, oldest first.
pub async fn pending(db: &impl ConnectionTrait, kind: &str) -> Result<Vec<Job>, Error> {
    Ok(job::Entity::find()
        .filter(job::Column::Kind.eq(kind))
        .filter(job::Column::DoneAt.is_null())
        .filter(job::Column::FailedAt.is_null())
        .order_by_asc(job::Column::Id)
        .all(db)
        .await?)
}
