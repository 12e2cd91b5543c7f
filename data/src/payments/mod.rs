//! Payments against an invoice: recorded by the sender (the invoice page, the API, or PATCH
//! `status: paid`) or by Stripe's webhook. Each one moves the invoice's paid amount and
//! balance in the transaction that records it, settles the invoice (paid, locked) when the
//! balance reaches zero, and has its effects (event, webhook, receipt) like any change.

pub mod checkout;
mod refunds;

pub use refunds::refund_card;

use crate::effects::{self, Change, Happened, PaymentFacts};
use crate::entities::{invoice, payment};
use crate::events::Actor;
use crate::invoices::{self, find_owned_invoice, status_of};
use crate::senders::Sender;
use crate::{Error, Store};
use chrono::NaiveDate;
use domain::dto::Page;
use domain::payment::{Payment, PaymentInput};
use domain::{Action, Balance, PaymentMethod, Status};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};

/// A payment about to be recorded, however it came in.
#[derive(Debug, Clone, Default)]
pub(crate) struct Incoming {
    pub amount_cents: i64,
    pub method: Option<PaymentMethod>,
    pub reference: Option<String>,
    pub paid_on: Option<NaiveDate>,
    pub stripe_checkout_session_id: Option<String>,
    pub stripe_payment_intent_id: Option<String>,
    pub stripe_event_id: Option<String>,
}

/// Records a payment (or, negative, a refund) the sender made by hand.
pub async fn record(
    store: &Store,
    sender: &Sender,
    number: &str,
    input: PaymentInput,
    actor: Actor,
) -> Result<Payment, Error> {
    let txn = store.db.begin().await?;
    let payment = record_in(store, &txn, sender, number, input, actor).await?;
    txn.commit().await?;
    Ok(payment)
}

/// What `record` would record, nothing stored (rolled back): with a rehearsing store
/// (`Store::rehearsing`), the receipt it would mail.
pub async fn preview_record(
    store: &Store,
    sender: &Sender,
    number: &str,
    input: PaymentInput,
    actor: Actor,
) -> Result<Payment, Error> {
    let txn = store.db.begin().await?;
    let would = record_in(store, &txn, sender, number, input, actor).await;
    txn.rollback().await?;
    would
}

async fn record_in(
    store: &Store,
    txn: &sea_orm::DatabaseTransaction,
    sender: &Sender,
    number: &str,
    input: PaymentInput,
    actor: Actor,
) -> Result<Payment, Error> {
    input.check(store.now().date_naive())?;
    let current = find_owned_invoice(txn, sender.id, number, true).await?;
    let incoming = Incoming {
        amount_cents: input.amount_cents,
        method: Some(input.method),
        reference: input.reference.map(|r| r.trim().to_string()).filter(|r| !r.is_empty()),
        paid_on: input.paid_on,
        ..Default::default()
    };
    let (paid, row) = apply_in(store, txn, sender, current, incoming, actor).await?;
    Ok(to_dto(paid, &row.number))
}

/// Records what the invoice page's payment form says was received (or refunded).
pub async fn record_typed(
    store: &Store,
    sender: &Sender,
    number: &str,
    form: &domain::forms::PaymentForm,
) -> Result<Payment, Error> {
    let currency = find_owned_invoice(store.reader(), sender.id, number, false).await?.currency;
    record(store, sender, number, form.to_input(&currency)?, Actor::Sender).await
}

/// The invoice's payments and refunds, oldest first (an invoice has few).
pub async fn list(store: &Store, sender_id: i64, number: &str) -> Result<Page<Payment>, Error> {
    let db = store.reader();
    let row = find_owned_invoice(db, sender_id, number, false).await?;
    let data = of_invoice(db, row.id).await?.into_iter().map(|p| to_dto(p, &row.number)).collect();
    Ok(Page { data, next_cursor: None })
}

pub(crate) async fn of_invoice(db: &impl ConnectionTrait, invoice_id: i64) -> Result<Vec<payment::Model>, Error> {
    Ok(payment::Entity::find()
        .filter(payment::Column::InvoiceId.eq(invoice_id))
        .order_by_asc(payment::Column::Id)
        .all(db)
        .await?)
}

