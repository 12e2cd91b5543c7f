//! The delivery queue: rows written in the transaction of the event they announce, claimed
//! by workers (several instances never take the same row), and the outcome of each attempt
//! recorded with the retry it calls for.

use super::schedule::{MAX_ATTEMPTS, Schedule};
use crate::entities::{webhook_attempt, webhook_delivery, webhook_subscription};
use crate::events::Event;
use crate::mail::{Envelope, Mail};

use crate::secrets::{Purpose, random_token};
use crate::{Error, Store};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use domain::dto::Invoice;
use sea_orm::sea_query::{Expr, LockBehavior, LockType, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set, TransactionTrait,
};
use serde_json::{Value, json};

/// Event type of the message POST /webhooks/{id}/test sends.
pub const PING: &str = "ping";

/// A new message id: the `webhook-id` every attempt of one event carries.
pub(crate) fn new_message_id() -> String {
    format!("msg_{}", random_token(16))
}

pub(crate) fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn wants(sub: &webhook_subscription::Model, event_type: &str) -> bool {
    let types: Vec<String> = serde_json::from_str(&sub.event_types).unwrap_or_default();
    types.is_empty() || types.iter().any(|t| t == event_type)
}

/// A delivery row; the body (the invoice with its share link) is stored sealed.
pub(crate) fn new_row(
    store: &Store,
    subscription_id: i64,
    message_id: &str,
    event_type: &str,
    payload: &Value,
    max_attempts: i32,
) -> webhook_delivery::ActiveModel {
    let now = store.now();
    webhook_delivery::ActiveModel {
        subscription_id: Set(subscription_id),
        event_id: Set(message_id.to_string()),
        event_type: Set(event_type.to_string()),
        payload: Set(store.sealer_for(Purpose::Outgoing).seal(&payload.to_string())),
        attempt: Set(0),
        max_attempts: Set(max_attempts),
        next_attempt_at: Set(now),
        created_at: Set(now),
        ..Default::default()
    }
}

