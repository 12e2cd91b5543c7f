//! The invoice timeline: every change writes a row in the same transaction as the change.

use crate::Error;
use crate::entities::invoice_event;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

/// Who caused an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Sender,
    Recipient,
    Api,
    System,
    /// Someone without an account (/new).
    Anonymous,
}

impl Actor {
    pub fn as_str(self) -> &'static str {
        match self {
            Actor::Sender => "sender",
            Actor::Recipient => "recipient",
            Actor::Api => "api",
            Actor::System => "system",
            Actor::Anonymous => "anonymous",
        }
    }
}

pub use domain::events::{
    ALL_TYPES, APPROVED, CANCELLED, CHANGE_REQUESTED, CLAIMED, CREATED, CREDIT_NOTE_CREATED, EDITED, FORWARDED, PAID,
    PAYMENT_PROBLEM, PAYMENT_RECEIVED, PAYMENT_REFUNDED, REMINDER_SENT, SENT, VIEWED,
};

pub type Event = invoice_event::Model;

pub async fn record(
    db: &impl ConnectionTrait,
    now: chrono::DateTime<Utc>,
    invoice_id: i64,
    sender_id: i64,
    event_type: &str,
    actor: Actor,
    data: serde_json::Value,
) -> Result<Event, Error> {
    let row = invoice_event::ActiveModel {
        invoice_id: Set(invoice_id),
        sender_id: Set(sender_id),
        event_type: Set(event_type.to_string()),
        actor: Set(actor.as_str().to_string()),
        data: Set(data.to_string()),
        created_at: Set(now),
        ..Default::default()
    };
    Ok(row.insert(db).await?)
}

/// An invoice's events, oldest first.
pub async fn for_invoice(db: &impl ConnectionTrait, invoice_id: i64) -> Result<Vec<Event>, Error> {
    Ok(invoice_event::Entity::find()
        .filter(invoice_event::Column::InvoiceId.eq(invoice_id))
        .order_by_asc(invoice_event::Column::Id)
        .all(db)
        .await?)
}

/// The sender's timeline across invoices, newest first, a keyset page (optionally one event
/// type): what a poller reads instead of receiving webhooks. The recipient's IP address stays
/// out, as in webhooks.
pub async fn feed(
    store: &crate::Store,
    sender_id: i64,
    event_type: Option<&str>,
    page: crate::cursor::PageRequest,
) -> Result<domain::dto::Page<domain::dto::TimelineEvent>, Error> {
    let db = store.reader();
    let mut query = invoice_event::Entity::find().filter(invoice_event::Column::SenderId.eq(sender_id));
    if let Some(t) = event_type {
        query = query.filter(invoice_event::Column::EventType.eq(t));
    }
    let rows = page.select(query, invoice_event::Column::Id).all(db).await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id);
    let ids: Vec<i64> = rows.iter().map(|r| r.invoice_id).collect();
    let numbers = crate::invoices::numbers_of(db, ids).await?;
    let data = rows
        .into_iter()
        .map(|r| {
            let mut data: serde_json::Value = serde_json::from_str(&r.data).unwrap_or_default();
            if let Some(details) = data.as_object_mut() {
                details.remove("ip");
            }
            domain::dto::TimelineEvent {
                id: r.id,
                invoice: numbers.iter().find(|(id, _)| *id == r.invoice_id).map(|(_, n)| n.clone()).unwrap_or_default(),
                event_type: r.event_type,
                actor: r.actor,
                data,
                created_at: r.created_at,
            }
        })
        .collect();
    Ok(domain::dto::Page { data, next_cursor })
}
