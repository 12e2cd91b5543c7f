//! Paying online with Stripe Checkout, the data side: what a share link may pay, the
//! sessions opened for it (an open one is reused), and a completed session recorded as a
//! payment exactly once — per Stripe event id and per session — whether the webhook or the
//! return to the success URL brings the news first. The HTTP calls to Stripe live in the
//! server; this module only keeps what they said.

use super::{Incoming, apply_in};
use crate::effects::{self, Change, Happened};
use crate::entities::{checkout_session, invoice, payment, sender, stripe_event};
use crate::events::Actor;
use crate::invoices::{load, status_of};
use crate::senders::{self, Sender};
use crate::shared;
use crate::{Error, Store};
use chrono::{DateTime, Duration, Utc};
use domain::{PaymentMethod, Status};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set, TransactionTrait,
};
use std::future::Future;
use std::pin::Pin;

/// The states in which the share page offers Pay.
const ONLINE: [Status; 4] = [Status::Sent, Status::Viewed, Status::Updated, Status::Approved];

/// A session this close to expiring is not handed out again.
const REUSE_MARGIN_MINUTES: i64 = 10;

/// Whose Stripe account takes a sender's payments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Account {
    /// The deployment's STRIPE_SECRET_KEY.
    Deployment,
    /// The sender's own restricted key (from the profile).
    Sender { sender_id: i64, secret_key: String },
}

/// What a share link's Pay button would pay.
#[derive(Debug, Clone)]
pub struct Payable {
    pub invoice_id: i64,
    pub sender_id: i64,
    pub number: String,
    pub sender_name: String,
    pub amount_cents: i64,
    /// Upper case, as stored.
    pub currency: String,
    pub customer_email: Option<String>,
    pub account: Account,
    /// An open session for exactly this amount: send the payer back to it.
    pub open_session_url: Option<String>,
}

/// A session Stripe opened.
#[derive(Debug, Clone)]
pub struct Opened {
    pub stripe_session_id: String,
    pub url: String,
    pub expires_at: DateTime<Utc>,
}

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

/// What the payer returning from Checkout is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    Received,
    Processing,
}

/// Stripe's API as the payments need it (the server's client implements it; tests point it
/// at a stand-in by STRIPE_API_BASE).
pub trait Gateway: Send + Sync + std::fmt::Debug {
    /// Whether the deployment has its own account (STRIPE_SECRET_KEY).
    fn deployment_configured(&self) -> bool;
    /// Opens a Checkout Session in payment mode for `payable`'s balance.
    fn open<'a>(
        &'a self,
        payable: &'a Payable,
        success_url: String,
        cancel_url: String,
    ) -> Pin<Box<dyn Future<Output = Result<Opened, Error>> + Send + 'a>>;
    /// The session as Stripe has it now.
    fn retrieve<'a>(
        &'a self,
        account: &'a Account,
        session_id: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<Completed, Error>> + Send + 'a>>;
}

/// The share link's Pay: the URL of an open session for its balance (reused while it is
/// open), or of a new one. None: no account takes this sender's payments.
pub async fn pay(store: &Store, gateway: &dyn Gateway, token: &str) -> Result<Option<String>, Error> {
    let Some(payable) = payable(store, token, gateway.deployment_configured()).await? else { return Ok(None) };
    if let Some(url) = &payable.open_session_url {
        return Ok(Some(url.clone()));
    }
    let back = store.share_url(token);
    let success = format!("{back}?payment=success&session_id={{CHECKOUT_SESSION_ID}}");
    let opened = gateway.open(&payable, success, format!("{back}?payment=cancelled")).await?;
    remember(store, &payable, &opened).await?;
    Ok(Some(opened.url))
}

/// The payer is back from Checkout with `session_id`: received when its payment is recorded;
/// otherwise Stripe is asked (the webhook may be late) and a paid session is recorded now.
pub async fn returned(store: &Store, gateway: &dyn Gateway, token: &str, session_id: &str) -> Result<Standing, Error> {
    if standing(store, token, session_id).await? == Standing::Received {
        return Ok(Standing::Received);
    }
    let Some(account) = account_for_link(store, token, gateway.deployment_configured()).await? else {
        return Ok(Standing::Processing);
    };
    let done = gateway.retrieve(&account, session_id).await?;
    if done.session_id != session_id {
        return Ok(Standing::Processing);
    }
    complete(store, &account, done).await?;
    standing(store, token, session_id).await
}

/// Which account takes `sender`'s payments: their own key, else the deployment's, else none.
pub fn account_of(store: &Store, sender: &Sender, deployment_configured: bool) -> Option<Account> {
    match sender.stripe_secret_key_sealed.as_deref().and_then(|s| store.sealer().open(s)) {
        Some(secret_key) => Some(Account::Sender { sender_id: sender.id, secret_key }),
        None => deployment_configured.then_some(Account::Deployment),
    }
}

/// The sender's own webhook signing secret, for `/stripe/webhook/{sender}`.
pub async fn webhook_secret_of(store: &Store, sender_id: i64) -> Result<Option<String>, Error> {
    let Some(s) = sender::Entity::find_by_id(sender_id).one(store.reader()).await? else { return Ok(None) };
    Ok(s.stripe_webhook_secret_sealed.as_deref().and_then(|sealed| store.sealer().open(sealed)))
}

