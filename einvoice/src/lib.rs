//! E-invoices (issue 25): an invoice as EN 16931 says it, checked in-process against the
//! rules of its format before it leaves, written as CII or UBL, or embedded in the PDF as
//! Factur-X. Built on the `en16931` crates (model, rules of EN 16931, XRechnung 3.0 and
//! Peppol BIS 3, writers, Factur-X embedding); docs/ARCHITECTURE.md says why.

pub mod amounts;
mod findings;
mod model;
mod source;

use domain::dto::Invoice;
use domain::einvoice::{EInvoiceFormat, EInvoiceVerdict, EInvoiceViolation};
use en16931::validation::profile::{ProfileMarker, Validated};
use en16931::{En16931, PeppolBis3, XRechnung};
use en16931_formats::Syntax;
use en16931_formats::zugferd::{EmbedOptions, Metadata};
pub use source::{Seller, Source};

/// The format an invoice is checked in: its recipient's, else Factur-X (EN 16931), which
/// every PDF carries when the invoice's data is complete.
pub fn format_of(invoice: &Invoice) -> EInvoiceFormat {
    match invoice.recipient.e_invoice_format {
        Some(f) if f != EInvoiceFormat::None => f,
        _ => EInvoiceFormat::FacturX,
    }
}

fn rules(format: EInvoiceFormat) -> &'static en16931::Profile {
    match format {
        EInvoiceFormat::XRechnungCii | EInvoiceFormat::XRechnungUbl => XRechnung::PROFILE,
        EInvoiceFormat::Peppol => PeppolBis3::PROFILE,
        EInvoiceFormat::None | EInvoiceFormat::FacturX => En16931::PROFILE,
    }
}

/// The verdict in the invoice's own format.
pub fn verdict(source: &Source<'_>) -> EInvoiceVerdict {
    check(source, format_of(source.invoice))
}

/// The invoice checked against EN 16931 and `format`'s rules: every fatal finding, once.
pub fn check(source: &Source<'_>, format: EInvoiceFormat) -> EInvoiceVerdict {
    let mapped = model::map(source, format);
    let report = rules(format).validate(&mapped.invoice);
    let mut violations: Vec<EInvoiceViolation> = mapped.problems;
    for finding in report.fatal() {
        let v = findings::violation(finding, format);
        if !violations.contains(&v) {
            violations.push(v);
        }
    }
    EInvoiceVerdict { format, valid: violations.is_empty(), violations }
}

/// A document ready to go out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub file_name: String,
}

/// Why no document was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The invoice breaks the format's rules.
    Invalid(EInvoiceVerdict),
    /// The PDF could not carry the XML (it is not PDF/A-3, or already carries one): a
    /// defect of ours, not of the invoice.
    Container(String),
}

fn proven<P: ProfileMarker>(source: &Source<'_>, format: EInvoiceFormat) -> Result<Validated<P>, Refusal> {
    let verdict = check(source, format);
    if !verdict.valid {
        return Err(Refusal::Invalid(verdict));
    }
    Validated::<P>::new(model::map(source, format).invoice).map_err(|_| Refusal::Invalid(verdict))
}

/// The XML of `format` (XRechnung CII or UBL, Peppol UBL); for Factur-X, the CII the PDF
/// carries.
pub fn xml(source: &Source<'_>, format: EInvoiceFormat) -> Result<String, Refusal> {
    Ok(match format {
        EInvoiceFormat::XRechnungCii => en16931_formats::write(&proven::<XRechnung>(source, format)?, Syntax::Cii).xml,
        EInvoiceFormat::XRechnungUbl => en16931_formats::write(&proven::<XRechnung>(source, format)?, Syntax::Ubl).xml,
        EInvoiceFormat::Peppol => en16931_formats::write(&proven::<PeppolBis3>(source, format)?, Syntax::Ubl).xml,
        EInvoiceFormat::None | EInvoiceFormat::FacturX => {
            en16931_formats::write(&proven::<En16931>(source, EInvoiceFormat::FacturX)?, Syntax::Cii).xml
        }
    })
}

/// The XML document of an XML format, named for the invoice.
pub fn xml_document(source: &Source<'_>, format: EInvoiceFormat) -> Result<Document, Refusal> {
    Ok(Document {
        bytes: xml(source, format)?.into_bytes(),
        content_type: "application/xml",
        file_name: format.file_name(&source.invoice.id),
    })
}

/// The PDF/A-3 `pdf` with the invoice's Factur-X XML (EN 16931 profile) embedded as
/// `factur-x.xml`, relationship Alternative, and the Factur-X XMP extension schema. The
/// modification time is fixed by `modified` so the same invoice gives the same bytes.
pub fn facturx(pdf: &[u8], source: &Source<'_>, modified: std::time::SystemTime) -> Result<Vec<u8>, Refusal> {
    let proof = proven::<En16931>(source, EInvoiceFormat::FacturX)?;
    let options = EmbedOptions {
        metadata: Some(Metadata::derived(proof.invoice())),
        modified: Some(modified),
        ..EmbedOptions::default()
    };
    en16931_formats::zugferd::embed(pdf, &proof, &options).map_err(|e| Refusal::Container(e.to_string()))
}

/// The verdict on a document as received (XML, or a Factur-X PDF): read, then checked by the
/// rules its specification identifier (BT-24) names. What the official validator is compared
/// with in the tests, on the very same bytes.
pub fn inspect(bytes: &[u8]) -> Result<EInvoiceVerdict, String> {
    let read = en16931_formats::read(bytes).map_err(|e| e.to_string())?;
    let spec = read.invoice.specification_id.clone().unwrap_or_default();
    let format = EInvoiceFormat::DOCUMENTS
        .into_iter()
        .find(|f| model::specification_id(*f) == spec)
        .unwrap_or(EInvoiceFormat::FacturX);
    let report = rules(format).validate(&read.invoice);
    let violations: Vec<EInvoiceViolation> = report.fatal().map(|f| findings::violation(f, format)).collect();
    Ok(EInvoiceVerdict { format, valid: violations.is_empty(), violations })
}
