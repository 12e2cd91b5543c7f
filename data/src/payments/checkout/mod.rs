//! Paying online with Stripe Checkout, the data side: what a share link may pay, the
//! sessions opened for it (an open one is reused), and a completed session recorded as a
//! payment exactly once — per Stripe event id and per session — whether the webhook or the
//! return to the success URL brings the news first. The HTTP calls to Stripe live in the
//! server; this module only keeps what they said.

mod accounts;
mod completion;

pub use accounts::{Account, account_named, account_of, has_own_keys, set_keys, webhook_secret_of};
pub use completion::{Completed, Outcome, complete};

use crate::entities::{checkout_session, invoice, payment};
use crate::invoices::{load, status_of};
use crate::limits::{self, Policy, Quota};
use crate::senders;
use crate::shared;
use crate::{Error, Store};
use chrono::{DateTime, Duration, Utc};
use domain::payment::{NotPayableOnline, online_charge};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use std::future::Future;
use std::pin::Pin;

/// A session this close to expiring is not handed out again.
const REUSE_MARGIN_MINUTES: i64 = 10;

/// Stripe retrievals one session's return page may cause (reloads ask Stripe only this often).
const RETRIEVALS: Policy = Policy {
    purpose: "checkout-retrieve",
    what: "checks of this payment with Stripe",
    quotas: &[Quota { name: "min", limit: 3, window_secs: 60 }, Quota { name: "hour", limit: 20, window_secs: 3_600 }],
};

/// What a share link's Pay button would pay.
#[derive(Debug, Clone)]
pub struct Payable {
    pub invoice_id: i64,
    pub sender_id: i64,
    pub number: String,
    pub sender_name: String,
    pub amount_cents: i64,
    /// The same amount in Stripe's units of the currency (`domain::stripe_units`).
    pub stripe_amount: i64,
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

/// What the payer returning from Checkout is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    Received,
    Processing,
    /// Stripe took money that did not match what was asked (or the invoice no longer owed
    /// it): the sender was told and will sort it out.
    NeedsAttention,
    /// The session expired unpaid.
    Expired,
}

/// Why the share page offers no Pay button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoPay {
    /// No Stripe account takes this sender's payments.
    NoAccount,
    NothingDue,
    /// Stripe cannot charge the balance exactly; the reason, for the payer and the sender.
    NotChargeable(String),
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
    /// Refunds `amount` (smallest unit, as Stripe counts it) of a payment intent; the refund's
    /// id. `idempotency_key` makes a retry the same refund, never a second one.
    fn refund<'a>(
        &'a self,
        account: &'a Account,
        payment_intent: &'a str,
        amount: i64,
        idempotency_key: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<String, Error>> + Send + 'a>>;
}

/// The share link's Pay: the URL of an open session for its balance on the account that
/// takes the sender's payments now (reused while it is open), or of a new one.
pub async fn pay(store: &Store, gateway: &dyn Gateway, token: &str) -> Result<Result<String, NoPay>, Error> {
    let payable = match payable(store, token, gateway.deployment_configured()).await? {
        Ok(payable) => payable,
        Err(no) => return Ok(Err(no)),
    };
    mark_expired(&store.db, payable.invoice_id, store.now()).await?;
    if let Some(url) = &payable.open_session_url {
        return Ok(Ok(url.clone()));
    }
    let back = store.share_url(token);
    let success = format!("{back}?payment=success&session_id={{CHECKOUT_SESSION_ID}}");
    let opened = gateway.open(&payable, success, format!("{back}?payment=cancelled")).await?;
    remember(store, &payable, &opened).await?;
    Ok(Ok(opened.url))
}

/// The payer is back from Checkout with `session_id`: what to tell them. While the payment
/// is not recorded, Stripe is asked (on the account that opened the session; the webhook
/// may be late), at most RETRIEVALS times, and a paid session is recorded now.
pub async fn returned(store: &Store, gateway: &dyn Gateway, token: &str, session_id: &str) -> Result<Standing, Error> {
    let (now, session) = standing(store, token, session_id).await?;
    if now != Standing::Processing {
        return Ok(now);
    }
    let Some(account) = account_named(store, &session.stripe_account, gateway.deployment_configured()).await? else {
        return Ok(Standing::Processing);
    };
    if limits::hit(store, &RETRIEVALS, session_id).await.is_err() {
        return Ok(Standing::Processing);
    }
    let done = gateway.retrieve(&account, session_id).await?;
    if done.session_id != session_id {
        return Ok(Standing::Processing);
    }
    complete(store, &account, done).await?;
    Ok(standing(store, token, session_id).await?.0)
}

