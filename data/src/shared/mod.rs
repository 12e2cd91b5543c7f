//! The share link's side of an invoice (/i/{token}): what its recipient sees and does.
//! The token is the only credential; it is looked up by its SHA-256.

use crate::effects::{self, Change, Happened};
use crate::entities::{customer, invoice, invoice_view};
use crate::events::Actor;
use crate::invoices::{Lookup, load, status_of, to_dto, versions, with_lines};
use crate::limits::{self, Policy, Quota};
use crate::prepared::Prepared;
use crate::secrets::sha256_hex;
use crate::senders::{self, Sender};
use crate::{Error, Store};
use chrono::{DateTime, Utc};
use domain::diff::{InvoiceDiff, diff};
use domain::dto::Invoice;
use domain::{Action, Status};
use sea_orm::sea_query::{Expr, Query, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait, Set,
    TransactionTrait,
};
pub(crate) use views::PendingViews;
use views::View;
pub use views::record_pending as record_pending_views;

mod views;

/// Forwards allowed per invoice per day.
pub const FORWARDS_PER_DAY: u64 = 10;

/// Forwards of one invoice (counted by its link's hash: the link itself is never stored).
const FORWARDS: Policy = Policy {
    purpose: "forward-invoice",
    what: "forwards of this invoice",
    quotas: &[Quota { name: "day", limit: FORWARDS_PER_DAY as i64, window_secs: 86_400 }],
};

/// Forwards one client may send, whatever the invoices (each is a mail to an address the
/// client chose).
pub const FORWARDS_PER_CLIENT: Policy = Policy {
    purpose: "forward-client",
    what: "forwards from your network",
    quotas: &[Quota { name: "hour", limit: 30, window_secs: 3_600 }],
};

/// PDFs one client may download by share link (each is a render); API keys are not limited.
pub const PDF_DOWNLOADS: Policy = Policy {
    purpose: "pdf-client",
    what: "PDF downloads from your network",
    quotas: &[
        Quota { name: "min", limit: 30, window_secs: 60 },
        Quota { name: "hour", limit: 300, window_secs: 3_600 },
    ],
};

/// The invoice behind a link, for its PDF, once the client's download is counted.
pub async fn for_pdf(store: &Store, token: &str, client: Option<std::net::IpAddr>) -> Result<SharedInvoice, Error> {
    if let Some(ip) = client {
        limits::hit_client(store, &PDF_DOWNLOADS, ip).await?;
    }
    get(store, token).await
}

/// One of the link's invoice's credit notes, for its download (counted as PDF downloads).
pub async fn credit_note(
    store: &Store,
    token: &str,
    number: &str,
    client: Option<std::net::IpAddr>,
) -> Result<(domain::credit_note::CreditNote, Sender), Error> {
    let shared = for_pdf(store, token, client).await?;
    let note = shared
        .credit_notes
        .into_iter()
        .find(|n| n.id.eq_ignore_ascii_case(number.trim()))
        .ok_or(Error::not_found("credit note"))?;
    Ok((note, shared.sender))
}

/// Who opened or acted on the link.
#[derive(Debug, Clone, Default)]
pub struct Visitor {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// The signed-in sender of this browser, if any: the invoice's own sender looking at
    /// their link does not count as the recipient viewing it.
    pub sender_id: Option<i64>,
}

/// An invoice as its share link shows it.
#[derive(Debug, Clone)]
pub struct SharedInvoice {
    pub invoice: Invoice,
    pub sender: Sender,
    /// What changed since the version the recipient last saw, when it changed.
    pub changes: Option<InvoiceDiff>,
    pub po_required: bool,
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    /// Its credit notes, oldest first (the page lists them with their PDFs).
    pub credit_notes: Vec<domain::credit_note::CreditNote>,
}

fn not_found() -> Error {
    Error::not_found("invoice")
}

/// The hash a token is looked up by; refused before any query when it cannot be a token.
fn token_hash(token: &str) -> Result<String, Error> {
    // Share tokens are 22 base64url characters; anything else names no invoice.
    if token.len() < 16
        || token.len() > 64
        || !token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(not_found());
    }
    Ok(sha256_hex(token))
}

pub(crate) async fn find(db: &impl ConnectionTrait, token: &str, for_update: bool) -> Result<invoice::Model, Error> {
    let mut query = invoice::Entity::find().filter(invoice::Column::ShareTokenHash.eq(token_hash(token)?));
    if for_update {
        query = crate::locking::for_update(query, db);
    }
    query.one(db).await?.ok_or_else(not_found)
}

