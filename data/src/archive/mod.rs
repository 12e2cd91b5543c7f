//! The archive (issue 26): every document as it went out — the PDF and the e-invoice of each
//! version of an invoice its recipient was shown, and of each credit note — kept as bytes
//! with their SHA-256 in a hash chain per sender, written in the transaction that sends
//! them: a document that cannot be kept is not sent. Later requests for that version are
//! answered from here, so they get the very bytes that went out, whatever the template or
//! the code became.

mod chain;
pub mod export;
mod render;

pub use chain::{Broken, Verified, verify};
pub use render::{Document, Renderer};

use crate::entities::{archive_entry, archive_head};
use crate::senders::Sender;
use crate::{Error, Store};
use chain::{GENESIS, entry_hash};
use chrono::{DateTime, SubsecRound, Utc};
use domain::credit_note::CreditNote;
use domain::dto::Invoice;
use domain::einvoice::EInvoiceFormat;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};

pub const INVOICE: &str = "invoice";
pub const CREDIT_NOTE: &str = "credit_note";

/// A document file as the archive returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    pub seq: i64,
    pub document_type: String,
    pub number: String,
    pub version: i32,
    pub file_name: String,
    pub content_type: String,
    pub sha256: String,
    pub bytes: Vec<u8>,
    pub created_at: DateTime<Utc>,
}

/// What the export's index says of a document: kept beside its bytes, in the chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub customer: String,
    pub currency: String,
    /// Per VAT group: its label ("S 19", "AE 0"), taxable and tax.
    pub groups: Vec<SummaryGroup>,
    pub net_cents: i64,
    pub tax_cents: i64,
    pub total_cents: i64,
    /// The invoice a credit note corrects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrects: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryGroup {
    pub category: String,
    pub rate: String,
    pub taxable_cents: i64,
    pub tax_cents: i64,
}

impl Summary {
    fn of(document: &Invoice, corrects: Option<String>) -> Summary {
        let r = &document.recipient;
        Summary {
            customer: r.company.clone().or_else(|| r.name.clone()).or_else(|| r.email.clone()).unwrap_or_default(),
            currency: document.currency.clone(),
            groups: document
                .tax_breakdown
                .iter()
                .map(|g| SummaryGroup {
                    category: g.category_code.clone(),
                    rate: g.rate.normalize().to_string(),
                    taxable_cents: g.taxable_cents,
                    tax_cents: g.tax_cents,
                })
                .collect(),
            net_cents: document.subtotal_cents - document.discount_cents,
            tax_cents: document.tax_cents,
            total_cents: document.total_cents,
            corrects,
        }
    }
}

/// Keeps the invoice's documents at its current version (shown to its recipient now), in
/// `txn`. Kept once per version: a second call finds them and adds nothing.
pub(crate) async fn keep_invoice(
    store: &Store,
    txn: &impl ConnectionTrait,
    sender: &Sender,
    version: i32,
    invoice: &Invoice,
) -> Result<(), Error> {
    let document = Document::Invoice(invoice);
    keep(store, txn, sender, INVOICE, version, &document, Summary::of(invoice, None)).await
}

pub(crate) async fn keep_credit_note(
    store: &Store,
    txn: &impl ConnectionTrait,
    sender: &Sender,
    note: &CreditNote,
) -> Result<(), Error> {
    let summary = Summary::of(&note.as_document(), Some(note.invoice_number.clone()));
    keep(store, txn, sender, CREDIT_NOTE, 1, &Document::CreditNote(note), summary).await
}

