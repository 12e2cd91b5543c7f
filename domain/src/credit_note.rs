//! The JSON shapes of credit notes (issue 26): what a sender asks for, and the document.

use crate::decimal;
use crate::dto::{Invoice, LineItem, Recipient, TaxBreakdown};
use crate::einvoice::EInvoiceVerdict;
use crate::language::Language;
use crate::status::Status;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// The longest reason a credit note prints.
pub const MAX_REASON_CHARS: usize = 500;

/// `POST /invoices/{number}/credit-notes`: what to credit, and why.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreditNoteInput {
    /// Why the invoice is corrected (printed on the credit note), e.g. "2 licences returned".
    pub reason: String,
    /// The lines to credit and how much of each; absent: everything not yet credited.
    #[serde(default)]
    pub lines: Option<Vec<CreditNoteLineInput>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreditNoteLineInput {
    /// The invoice line, counted from 0 as in `line_items`.
    #[serde(deserialize_with = "line_index")]
    pub line: usize,
    /// How much of its quantity to credit (part of a line: 0.5 of 1 day); absent: all of it
    /// that is not yet credited.
    #[serde(default, with = "decimal::opt_number")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub quantity: Option<Decimal>,
}

/// A line index as JSON Schema counts integers (4 or 4.0).
fn line_index<'de, D: serde::Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    let whole = crate::payment::whole_number(d)?;
    usize::try_from(whole).map_err(|_| serde::de::Error::custom("a line index counts from 0"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CreditNoteKind {
    /// Credits what the sender chose.
    CreditNote,
    /// Issued by cancelling a sent invoice: credits everything left.
    Cancellation,
}

impl CreditNoteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CreditNoteKind::CreditNote => "credit_note",
            CreditNoteKind::Cancellation => "cancellation",
        }
    }

    pub fn parse(text: &str) -> Option<CreditNoteKind> {
        [CreditNoteKind::CreditNote, CreditNoteKind::Cancellation].into_iter().find(|k| k.as_str() == text)
    }
}

/// One credited invoice line: which, and how much of its quantity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CreditedLine {
    pub line: usize,
    #[serde(with = "decimal::number")]
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub quantity: Decimal,
}

/// A credit note (EN 16931 type 381) as every surface returns it. Amounts are positive: the
/// document type says they are given back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CreditNote {
    /// Its number in the sender's own series, e.g. CN-0001.
    pub id: String,
    pub kind: CreditNoteKind,
    /// The invoice it corrects (BT-25) and that invoice's issue date (BT-26).
    pub invoice_number: String,
    pub invoice_issue_date: NaiveDate,
    pub reason: String,
    pub issue_date: NaiveDate,
    pub currency: String,
    pub language: Language,
    pub recipient: Recipient,
    /// The invoice lines credited, with the credited quantity and its amounts.
    pub line_items: Vec<LineItem>,
    /// Which invoice line each of `line_items` credits.
    pub lines: Vec<CreditedLine>,
    pub prices_include_tax: bool,
    pub subtotal_cents: i64,
    /// Its share of the invoice discount.
    pub discount_cents: i64,
    pub tax_cents: i64,
    pub tax_breakdown: Vec<TaxBreakdown>,
    pub rounding_cents: i64,
    /// What it credits: taxable + tax + rounding.
    pub total_cents: i64,
    pub created_at: DateTime<Utc>,
    /// The e-invoice check of its e-invoice (single answers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub e_invoice: Option<EInvoiceVerdict>,
}

