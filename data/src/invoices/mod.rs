//! Invoices: create (numbered per customer), read, list and PATCH through the state machine.

mod convert;
mod listing;
pub(crate) mod numbering;
pub mod overview;
mod read;
mod search;
pub(crate) mod versions;

use crate::cursor::PageRequest;
use crate::customers::{find_or_create_for, find_owned};
use crate::effects::{self, Change, Happened};
use crate::entities::{invoice, line_item};
use crate::events::{self, Actor};
use crate::secrets::{random_token, sha256_hex};
use crate::senders::Sender;
use crate::{Error, Store};
pub(crate) use convert::status_of;
pub(crate) use convert::to_dto;
pub(crate) use convert::{content_of, parse_json};
use convert::{fill_recipient, line_rows, recipient_of, set_content};
use domain::dto::{Invoice, InvoiceInput, Page};
use domain::validate::{Defaults, InvoiceContent};
use domain::{Action, Status};
pub use listing::{DateRange, ListFilter};
pub(crate) use read::{Lookup, with_lines};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};

/// Share tokens carry 128 random bits.
const SHARE_TOKEN_BYTES: usize = 16;

fn require_complete_profile(sender: &Sender) -> Result<(), Error> {
    if sender.company.as_deref().is_none_or(|c| c.trim().is_empty()) {
        return Err(Error::ProfileIncomplete {
            message: "complete the sender profile first: invoices need your company name".into(),
            field: Some("company".into()),
        });
    }
    Ok(())
}

pub async fn create(store: &Store, sender: &Sender, input: InvoiceInput, actor: Actor) -> Result<Invoice, Error> {
    let txn = store.db.begin().await?;
    let created = create_in(store, &txn, sender, input, actor).await?;
    txn.commit().await?;
    Ok(crate::einvoices::judged(sender, created))
}

/// What `create` would make — validated, totalled, with the number it would get — with nothing
/// stored and no event: the same use case, rolled back. Its share link is left empty (it
/// would not exist).
pub async fn preview_create(
    store: &Store,
    sender: &Sender,
    input: InvoiceInput,
    actor: Actor,
) -> Result<Invoice, Error> {
    let txn = store.db.begin().await?;
    let would = create_in(store, &txn, sender, input, actor).await;
    txn.rollback().await?;
    let mut invoice = would?;
    invoice.share_token.clear();
    invoice.share_url.clear();
    Ok(crate::einvoices::judged(sender, invoice))
}

/// What `update` would make of the invoice, nothing stored, no event (rolled back).
pub async fn preview_update(
    store: &Store,
    sender_id: i64,
    number: &str,
    patch: InvoiceInput,
    actor: Actor,
) -> Result<Invoice, Error> {
    let txn = store.db.begin().await?;
    let would = match update_in(store, &txn, sender_id, number, patch, actor).await {
        Ok(row) => load(store, &txn, row).await,
        Err(e) => Err(e),
    };
    txn.rollback().await?;
    let sender = crate::senders::get(store.reader(), sender_id).await?;
    Ok(crate::einvoices::judged(&sender, would?))
}

/// Creates the invoice in the caller's transaction (a use case that does more around it).
pub(crate) async fn create_in(
    store: &Store,
    txn: &impl ConnectionTrait,
    sender: &Sender,
    input: InvoiceInput,
    actor: Actor,
) -> Result<Invoice, Error> {
    create_from(store, txn, sender, input, actor, None).await
}

