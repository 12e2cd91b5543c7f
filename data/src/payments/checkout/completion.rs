//! A completed Checkout Session recorded as a payment exactly once — per Stripe event id and
//! per session — whether the webhook or the payer's return brings the news first; a session
//! that does not match what was asked for is a problem for the sender, never a payment.

use super::super::{Incoming, apply_in};
use super::Account;
use crate::effects::{self, Change, Happened};
use crate::entities::{checkout_session, payment, stripe_event};
use crate::events::Actor;
use crate::invoices::{load, status_of};
use crate::senders;
use crate::{Error, Store};
use domain::PaymentMethod;
use domain::currency::format_amount;
use domain::stripe_units::from_stripe;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait};

/// A completed Checkout Session, as an event or a retrieval tells of it.
#[derive(Debug, Clone, Default)]
pub struct Completed {
    /// The Stripe event's id; None when the session was retrieved on the payer's return.
    pub event_id: Option<String>,
    pub event_type: String,
    pub session_id: String,
    /// `payment_status` is "paid" (or "no_payment_required").
    pub paid: bool,
    /// The session's `status` is "expired" (it can no longer be paid).
    pub expired: bool,
    /// In Stripe's units of `currency` (`domain::stripe_units`).
    pub amount_total: Option<i64>,
    pub currency: Option<String>,
    pub payment_intent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Recorded,
    /// This event, or this session's payment, was recorded before.
    AlreadyRecorded,
    /// Completed but the money has not arrived (a delayed method): wait for its next event.
    NotPaidYet,
    /// Recorded as a problem for the sender, not as paid.
    Problem,
    /// The session expired unpaid; marked so, never offered again.
    Expired,
    /// Not a session of ours (or not this account's): nothing to do.
    Unknown,
}

/// Records a completed session: its payment (card, the session's amount), or a problem when
/// it does not match what was asked for — once per event id and once per session (its
/// state says what became of it), in one transaction with its effects. `account` is the one
/// whose signature or key vouched for it: only sessions opened on that account are its.
pub async fn complete(store: &Store, account: &Account, done: Completed) -> Result<Outcome, Error> {
    let txn = store.db.begin().await?;
    let query =
        checkout_session::Entity::find().filter(checkout_session::Column::StripeSessionId.eq(done.session_id.clone()));
    // The webhook and the payer's return may bring the same news at once: one waits.
    let found = crate::locking::for_update(query, &txn).one(&txn).await?;
    let Some(session) = found.filter(|s| s.stripe_account == account.label()) else {
        return Ok(Outcome::Unknown);
    };
    if let Some(event_id) = &done.event_id {
        let seen = stripe_event::Entity::find_by_id(event_id.clone()).one(&txn).await?.is_some();
        if seen {
            return Ok(Outcome::AlreadyRecorded);
        }
        stripe_event::ActiveModel {
            id: Set(event_id.clone()),
            sender_id: Set(Some(session.sender_id)),
            event_type: Set(done.event_type.clone()),
            received_at: Set(store.now()),
        }
        .insert(&txn)
        .await?;
    }
    let already = payment::Entity::find()
        .filter(payment::Column::StripeCheckoutSessionId.eq(done.session_id.clone()))
        .one(&txn)
        .await?
        .is_some();
    let outcome = if already || matches!(session.status.as_str(), "complete" | "problem") {
        Outcome::AlreadyRecorded
    } else if done.paid {
        record(store, &txn, &session, &done).await?
    } else if done.expired {
        Outcome::Expired
    } else {
        Outcome::NotPaidYet
    };
    let status = match outcome {
        Outcome::Recorded => Some("complete"),
        Outcome::Problem => Some("problem"),
        Outcome::Expired => Some("expired"),
        _ => None,
    };
    if let Some(status) = status {
        let mut row: checkout_session::ActiveModel = session.into();
        row.status = Set(status.into());
        row.update(&txn).await?;
    }
    txn.commit().await?;
    Ok(outcome)
}

/// The payment of a paid session, on the invoice's current owner (a claimed invoice's
/// sessions may have been opened before the claim).
async fn record(
    store: &Store,
    txn: &impl ConnectionTrait,
    session: &checkout_session::Model,
    done: &Completed,
) -> Result<Outcome, Error> {
    let current = crate::invoices::find_by_id_for_update(txn, session.invoice_id).await?;
    let sender = senders::get(txn, current.sender_id).await?;
    let same_currency = done.currency.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(&session.currency));
    let amount = done.amount_total.and_then(|units| from_stripe(units, &session.currency));
    let matches = same_currency && amount == Some(session.amount_cents);
    let asked = format_amount(session.amount_cents, &session.currency);
    let problem = if !matches {
        Some(format!(
            "Stripe reports {} (in Stripe's units) {} paid for a session opened for {asked}",
            done.amount_total.map(|a| a.to_string()).unwrap_or_else(|| "no amount".into()),
            done.currency.as_deref().unwrap_or("(no currency)").to_uppercase(),
        ))
    } else if session.amount_cents > current.balance_due_cents || !status_of(&current)?.accepts_payments() {
        Some(format!(
            "{asked} was paid online, but the invoice is {} with {} due: refund the difference in Stripe",
            current.status,
            format_amount(current.balance_due_cents, &current.currency)
        ))
    } else {
        None
    };
    if let Some(reason) = problem {
        let dto = load(store, txn, current.clone()).await?;
        let happened = Happened::PaymentProblem {
            reason,
            stripe_checkout_session_id: done.session_id.clone(),
            amount_cents: amount,
            currency: done.currency.as_ref().map(|c| c.to_uppercase()),
        };
        let change = Change { happened, actor: Actor::System, sender: &sender, row: &current, invoice: &dto };
        effects::record(store, txn, change).await?;
        return Ok(Outcome::Problem);
    }
    let incoming = Incoming {
        amount_cents: session.amount_cents,
        method: Some(PaymentMethod::Card),
        reference: done.payment_intent.clone(),
        paid_on: None,
        stripe_checkout_session_id: Some(done.session_id.clone()),
        stripe_payment_intent_id: done.payment_intent.clone(),
        stripe_event_id: done.event_id.clone(),
    };
    apply_in(store, txn, &sender, current, incoming, Actor::Recipient).await?;
    Ok(Outcome::Recorded)
}