/// Records `incoming` against the invoice `current` (locked by the caller) in `txn`: the
/// payment row, the invoice's new paid amount and balance (paid and locked at zero), and
/// the change's effects.
pub(crate) async fn apply_in(
    store: &Store,
    txn: &impl ConnectionTrait,
    sender: &Sender,
    current: invoice::Model,
    incoming: Incoming,
    actor: Actor,
) -> Result<(payment::Model, invoice::Model), Error> {
    let from = status_of(&current)?;
    let balance = Balance {
        total_cents: current.total_cents,
        paid_cents: current.amount_paid_cents,
        credited_cents: current.credited_cents,
    };
    let after = balance.after(from, incoming.amount_cents)?;
    let settled = incoming.amount_cents > 0 && after.due_cents() == 0;
    let to = if settled { from.apply(Action::MarkPaid)? } else { from };
    let now = store.now();
    let method = incoming.method.unwrap_or(PaymentMethod::Other);
    let paid = payment::ActiveModel {
        invoice_id: Set(current.id),
        sender_id: Set(current.sender_id),
        amount_cents: Set(incoming.amount_cents),
        currency: Set(current.currency.clone()),
        method: Set(method.as_str().into()),
        reference: Set(incoming.reference),
        paid_on: Set(incoming.paid_on.unwrap_or(now.date_naive())),
        recorded_by: Set(actor.as_str().into()),
        stripe_checkout_session_id: Set(incoming.stripe_checkout_session_id),
        stripe_payment_intent_id: Set(incoming.stripe_payment_intent_id),
        stripe_event_id: Set(incoming.stripe_event_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let mut row: invoice::ActiveModel = current.into();
    row.amount_paid_cents = Set(after.paid_cents);
    row.balance_due_cents = Set(if to == Status::Cancelled { 0 } else { after.due_cents() });
    row.status = Set(to.as_str().into());
    if settled {
        row.paid_at = Set(Some(now));
    }
    row.updated_at = Set(now);
    let saved = row.update(txn).await?;
    let dto = invoices::load(store, txn, saved.clone()).await?;
    let facts = PaymentFacts::of(&paid, method, saved.balance_due_cents);
    let happened = if incoming.amount_cents < 0 {
        Happened::Refunded { payment: facts }
    } else {
        Happened::PaymentReceived { payment: facts, settled, from }
    };
    effects::record(store, txn, Change { happened, actor, sender, row: &saved, invoice: &dto }).await?;
    Ok((paid, saved))
}

/// PATCH `status: paid`: a payment of the whole balance (method other), so "mark paid"
/// keeps meaning what it did and the numbers add up.
pub(crate) async fn pay_in_full_in(
    store: &Store,
    txn: &impl ConnectionTrait,
    sender: &Sender,
    current: invoice::Model,
    actor: Actor,
) -> Result<invoice::Model, Error> {
    status_of(&current)?.apply(Action::MarkPaid)?;
    if current.balance_due_cents <= 0 {
        // Nothing left to pay (a zero invoice): settle it without a payment.
        let mut row: invoice::ActiveModel = current.clone().into();
        let now = store.now();
        row.status = Set(Status::Paid.as_str().into());
        row.paid_at = Set(Some(now));
        row.updated_at = Set(now);
        let saved = row.update(txn).await?;
        let dto = invoices::load(store, txn, saved.clone()).await?;
        let happened = Happened::StatusSet { from: status_of(&current)?, to: Status::Paid };
        effects::record(store, txn, Change { happened, actor, sender, row: &saved, invoice: &dto }).await?;
        return Ok(saved);
    }
    let incoming = Incoming {
        amount_cents: current.balance_due_cents,
        method: Some(PaymentMethod::Other),
        reference: Some("marked paid".into()),
        ..Default::default()
    };
    Ok(apply_in(store, txn, sender, current, incoming, actor).await?.1)
}

pub(crate) fn method_of(p: &payment::Model) -> PaymentMethod {
    PaymentMethod::parse(&p.method).unwrap_or(PaymentMethod::Other)
}

fn to_dto(p: payment::Model, number: &str) -> Payment {
    Payment {
        id: p.id,
        invoice_number: number.to_string(),
        amount_cents: p.amount_cents,
        method: method_of(&p),
        currency: p.currency,
        reference: p.reference,
        paid_on: p.paid_on,
        recorded_by: p.recorded_by,
        stripe_checkout_session_id: p.stripe_checkout_session_id,
        stripe_payment_intent_id: p.stripe_payment_intent_id,
        created_at: p.created_at,
    }
}
