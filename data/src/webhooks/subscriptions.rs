//! A sender's webhook subscriptions: create (the secret is shown once), list, read, change,
//! delete. Another sender's subscription is "not found".

use super::signing::new_secret;
use super::targets::Targets;
use crate::entities::webhook_subscription;
use crate::events::ALL_TYPES;
use crate::{Error, Store};
use chrono::Duration;
use domain::dto::{Webhook, WebhookInput};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};

/// Subscriptions a sender may have at once.
const MAX_PER_SENDER: usize = 20;

fn to_dto(m: webhook_subscription::Model, secret: Option<String>) -> Result<Webhook, Error> {
    Ok(Webhook {
        id: m.id,
        url: m.url,
        description: m.description,
        event_types: serde_json::from_str(&m.event_types).map_err(|e| crate::error::corrupt("event_types", e))?,
        active: m.active,
        secret,
        last_delivered_at: m.last_delivered_at,
        last_status: m.last_status,
        disabled_reason: m.disabled_reason,
        created_at: m.created_at,
    })
}

fn event_types(types: Vec<String>) -> Result<String, Error> {
    let mut out: Vec<String> = Vec::new();
    for t in types {
        let t = t.trim().to_string();
        if !ALL_TYPES.contains(&t.as_str()) {
            return Err(Error::Invalid {
                message: format!("unknown event type {t:?}; known: {}", ALL_TYPES.join(", ")),
                field: Some("event_types".into()),
            });
        }
        if !out.contains(&t) {
            out.push(t);
        }
    }
    serde_json::to_string(&out).map_err(|e| crate::error::corrupt("event_types", e))
}

pub(crate) async fn find(
    db: &impl ConnectionTrait,
    sender_id: i64,
    id: i64,
) -> Result<webhook_subscription::Model, Error> {
    webhook_subscription::Entity::find_by_id(id)
        .filter(webhook_subscription::Column::SenderId.eq(sender_id))
        .one(db)
        .await?
        .ok_or(Error::not_found("webhook"))
}

pub async fn create(store: &Store, sender_id: i64, input: WebhookInput, targets: &Targets) -> Result<Webhook, Error> {
    let url = input.url.ok_or_else(|| Error::invalid("url", "url is required"))?;
    let url = targets.check(&url).await?;
    let types = event_types(input.event_types.unwrap_or_default())?;
    let description = domain::validate::text(input.description, "description", 500)?;
    // Counted and added in one transaction with the sender held (PostgreSQL; SQLite has one
    // writer): concurrent creates cannot both see 19.
    let txn = store.db.begin().await?;
    crate::customers::lock_sender(&txn, sender_id).await?;
    let existing = webhook_subscription::Entity::find()
        .filter(webhook_subscription::Column::SenderId.eq(sender_id))
        .count(&txn)
        .await?;
    if existing >= MAX_PER_SENDER as u64 {
        return Err(Error::conflict("url", format!("at most {MAX_PER_SENDER} webhooks per account; delete one first")));
    }
    let secret = new_secret();
    let now = store.now();
    let row = webhook_subscription::ActiveModel {
        sender_id: Set(sender_id),
        url: Set(url.to_string()),
        description: Set(description),
        event_types: Set(types),
        secret_sealed: Set(store.sealer().seal(&secret)),
        active: Set(input.active.unwrap_or(true)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let saved = row.insert(&txn).await?;
    txn.commit().await?;
    to_dto(saved, Some(secret))
}

pub async fn list(store: &Store, sender_id: i64) -> Result<Vec<Webhook>, Error> {
    webhook_subscription::Entity::find()
        .filter(webhook_subscription::Column::SenderId.eq(sender_id))
        .order_by_desc(webhook_subscription::Column::Id)
        .all(store.reader())
        .await?
        .into_iter()
        .map(|m| to_dto(m, None))
        .collect()
}

pub async fn get(store: &Store, sender_id: i64, id: i64) -> Result<Webhook, Error> {
    to_dto(find(&store.db, sender_id, id).await?, None)
}

/// Changes url, event types, description or active; resuming clears why it was disabled and
/// gives the deliveries parked while it was paused their jobs back.
pub async fn update(
    store: &Store,
    sender_id: i64,
    id: i64,
    input: WebhookInput,
    targets: &Targets,
) -> Result<Webhook, Error> {
    let url = match input.url {
        Some(url) => Some(targets.check(&url).await?.to_string()),
        None => None,
    };
    let types = input.event_types.map(event_types).transpose()?;
    let description =
        input.description.is_some().then(|| domain::validate::text(input.description, "description", 500));
    let txn = store.db.begin().await?;
    let mut row: webhook_subscription::ActiveModel = find(&txn, sender_id, id).await?.into();
    if let Some(url) = url {
        row.url = Set(url);
    }
    if let Some(types) = types {
        row.event_types = Set(types);
    }
    if let Some(description) = description {
        row.description = Set(description?);
    }
    if let Some(active) = input.active {
        row.active = Set(active);
        if active {
            row.disabled_reason = Set(None);
            row.failing_since = Set(None);
        }
    }
    row.updated_at = Set(store.now());
    let updated = row.update(&txn).await?;
    if updated.active {
        super::deliveries::unpark(store, &txn, Some(updated.id)).await?;
    }
    txn.commit().await?;
    to_dto(updated, None)
}

pub async fn delete(store: &Store, sender_id: i64, id: i64) -> Result<(), Error> {
    let found = find(&store.db, sender_id, id).await?;
    webhook_subscription::Entity::delete_by_id(found.id).exec(&store.db).await?;
    Ok(())
}

/// How long the secret before a rotation keeps signing (a second signature on each delivery).
const PREVIOUS_SECRET_GRACE: Duration = Duration::hours(24);

/// A new signing secret, shown once; the old one keeps verifying for 24 hours, so receivers can
/// switch without losing a delivery.
pub async fn rotate_secret(store: &Store, sender_id: i64, id: i64) -> Result<Webhook, Error> {
    let current = find(&store.db, sender_id, id).await?;
    let secret = new_secret();
    let now = store.now();
    let mut row: webhook_subscription::ActiveModel = current.clone().into();
    row.previous_secret_sealed = Set(Some(current.secret_sealed));
    row.previous_secret_until = Set(Some(now + PREVIOUS_SECRET_GRACE));
    row.secret_sealed = Set(store.sealer().seal(&secret));
    row.updated_at = Set(now);
    to_dto(row.update(&store.db).await?, Some(secret))
}