/// Queues `event` for every active subscription of its sender that wants it, with the
/// invoice as it stands after the change. Called inside the change's transaction, so an
/// event is announced if and only if it happened.
pub(crate) async fn publish(
    store: &Store,
    db: &impl ConnectionTrait,
    event: &Event,
    invoice: &Invoice,
) -> Result<(), Error> {
    let subscribers: Vec<_> = webhook_subscription::Entity::find()
        .filter(webhook_subscription::Column::SenderId.eq(event.sender_id))
        .filter(webhook_subscription::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .filter(|s| wants(s, &event.event_type))
        .collect();
    if subscribers.is_empty() {
        return Ok(());
    }
    let mut details: Value = serde_json::from_str(&event.data).unwrap_or_else(|_| json!({}));
    // The recipient's address stays in the sender's timeline; it is not sent to other systems.
    if let Some(map) = details.as_object_mut() {
        map.remove("ip");
    }
    let payload = json!({
        "type": event.event_type,
        "timestamp": timestamp(event.created_at),
        "data": { "invoice": invoice, "details": details, "actor": event.actor },
    });
    let message_id = new_message_id();
    let rows: Vec<_> = subscribers
        .iter()
        .map(|s| new_row(store, s.id, &message_id, &event.event_type, &payload, MAX_ATTEMPTS))
        .collect();
    webhook_delivery::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

/// A delivery a worker holds: where to post, what, and the secrets to sign it with.
#[derive(Debug, Clone)]
pub struct DueDelivery {
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

/// A delivery's body as posted (None when it cannot be opened: SECRET_KEY changed).
pub(crate) fn body_of(store: &Store, row: &webhook_delivery::Model) -> Option<String> {
    store.sealer_for(Purpose::Outgoing).open(&row.payload)
}

/// When the next pending delivery of an active subscription is due, by the store's clock's
/// standard (tests move their clock there to take the next step of a schedule).
pub async fn next_due_at(store: &Store) -> Result<Option<DateTime<Utc>>, Error> {
    let next = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::Succeeded.eq(false))
        .filter(webhook_delivery::Column::FailedPermanently.eq(false))
        .filter(webhook_delivery::Column::SubscriptionId.in_subquery(active_subscriptions()))
        .order_by_asc(webhook_delivery::Column::NextAttemptAt)
        .one(&store.db)
        .await?;
    Ok(next.map(|d| d.next_attempt_at))
}

fn active_subscriptions() -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(webhook_subscription::Column::Id)
        .from(webhook_subscription::Entity)
        .and_where(webhook_subscription::Column::Active.eq(true))
        .to_owned()
}

/// Claims up to `limit` due deliveries of active subscriptions for `lease`: pushed out of
/// every other worker's reach until then (PostgreSQL: `FOR UPDATE SKIP LOCKED`), and due again
/// if this worker dies.
pub async fn claim_due(store: &Store, limit: u64, lease: Duration) -> Result<Vec<DueDelivery>, Error> {
    let now = store.now();
    let txn = store.db.begin().await?;
    let mut query = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::Succeeded.eq(false))
        .filter(webhook_delivery::Column::FailedPermanently.eq(false))
        .filter(webhook_delivery::Column::NextAttemptAt.lte(now))
        .filter(webhook_delivery::Column::SubscriptionId.in_subquery(active_subscriptions()))
        .order_by_asc(webhook_delivery::Column::NextAttemptAt)
        .limit(limit);
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        query = query.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let rows = query.all(&txn).await?;
    if rows.is_empty() {
        txn.commit().await?;
        return Ok(vec![]);
    }
    webhook_delivery::Entity::update_many()
        .col_expr(webhook_delivery::Column::NextAttemptAt, Expr::value(now + lease))
        .filter(webhook_delivery::Column::Id.is_in(rows.iter().map(|r| r.id)))
        .exec(&txn)
        .await?;
    let subs = webhook_subscription::Entity::find()
        .filter(webhook_subscription::Column::Id.is_in(rows.iter().map(|r| r.subscription_id)))
        .all(&txn)
        .await?;
    txn.commit().await?;
    let mut due = Vec::with_capacity(rows.len());
    for row in rows {
        let Some(sub) = subs.iter().find(|s| s.id == row.subscription_id) else { continue };
        // An unreadable body is still attempted: the attempt records the failure.
        let body = body_of(store, &row).unwrap_or_default();
        due.push(DueDelivery {
            id: row.id,
            subscription_id: sub.id,
            attempt: row.attempt + 1,
            max_attempts: row.max_attempts,
            message_id: row.event_id,
            url: sub.url.clone(),
            body,
            secrets: signing_secrets(store, sub, now),
        });
    }
    Ok(due)
}

fn signing_secrets(store: &Store, sub: &webhook_subscription::Model, now: DateTime<Utc>) -> Vec<String> {
    let mut secrets: Vec<String> = store.sealer().open(&sub.secret_sealed).into_iter().collect();
    if sub.previous_secret_until.is_some_and(|until| until > now) {
        secrets.extend(sub.previous_secret_sealed.as_deref().and_then(|s| store.sealer().open(s)));
    }
    secrets
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
}

