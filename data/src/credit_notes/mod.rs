//! Credit notes (issue 26): the correction of an issued invoice after the fact. Each is its
//! own document in the sender's gapless series (CN-0001 …), credits quantities of the
//! invoice's lines (`domain::credit`: never more than was invoiced less what earlier notes
//! took, per line and in total), lowers what the invoice is owed, cancels it once everything
//! is credited, and goes out (mail, archive, e-invoice 381) in the transaction that issues it.

mod numbering;

use crate::cursor::PageRequest;
use crate::effects::{self, Change, Happened};
use crate::entities::{credit_note, invoice, line_item};
use crate::events::Actor;
use crate::invoices::{self, content_of, find_owned_invoice, parse_json, status_of};
use crate::senders::Sender;
use crate::{Error, Store};
use domain::credit_note::{CreditNote, CreditNoteInput, CreditNoteKind, CreditedLine};
use domain::dto::{Discount, LineItem, LineTax, Page};
use domain::validate::InvoiceContent;
use domain::vat::TaxCategory;
use domain::{Action, Balance, Status};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};

/// Issues a credit note against one of the sender's invoices.
pub async fn create(
    store: &Store,
    sender: &Sender,
    invoice_number: &str,
    input: CreditNoteInput,
    actor: Actor,
) -> Result<CreditNote, Error> {
    let txn = store.db.begin().await?;
    let current = find_owned_invoice(&txn, sender.id, invoice_number, true).await?;
    let (note, _) = issue_in(store, &txn, sender, current, input, CreditNoteKind::CreditNote, actor).await?;
    txn.commit().await?;
    Ok(judged(sender, note))
}

/// What `create` would issue — its number, lines and amounts, and its e-invoice verdict —
/// with nothing stored, no mail and no event (rolled back).
pub async fn preview_create(
    store: &Store,
    sender: &Sender,
    invoice_number: &str,
    input: CreditNoteInput,
    actor: Actor,
) -> Result<CreditNote, Error> {
    let txn = store.db.begin().await?;
    let would = async {
        let current = find_owned_invoice(&txn, sender.id, invoice_number, true).await?;
        issue_in(store, &txn, sender, current, input, CreditNoteKind::CreditNote, actor).await
    }
    .await;
    txn.rollback().await?;
    Ok(judged(sender, would?.0))
}

/// Cancels an issued invoice (`current`, locked by the caller): its cancellation, a credit
/// note of everything not yet credited, with `reason` or the standard words in the
/// invoice's language.
pub(crate) async fn cancel_in(
    store: &Store,
    txn: &impl ConnectionTrait,
    sender: &Sender,
    current: invoice::Model,
    reason: Option<String>,
    actor: Actor,
) -> Result<invoice::Model, Error> {
    let language = domain::Language::parse(&current.language).unwrap_or_default();
    let reason =
        reason.unwrap_or_else(|| i18n::text_with(language, "credit-reason-cancelled", &[("number", &current.number)]));
    let input = CreditNoteInput { reason, lines: None };
    Ok(issue_in(store, txn, sender, current, input, CreditNoteKind::Cancellation, actor).await?.1)
}

/// The note with its e-invoice verdict.
pub fn judged(sender: &Sender, mut note: CreditNote) -> CreditNote {
    let (document, reference) = (note.as_document(), note.reference());
    let verdict = crate::einvoices::with_document_source(sender, &document, Some(&reference), einvoice::verdict);
    note.e_invoice = Some(verdict);
    note
}

