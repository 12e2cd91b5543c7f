//! Paying online with Stripe Checkout, the data side: what a share link may pay, the
//! sessions opened for it (an open one is reused), and a completed session recorded as a
//! payment exactly once — per Stripe event id and per session — whether the webhook or the
//! return to the success URL brings the news first. The HTTP calls to Stripe live in the
//! server; this module only keeps what they said.

mod accounts;
mod completion;

pub use accounts::{Account, account_for_link, account_of, has_own_keys, set_keys, webhook_secret_of};
pub use completion::{Completed, Outcome, complete};

use crate::entities::{checkout_session, invoice, payment};
use crate::invoices::{load, status_of};
use crate::senders;
use crate::shared;
use crate::{Error, Store};
use chrono::{DateTime, Duration, Utc};
use domain::Status;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use std::future::Future;
use std::pin::Pin;

/// The states in which the share page offers Pay.
const ONLINE: [Status; 4] = [Status::Sent, Status::Viewed, Status::Updated, Status::Approved];

/// A session this close to expiring is not handed out again.
const REUSE_MARGIN_MINUTES: i64 = 10;

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
