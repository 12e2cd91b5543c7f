//! One way for a change to an invoice to have effects. A use case says what happened (a
//! [`Happened`] with its details) and hands it to [`record`] inside its transaction, which
//! writes the timeline event, queues the webhook deliveries, keeps the version snapshot
//! when the recipient is shown new content, and queues the mails: an event is announced,
//! kept and mailed if and only if its change commits. Adding an event type is one variant
//! here and one row of [`DEFINITIONS`].

mod mails;

pub(crate) use mails::addressees;

use crate::entities::invoice;
use crate::events::{self, Actor};
use crate::invoices::versions;
use crate::mail;
use crate::senders::Sender;
use crate::webhooks::deliveries::publish;
use crate::{Error, Store};
use domain::Status;
use domain::dto::Invoice;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

/// What happened to an invoice, with what the timeline, webhooks and mails need to say so.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Happened {
    Created,
    /// Sent by e-mail to its recipient (and copies).
    Emailed {
        to: String,
        cc: Vec<String>,
    },
    /// The sender set the status: sent (handed over another way), paid or cancelled.
    StatusSet {
        from: Status,
        to: Status,
    },
    /// The recipient's first view.
    Viewed {
        ip: Option<String>,
    },
    /// New content; the recipient is told when they were shown an earlier version.
    Edited {
        recipient_saw_earlier: bool,
    },
    Forwarded {
        to: String,
        note: Option<String>,
        ip: Option<String>,
    },
    ChangeRequested {
        message: String,
        ip: Option<String>,
    },
    Approved {
        name: String,
        po_number: Option<String>,
        ip: Option<String>,
    },
    /// Made without an account, now in the account that signed in where it was made.
    Claimed {
        previous_number: String,
    },
}

/// Every event type and the mail it sends, where one is defined.
pub const DEFINITIONS: [(&str, Option<&str>); 10] = [
    (events::CREATED, None),
    (events::SENT, Some("invoice_sent")),
    (events::VIEWED, None),
    (events::EDITED, Some("invoice_updated")),
    (events::FORWARDED, Some("invoice_forwarded")),
    (events::CHANGE_REQUESTED, Some("change_requested")),
    (events::APPROVED, Some("approved")),
    (events::PAID, Some("invoice_paid")),
    (events::CANCELLED, None),
    (events::CLAIMED, None),
];

impl Happened {
    pub(crate) fn event_type(&self) -> &'static str {
        match self {
            Happened::Created => events::CREATED,
            Happened::Emailed { .. } => events::SENT,
            Happened::StatusSet { to: Status::Sent, .. } => events::SENT,
            Happened::StatusSet { to: Status::Paid, .. } => events::PAID,
            Happened::StatusSet { to: Status::Cancelled, .. } => events::CANCELLED,
            // A sender can set no other status (Status::sender_action_for).
            Happened::StatusSet { .. } => events::EDITED,
            Happened::Viewed { .. } => events::VIEWED,
            Happened::Edited { .. } => events::EDITED,
            Happened::Forwarded { .. } => events::FORWARDED,
            Happened::ChangeRequested { .. } => events::CHANGE_REQUESTED,
            Happened::Approved { .. } => events::APPROVED,
            Happened::Claimed { .. } => events::CLAIMED,
        }
    }

    /// The event's details in the timeline (webhooks carry them too, without the IP address).
    fn details(&self, row: &invoice::Model) -> Value {
        match self {
            Happened::Created => json!({ "number": row.number }),
            Happened::Emailed { to, cc } => json!({ "delivery": "email", "to": to, "cc": cc }),
            Happened::StatusSet { from, .. } => json!({ "from": from.as_str() }),
            Happened::Viewed { ip } => json!({ "ip": ip }),
            Happened::Edited { .. } => json!({ "version": row.version }),
            Happened::Forwarded { to, ip, .. } => json!({ "to": to, "ip": ip }),
            Happened::ChangeRequested { message, ip } => json!({ "message": message, "ip": ip }),
            Happened::Approved { name, po_number, ip } => json!({ "name": name, "ip": ip, "po_number": po_number }),
            Happened::Claimed { previous_number } => {
                json!({ "number": row.number, "previous_number": previous_number })
            }
        }
    }

    /// Whether the recipient is shown this version now, so it is kept to compare later ones with.
    fn shows_recipient_new_content(&self) -> bool {
        match self {
            Happened::Emailed { .. } | Happened::StatusSet { to: Status::Sent, .. } => true,
            Happened::Edited { recipient_saw_earlier } => *recipient_saw_earlier,
            _ => false,
        }
    }
}

/// A change about to commit: what happened, who did it, and the invoice as it now is.
pub(crate) struct Change<'a> {
    pub happened: Happened,
    pub actor: Actor,
    pub sender: &'a Sender,
    pub row: &'a invoice::Model,
    pub invoice: &'a Invoice,
}

/// Writes the change's effects in `txn`, the transaction that makes the change.
pub(crate) async fn record(store: &Store, txn: &impl ConnectionTrait, change: Change<'_>) -> Result<(), Error> {
    let Change { happened, actor, sender, row, invoice } = change;
    let event_type = happened.event_type();
    let event = events::record(txn, row.id, row.sender_id, event_type, actor, happened.details(row)).await?;
    publish(store, txn, &event, invoice).await?;
    if happened.shows_recipient_new_content() {
        versions::keep(txn, row.id, row.version, invoice).await?;
    }
    if let Some(envelope) = mails::of(store, &happened, sender, invoice) {
        debug_assert_eq!(definition(event_type), Some(envelope.mail.template()), "DEFINITIONS names this mail");
        mail::queue(store, txn, Some(sender.id), &envelope).await?;
    }
    Ok(())
}

/// The mail `event_type` sends, where one is defined.
pub fn definition(event_type: &str) -> Option<&'static str> {
    DEFINITIONS.iter().find(|(t, _)| *t == event_type).and_then(|(_, mail)| *mail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_type_has_one_definition() {
        for event_type in events::ALL_TYPES {
            assert_eq!(DEFINITIONS.iter().filter(|(t, _)| *t == event_type).count(), 1, "{event_type}");
        }
        assert_eq!(DEFINITIONS.len(), events::ALL_TYPES.len());
    }
}