/// Issues a credit note against `current` (locked by the caller's transaction): the note, its
/// number, the invoice's credited amount, balance and state, and the effects.
pub(crate) async fn issue_in(
    store: &Store,
    txn: &impl ConnectionTrait,
    sender: &Sender,
    current: invoice::Model,
    input: CreditNoteInput,
    kind: CreditNoteKind,
    actor: Actor,
) -> Result<(CreditNote, invoice::Model), Error> {
    let from = status_of(&current)?;
    if from == Status::Draft {
        return Err(Error::conflict("status", "a draft is not issued yet: edit it, or delete it"));
    }
    if from == Status::Cancelled {
        return Err(Error::conflict("status", "the invoice is cancelled: it is credited in full already"));
    }
    if sender.anonymous {
        return Err(Error::conflict("status", "sign in to issue credit notes: they are records of your business"));
    }
    let reason = input.reason()?;
    let lines = line_item::Entity::find()
        .filter(line_item::Column::InvoiceId.eq(current.id))
        .order_by_asc(line_item::Column::Position)
        .all(txn)
        .await?;
    let content = content_of(&current, &lines)?;
    let basis = content.credit_basis()?;
    let invoiced = basis.invoiced_quantities();
    let before = credited_so_far(txn, current.id, invoiced.len()).await?;
    if before == invoiced {
        return Err(Error::conflict("lines", "everything on the invoice is credited already"));
    }
    let after = input.credited_after(&invoiced, &before)?;
    let credit = basis.credit(&before, &after)?;
    let seq = numbering::next_seq(txn, sender.id).await?;
    let now = store.now();
    let note = CreditNote {
        id: numbering::number(seq),
        kind,
        invoice_number: current.number.clone(),
        invoice_issue_date: current.issue_date,
        reason,
        issue_date: now.date_naive(),
        currency: current.currency.clone(),
        language: content.language.unwrap_or_default(),
        recipient: content.recipient.clone(),
        line_items: note_lines(&content, &credit),
        lines: credit.lines.iter().map(|l| CreditedLine { line: l.index, quantity: l.quantity }).collect(),
        prices_include_tax: content.prices_include_tax,
        subtotal_cents: credit.totals.subtotal_cents,
        discount_cents: credit.totals.discount_cents,
        tax_cents: credit.totals.tax_cents,
        tax_breakdown: content
            .breakdown(&credit.totals, |c| i18n::default_reason(content.language.unwrap_or_default(), c)),
        rounding_cents: credit.totals.rounding_cents,
        total_cents: credit.totals.total_cents,
        created_at: now,
        e_invoice: None,
    };
    if crate::einvoices::required_format(&note.as_document()).is_some() {
        // The customer needs the e-invoice: a note that breaks its rules does not go out.
        crate::einvoices::gate_document(sender, &note.as_document(), Some(&note.reference()))?;
    }
    credit_note::ActiveModel {
        sender_id: Set(sender.id),
        invoice_id: Set(current.id),
        number: Set(note.id.clone()),
        seq: Set(seq),
        kind: Set(kind.as_str().into()),
        reason: Set(note.reason.clone()),
        issue_date: Set(note.issue_date),
        currency: Set(note.currency.clone()),
        total_cents: Set(note.total_cents),
        credited_quantities: Set(quantities_json(&after)?),
        document: Set(serde_json::to_string(&note).map_err(|e| crate::error::corrupt("credit note", e))?),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let in_full = after == invoiced;
    let saved = credit_invoice(store, txn, current, from, note.total_cents, in_full).await?;
    let dto = invoices::load(store, txn, saved.clone()).await?;
    let to = status_of(&saved)?;
    let issued = Happened::CreditNoteIssued { note: Box::new(note.clone()) };
    effects::record(store, txn, Change { happened: issued, actor, sender, row: &saved, invoice: &dto }).await?;
    if to != from {
        let happened = Happened::Credited { from, to, credit_note: note.id.clone() };
        effects::record(store, txn, Change { happened, actor, sender, row: &saved, invoice: &dto }).await?;
    }
    Ok((note, saved))
}

/// The invoice after a credit of `cents`: credited, owed and refunded amounts, and its state
/// (cancelled when credited in full; paid when the credit leaves nothing owed).
async fn credit_invoice(
    store: &Store,
    txn: &impl ConnectionTrait,
    current: invoice::Model,
    from: Status,
    cents: i64,
    in_full: bool,
) -> Result<invoice::Model, Error> {
    let balance = Balance {
        total_cents: current.total_cents,
        paid_cents: current.amount_paid_cents,
        credited_cents: current.credited_cents + cents,
    };
    let now = store.now();
    let to = if in_full {
        from.apply(Action::CreditInFull)?
    } else if balance.due_cents() == 0 && from.accepts_payments() {
        from.apply(Action::MarkPaid)?
    } else {
        from
    };
    let mut row: invoice::ActiveModel = current.into();
    row.credited_cents = Set(balance.credited_cents);
    row.balance_due_cents = Set(if to == Status::Cancelled { 0 } else { balance.due_cents() });
    row.status = Set(to.as_str().into());
    match to {
        _ if to == from => {}
        Status::Cancelled => row.cancelled_at = Set(Some(now)),
        Status::Paid => row.paid_at = Set(Some(now)),
        _ => {}
    }
    row.updated_at = Set(now);
    Ok(row.update(txn).await?)
}

/// The credited lines as a document prints them: the invoice line's description, price and
/// VAT (made explicit where the invoice's own tax applied), the credited quantity, and the
/// amounts `domain::credit` computed.
fn note_lines(content: &InvoiceContent, credit: &domain::credit::CreditTotals) -> Vec<LineItem> {
    credit
        .lines
        .iter()
        .zip(&credit.totals.lines)
        .map(|(c, amounts)| {
            let l = &content.line_items[c.index];
            let (category, rate) = content.tax_of(l);
            let tax = l.tax.clone().or_else(|| {
                (category == TaxCategory::Standard).then_some(LineTax {
                    category,
                    rate,
                    exemption_reason: None,
                    vatex: None,
                })
            });
            LineItem {
                description: l.description.clone(),
                quantity: c.quantity,
                unit_price_cents: l.unit_price_cents,
                discount: (amounts.discount_cents != 0)
                    .then_some(Discount::Flat { value_cents: amounts.discount_cents }),
                tax,
                discount_cents: amounts.discount_cents,
                line_total_cents: amounts.total_cents,
            }
        })
        .collect()
}

/// Per invoice line, what its credit notes took so far (the latest note records the sum).
async fn credited_so_far(db: &impl ConnectionTrait, invoice_id: i64, lines: usize) -> Result<Vec<Decimal>, Error> {
    let latest: Option<String> = credit_note::Entity::find()
        .select_only()
        .column(credit_note::Column::CreditedQuantities)
        .filter(credit_note::Column::InvoiceId.eq(invoice_id))
        .order_by_desc(credit_note::Column::Id)
        .into_tuple()
        .one(db)
        .await?;
    let Some(text) = latest else { return Ok(vec![Decimal::ZERO; lines]) };
    let quantities: Vec<String> = parse_json("credited quantities", &text)?;
    let parsed: Option<Vec<Decimal>> = quantities.iter().map(|q| domain::decimal::parse(q)).collect();
    match parsed {
        Some(q) if q.len() == lines => Ok(q),
        _ => Err(crate::error::corrupt("credited quantities", "one exact quantity per line")),
    }
}

fn quantities_json(quantities: &[Decimal]) -> Result<String, Error> {
    let text: Vec<String> = quantities.iter().map(|q| q.normalize().to_string()).collect();
    serde_json::to_string(&text).map_err(|e| crate::error::corrupt("credited quantities", e))
}

fn to_dto(row: credit_note::Model) -> Result<CreditNote, Error> {
    parse_json("credit note", &row.document)
}

/// One of the sender's credit notes by number (any case); another sender's is "not found".
pub async fn get(store: &Store, sender: &Sender, number: &str) -> Result<CreditNote, Error> {
    let row = find(store.reader(), sender.id, number).await?;
    Ok(judged(sender, to_dto(row)?))
}

pub(crate) async fn find(db: &impl ConnectionTrait, sender_id: i64, number: &str) -> Result<credit_note::Model, Error> {
    if domain::validate::has_control_chars(number) {
        return Err(Error::not_found("credit note"));
    }
    credit_note::Entity::find()
        .filter(credit_note::Column::SenderId.eq(sender_id))
        .filter(credit_note::Column::Number.eq(number.trim().to_ascii_uppercase()))
        .one(db)
        .await?
        .ok_or(Error::not_found("credit note"))
}

/// The sender's credit notes, newest first (one keyset page), or one invoice's.
pub async fn list(
    store: &Store,
    sender_id: i64,
    invoice_number: Option<&str>,
    page: PageRequest,
) -> Result<Page<CreditNote>, Error> {
    let db = store.reader();
    let mut query = credit_note::Entity::find().filter(credit_note::Column::SenderId.eq(sender_id));
    if let Some(number) = invoice_number {
        let invoice = find_owned_invoice(db, sender_id, number, false).await?;
        query = query.filter(credit_note::Column::InvoiceId.eq(invoice.id));
    }
    let rows = page.select(query, credit_note::Column::Id).all(db).await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id);
    Ok(Page { data: rows.into_iter().map(to_dto).collect::<Result<_, _>>()?, next_cursor })
}

/// An invoice's credit notes, oldest first (the share page and the invoice page list them).
pub async fn of_invoice(db: &impl ConnectionTrait, invoice_id: i64) -> Result<Vec<CreditNote>, Error> {
    let rows = credit_note::Entity::find()
        .filter(credit_note::Column::InvoiceId.eq(invoice_id))
        .order_by_asc(credit_note::Column::Id)
        .all(db)
        .await?;
    rows.into_iter().map(to_dto).collect()
}

/// Whether the invoice has a credit note (its content is then fixed: notes credit its lines).
pub(crate) async fn any_for(db: &impl ConnectionTrait, invoice_id: i64) -> Result<bool, Error> {
    let first: Option<i64> = credit_note::Entity::find()
        .select_only()
        .column(credit_note::Column::Id)
        .filter(credit_note::Column::InvoiceId.eq(invoice_id))
        .into_tuple()
        .one(db)
        .await?;
    Ok(first.is_some())
}