async fn keep(
    store: &Store,
    txn: &impl ConnectionTrait,
    sender: &Sender,
    document_type: &str,
    version: i32,
    document: &Document<'_>,
    summary: Summary,
) -> Result<(), Error> {
    if sender.anonymous {
        // Nobody proved who issues it, and it changes hands when claimed: not a record yet.
        return Ok(());
    }
    let Some(renderer) = store.renderer() else {
        let message = "no document renderer: the archive cannot keep what is sent".into();
        return Err(Error::Unavailable { message });
    };
    let files = render::files(renderer.as_ref(), document, sender).await?;
    let summary = serde_json::to_string(&summary).map_err(|e| crate::error::corrupt("archive summary", e))?;
    let head = lock_head(txn, sender.id).await?;
    let (mut seq, mut prev) = (head.last_seq, head.last_hash);
    let number = document.number();
    for file in files {
        if find(txn, sender.id, document_type, number, version, &file.file_name).await?.is_some() {
            continue;
        }
        seq += 1;
        let now = store.now().trunc_subsecs(6);
        let sha256 = sha256_bytes(&file.bytes);
        let size = i64::try_from(file.bytes.len()).unwrap_or(i64::MAX);
        let hash = entry_hash(&chain::Fields {
            prev_hash: &prev,
            seq,
            document_type,
            number,
            version,
            issue_date: document.issue_date(),
            file_name: &file.file_name,
            content_type: file.content_type,
            sha256: &sha256,
            size,
            summary: &summary,
            created_at: now,
        });
        archive_entry::ActiveModel {
            sender_id: Set(sender.id),
            seq: Set(seq),
            document_type: Set(document_type.into()),
            number: Set(number.into()),
            version: Set(version),
            issue_date: Set(document.issue_date()),
            file_name: Set(file.file_name.clone()),
            content_type: Set(file.content_type.into()),
            compression: Set("deflate".into()),
            content: Set(deflate(&file.bytes)?),
            size: Set(size),
            sha256: Set(sha256),
            summary: Set(summary.clone()),
            prev_hash: Set(prev.clone()),
            entry_hash: Set(hash.clone()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        prev = hash;
    }
    if seq != head.last_seq {
        let head = archive_head::ActiveModel { sender_id: Set(sender.id), last_seq: Set(seq), last_hash: Set(prev) };
        head.update(txn).await?;
    }
    Ok(())
}

/// The sender's chain head, created at the first entry, locked for the transaction: one
/// writer at a time extends a chain.
async fn lock_head(txn: &impl ConnectionTrait, sender_id: i64) -> Result<archive_head::Model, Error> {
    let genesis =
        archive_head::ActiveModel { sender_id: Set(sender_id), last_seq: Set(0), last_hash: Set(GENESIS.into()) };
    archive_head::Entity::insert(genesis)
        .on_conflict(OnConflict::column(archive_head::Column::SenderId).do_nothing().to_owned())
        .exec_without_returning(txn)
        .await?;
    let query = crate::locking::for_update(archive_head::Entity::find_by_id(sender_id), txn);
    query.one(txn).await?.ok_or_else(|| Error::not_found("archive head"))
}

async fn find(
    db: &impl ConnectionTrait,
    sender_id: i64,
    document_type: &str,
    number: &str,
    version: i32,
    file_name: &str,
) -> Result<Option<archive_entry::Model>, Error> {
    Ok(archive_entry::Entity::find()
        .filter(archive_entry::Column::SenderId.eq(sender_id))
        .filter(archive_entry::Column::DocumentType.eq(document_type))
        .filter(archive_entry::Column::Number.eq(number))
        .filter(archive_entry::Column::Version.eq(version))
        .filter(archive_entry::Column::FileName.eq(file_name))
        .one(db)
        .await?)
}

/// The kept file of a document version, if it went out.
pub async fn kept(
    store: &Store,
    sender_id: i64,
    document_type: &str,
    number: &str,
    version: i32,
    file_name: &str,
) -> Result<Option<Kept>, Error> {
    find(store.reader(), sender_id, document_type, number, version, file_name).await?.map(open).transpose()
}

/// The invoice's document in `format` (its PDF for none and Factur-X) as its recipient got it
/// at its current version: kept when it went out, or kept now when this version went out
/// before the archive did. None for an invoice never issued (a draft, a cancelled draft), for
/// an anonymous sender's invoice, and for an XML format its customer does not receive (made
/// fresh on request).
pub async fn invoice_file(
    store: &Store,
    sender: &Sender,
    invoice: &Invoice,
    format: EInvoiceFormat,
) -> Result<Option<Kept>, Error> {
    // Never issued (a draft, or a draft cancelled): made fresh each time, not a record.
    if invoice.status == domain::Status::Draft || invoice.sent_at.is_none() || sender.anonymous {
        return Ok(None);
    }
    let theirs = crate::einvoices::required_format(invoice).filter(|f| !f.is_pdf());
    if !format.is_pdf() && theirs != Some(format) {
        return Ok(None);
    }
    let number = invoice.id.as_str();
    let file_name = format.file_name(number);
    let version = crate::invoices::version_of(store.reader(), sender.id, number).await?;
    if let Some(kept) = kept(store, sender.id, INVOICE, number, version, &file_name).await? {
        return Ok(Some(kept));
    }
    let txn = store.db.begin().await?;
    let shown = Invoice { e_invoice: None, ..invoice.clone() };
    keep_invoice(store, &txn, sender, version, &shown).await?;
    txn.commit().await?;
    kept(store, sender.id, INVOICE, number, version, &file_name).await
}

/// A credit note's document in its customer's format (the PDF for none and Factur-X) as kept
/// when it was issued.
pub async fn credit_note_file(
    store: &Store,
    sender: &Sender,
    note: &CreditNote,
    format: EInvoiceFormat,
) -> Result<Option<Kept>, Error> {
    kept(store, sender.id, CREDIT_NOTE, &note.id, 1, &format.file_name(&note.id)).await
}

/// Every kept file of one document (all its versions), oldest first.
pub async fn of_document(store: &Store, sender_id: i64, document_type: &str, number: &str) -> Result<Vec<Kept>, Error> {
    let rows = archive_entry::Entity::find()
        .filter(archive_entry::Column::SenderId.eq(sender_id))
        .filter(archive_entry::Column::DocumentType.eq(document_type))
        .filter(archive_entry::Column::Number.eq(number))
        .order_by_asc(archive_entry::Column::Seq)
        .all(store.reader())
        .await?;
    rows.into_iter().map(open).collect()
}

/// What the archive holds of an invoice and its credit notes (without the bytes), in chain order.
pub async fn documents_of_invoice(
    store: &Store,
    sender_id: i64,
    invoice_number: &str,
) -> Result<Vec<domain::credit_note::ArchivedDocument>, Error> {
    let db = store.reader();
    let invoice = crate::invoices::find_owned_invoice(db, sender_id, invoice_number, false).await?;
    let mut numbers: Vec<String> =
        crate::credit_notes::of_invoice(db, invoice.id).await?.into_iter().map(|n| n.id).collect();
    numbers.push(invoice.number);
    let rows = export::listing(sender_id)
        .filter(archive_entry::Column::Number.is_in(numbers))
        .into_model::<export::Entry>()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| domain::credit_note::ArchivedDocument {
            seq: r.seq,
            document_type: r.document_type,
            number: r.number,
            version: r.version,
            file_name: r.file_name,
            content_type: r.content_type,
            size: r.size,
            sha256: r.sha256,
            created_at: r.created_at,
        })
        .collect())
}

