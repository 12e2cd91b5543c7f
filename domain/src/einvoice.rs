//! E-invoices as a customer receives them (issue 25): the formats, and the verdict every
//! invoice carries. Building and checking the documents is the `einvoice` crate's work; these
//! are the JSON shapes the API, the editor and the share page share.

use serde::{Deserialize, Serialize};

/// The e-invoice a customer receives beside (or inside) the PDF.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum EInvoiceFormat {
    /// The PDF only (it still carries Factur-X XML when the invoice's data is complete).
    #[default]
    #[serde(rename = "none")]
    None,
    /// Factur-X / ZUGFeRD 2 (profile EN 16931): the CII XML inside the PDF/A-3 invoice.
    #[serde(rename = "facturx")]
    FacturX,
    /// XRechnung 3.0 in UN/CEFACT CII: German public buyers (needs the Leitweg-ID).
    #[serde(rename = "xrechnung-cii")]
    XRechnungCii,
    /// XRechnung 3.0 in UBL 2.1.
    #[serde(rename = "xrechnung-ubl")]
    XRechnungUbl,
    /// Peppol BIS Billing 3.0 (UBL 2.1): buyers on the Peppol network (needs their endpoint).
    #[serde(rename = "peppol")]
    Peppol,
}

impl EInvoiceFormat {
    pub const ALL: [EInvoiceFormat; 5] = [
        EInvoiceFormat::None,
        EInvoiceFormat::FacturX,
        EInvoiceFormat::XRechnungCii,
        EInvoiceFormat::XRechnungUbl,
        EInvoiceFormat::Peppol,
    ];

    /// The formats a document can be downloaded in (`none` is no document of its own).
    pub const DOCUMENTS: [EInvoiceFormat; 4] =
        [EInvoiceFormat::FacturX, EInvoiceFormat::XRechnungCii, EInvoiceFormat::XRechnungUbl, EInvoiceFormat::Peppol];

    pub fn as_str(self) -> &'static str {
        match self {
            EInvoiceFormat::None => "none",
            EInvoiceFormat::FacturX => "facturx",
            EInvoiceFormat::XRechnungCii => "xrechnung-cii",
            EInvoiceFormat::XRechnungUbl => "xrechnung-ubl",
            EInvoiceFormat::Peppol => "peppol",
        }
    }

    pub fn parse(text: &str) -> Option<EInvoiceFormat> {
        EInvoiceFormat::ALL.into_iter().find(|f| f.as_str() == text)
    }

    /// What people call it.
    pub fn label(self) -> &'static str {
        match self {
            EInvoiceFormat::None => "None (PDF)",
            EInvoiceFormat::FacturX => "Factur-X / ZUGFeRD (in the PDF)",
            EInvoiceFormat::XRechnungCii => "XRechnung 3.0 (CII)",
            EInvoiceFormat::XRechnungUbl => "XRechnung 3.0 (UBL)",
            EInvoiceFormat::Peppol => "Peppol BIS Billing 3.0",
        }
    }

    /// Whether the customer must receive it: sending is refused while it has violations.
    pub fn is_required(self) -> bool {
        self != EInvoiceFormat::None
    }

    /// Whether the document is the PDF itself (Factur-X) rather than an XML file of its own.
    pub fn is_pdf(self) -> bool {
        matches!(self, EInvoiceFormat::None | EInvoiceFormat::FacturX)
    }

    /// The file name of the document for invoice `number`.
    pub fn file_name(self, number: &str) -> String {
        match self {
            EInvoiceFormat::None | EInvoiceFormat::FacturX => format!("{number}.pdf"),
            EInvoiceFormat::XRechnungCii => format!("{number}-xrechnung-cii.xml"),
            EInvoiceFormat::XRechnungUbl => format!("{number}-xrechnung-ubl.xml"),
            EInvoiceFormat::Peppol => format!("{number}-peppol.xml"),
        }
    }
}

/// One rule an invoice breaks for its e-invoice format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EInvoiceViolation {
    /// The rule's id as its authority numbers it, e.g. BR-DE-15 or BR-CO-15.
    pub rule: String,
    /// What to fix, in plain words.
    pub message: String,
    /// The field it is about: a path into the invoice (`recipient.buyer_reference`,
    /// `line_items[2].tax`) or, prefixed `profile.`, the sender's profile.
    pub field: Option<String>,
}

/// The in-process check of an invoice against EN 16931 and its format's rules (XRechnung 3.0,
/// Peppol BIS Billing 3.0), the same rules the receiving side's validator applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EInvoiceVerdict {
    /// The format checked: the recipient's, or Factur-X (EN 16931) when it has none.
    pub format: EInvoiceFormat,
    /// Whether the document passes; an invoice whose recipient has a format cannot be sent
    /// while this is false.
    pub valid: bool,
    pub violations: Vec<EInvoiceViolation>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_round_trip_by_name() {
        for f in EInvoiceFormat::ALL {
            assert_eq!(EInvoiceFormat::parse(f.as_str()), Some(f));
            assert_eq!(serde_json::to_value(f).unwrap(), serde_json::json!(f.as_str()));
        }
        assert_eq!(EInvoiceFormat::parse("zugferd"), None);
    }
}