/// Creates the invoice in the caller's transaction, made from a recurring invoice when
/// `recurring_invoice_id` names one.
pub(crate) async fn create_from(
    store: &Store,
    txn: &impl ConnectionTrait,
    sender: &Sender,
    input: InvoiceInput,
    actor: Actor,
    recurring_invoice_id: Option<i64>,
) -> Result<Invoice, Error> {
    let defaults = Defaults { currency: sender.default_currency.clone(), today: store.now().date_naive() };
    let (mut content, customer_id) = InvoiceContent::from_input(input, &defaults)?;
    require_complete_profile(sender)?;
    let customer = match customer_id {
        Some(id) => find_owned(txn, sender.id, id).await.map_err(|e| match e {
            Error::NotFound { what, .. } => Error::NotFound { what, field: Some("customer_id".into()) },
            other => other,
        })?,
        None => find_or_create_for(txn, store.now(), sender.id, &content.recipient).await?,
    };
    content.recipient = fill_recipient(content.recipient, recipient_of(&customer)?);
    content.language = content.language.or(customer.language.as_deref().and_then(domain::Language::parse));
    if let Some((reason, vatex)) = crate::senders::small_business_exemption(sender) {
        content.exempt_as_small_business(reason, vatex);
    }
    let totals = content.check()?;
    let seq = numbering::next_seq(txn, customer.id).await?;
    let token = random_token(SHARE_TOKEN_BYTES);
    let now = store.now();
    let mut row = invoice::ActiveModel {
        sender_id: Set(sender.id),
        customer_id: Set(customer.id),
        number: Set(domain::code::invoice_number(&customer.code, seq)),
        seq: Set(seq),
        status: Set(Status::Draft.as_str().into()),
        share_token_hash: Set(sha256_hex(&token)),
        share_token_sealed: Set(store.sealer().seal(&token)),
        version: Set(1),
        recurring_invoice_id: Set(recurring_invoice_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    set_content(&mut row, &content, &totals, 0)?;
    let saved = row.insert(txn).await?;
    let mut lines =
        line_item::Entity::insert_many(line_rows(saved.id, &content, &totals)?).exec_with_returning_many(txn).await?;
    lines.sort_by_key(|l| l.position);
    let created = to_dto(store, saved.clone(), lines)?;
    let change = Change { happened: Happened::Created, actor, sender, row: &saved, invoice: &created };
    effects::record(store, txn, change).await?;
    Ok(created)
}

async fn lines_of(db: &impl ConnectionTrait, invoice_ids: &[i64]) -> Result<Vec<line_item::Model>, Error> {
    if invoice_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(line_item::Entity::find()
        .filter(line_item::Column::InvoiceId.is_in(invoice_ids.to_vec()))
        .order_by_asc(line_item::Column::InvoiceId)
        .order_by_asc(line_item::Column::Position)
        .all(db)
        .await?)
}

pub(crate) async fn load(store: &Store, db: &impl ConnectionTrait, m: invoice::Model) -> Result<Invoice, Error> {
    let lines = lines_of(db, &[m.id]).await?;
    to_dto(store, m, lines)
}

/// One of the sender's invoices by number (case-insensitive); another sender's is "not found".
pub(crate) async fn find_owned_invoice(
    db: &impl ConnectionTrait,
    sender_id: i64,
    number: &str,
    for_update: bool,
) -> Result<invoice::Model, Error> {
    if domain::validate::has_control_chars(number) {
        return Err(Error::not_found("invoice"));
    }
    let mut query = invoice::Entity::find()
        .filter(invoice::Column::SenderId.eq(sender_id))
        .filter(invoice::Column::Number.eq(number.trim().to_ascii_uppercase()));
    if for_update {
        query = crate::locking::for_update(query, db);
    }
    query.one(db).await?.ok_or(Error::not_found("invoice"))
}

/// The version of one of the sender's invoices (bumped by every content change).
pub(crate) async fn version_of(db: &impl ConnectionTrait, sender_id: i64, number: &str) -> Result<i32, Error> {
    Ok(find_owned_invoice(db, sender_id, number, false).await?.version)
}

/// An invoice by id, locked for the caller's transaction (PostgreSQL; SQLite has one writer).
pub(crate) async fn find_by_id_for_update(db: &impl ConnectionTrait, id: i64) -> Result<invoice::Model, Error> {
    let query = crate::locking::for_update(invoice::Entity::find_by_id(id), db);
    query.one(db).await?.ok_or(Error::not_found("invoice"))
}

/// The numbers of the invoices `ids` names, as (id, number): one query for a page of rows
/// that refer to invoices by id.
pub(crate) async fn numbers_of(db: &impl ConnectionTrait, ids: Vec<i64>) -> Result<Vec<(i64, String)>, Error> {
    use sea_orm::QuerySelect;
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(invoice::Entity::find()
        .select_only()
        .column(invoice::Column::Id)
        .column(invoice::Column::Number)
        .filter(invoice::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?)
}

pub async fn get(store: &Store, sender_id: i64, number: &str) -> Result<Invoice, Error> {
    if domain::validate::has_control_chars(number) {
        return Err(Error::not_found("invoice"));
    }
    let lookup = Lookup::Number { sender_id, number: number.trim().to_ascii_uppercase() };
    let (m, lines) = with_lines(store.reader(), lookup).await?.ok_or(Error::not_found("invoice"))?;
    to_dto(store, m, lines)
}

/// The invoice with its e-invoice verdict (`e_invoice`), as single-invoice answers carry it.
pub async fn get_judged(store: &Store, sender: &Sender, number: &str) -> Result<Invoice, Error> {
    Ok(crate::einvoices::judged(sender, get(store, sender.id, number).await?))
}

/// The sender's invoices in `filter.sort`'s order (newest first by default), one keyset page.
pub async fn list(
    store: &Store,
    sender_id: i64,
    filter: &ListFilter,
    page: PageRequest,
) -> Result<Page<Invoice>, Error> {
    let db = store.reader();
    let read = listing::rows(store, sender_id, filter, page).await?;
    let (rows, next_cursor) = match read.resume_after {
        Some(last) if read.rows.len() as u64 <= page.limit => (read.rows, Some(crate::cursor::encode(last))),
        _ => page.finish(read.rows, |r| r.id),
    };
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut lines = lines_of(db, &ids).await?;
    let mut data = Vec::with_capacity(rows.len());
    for row in rows {
        let (mine, rest): (Vec<_>, Vec<_>) = lines.into_iter().partition(|l| l.invoice_id == row.id);
        lines = rest;
        data.push(to_dto(store, row, mine)?);
    }
    Ok(Page { data, next_cursor })
}

/// The timestamp column a sender-set status writes.
fn status_stamp(status: Status) -> Option<invoice::Column> {
    match status {
        Status::Sent => Some(invoice::Column::SentAt),
        Status::Paid => Some(invoice::Column::PaidAt),
        Status::Cancelled => Some(invoice::Column::CancelledAt),
        _ => None,
    }
}

/// PATCH: content changes (refused once locked) and then a sender status change.
pub async fn update(
    store: &Store,
    sender_id: i64,
    number: &str,
    patch: InvoiceInput,
    actor: Actor,
) -> Result<Invoice, Error> {
    let txn = store.db.begin().await?;
    update_in(store, &txn, sender_id, number, patch, actor).await?;
    txn.commit().await?;
    let sender = crate::senders::get(store.reader(), sender_id).await?;
    get_judged(store, &sender, number).await
}

/// The invoice editor's save of an existing invoice. Its form holds only some recipient
/// fields (company, name, e-mail, cc): the others keep what the invoice has, and the invoice
/// keeps its customer.
pub async fn save_edited(
    store: &Store,
    sender_id: i64,
    number: &str,
    mut edited: InvoiceInput,
) -> Result<Invoice, Error> {
    let txn = store.db.begin().await?;
    if let Some(typed) = edited.recipient.as_mut() {
        let current = find_owned_invoice(&txn, sender_id, number, true).await?;
        let mut merged = load(store, &txn, current).await?.recipient;
        merged.company = typed.company.take();
        merged.name = typed.name.take();
        merged.email = typed.email.take();
        merged.vat_id = typed.vat_id.take();
        merged.buyer_reference = typed.buyer_reference.take();
        merged.cc_emails = std::mem::take(&mut typed.cc_emails);
        *typed = merged;
    }
    edited.customer_id = None;
    update_in(store, &txn, sender_id, number, edited, Actor::Sender).await?;
    txn.commit().await?;
    get(store, sender_id, number).await
}

/// PATCHes in the caller's transaction; the invoice as it then stands.
pub(crate) async fn update_in(
    store: &Store,
    txn: &impl ConnectionTrait,
    sender_id: i64,
    number: &str,
    patch: InvoiceInput,
    actor: Actor,
) -> Result<invoice::Model, Error> {
    let current = find_owned_invoice(txn, sender_id, number, true).await?;
    let before = status_of(&current)?;
    if patch.customer_id.is_some_and(|c| c != current.customer_id) {
        return Err(Error::invalid(
            "customer_id",
            "an invoice keeps its customer (its number belongs to that customer); create a new invoice instead",
        ));
    }
    // Paid means paid in full: a payment of the balance, recorded after the content below.
    let pay_in_full = patch.status == Some(Status::Paid) && before != Status::Paid;
    // Cancelling an issued invoice issues its cancellation (a credit note of everything left).
    let cancel_issued =
        patch.status == Some(Status::Cancelled) && before != Status::Draft && before.apply(Action::Cancel).is_ok();
    let target = patch.status.filter(|t| *t != Status::Paid && !(cancel_issued && *t == Status::Cancelled));
    let mut row: invoice::ActiveModel = current.clone().into();
    let mut happened = Vec::new();
    let mut status = before;
    let sender = crate::senders::get(txn, sender_id).await?;
    if let Some(edited) = patch_content(txn, &sender, &current, &mut row, before, patch).await? {
        status = status.apply(Action::Edit)?;
        happened.push(edited);
    }
    if let Some(target) = target.filter(|t| *t != status) {
        let from = status;
        status = set_status(&current, &mut row, from, target, store.now())?;
        happened.push(Happened::StatusSet { from, to: status });
    }
    let mut saved = current;
    if !happened.is_empty() {
        row.status = Set(status.as_str().into());
        row.updated_at = Set(store.now());
        saved = row.update(txn).await?;
        let dto = load(store, txn, saved.clone()).await?;
        if before == Status::Draft && status == Status::Sent {
            // Issued by hand (the sender delivers the link): the same gate as sending.
            crate::einvoices::gate(&sender, &dto)?;
        }
        for happened in happened {
            let change = Change { happened, actor, sender: &sender, row: &saved, invoice: &dto };
            effects::record(store, txn, change).await?;
        }
    }
    if pay_in_full {
        // Boxed: its future is large, and update_in runs inside other use cases' futures.
        saved = Box::pin(crate::payments::pay_in_full_in(store, txn, &sender, saved, actor)).await?;
    }
    if cancel_issued {
        saved = Box::pin(crate::credit_notes::cancel_in(store, txn, &sender, saved, None, actor)).await?;
    }
    Ok(saved)
}

/// Writes the PATCH's content into `row` and the invoice's lines when it changes anything;
/// what happened then (an edit), or None when the content stays as it was.
async fn patch_content(
    txn: &impl ConnectionTrait,
    sender: &Sender,
    current: &invoice::Model,
    row: &mut invoice::ActiveModel,
    status: Status,
    patch: InvoiceInput,
) -> Result<Option<Happened>, Error> {
    if !patch.changes_content() {
        return Ok(None);
    }
    let lines = lines_of(txn, &[current.id]).await?;
    let old = content_of(current, &lines)?;
    let mut new = old.patched(patch)?;
    if let Some((reason, vatex)) = crate::senders::small_business_exemption(sender) {
        new.exempt_as_small_business(reason, vatex);
    }
    if new == old {
        return Ok(None);
    }
    if status.is_locked() {
        return Err(Error::conflict("status", format!("invoice is {status} and locked: its content cannot change")));
    }
    if crate::credit_notes::any_for(txn, current.id).await? {
        return Err(Error::conflict(
            "status",
            "the invoice has credit notes, which credit its lines as issued: correct it with another credit note",
        ));
    }
    status.apply(Action::Edit)?;
    let totals = new.check()?;
    if new.currency != old.currency && current.amount_paid_cents != 0 {
        return Err(Error::conflict("currency", "the invoice has payments in its currency: it keeps it"));
    }
    set_content(row, &new, &totals, current.amount_paid_cents)?;
    row.version = Set(current.version + 1);
    line_item::Entity::delete_many().filter(line_item::Column::InvoiceId.eq(current.id)).exec(txn).await?;
    line_item::Entity::insert_many(line_rows(current.id, &new, &totals)?).exec(txn).await?;
    Ok(Some(Happened::Edited { recipient_saw_earlier: status != Status::Draft }))
}

/// Moves `row` from `from` to the status the sender asked for (its time stamp set); the
/// status it is in then, or why the life cycle refuses.
fn set_status(
    current: &invoice::Model,
    row: &mut invoice::ActiveModel,
    from: Status,
    target: Status,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Status, Error> {
    let action = Status::sender_action_for(target).ok_or_else(|| {
        Error::conflict(
            "status",
            format!(
                "a sender cannot set status {target}; allowed: sent, paid, cancelled (the recipient moves the others)"
            ),
        )
    })?;
    let status = from.apply(action)?;
    if status == Status::Cancelled {
        if current.amount_paid_cents != 0 {
            let paid = domain::currency::format_amount(current.amount_paid_cents, &current.currency);
            return Err(Error::conflict(
                "status",
                format!("invoice has payments of {paid}: record a refund (a negative payment) before cancelling it"),
            ));
        }
        row.balance_due_cents = Set(0);
    }
    if let Some(column) = status_stamp(status) {
        row.set(column, Some(now).into());
    }
    Ok(status)
}

/// Deletes a draft (never issued: nobody was shown it as an invoice). Its number is recorded
/// as void, so the customer's series stays explainable: ACME-0003 was a draft, deleted. An
/// issued invoice is corrected by a credit note, or cancelled (which issues one).
pub async fn delete_draft(store: &Store, sender_id: i64, number: &str) -> Result<(), Error> {
    let txn = store.db.begin().await?;
    let current = find_owned_invoice(&txn, sender_id, number, true).await?;
    let status = status_of(&current)?;
    if status != Status::Draft {
        return Err(Error::conflict(
            "status",
            format!("invoice is {status}: only drafts can be deleted; cancel it or issue a credit note instead"),
        ));
    }
    crate::entities::voided_number::ActiveModel {
        sender_id: Set(sender_id),
        customer_id: Set(current.customer_id),
        number: Set(current.number.clone()),
        reason: Set("draft deleted".into()),
        voided_at: Set(store.now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    invoice::Entity::delete_by_id(current.id).exec(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// The numbers of the sender's series that will never be used (deleted drafts), oldest first.
pub async fn voided_numbers(
    store: &Store,
    sender_id: i64,
) -> Result<Vec<crate::entities::voided_number::Model>, Error> {
    use crate::entities::voided_number;
    Ok(voided_number::Entity::find()
        .filter(voided_number::Column::SenderId.eq(sender_id))
        .order_by_asc(voided_number::Column::Id)
        .all(store.reader())
        .await?)
}

/// The invoice's events, oldest first.
pub async fn timeline(store: &Store, sender_id: i64, number: &str) -> Result<Vec<events::Event>, Error> {
    let m = find_owned_invoice(store.reader(), sender_id, number, false).await?;
    events::for_invoice(store.reader(), m.id).await
}

/// Sends a draft by e-mail: marks it sent and queues the mail to the recipient (and cc) with
/// the share link, in one transaction, so the mail goes out even if SMTP is down right now.
pub async fn send(store: &Store, sender: &Sender, number: &str, actor: Actor) -> Result<Invoice, Error> {
    let txn = store.db.begin().await?;
    send_in(store, &txn, sender, number, actor).await?;
    txn.commit().await?;
    get_judged(store, sender, number).await
}

/// What `send` would do, nothing stored, no mail, no event (rolled back): the invoice as it
/// would be, or the same refusal (a 422 naming every e-invoice violation).
pub async fn preview_send(store: &Store, sender: &Sender, number: &str, actor: Actor) -> Result<Invoice, Error> {
    let txn = store.db.begin().await?;
    let would = send_in(store, &txn, sender, number, actor).await;
    txn.rollback().await?;
    Ok(crate::einvoices::judged(sender, would?))
}

pub(crate) async fn send_in(
    store: &Store,
    txn: &sea_orm::DatabaseTransaction,
    sender: &Sender,
    number: &str,
    actor: Actor,
) -> Result<Invoice, Error> {
    let current = find_owned_invoice(txn, sender.id, number, true).await?;
    let next = status_of(&current)?.apply(Action::Send)?;
    let invoice = load(store, txn, current.clone()).await?;
    let (to, cc) = effects::addressees(&invoice.recipient).ok_or_else(|| {
        Error::invalid("recipient.email", "add the recipient's e-mail address before sending the invoice")
    })?;
    crate::einvoices::gate(sender, &invoice)?;
    let now = store.now();
    let mut row: invoice::ActiveModel = current.clone().into();
    row.status = Set(next.as_str().into());
    row.sent_at = Set(Some(now));
    row.updated_at = Set(now);
    let saved = row.update(txn).await?;
    let sent = load(store, txn, saved.clone()).await?;
    let change = Change { happened: Happened::Emailed { to, cc }, actor, sender, row: &saved, invoice: &sent };
    effects::record(store, txn, change).await?;
    Ok(sent)
}
