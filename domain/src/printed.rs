//! An invoice as its document prints it, every word translated and every amount and date
//! formatted for the reader's language (the `i18n` crate makes it). The share page, the
//! sender's page and the PDF lay out this one value, so they cannot say different things.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A party as printed: name lines, address lines, ids.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PrintedParty {
    pub company: Option<String>,
    pub name: Option<String>,
    pub lines: Vec<String>,
    pub email: Option<String>,
    /// "VAT ID DE123456789", "Tax ID …", already worded.
    pub ids: Vec<String>,
}

/// One row under the lines: its label, its amount and whether it is a grand line (total,
/// balance due). `test_id` names it for tests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrintedTotal {
    pub label: String,
    pub amount: String,
    pub grand: bool,
    pub test_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PrintedInvoice {
    /// The language's code (the page's `lang`).
    pub language: String,
    /// The fixed words, by translation key ("doc-invoice", "doc-bill-to", …).
    pub words: BTreeMap<String, String>,
    pub number: String,
    pub issue_date: String,
    pub due_date: String,
    pub po_number: Option<String>,
    pub sender: PrintedParty,
    pub recipient: PrintedParty,
    /// The line table: its heads, then one row of cells per line (description first).
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub totals: Vec<PrintedTotal>,
    /// The VAT breakdown table (heads, rows), when the document prints one.
    pub vat_columns: Vec<String>,
    pub vat_rows: Vec<Vec<String>>,
    pub exemption_notes: Vec<String>,
    pub terms: Option<String>,
    pub footer: Option<String>,
    /// Bank details as (label, value).
    pub payment: Vec<(String, String)>,
    /// The EPC QR code (GiroCode) for the amount due, as SVG: EUR invoices of a sender with an
    /// IBAN, an amount due from 0.01 to 999,999,999.99.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pay_by_bank_qr: Option<String>,
    /// What a credit note corrects and why (empty on invoices).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
}

impl PrintedInvoice {
    /// A fixed word; the key itself if it was not prepared.
    pub fn word(&self, key: &str) -> String {
        self.words.get(key).cloned().unwrap_or_else(|| key.to_string())
    }
}
