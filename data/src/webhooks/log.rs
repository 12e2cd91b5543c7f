//! What a sender sees of the delivery queue: the log (newest first, paged), one delivery with
//! its attempts and body, a redelivery, and a test message.

use super::deliveries::{self, Message, PING, body_of};
use super::subscriptions::find;
use crate::cursor::PageRequest;
use crate::entities::{webhook_attempt, webhook_delivery, webhook_subscription};
use crate::{Error, Store};
use domain::dto::{WebhookAttempt, WebhookDelivery};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait};
use serde_json::json;

fn to_dto(m: webhook_delivery::Model) -> WebhookDelivery {
    WebhookDelivery {
        id: m.id,
        subscription_id: m.subscription_id,
        event_id: m.event_id,
        event_type: m.event_type,
        attempt: m.attempt,
        max_attempts: m.max_attempts,
        next_attempt_at: m.next_attempt_at,
        last_attempt_at: m.last_attempt_at,
        last_status: m.last_status,
        last_error: m.last_error,
        last_latency_ms: m.last_latency_ms,
        succeeded: m.succeeded,
        failed_permanently: m.failed_permanently,
        created_at: m.created_at,
        payload: None,
        attempts: None,
    }
}

/// A subscription's deliveries, newest first.
pub async fn list(
    store: &Store,
    sender_id: i64,
    subscription_id: i64,
    page: PageRequest,
) -> Result<(Vec<WebhookDelivery>, Option<String>), Error> {
    let sub = find(&store.db, sender_id, subscription_id).await?;
    let query = webhook_delivery::Entity::find().filter(webhook_delivery::Column::SubscriptionId.eq(sub.id));
    let rows = page.select(query, webhook_delivery::Column::Id).all(store.reader()).await?;
    let (rows, next) = page.finish(rows, |r| r.id);
    Ok((rows.into_iter().map(to_dto).collect(), next))
}

/// The sender's subscription and one of its deliveries; anything else is "not found".
async fn find_delivery(
    db: &impl ConnectionTrait,
    sender_id: i64,
    subscription_id: i64,
    delivery_id: i64,
) -> Result<(webhook_subscription::Model, webhook_delivery::Model), Error> {
    let sub = find(db, sender_id, subscription_id).await?;
    let delivery = webhook_delivery::Entity::find_by_id(delivery_id)
        .filter(webhook_delivery::Column::SubscriptionId.eq(sub.id))
        .one(db)
        .await?
        .ok_or(Error::not_found("delivery"))?;
    Ok((sub, delivery))
}

/// One delivery with the body it posts and every attempt, oldest first.
pub async fn get(
    store: &Store,
    sender_id: i64,
    subscription_id: i64,
    delivery_id: i64,
) -> Result<WebhookDelivery, Error> {
    let (_, m) = find_delivery(&store.db, sender_id, subscription_id, delivery_id).await?;
    let attempts = webhook_attempt::Entity::find()
        .filter(webhook_attempt::Column::DeliveryId.eq(m.id))
        .order_by_asc(webhook_attempt::Column::Id)
        .all(store.reader())
        .await?
        .into_iter()
        .map(|a| WebhookAttempt {
            attempt: a.attempt,
            attempted_at: a.attempted_at,
            status: a.status,
            latency_ms: a.latency_ms,
            error: a.error,
            response_body: a.response_body,
        })
        .collect();
    let payload = body_of(store, &m).and_then(|body| serde_json::from_str(&body).ok());
    Ok(WebhookDelivery { payload, attempts: Some(attempts), ..to_dto(m) })
}

fn require_active(sub: &webhook_subscription::Model) -> Result<(), Error> {
    if sub.active {
        Ok(())
    } else {
        Err(Error::conflict("active", "this webhook is paused or disabled; resume it first"))
    }
}

/// Queues one more attempt of a delivery, now, with the same webhook-id (receivers that
/// already handled it can tell). A delivery still being retried is tried now; one being
/// posted at this moment is left to that attempt.
pub async fn redeliver(
    store: &Store,
    sender_id: i64,
    subscription_id: i64,
    delivery_id: i64,
) -> Result<WebhookDelivery, Error> {
    let txn = store.db.begin().await?;
    let (sub, row) = find_delivery(&txn, sender_id, subscription_id, delivery_id).await?;
    require_active(&sub)?;
    let row = deliveries::retry_now(store, &txn, row).await?;
    txn.commit().await?;
    Ok(to_dto(row))
}

/// Queues a `ping` message to the subscription, whatever events it listens to; tried once.
pub async fn send_test(store: &Store, sender_id: i64, subscription_id: i64) -> Result<WebhookDelivery, Error> {
    let txn = store.db.begin().await?;
    let sub = find(&txn, sender_id, subscription_id).await?;
    require_active(&sub)?;
    let data = json!({ "webhook_id": sub.id, "message": "A test message from JupiterInvoice." });
    let row = deliveries::queue(store, &txn, sub.id, &Message::new(PING, store.now(), data), 1).await?;
    txn.commit().await?;
    Ok(to_dto(row))
}
