//! Refunds of card payments through Stripe (issue 26): when a credit note leaves the customer
//! owed money they paid by card, the sender gives it back where it came from. The refund is
//! asked of the account that took the payment, with an idempotency key per refund, and
//! recorded (a negative card payment with Stripe's refund id) once Stripe has made it.

use super::checkout::{Gateway, account_named};
use super::{Incoming, apply_in, of_invoice, to_dto};
use crate::entities::{checkout_session, payment};
use crate::events::Actor;
use crate::invoices::{find_owned_invoice, status_of};
use crate::senders::Sender;
use crate::{Error, Store};
use domain::payment::Payment;
use domain::{Balance, PaymentMethod};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};

/// Refunds `amount_cents` (more than 0) of the invoice's card payments through Stripe.
pub async fn refund_card(
    store: &Store,
    gateway: &dyn Gateway,
    sender: &Sender,
    number: &str,
    amount_cents: i64,
    actor: Actor,
) -> Result<Payment, Error> {
    if amount_cents <= 0 || amount_cents > domain::MAX_AMOUNT_CENTS {
        return Err(Error::invalid("amount_cents", "a card refund is a negative amount_cents"));
    }
    let db = store.reader();
    let current = find_owned_invoice(db, sender.id, number, false).await?;
    let balance = Balance {
        total_cents: current.total_cents,
        paid_cents: current.amount_paid_cents,
        credited_cents: current.credited_cents,
    };
    balance.after(status_of(&current)?, -amount_cents)?;
    let payments = of_invoice(db, current.id).await?;
    let (paid, refunds) = (payments.len(), payments.iter().filter(|p| p.amount_cents < 0).count());
    let from = refundable(&payments, amount_cents).ok_or_else(|| {
        Error::conflict(
            "amount_cents",
            "no card payment on this invoice has that much left to refund: refund the rest by hand (a negative \
             bank_transfer, cash or other payment)",
        )
    })?;
    let intent = from.stripe_payment_intent_id.clone().unwrap_or_default();
    let account = account_of_payment(store, gateway, from).await?;
    let stripe_amount = domain::stripe_units::to_stripe(amount_cents, &current.currency)
        .map_err(|_| Error::invalid("amount_cents", "Stripe cannot refund this amount in this currency"))?;
    // The same refund (this invoice, this many payments and refunds so far) has one key:
    // asking again after a failure gets Stripe's first answer, not a second refund.
    let key = format!("jupiter-refund-{}-{paid}-{refunds}-{amount_cents}", current.id);
    let refund_id = gateway.refund(&account, &intent, stripe_amount, &key).await?;
    let txn = store.db.begin().await?;
    let locked = find_owned_invoice(&txn, sender.id, number, true).await?;
    let incoming = Incoming {
        amount_cents: -amount_cents,
        method: Some(PaymentMethod::Card),
        reference: Some(refund_id),
        paid_on: None,
        stripe_payment_intent_id: Some(intent),
        ..Default::default()
    };
    let (recorded, row) = apply_in(store, &txn, sender, locked, incoming, actor).await?;
    txn.commit().await?;
    Ok(to_dto(recorded, &row.number))
}

/// The latest card payment with at least `amount_cents` not yet refunded.
fn refundable(payments: &[payment::Model], amount_cents: i64) -> Option<&payment::Model> {
    payments.iter().rev().find(|p| {
        let Some(intent) = p.stripe_payment_intent_id.as_deref().filter(|_| p.amount_cents > 0) else { return false };
        let refunded: i64 = payments
            .iter()
            .filter(|r| r.amount_cents < 0 && r.stripe_payment_intent_id.as_deref() == Some(intent))
            .map(|r| -r.amount_cents)
            .sum();
        p.amount_cents - refunded >= amount_cents
    })
}

/// The Stripe account that took `payment` (the one its Checkout Session was opened on).
async fn account_of_payment(
    store: &Store,
    gateway: &dyn Gateway,
    payment: &payment::Model,
) -> Result<super::checkout::Account, Error> {
    let unavailable = || Error::Unavailable {
        message: "the Stripe account that took this payment is no longer configured: refund it in Stripe, then \
                  record the refund by hand"
            .into(),
    };
    let session = checkout_session::Entity::find()
        .filter(checkout_session::Column::StripeSessionId.eq(payment.stripe_checkout_session_id.clone()))
        .one(store.reader())
        .await?
        .ok_or_else(unavailable)?;
    account_named(store, &session.stripe_account, gateway.deployment_configured()).await?.ok_or_else(unavailable)
}
