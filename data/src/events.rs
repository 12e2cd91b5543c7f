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
