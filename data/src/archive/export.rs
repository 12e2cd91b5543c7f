//! An accountant's export of a period: every archived file of the documents issued in it,
//! an index of the documents (one row each, as it last went out: number, type, date,
//! customer, net and tax per rate, total, currency, SHA-256 of its files) and a list of
//! every file with its place in the chain. Credit notes count negative, so the columns
//! sum to what the period invoiced.

use super::Summary;
use crate::entities::archive_entry;
use crate::{Error, Store};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect};

/// An archived file without its bytes.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct Entry {
    pub seq: i64,
    pub document_type: String,
    pub number: String,
    pub version: i32,
    pub issue_date: NaiveDate,
    pub file_name: String,
    pub content_type: String,
    pub sha256: String,
    pub size: i64,
    pub summary: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl Entry {
    /// The name it has in an export: its place in the chain first, so files sort as they went out.
    pub fn export_name(&self) -> String {
        format!("{:06}_{}", self.seq, self.file_name)
    }
}

/// The sender's archived files of documents issued from `from` to `to` (both included), in
/// chain order.
pub async fn entries(store: &Store, sender_id: i64, from: NaiveDate, to: NaiveDate) -> Result<Vec<Entry>, Error> {
    use archive_entry::Column as C;
    Ok(listing(sender_id)
        .filter(C::IssueDate.gte(from))
        .filter(C::IssueDate.lte(to))
        .into_model::<Entry>()
        .all(store.reader())
        .await?)
}

/// A sender's archived files without their bytes, in chain order (to be narrowed down).
pub(super) fn listing(sender_id: i64) -> sea_orm::Select<archive_entry::Entity> {
    use archive_entry::Column as C;
    archive_entry::Entity::find()
        .select_only()
        .columns([C::Seq, C::DocumentType, C::Number, C::Version, C::IssueDate, C::FileName, C::ContentType])
        .columns([C::Sha256, C::Size, C::Summary, C::CreatedAt])
        .filter(C::SenderId.eq(sender_id))
        .order_by_asc(C::Seq)
}

/// The senders with archived documents issued in the period.
pub async fn senders_with_entries(store: &Store, from: NaiveDate, to: NaiveDate) -> Result<Vec<i64>, Error> {
    use archive_entry::Column as C;
    let ids: Vec<i64> = archive_entry::Entity::find()
        .select_only()
        .column(C::SenderId)
        .distinct()
        .filter(C::IssueDate.gte(from))
        .filter(C::IssueDate.lte(to))
        .order_by_asc(C::SenderId)
        .into_tuple()
        .all(store.reader())
        .await?;
    Ok(ids)
}

/// One document as it last went out in the period, with the files of that version.
struct Row<'a> {
    first: &'a Entry,
    summary: Summary,
    files: Vec<&'a Entry>,
}

fn rows(entries: &[Entry]) -> Result<Vec<Row<'_>>, Error> {
    let mut rows: Vec<Row<'_>> = Vec::new();
    for e in entries {
        let same = |r: &Row<'_>| r.first.document_type == e.document_type && r.first.number == e.number;
        match rows.iter_mut().find(|r| same(r)) {
            Some(row) if row.first.version == e.version => row.files.push(e),
            Some(row) if row.first.version < e.version => {
                *row = Row { first: e, summary: summary(e)?, files: vec![e] };
            }
            Some(_) => {}
            None => rows.push(Row { first: e, summary: summary(e)?, files: vec![e] }),
        }
    }
    Ok(rows)
}

fn summary(e: &Entry) -> Result<Summary, Error> {
    serde_json::from_str(&e.summary).map_err(|err| crate::error::corrupt("archive summary", err))
}

/// `cents` in the currency's units, signed (credit notes negative): "-119.00".
fn amount(cents: i64, currency: &str, sign: i64) -> String {
    domain::currency::format_plain(cents * sign, currency)
}

/// The index: one row per document, with a net and a tax column per VAT category and rate.
pub fn index_csv(entries: &[Entry]) -> Result<String, Error> {
    let rows = rows(entries)?;
    let mut groups: Vec<(String, String)> = Vec::new();
    for row in &rows {
        for g in &row.summary.groups {
            let key = (g.category.clone(), g.rate.clone());
            if !groups.contains(&key) {
                groups.push(key);
            }
        }
    }
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> =
        ["number", "type", "version", "issue_date", "customer", "corrects", "currency"].map(String::from).to_vec();
    for (category, rate) in &groups {
        header.push(format!("net {category} {rate}%"));
        header.push(format!("tax {category} {rate}%"));
    }
    header.extend(["net", "tax", "total", "files", "sha256"].map(String::from));
    write(&mut out, &header)?;
    for row in &rows {
        let s = &row.summary;
        let sign = if row.first.document_type == super::CREDIT_NOTE { -1 } else { 1 };
        let mut record = vec![
            row.first.number.clone(),
            row.first.document_type.clone(),
            row.first.version.to_string(),
            row.first.issue_date.to_string(),
            s.customer.clone(),
            s.corrects.clone().unwrap_or_default(),
            s.currency.clone(),
        ];
        for (category, rate) in &groups {
            let g = s.groups.iter().find(|g| (&g.category, &g.rate) == (category, rate));
            let (net, tax) = g.map(|g| (g.taxable_cents, g.tax_cents)).unwrap_or_default();
            record.push(amount(net, &s.currency, sign));
            record.push(amount(tax, &s.currency, sign));
        }
        record.push(amount(s.net_cents, &s.currency, sign));
        record.push(amount(s.tax_cents, &s.currency, sign));
        record.push(amount(s.total_cents, &s.currency, sign));
        record.push(row.files.iter().map(|f| f.export_name()).collect::<Vec<_>>().join(" "));
        record.push(row.files.iter().map(|f| f.sha256.as_str()).collect::<Vec<_>>().join(" "));
        write(&mut out, &record)?;
    }
    finish(out)
}

/// Every archived file of the period: its place in the chain, what it is, size and SHA-256.
pub fn files_csv(entries: &[Entry]) -> Result<String, Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    write(&mut out, &["seq", "file", "number", "type", "version", "issue_date", "bytes", "sha256"].map(String::from))?;
    for e in entries {
        let record = [
            e.seq.to_string(),
            e.export_name(),
            e.number.clone(),
            e.document_type.clone(),
            e.version.to_string(),
            e.issue_date.to_string(),
            e.size.to_string(),
            e.sha256.clone(),
        ];
        write(&mut out, &record)?;
    }
    finish(out)
}

fn write(out: &mut csv::Writer<Vec<u8>>, record: &[String]) -> Result<(), Error> {
    out.write_record(record).map_err(|e| super::fault("writing the export index", e))
}

fn finish(out: csv::Writer<Vec<u8>>) -> Result<String, Error> {
    let bytes = out.into_inner().map_err(|e| super::fault("writing the export index", e))?;
    String::from_utf8(bytes).map_err(|e| super::fault("writing the export index", e))
}