/// Records an attempt: the log row, the delivery's state and next try, the subscription's
/// health, and (410 Gone, or failing for days) disables the subscription and mails its owner.
pub async fn record(
    store: &Store,
    due: &DueDelivery,
    attempt: &Attempt,
    schedule: &Schedule,
    jitter: f64,
) -> Result<(), Error> {
    let now = store.now();
    let status = attempt.status.map(i32::from);
    let txn = store.db.begin().await?;
    let Some(sub) = webhook_subscription::Entity::find_by_id(due.subscription_id).one(&txn).await? else {
        // Deleted while the attempt ran: its deliveries went with it, nothing is left to record.
        return Ok(txn.commit().await?);
    };
    webhook_attempt::ActiveModel {
        delivery_id: Set(due.id),
        attempt: Set(due.attempt),
        attempted_at: Set(now - Duration::milliseconds(attempt.latency_ms)),
        status: Set(status),
        latency_ms: Set(attempt.latency_ms),
        error: Set(attempt.error.clone()),
        response_body: Set(attempt.response_body.clone()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;

    let ok = attempt.succeeded();
    let retry = (!ok && !attempt.gone() && due.attempt < due.max_attempts)
        .then(|| schedule.delay_after(due.attempt, jitter))
        .flatten()
        .map(|d| Schedule::honour_retry_after(d, attempt.retry_after));
    let mut update = webhook_delivery::Entity::update_many()
        .col_expr(webhook_delivery::Column::Attempt, Expr::value(due.attempt))
        .col_expr(webhook_delivery::Column::LastAttemptAt, Expr::value(Some(now)))
        .col_expr(webhook_delivery::Column::LastStatus, Expr::value(status))
        .col_expr(webhook_delivery::Column::LastError, Expr::value(attempt.error.clone()))
        .col_expr(webhook_delivery::Column::LastLatencyMs, Expr::value(Some(attempt.latency_ms)));
    // A finished delivery's next_attempt_at is when it finished, not the claim's lease.
    update = match (ok, retry) {
        (true, _) => update
            .col_expr(webhook_delivery::Column::Succeeded, Expr::value(true))
            .col_expr(webhook_delivery::Column::NextAttemptAt, Expr::value(now)),
        (false, Some(wait)) => update.col_expr(webhook_delivery::Column::NextAttemptAt, Expr::value(now + wait)),
        (false, None) => update
            .col_expr(webhook_delivery::Column::FailedPermanently, Expr::value(true))
            .col_expr(webhook_delivery::Column::NextAttemptAt, Expr::value(now)),
    };
    update.filter(webhook_delivery::Column::Id.eq(due.id)).exec(&txn).await?;

    let mut row: webhook_subscription::ActiveModel = sub.clone().into();
    row.last_status = Set(status);
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
        tell_owner(store, &txn, &sub, reason).await?;
    }
    row.update(&txn).await?;
    txn.commit().await?;
    Ok(())
}

async fn tell_owner(
    store: &Store,
    db: &impl ConnectionTrait,
    sub: &webhook_subscription::Model,
    reason: &str,
) -> Result<(), Error> {
    let owner = crate::senders::get(db, sub.sender_id).await?;
    let job = Envelope {
        to: vec![owner.email.clone()],
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

/// How long finished deliveries stay in the log (Stripe keeps events for 30 days too).
pub const KEEP_FINISHED: Duration = Duration::days(30);

/// Deletes deliveries finished (delivered or given up) and created before `now - age`, with
/// their attempts; pending ones stay whatever their age. Returns how many went.
pub async fn prune(store: &Store, age: Duration) -> Result<u64, Error> {
    use sea_orm::Condition;
    let old = Condition::all().add(webhook_delivery::Column::CreatedAt.lt(store.now() - age)).add(
        Condition::any()
            .add(webhook_delivery::Column::Succeeded.eq(true))
            .add(webhook_delivery::Column::FailedPermanently.eq(true)),
    );
    let txn = store.db.begin().await?;
    let ids: Vec<i64> = webhook_delivery::Entity::find()
        .select_only()
        .column(webhook_delivery::Column::Id)
        .filter(old)
        .into_tuple()
        .all(&txn)
        .await?;
    let mut gone = 0;
    // In slices: an IN list of a month of deliveries could exceed the databases' limits.
    for chunk in ids.chunks(500) {
        webhook_attempt::Entity::delete_many()
            .filter(webhook_attempt::Column::DeliveryId.is_in(chunk.iter().copied()))
            .exec(&txn)
            .await?;
        gone += webhook_delivery::Entity::delete_many()
            .filter(webhook_delivery::Column::Id.is_in(chunk.iter().copied()))
            .exec(&txn)
            .await?
            .rows_affected;
    }
    txn.commit().await?;
    Ok(gone)
}