/// Whether the sender pasted their own keys (they are never shown again).
pub fn has_own_keys(s: &Sender) -> bool {
    s.stripe_secret_key_sealed.is_some() && s.stripe_webhook_secret_sealed.is_some()
}

/// Keeps the sender's own restricted key and webhook secret, sealed; `None` for both
/// forgets them (the deployment's account takes payments again).
pub async fn set_keys(store: &Store, sender_id: i64, keys: Option<(String, String)>) -> Result<(), Error> {
    if let Some((key, secret)) = &keys {
        let key = key.trim();
        if !(key.starts_with("rk_") || key.starts_with("sk_")) || key.len() > 255 {
            return Err(Error::invalid("stripe_secret_key", "paste a Stripe restricted key (rk_live_… or rk_test_…)"));
        }
        if !secret.trim().starts_with("whsec_") || secret.len() > 255 {
            return Err(Error::invalid("stripe_webhook_secret", "paste the endpoint's signing secret (whsec_…)"));
        }
    }
    let current = senders::get(&store.db, sender_id).await?;
    let mut row: sender::ActiveModel = current.into();
    let sealed = keys.map(|(k, s)| (store.sealer().seal(k.trim()), store.sealer().seal(s.trim())));
    row.stripe_secret_key_sealed = Set(sealed.as_ref().map(|(k, _)| k.clone()));
    row.stripe_webhook_secret_sealed = Set(sealed.map(|(_, s)| s));
    row.updated_at = Set(store.now());
    row.update(&store.db).await?;
    Ok(())
}

/// What the link's invoice has left to pay, or why it cannot be paid online now (409).
/// None: no Stripe account takes this sender's payments (no Pay button).
pub async fn payable(store: &Store, token: &str, deployment_configured: bool) -> Result<Option<Payable>, Error> {
    let db = store.reader();
    let m = shared::find(db, token, false).await?;
    let sender = senders::get(db, m.sender_id).await?;
    let Some(account) = account_of(store, &sender, deployment_configured) else { return Ok(None) };
    // While the client asks for changes, the invoice is not offered for payment.
    if !ONLINE.contains(&status_of(&m)?) || m.balance_due_cents <= 0 {
        return Err(Error::conflict("status", "this invoice has nothing to pay now"));
    }
    let soon = store.now() + Duration::minutes(REUSE_MARGIN_MINUTES);
    let open = checkout_session::Entity::find()
        .filter(checkout_session::Column::InvoiceId.eq(m.id))
        .filter(checkout_session::Column::Status.eq("open"))
        .filter(checkout_session::Column::AmountCents.eq(m.balance_due_cents))
        .filter(checkout_session::Column::Currency.eq(m.currency.clone()))
        .filter(checkout_session::Column::ExpiresAt.gt(soon))
        .order_by_desc(checkout_session::Column::Id)
        .one(db)
        .await?;
    let invoice = load(store, db, m.clone()).await?;
    Ok(Some(Payable {
        invoice_id: m.id,
        sender_id: m.sender_id,
        number: m.number,
        sender_name: sender.company.clone().unwrap_or_default(),
        amount_cents: m.balance_due_cents,
        currency: m.currency,
        customer_email: invoice.recipient.email.clone(),
        account,
        open_session_url: open.map(|s| s.url),
    }))
}

/// Keeps a session Stripe opened for `payable`.
pub async fn remember(store: &Store, payable: &Payable, opened: &Opened) -> Result<(), Error> {
    checkout_session::ActiveModel {
        invoice_id: Set(payable.invoice_id),
        sender_id: Set(payable.sender_id),
        stripe_session_id: Set(opened.stripe_session_id.clone()),
        url: Set(opened.url.clone()),
        amount_cents: Set(payable.amount_cents),
        currency: Set(payable.currency.clone()),
        status: Set("open".into()),
        expires_at: Set(opened.expires_at),
        created_at: Set(store.now()),
        ..Default::default()
    }
    .insert(&store.db)
    .await?;
    Ok(())
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

/// What the payer coming back with `session_id` is shown: received once its payment is
/// recorded, processing until then. A session not of this link's invoice is not found.
pub async fn standing(store: &Store, token: &str, session_id: &str) -> Result<Standing, Error> {
    let db = store.reader();
    let m: invoice::Model = shared::find(db, token, false).await?;
    let session = checkout_session::Entity::find()
        .filter(checkout_session::Column::StripeSessionId.eq(session_id.to_string()))
        .filter(checkout_session::Column::InvoiceId.eq(m.id))
        .one(db)
        .await?
        .ok_or(Error::not_found("checkout session"))?;
    let paid = payment::Entity::find()
        .filter(payment::Column::StripeCheckoutSessionId.eq(session.stripe_session_id))
        .one(db)
        .await?
        .is_some();
    Ok(if paid { Standing::Received } else { Standing::Processing })
}

/// The account a link's sender takes payments with (for retrieving a session on return).
pub async fn account_for_link(
    store: &Store,
    token: &str,
    deployment_configured: bool,
) -> Result<Option<Account>, Error> {
    let m = shared::find(store.reader(), token, false).await?;
    let sender = senders::get(store.reader(), m.sender_id).await?;
    Ok(account_of(store, &sender, deployment_configured))
}
