//! Invoices made without an account (/new and `POST /api/v1/invoices/anonymous`, one service).
//! A browser that makes one gets an anonymous session (the `ji_anon_session` cookie; stored
//! as its SHA-256) owning an anonymous sender row, which owns customers and invoices as an
//! account does: numbering, share links, PDFs and the recipient's actions are the ones every
//! invoice has. The session lives 30 days from its latest invoice; a timed job then deletes
//! what was not claimed. Signing in in that browser claims it (`claim`).

mod claim;
mod expiry;
mod gate;

pub(crate) use claim::claim_in;
pub use claim::{Claim, ClaimedInvoice, claim};
pub use expiry::{Expire, expire};
pub use gate::{Asker, HumanCheck, PER_CLIENT, admit, make};

use crate::entities::{anonymous_session, sender};
use crate::events::Actor;
use crate::jobs::{self, KIND_ANONYMOUS_EXPIRY};
use crate::secrets::{random_token, sha256_hex};
use crate::senders::{Sender, set_profile};
use crate::{Error, Store};
use chrono::{DateTime, Duration, Utc};
use domain::Status;
use domain::dto::{Invoice, InvoiceInput};
use domain::profile::SenderDetails;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait};

/// How long a browser's anonymous invoices are kept unclaimed after the latest one.
pub const LIFETIME: Duration = Duration::days(30);
/// 256 random bits.
const SECRET_BYTES: usize = 32;

/// The cookie's secret. Never logged.
pub struct AnonymousSecret(pub String);

impl std::fmt::Debug for AnonymousSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AnonymousSecret(<redacted>)")
    }
}

/// An invoice made without an account, and the session (new or the browser's own) it is in.
#[derive(Debug)]
pub struct Made {
    pub invoice: Invoice,
    pub secret: AnonymousSecret,
    pub expires_at: DateTime<Utc>,
}

/// A browser's live, unclaimed anonymous session and its sender.
#[derive(Debug, Clone)]
pub struct Browser {
    pub session: anonymous_session::Model,
    pub sender: Sender,
}

/// Makes an invoice from `details` (the "From") and `input`, in the browser's session when
/// `secret` names a live one, else in a new one; the "From" becomes the session's profile
/// (its earlier invoices print it too, as an account's do).
pub async fn create(
    store: &Store,
    secret: Option<&str>,
    details: &SenderDetails,
    input: InvoiceInput,
) -> Result<Made, Error> {
    let (profile, email) = details.validate()?;
    let now = store.now();
    let txn = store.db.begin().await?;
    let (session, secret) = match live(&txn, secret, now).await? {
        Some(found) => (found.session, secret.unwrap_or_default().to_string()),
        None => start(store, &txn, now).await?,
    };
    let mut row: sender::ActiveModel = crate::senders::get(&txn, session.sender_id).await?.into();
    set_profile(&mut row, profile, now);
    row.email = Set(email);
    let sender = row.update(&txn).await?;
    let made = crate::invoices::create_in(store, &txn, &sender, input, Actor::Anonymous).await?;
    // Issued at once: its link is what its maker hands over, so the recipient can act on it.
    let mut hand_over = InvoiceInput::default();
    hand_over.status = Some(Status::Sent);
    let sent = crate::invoices::update_in(store, &txn, sender.id, &made.id, hand_over, Actor::Anonymous).await?;
    let invoice = crate::invoices::load(store, &txn, sent).await?;
    let expires_at = now + LIFETIME;
    if let Some(job_id) = session.job_id {
        jobs::reschedule(store, &txn, job_id, expires_at).await?;
    }
    let mut extended: anonymous_session::ActiveModel = session.into();
    extended.expires_at = Set(expires_at);
    extended.update(&txn).await?;
    txn.commit().await?;
    Ok(Made { invoice, secret: AnonymousSecret(secret), expires_at })
}

/// The browser's live, unclaimed session for a cookie value.
pub async fn browser(store: &Store, secret: &str) -> Result<Option<Browser>, Error> {
    live(store.reader(), Some(secret), store.now()).await
}

/// One of the browser's invoices by number; any other is "not found".
pub async fn invoice(store: &Store, secret: &str, number: &str) -> Result<(Invoice, Sender), Error> {
    let found = browser(store, secret).await?.ok_or(Error::not_found("invoice"))?;
    Ok((crate::invoices::get(store, found.sender.id, number).await?, found.sender))
}

async fn live(db: &impl ConnectionTrait, secret: Option<&str>, now: DateTime<Utc>) -> Result<Option<Browser>, Error> {
    let Some(secret) = secret.filter(|s| !s.is_empty()) else { return Ok(None) };
    let found = anonymous_session::Entity::find()
        .filter(anonymous_session::Column::SecretHash.eq(sha256_hex(secret)))
        .filter(anonymous_session::Column::ClaimedAt.is_null())
        .filter(anonymous_session::Column::ExpiresAt.gt(now))
        .one(db)
        .await?;
    let Some(session) = found else { return Ok(None) };
    let sender = crate::senders::get(db, session.sender_id).await?;
    Ok(Some(Browser { session, sender }))
}

/// A new session with its own anonymous sender, and the job that ends it.
async fn start(
    store: &Store,
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<(anonymous_session::Model, String), Error> {
    let sender = sender::ActiveModel {
        anonymous: Set(true),
        default_currency: Set("USD".into()),
        payment_terms_days: Set(30),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let secret = random_token(SECRET_BYTES);
    let session = anonymous_session::ActiveModel {
        secret_hash: Set(sha256_hex(&secret)),
        sender_id: Set(sender.id),
        created_at: Set(now),
        expires_at: Set(now + LIFETIME),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let job = jobs::enqueue(store, db, KIND_ANONYMOUS_EXPIRY, None, &Expire { session_id: session.id }, now + LIFETIME)
        .await?;
    let mut with_job: anonymous_session::ActiveModel = session.into();
    with_job.job_id = Set(Some(job.id));
    Ok((with_job.update(db).await?, secret))
}