/// The language the link's page speaks (its invoice's), English when the link names none.
pub async fn language(store: &Store, token: &str) -> domain::Language {
    let found = find(store.reader(), token, false).await.ok();
    found.and_then(|m| domain::Language::parse(&m.language)).unwrap_or_default()
}

/// The link's invoice as its page shows it, in three queries: the invoice with its lines,
/// its sender, and its customer's PO rule with the version the recipient saw before.
async fn read(store: &Store, token: &str) -> Result<(invoice::Model, SharedInvoice), Error> {
    let db = store.reader();
    let (m, lines) = with_lines(db, Lookup::ShareToken { hash: token_hash(token)? }).await?.ok_or_else(not_found)?;
    let sender = senders::get(db, m.sender_id).await?;
    let (po_required, seen_before) = customer_terms(db, &m).await?;
    let invoice = to_dto(store, m.clone(), lines)?;
    // What changed since the newest version the recipient saw before this one, if any.
    let changes = match seen_before {
        Some(v) => versions::load(db, m.id, v).await?.map(|before| diff(&before, &invoice)).filter(|d| !d.is_empty()),
        None => None,
    };
    let (approved_by, approved_at) = (m.approved_by.clone(), m.approved_at);
    // Only an invoice something was credited on, or that was cancelled, has credit notes.
    let credit_notes = match m.credited_cents != 0 || invoice.status == Status::Cancelled {
        true => crate::credit_notes::of_invoice(db, m.id).await?,
        false => Vec::new(),
    };
    Ok((m, SharedInvoice { invoice, sender, changes, po_required, approved_by, approved_at, credit_notes }))
}

static CUSTOMER_TERMS: Prepared = Prepared::new();

/// Whether the invoice's customer requires a PO, and the newest version of the invoice the
/// recipient saw before this one.
async fn customer_terms(db: &impl ConnectionTrait, m: &invoice::Model) -> Result<(bool, Option<i32>), Error> {
    let backend = db.get_database_backend();
    let values = vec![m.id.into(), m.version.into(), m.customer_id.into()];
    let statement = CUSTOMER_TERMS.statement(backend, values, || {
        let newest_seen_before = Query::select()
            .expr(Expr::col(invoice_view::Column::Version).max())
            .from(invoice_view::Entity)
            .and_where(invoice_view::Column::InvoiceId.eq(m.id))
            .and_where(invoice_view::Column::Version.lt(m.version))
            .to_owned();
        customer::Entity::find_by_id(m.customer_id)
            .select_only()
            .column(customer::Column::PoRequired)
            .expr_as(SimpleExpr::SubQuery(None, Box::new(newest_seen_before.into_sub_query_statement())), "seen_before")
            .build(backend)
    });
    let row = db.query_one(statement).await?;
    Ok(match row {
        Some(row) => (row.try_get_by_index(0)?, row.try_get_by_index(1)?),
        None => (false, None),
    })
}

/// The invoice behind a token, changing nothing (the PDF, the page after an action).
pub async fn get(store: &Store, token: &str) -> Result<SharedInvoice, Error> {
    Ok(read(store, token).await?.1)
}

/// Opens the link: the first view by the recipient moves sent → viewed (written now, with
/// its event); every view by someone other than the sender is recorded (later views after
/// the response: opening a link is a read).
pub async fn view(store: &Store, token: &str, visitor: &Visitor) -> Result<SharedInvoice, Error> {
    // The diff is against what was seen before this visit.
    let (m, shown) = read(store, token).await?;
    if visitor.sender_id == Some(m.sender_id) {
        return Ok(shown);
    }
    let view = View {
        invoice_id: m.id,
        version: m.version,
        ip: visitor.ip.clone(),
        user_agent: visitor.user_agent.clone(),
        at: store.now(),
    };
    if status_of(&m)? != Status::Sent {
        views::record_later(store, view).await?;
        return Ok(shown);
    }
    first_view(store, token, view, shown).await
}

/// The recipient's first view: sent → viewed, its event and webhooks, in one transaction.
async fn first_view(store: &Store, token: &str, view: View, shown: SharedInvoice) -> Result<SharedInvoice, Error> {
    let txn = store.db.begin().await?;
    let m = find(&txn, token, true).await?;
    let ip = view.ip.clone();
    view.row().insert(&txn).await?;
    let mut invoice = shown.invoice;
    // Another request may have recorded the first view meanwhile.
    if status_of(&m)? == Status::Sent {
        let now = store.now();
        let mut row: invoice::ActiveModel = m.clone().into();
        row.status = Set(Status::Viewed.as_str().into());
        row.viewed_at = Set(Some(now));
        row.updated_at = Set(now);
        let viewed = row.update(&txn).await?;
        invoice = load(store, &txn, viewed.clone()).await?;
        let happened = Happened::Viewed { ip };
        let change =
            Change { happened, actor: Actor::Recipient, sender: &shown.sender, row: &viewed, invoice: &invoice };
        effects::record(store, &txn, change).await?;
    }
    txn.commit().await?;
    Ok(SharedInvoice { invoice, ..shown })
}

