//! A completed Checkout Session recorded as a payment exactly once — per Stripe event id and
//! per session — whether the webhook or the payer's return brings the news first; a session
//! that does not match what was asked for is a problem for the sender, never a payment.

use super::super::{Incoming, apply_in};
use super::Account;
use crate::effects::{self, Change, Happened};
use crate::entities::{checkout_session, payment, stripe_event};
use crate::events::Actor;
use crate::invoices::{load, status_of};
use crate::senders::{self, Sender};
use crate::{Error, Store};
use domain::PaymentMethod;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QuerySelect, Set,
    TransactionTrait,
};

/// A completed Checkout Session, as an event or a retrieval tells of it.
#[derive(Debug, Clone, Default)]
pub struct Completed {
    /// The Stripe event's id; None when the session was retrieved on the payer's return.
    pub event_id: Option<String>,
    pub event_type: String,
    pub session_id: String,
    /// `payment_status` is "paid" (or "no_payment_required").
    pub paid: bool,
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
    /// Not a session of ours (or not this account's): nothing to do.
    Unknown,
}

/// Records a completed session: its payment (card, the session's amount), or a problem when
/// it does not match what was asked for — once per event id and once per session, in one
/// transaction with its effects. `account` is the one whose signature or key vouched for it.
pub async fn complete(store: &Store, account: &Account, done: Completed) -> Result<Outcome, Error> {
    let txn = store.db.begin().await?;
    let mut query =
        checkout_session::Entity::find().filter(checkout_session::Column::StripeSessionId.eq(done.session_id.clone()));
    // The webhook and the payer's return may bring the same news at once: one waits.
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        query = query.lock_exclusive();
    }
    let Some(session) = query.one(&txn).await? else {
        return Ok(Outcome::Unknown);
    };
    let sender = senders::get(&txn, session.sender_id).await?;
    let vouched = match account {
        Account::Sender { sender_id, .. } => *sender_id == session.sender_id,
        Account::Deployment => sender.stripe_secret_key_sealed.is_none(),
    };
    if !vouched {
        return Ok(Outcome::Unknown);
    }
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
    let outcome = if already {
        Outcome::AlreadyRecorded
    } else if !done.paid {
        Outcome::NotPaidYet
    } else {
        record(store, &txn, &sender, &session, &done).await?
    };
    if outcome == Outcome::Recorded || outcome == Outcome::Problem {
        let mut row: checkout_session::ActiveModel = session.into();
        row.status = Set("complete".into());
        row.update(&txn).await?;
    }
    txn.commit().await?;
    Ok(outcome)
}

async fn record(
    store: &Store,
    txn: &impl ConnectionTrait,
    sender: &Sender,
    session: &checkout_session::Model,
    done: &Completed,
) -> Result<Outcome, Error> {
    let current = crate::invoices::find_by_id_for_update(txn, session.invoice_id).await?;
    let matches = done.amount_total == Some(session.amount_cents)
        && done.currency.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(&session.currency));
    let problem = if !matches {
        Some(format!(
            "Stripe reports {} {} paid for a session opened for {} {}",
            done.amount_total.map(|a| a.to_string()).unwrap_or_else(|| "no amount".into()),
            done.currency.as_deref().unwrap_or("(no currency)").to_uppercase(),
            session.amount_cents,
            session.currency
        ))
    } else if session.amount_cents > current.balance_due_cents || !status_of(&current)?.accepts_payments() {
        Some(format!(
            "{} {} was paid online, but the invoice is {} with {} {} due: refund the difference in Stripe",
            session.amount_cents, session.currency, current.status, current.balance_due_cents, current.currency
        ))
    } else {
        None
    };
    if let Some(reason) = problem {
        let dto = load(store, txn, current.clone()).await?;
        let happened = Happened::PaymentProblem {
            reason,
            stripe_checkout_session_id: done.session_id.clone(),
            amount_cents: done.amount_total,
            currency: done.currency.as_ref().map(|c| c.to_uppercase()),
        };
        let change = Change { happened, actor: Actor::System, sender, row: &current, invoice: &dto };
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
    apply_in(store, txn, sender, current, incoming, Actor::Recipient).await?;
    Ok(Outcome::Recorded)
}
