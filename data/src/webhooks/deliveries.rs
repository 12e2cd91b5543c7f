//! The delivery queue: a delivery row per event and subscription (the log the sender sees),
//! written in the transaction of the event it announces, and the job that posts it. A
//! pending delivery always has a job, except while its webhook is paused: then it is parked
//! (no job) until the webhook resumes.

use crate::entities::{webhook_attempt, webhook_delivery, webhook_subscription};
use crate::events::Event;
use crate::jobs::{self, KIND_WEBHOOK};
use crate::secrets::{Purpose, random_token};
use crate::{Error, Store};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use domain::dto::Invoice;
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

pub use super::attempts::{Attempt, DueDelivery};
use super::schedule::MAX_ATTEMPTS;

/// Event type of the message POST /webhooks/{id}/test sends.
pub const PING: &str = "ping";

/// A delivery job's work.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Post {
    pub delivery_id: i64,
}

/// One message: what every delivery of it to a subscription posts.
pub(crate) struct Message {
    /// The `webhook-id` every attempt of it carries.
    pub id: String,
    pub event_type: String,
    pub payload: Value,
}

impl Message {
    pub(crate) fn new(event_type: &str, at: DateTime<Utc>, data: Value) -> Message {
        let payload = json!({ "type": event_type, "timestamp": timestamp(at), "data": data });
        Message { id: format!("msg_{}", random_token(16)), event_type: event_type.to_string(), payload }
    }
}

fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn wants(sub: &webhook_subscription::Model, event_type: &str) -> bool {
    let types: Vec<String> = serde_json::from_str(&sub.event_types).unwrap_or_default();
    types.is_empty() || types.iter().any(|t| t == event_type)
}

/// Writes the delivery of `message` to `subscription_id` (the body, with the invoice and its
/// share link, sealed) and queues its job, due now.
pub(crate) async fn queue(
    store: &Store,
    db: &impl ConnectionTrait,
    subscription_id: i64,
    message: &Message,
    max_attempts: i32,
) -> Result<webhook_delivery::Model, Error> {
    let now = store.now();
    let row = webhook_delivery::ActiveModel {
        subscription_id: Set(subscription_id),
        event_id: Set(message.id.clone()),
        event_type: Set(message.event_type.clone()),
        payload: Set(store.sealer_for(Purpose::Outgoing).seal(&message.payload.to_string())),
        attempt: Set(0),
        max_attempts: Set(max_attempts),
        next_attempt_at: Set(now),
        created_at: Set(now),
        ..Default::default()
    };
    give_job(store, db, row.insert(db).await?).await
}

/// Queues a job for `row`, due now, and records it on the row.
async fn give_job(
    store: &Store,
    db: &impl ConnectionTrait,
    row: webhook_delivery::Model,
) -> Result<webhook_delivery::Model, Error> {
    let now = store.now();
    let job = jobs::enqueue(store, db, KIND_WEBHOOK, None, &Post { delivery_id: row.id }, now).await?;
    let mut row: webhook_delivery::ActiveModel = row.into();
    row.job_id = Set(Some(job.id));
    row.next_attempt_at = Set(now);
    Ok(row.update(db).await?)
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
    let data = json!({ "invoice": invoice, "details": details, "actor": event.actor });
    let message = Message::new(&event.event_type, event.created_at, data);
    for sub in subscribers {
        queue(store, db, sub.id, &message, MAX_ATTEMPTS).await?;
    }
    Ok(())
}

/// One more attempt of `row`, due now: a finished delivery is tried once more; a pending one
/// is woken, unless a worker is posting it right now (that attempt is the one asked for, and
/// its outcome sets what follows); a parked one gets its job back.
pub(crate) async fn retry_now(
    store: &Store,
    db: &impl ConnectionTrait,
    row: webhook_delivery::Model,
) -> Result<webhook_delivery::Model, Error> {
    if row.succeeded || row.failed_permanently {
        let mut again: webhook_delivery::ActiveModel = row.clone().into();
        again.succeeded = Set(false);
        again.failed_permanently = Set(false);
        again.max_attempts = Set(row.attempt + 1);
        return give_job(store, db, again.update(db).await?).await;
    }
    if let Some(job_id) = row.job_id {
        if jobs::wake(store, db, job_id).await? {
            let mut woken: webhook_delivery::ActiveModel = row.into();
            woken.next_attempt_at = Set(store.now());
            return Ok(woken.update(db).await?);
        }
        if jobs::is_unfinished(db, job_id).await? {
            return Ok(row);
        }
    }
    give_job(store, db, row).await
}

fn active_subscriptions() -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(webhook_subscription::Column::Id)
        .from(webhook_subscription::Entity)
        .and_where(webhook_subscription::Column::Active.eq(true))
        .to_owned()
}

/// Gives a job back to every parked delivery of an active webhook: `subscription_id`'s, or
/// every webhook's (at start-up, for deliveries queued before they ran on the job queue).
/// Returns how many.
pub async fn unpark(store: &Store, db: &impl ConnectionTrait, subscription_id: Option<i64>) -> Result<usize, Error> {
    let mut parked = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::Succeeded.eq(false))
        .filter(webhook_delivery::Column::FailedPermanently.eq(false))
        .filter(webhook_delivery::Column::JobId.is_null())
        .filter(webhook_delivery::Column::SubscriptionId.in_subquery(active_subscriptions()));
    if let Some(id) = subscription_id {
        parked = parked.filter(webhook_delivery::Column::SubscriptionId.eq(id));
    }
    let rows = parked.all(db).await?;
    let count = rows.len();
    for row in rows {
        give_job(store, db, row).await?;
    }
    Ok(count)
}

/// A delivery's body as posted (None when it cannot be opened: SECRET_KEY changed).
pub(crate) fn body_of(store: &Store, row: &webhook_delivery::Model) -> Option<String> {
    store.sealer_for(Purpose::Outgoing).open(&row.payload)
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
