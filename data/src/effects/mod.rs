//! One way for a change to an invoice to have effects. A use case says what happened (a
//! [`Happened`] with its details) and hands it to [`record`] inside its transaction, which
//! writes the timeline event, queues the webhook deliveries, keeps the version snapshot
//! when the recipient is shown new content, and queues the mails: an event is announced,
//! kept and mailed if and only if its change commits. Adding an event type is one variant
//! here and one row of [`DEFINITIONS`].

mod mails;

pub(crate) use mails::addressees;

use crate::archive;
use crate::entities::{invoice, payment};
use crate::events::{self, Actor};
use crate::invoices::versions;
use crate::mail;
use crate::senders::Sender;
use crate::webhooks::deliveries::publish;
use crate::{Error, Store};
use domain::dto::Invoice;
use domain::{PaymentMethod, Status};
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
    /// Money came in; `settled` when it paid the balance off (the invoice is now paid).
    PaymentReceived {
        payment: PaymentFacts,
        settled: bool,
        from: Status,
    },
    Refunded {
        payment: PaymentFacts,
    },
    /// A credit note was issued against the invoice (it goes to the recipient, and is archived).
    CreditNoteIssued {
        note: Box<domain::credit_note::CreditNote>,
    },
    /// Credit notes moved the invoice's state: cancelled (credited in full) or paid (nothing
    /// left owed).
    Credited {
        from: Status,
        to: Status,
        credit_note: String,
    },
    /// A payment reminder went to the recipient: a policy step (days from the due date) or
    /// one sent by hand, with its words as the sender's policy has them.
    ReminderSent {
        step: crate::reminders::Step,
        subject: String,
        body: String,
    },
    /// An online payment that does not match what was asked for: kept for the sender to
    /// look at, never counted as paid.
    PaymentProblem {
        reason: String,
        stripe_checkout_session_id: String,
        amount_cents: Option<i64>,
        currency: Option<String>,
    },
}

/// A payment as events and mails tell of it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PaymentFacts {
    pub id: i64,
    pub amount_cents: i64,
    pub method: PaymentMethod,
    pub reference: Option<String>,
    pub paid_on: chrono::NaiveDate,
    /// The invoice's balance after it.
    pub balance_due_cents: i64,
}

impl PaymentFacts {
    pub(crate) fn of(p: &payment::Model, method: PaymentMethod, balance_due_cents: i64) -> PaymentFacts {
        PaymentFacts {
            id: p.id,
            amount_cents: p.amount_cents,
            method,
            reference: p.reference.clone(),
            paid_on: p.paid_on,
            balance_due_cents,
        }
    }

    fn details(&self) -> Value {
        json!({
            "payment_id": self.id, "amount_cents": self.amount_cents, "method": self.method.as_str(),
            "reference": self.reference, "paid_on": self.paid_on, "balance_due_cents": self.balance_due_cents,
        })
    }
}

/// Every event type and the mails it may send (which ones go depends on who did it and
/// who has an address).
pub const DEFINITIONS: [(&str, &[&str]); 15] = [
    (events::CREATED, &[]),
    (events::SENT, &["invoice_sent"]),
    (events::VIEWED, &[]),
    (events::EDITED, &["invoice_updated"]),
    (events::FORWARDED, &["invoice_forwarded"]),
    (events::CHANGE_REQUESTED, &["change_requested"]),
    (events::APPROVED, &["approved"]),
    (events::PAID, &["payment_receipt", "payment_received"]),
    (events::CANCELLED, &[]),
    (events::CLAIMED, &[]),
    (events::PAYMENT_RECEIVED, &["payment_receipt", "payment_received"]),
    (events::PAYMENT_REFUNDED, &[]),
    (events::PAYMENT_PROBLEM, &["payment_problem"]),
    (events::CREDIT_NOTE_CREATED, &["credit_note_issued"]),
    (events::REMINDER_SENT, &["payment_reminder"]),
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
            Happened::PaymentReceived { settled: true, .. } => events::PAID,
            Happened::PaymentReceived { .. } => events::PAYMENT_RECEIVED,
            Happened::Refunded { .. } => events::PAYMENT_REFUNDED,
            Happened::PaymentProblem { .. } => events::PAYMENT_PROBLEM,
            Happened::CreditNoteIssued { .. } => events::CREDIT_NOTE_CREATED,
            Happened::Credited { to: Status::Paid, .. } => events::PAID,
            Happened::Credited { .. } => events::CANCELLED,
            Happened::ReminderSent { .. } => events::REMINDER_SENT,
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
            Happened::PaymentReceived { payment, from, .. } => {
                let mut details = payment.details();
                details["from"] = json!(from.as_str());
                details
            }
            Happened::Refunded { payment } => payment.details(),
            Happened::CreditNoteIssued { note } => json!({
                "credit_note": note.id, "kind": note.kind, "reason": note.reason, "total_cents": note.total_cents,
                "credited_cents": row.credited_cents, "balance_due_cents": row.balance_due_cents,
            }),
            Happened::Credited { from, credit_note, .. } => {
                json!({ "from": from.as_str(), "credit_note": credit_note })
            }
            Happened::ReminderSent { step, .. } => json!({
                "step": step.key(), "days_from_due": step.days_from_due(row.due_date),
                "balance_due_cents": row.balance_due_cents, "due_date": row.due_date,
            }),
            Happened::PaymentProblem { reason, stripe_checkout_session_id, amount_cents, currency } => json!({
                "reason": reason, "stripe_checkout_session_id": stripe_checkout_session_id,
                "amount_cents": amount_cents, "currency": currency,
            }),
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
    let event =
        events::record(txn, store.now(), row.id, row.sender_id, event_type, actor, happened.details(row)).await?;
    publish(store, txn, &event, invoice).await?;
    if happened.shows_recipient_new_content() {
        versions::keep(txn, store.now(), row.id, row.version, invoice).await?;
        archive::keep_invoice(store, txn, sender, row.version, invoice).await?;
    }
    if let Happened::CreditNoteIssued { note } = &happened {
        archive::keep_credit_note(store, txn, sender, note).await?;
    }
    // Whatever changed may start, move or end the invoice's reminders (its job decides).
    crate::reminders::schedule_in(store, txn, sender, row).await?;
    for envelope in mails::of(store, &happened, actor, sender, invoice, row.version) {
        debug_assert!(definition(event_type).contains(&envelope.mail.template()), "DEFINITIONS names this mail");
        mail::queue(store, txn, Some(sender.id), &envelope).await?;
    }
    Ok(())
}

/// The mails `event_type` may send.
pub fn definition(event_type: &str) -> &'static [&'static str] {
    DEFINITIONS.iter().find(|(t, _)| *t == event_type).map(|(_, mails)| *mails).unwrap_or(&[])
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