/// Moves the invoice by a recipient action and returns the row after it.
async fn transition(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    m: &invoice::Model,
    action: Action,
    edit: impl FnOnce(&mut invoice::ActiveModel),
) -> Result<invoice::Model, Error> {
    let next = status_of(m)?.apply(action)?;
    let mut row: invoice::ActiveModel = m.clone().into();
    row.status = Set(next.as_str().into());
    row.updated_at = Set(now);
    edit(&mut row);
    Ok(row.update(txn).await?)
}

/// Ends a recipient action: its effects, the commit, and the invoice as the link now shows it.
async fn finish(
    store: &Store,
    txn: sea_orm::DatabaseTransaction,
    token: &str,
    saved: invoice::Model,
    happened: Happened,
) -> Result<SharedInvoice, Error> {
    let sender = senders::get(&txn, saved.sender_id).await?;
    let invoice = load(store, &txn, saved.clone()).await?;
    let change = Change { happened, actor: Actor::Recipient, sender: &sender, row: &saved, invoice: &invoice };
    effects::record(store, &txn, change).await?;
    txn.commit().await?;
    get(store, token).await
}

/// The recipient asks for changes; the sender is told by e-mail.
pub async fn request_changes(
    store: &Store,
    token: &str,
    message: &str,
    visitor: &Visitor,
) -> Result<SharedInvoice, Error> {
    let message = domain::validate::text(Some(message.to_string()), "message", 5_000)?
        .ok_or_else(|| Error::invalid("message", "say what should change"))?;
    let txn = store.db.begin().await?;
    let m = find(&txn, token, true).await?;
    let saved = transition(&txn, store.now(), &m, Action::RequestChange, |_| {}).await?;
    finish(store, txn, token, saved, Happened::ChangeRequested { message, ip: visitor.ip.clone() }).await
}

/// The recipient approves with their name (and the PO number when the customer requires one).
/// The invoice is locked from then on.
pub async fn approve(
    store: &Store,
    token: &str,
    name: &str,
    po_number: Option<&str>,
    visitor: &Visitor,
) -> Result<SharedInvoice, Error> {
    let name = domain::validate::text(Some(name.to_string()), "name", 200)?
        .ok_or_else(|| Error::invalid("name", "type your name to approve"))?;
    let po = domain::validate::text(po_number.map(str::to_string), "po_number", 100)?;
    let txn = store.db.begin().await?;
    let m = find(&txn, token, true).await?;
    let po_required = customer::Entity::find_by_id(m.customer_id).one(&txn).await?.is_some_and(|c| c.po_required);
    let po = po.or(m.po_number.clone());
    if po_required && po.is_none() {
        return Err(Error::invalid("po_number", "your purchase order (PO) number is required to approve"));
    }
    let ip = visitor.ip.clone();
    let now = store.now();
    let saved = transition(&txn, now, &m, Action::Approve, |row| {
        row.approved_at = Set(Some(now));
        row.approved_by = Set(Some(name.clone()));
        row.approved_ip = Set(ip.clone());
        row.po_number = Set(po.clone());
    })
    .await?;
    finish(store, txn, token, saved, Happened::Approved { name, po_number: po, ip }).await
}

/// Sends the link to another address (accounts payable, a colleague), at most
/// FORWARDS_PER_DAY times a day per invoice.
pub async fn forward(
    store: &Store,
    token: &str,
    email: &str,
    note: &str,
    visitor: &Visitor,
) -> Result<SharedInvoice, Error> {
    let email = domain::validate::email(Some(email.to_string()), "email")?
        .ok_or_else(|| Error::invalid("email", "the address to forward to is required"))?;
    let note = domain::validate::text(Some(note.to_string()), "note", 2_000)?;
    if let Some(ip) = visitor.ip.as_deref().and_then(|ip| ip.parse().ok()) {
        limits::hit_client(store, &FORWARDS_PER_CLIENT, ip).await?;
    }
    limits::hit(store, &FORWARDS, &sha256_hex(token)).await?;
    let txn = store.db.begin().await?;
    let m = find(&txn, token, true).await?;
    if senders::get(&txn, m.sender_id).await?.anonymous {
        return Err(Error::conflict(
            "email",
            "this invoice was made without an account, so we send no mail for it: copy its link and send it yourself",
        ));
    }
    finish(store, txn, token, m, Happened::Forwarded { to: email, note, ip: visitor.ip.clone() }).await
}