/// One of the sender's kept files by its place in their chain.
pub async fn by_seq(store: &Store, sender_id: i64, seq: i64) -> Result<Kept, Error> {
    let row = archive_entry::Entity::find()
        .filter(archive_entry::Column::SenderId.eq(sender_id))
        .filter(archive_entry::Column::Seq.eq(seq))
        .one(store.reader())
        .await?
        .ok_or(Error::not_found("archived document"))?;
    open(row)
}

fn open(row: archive_entry::Model) -> Result<Kept, Error> {
    let bytes = inflate(&row.compression, &row.content)?;
    Ok(Kept {
        seq: row.seq,
        document_type: row.document_type,
        number: row.number,
        version: row.version,
        file_name: row.file_name,
        content_type: row.content_type,
        sha256: row.sha256,
        bytes,
        created_at: row.created_at,
    })
}

pub fn sha256_bytes(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn deflate(bytes: &[u8]) -> Result<Vec<u8>, Error> {
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).and_then(|_| encoder.finish()).map_err(|e| fault("compressing a document", e))
}

fn inflate(compression: &str, content: &[u8]) -> Result<Vec<u8>, Error> {
    match compression {
        "none" => Ok(content.to_vec()),
        "deflate" => {
            let mut out = Vec::new();
            flate2::read::DeflateDecoder::new(content)
                .read_to_end(&mut out)
                .map_err(|e| fault("an archived document", e))?;
            Ok(out)
        }
        other => Err(fault("an archived document", format!("unknown compression {other}"))),
    }
}

fn fault(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Db(sea_orm::DbErr::Custom(format!("{what}: {e}")))
}