/// What the link's invoice has left to pay online, or why Pay is not offered.
pub async fn payable(store: &Store, token: &str, deployment_configured: bool) -> Result<Result<Payable, NoPay>, Error> {
    let db = store.reader();
    let m = shared::find(db, token, false).await?;
    let sender = senders::get(db, m.sender_id).await?;
    let Some(account) = account_of(store, &sender, deployment_configured) else { return Ok(Err(NoPay::NoAccount)) };
    let stripe_amount = match online_charge(status_of(&m)?, m.balance_due_cents, &m.currency) {
        Ok(amount) => amount,
        Err(NotPayableOnline::NothingDue) => return Ok(Err(NoPay::NothingDue)),
        Err(NotPayableOnline::NotChargeable(why)) => return Ok(Err(NoPay::NotChargeable(why))),
    };
    // Only a session of the account in force now, open well beyond now, for this balance.
    let soon = store.now() + Duration::minutes(REUSE_MARGIN_MINUTES);
    let open = checkout_session::Entity::find()
        .filter(checkout_session::Column::InvoiceId.eq(m.id))
        .filter(checkout_session::Column::Status.eq("open"))
        .filter(checkout_session::Column::StripeAccount.eq(account.label()))
        .filter(checkout_session::Column::AmountCents.eq(m.balance_due_cents))
        .filter(checkout_session::Column::Currency.eq(m.currency.clone()))
        .filter(checkout_session::Column::ExpiresAt.gt(soon))
        .order_by_desc(checkout_session::Column::Id)
        .one(db)
        .await?;
    let invoice = load(store, db, m.clone()).await?;
    Ok(Ok(Payable {
        invoice_id: m.id,
        sender_id: m.sender_id,
        number: m.number,
        sender_name: sender.company.clone().unwrap_or_default(),
        amount_cents: m.balance_due_cents,
        stripe_amount,
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
        stripe_account: Set(payable.account.label()),
        expires_at: Set(opened.expires_at),
        created_at: Set(store.now()),
        ..Default::default()
    }
    .insert(&store.db)
    .await?;
    Ok(())
}

/// What the payer coming back with `session_id` is shown (from the session's state and its
/// payment), and the session; a session not of this link's invoice is not found.
async fn standing(store: &Store, token: &str, session_id: &str) -> Result<(Standing, checkout_session::Model), Error> {
    let db = store.reader();
    let m: invoice::Model = shared::find(db, token, false).await?;
    let session = checkout_session::Entity::find()
        .filter(checkout_session::Column::StripeSessionId.eq(session_id.to_string()))
        .filter(checkout_session::Column::InvoiceId.eq(m.id))
        .one(db)
        .await?
        .ok_or(Error::not_found("checkout session"))?;
    let paid = payment::Entity::find()
        .filter(payment::Column::StripeCheckoutSessionId.eq(session.stripe_session_id.clone()))
        .one(db)
        .await?
        .is_some();
    let standing = match session.status.as_str() {
        _ if paid => Standing::Received,
        "problem" => Standing::NeedsAttention,
        "expired" => Standing::Expired,
        _ => Standing::Processing,
    };
    Ok((standing, session))
}

/// Marks the invoice's open sessions whose `expires_at` has passed expired: they are never
/// offered again. (Stripe's `checkout.session.expired` marks one at once: `complete`.)
pub(crate) async fn mark_expired(db: &impl ConnectionTrait, invoice_id: i64, now: DateTime<Utc>) -> Result<(), Error> {
    checkout_session::Entity::update_many()
        .col_expr(checkout_session::Column::Status, Expr::value("expired"))
        .filter(checkout_session::Column::Status.eq("open"))
        .filter(checkout_session::Column::InvoiceId.eq(invoice_id))
        .filter(checkout_session::Column::ExpiresAt.lte(now))
        .exec(db)
        .await?;
    Ok(())
}