impl CreditNote {
    /// The credit note in an invoice's shape, for what prints and maps documents (PDF,
    /// e-invoice): its own number, dates, lines and totals; nothing paid, nothing due later.
    pub fn as_document(&self) -> Invoice {
        Invoice {
            id: self.id.clone(),
            customer_id: None,
            status: Status::Sent,
            currency: self.currency.clone(),
            language: self.language,
            issue_date: self.issue_date,
            due_date: self.issue_date,
            recipient: self.recipient.clone(),
            line_items: self.line_items.clone(),
            discount: None,
            discount_cents: self.discount_cents,
            tax: None,
            prices_include_tax: self.prices_include_tax,
            subtotal_cents: self.subtotal_cents,
            tax_cents: self.tax_cents,
            tax_breakdown: self.tax_breakdown.clone(),
            rounding_cents: self.rounding_cents,
            total_cents: self.total_cents,
            amount_paid_cents: 0,
            balance_due_cents: 0,
            credited_cents: 0,
            refund_due_cents: 0,
            po_number: None,
            terms_text: None,
            footer_note: None,
            subscription_context: None,
            share_token: String::new(),
            share_url: String::new(),
            sent_at: Some(self.created_at),
            paid_at: None,
            created_at: self.created_at,
            updated_at: self.created_at,
            reminders_enabled: false,
            recurring_invoice_id: None,
            e_invoice: None,
            customer: None,
        }
    }

    /// What the e-invoice and the PDF say it refers to.
    pub fn reference(&self) -> CreditReference {
        CreditReference {
            invoice_number: self.invoice_number.clone(),
            invoice_issue_date: self.invoice_issue_date,
            reason: self.reason.clone(),
            cancellation: self.kind == CreditNoteKind::Cancellation,
        }
    }
}

/// A credit note's link to its invoice (EN 16931 BG-3) and why it was issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditReference {
    pub invoice_number: String,
    pub invoice_issue_date: NaiveDate,
    pub reason: String,
    pub cancellation: bool,
}

impl CreditNoteInput {
    /// The reason, trimmed, or why it is refused.
    pub fn reason(&self) -> Result<String, crate::Error> {
        let reason = self.reason.trim();
        if reason.is_empty() {
            return Err(crate::Error::invalid(
                "reason",
                "say why the invoice is credited (it is printed on the credit note)",
            ));
        }
        if reason.chars().count() > MAX_REASON_CHARS
            || reason.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        {
            return Err(crate::Error::invalid("reason", format!("at most {MAX_REASON_CHARS} printable characters")));
        }
        Ok(reason.to_string())
    }

    /// Per invoice line, what is credited once this note is issued, given what was
    /// `invoiced` and what earlier notes `credited`; a 409 naming the line when it asks for
    /// more than is left.
    pub fn credited_after(&self, invoiced: &[Decimal], credited: &[Decimal]) -> Result<Vec<Decimal>, crate::Error> {
        let Some(lines) = &self.lines else { return Ok(invoiced.to_vec()) };
        if lines.is_empty() {
            return Err(crate::Error::invalid(
                "lines",
                "name at least one line, or leave lines out to credit everything left",
            ));
        }
        let mut after = credited.to_vec();
        for (k, l) in lines.iter().enumerate() {
            let field = |name: &str| format!("lines[{k}].{name}");
            let (Some(full), Some(before)) = (invoiced.get(l.line), credited.get(l.line)) else {
                let why = format!("the invoice has {} lines, counted from 0", invoiced.len());
                return Err(crate::Error::invalid(field("line"), why));
            };
            if lines[..k].iter().any(|earlier| earlier.line == l.line) {
                return Err(crate::Error::invalid(field("line"), "each line once"));
            }
            let left = *full - *before;
            let quantity = l.quantity.unwrap_or(left);
            if l.quantity.is_some_and(|q| q <= Decimal::ZERO || decimal::decimals(q) > 6) {
                return Err(crate::Error::invalid(field("quantity"), "more than 0, with at most 6 decimals"));
            }
            if quantity > left || left.is_zero() {
                return Err(crate::Error::Conflict {
                    message: format!(
                        "line {} has {left} of {full} left to credit: earlier credit notes took the rest",
                        l.line
                    ),
                    field: Some(field("quantity")),
                });
            }
            after[l.line] = *before + quantity;
        }
        Ok(after)
    }
}

/// A document as the archive kept it when it went out (`GET /invoices/{number}/documents`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ArchivedDocument {
    /// Its place in the sender's hash chain; `GET /archive/{seq}` returns its bytes.
    pub seq: i64,
    /// "invoice" or "credit_note".
    pub document_type: String,
    pub number: String,
    /// The invoice's version the client was shown (1 for credit notes).
    pub version: i32,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
    pub created_at: DateTime<Utc>,
}
