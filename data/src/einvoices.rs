//! E-invoices of a sender's invoices (issue 25): the verdict each invoice carries, the gate
//! that keeps an invoice whose recipient needs an e-invoice from being sent while it breaks
//! the rules, and the XML documents. The building and checking is the `einvoice` crate's.

use crate::senders::Sender;
use crate::{Error, Store};
use domain::credit_note::CreditReference;
use domain::dto::Invoice;
use domain::einvoice::{EInvoiceFormat, EInvoiceVerdict};
use einvoice::{Document, Refusal, Seller, Source};

pub use einvoice::{check as check_in, format_of};

/// Runs `f` on the invoice and its seller as the e-invoice sees them.
pub fn with_source<T>(sender: &Sender, invoice: &Invoice, f: impl FnOnce(&Source<'_>) -> T) -> T {
    with_document_source(sender, invoice, None, f)
}

/// [`with_source`] for a document that may be a credit note (`credit`) in an invoice's shape.
pub fn with_document_source<T>(
    sender: &Sender,
    invoice: &Invoice,
    credit: Option<&CreditReference>,
    f: impl FnOnce(&Source<'_>) -> T,
) -> T {
    let profile = crate::senders::profile(sender);
    let seller = Seller { profile: &profile, email: sender.email.as_deref() };
    f(&Source { invoice, seller, credit })
}

/// The invoice with its e-invoice verdict.
pub fn judged(sender: &Sender, mut invoice: Invoice) -> Invoice {
    invoice.e_invoice = Some(with_source(sender, &invoice, einvoice::verdict));
    invoice
}

/// The format the recipient must receive, when they must receive one.
pub fn required_format(invoice: &Invoice) -> Option<EInvoiceFormat> {
    invoice.recipient.e_invoice_format.filter(|f| f.is_required())
}

/// Refuses (422, with the violations) an invoice whose recipient needs an e-invoice that
/// would break its rules.
pub fn gate(sender: &Sender, invoice: &Invoice) -> Result<(), Error> {
    gate_document(sender, invoice, None)
}

/// [`gate`] for a document that may be a credit note (`credit`).
pub fn gate_document(sender: &Sender, document: &Invoice, credit: Option<&CreditReference>) -> Result<(), Error> {
    let Some(format) = required_format(document) else { return Ok(()) };
    let verdict = with_document_source(sender, document, credit, |s| einvoice::check(s, format));
    if verdict.valid { Ok(()) } else { Err(Error::EInvoiceInvalid(verdict)) }
}

fn refused(refusal: Refusal) -> Error {
    match refusal {
        Refusal::Invalid(verdict) => Error::EInvoiceInvalid(verdict),
        Refusal::Container(why) => Error::Db(sea_orm::DbErr::Custom(format!("Factur-X embedding failed: {why}"))),
    }
}

/// The XML document of an XML format (XRechnung CII or UBL, Peppol), refused with the
/// verdict when the invoice breaks the format's rules.
pub fn xml_document(sender: &Sender, invoice: &Invoice, format: EInvoiceFormat) -> Result<Document, Error> {
    xml_document_of(sender, invoice, None, format)
}

/// [`xml_document`] of an invoice or (with `credit`) a credit note.
pub fn xml_document_of(
    sender: &Sender,
    invoice: &Invoice,
    credit: Option<&CreditReference>,
    format: EInvoiceFormat,
) -> Result<Document, Error> {
    with_document_source(sender, invoice, credit, |s| einvoice::xml_document(s, format)).map_err(refused)
}

/// The PDF/A-3 `pdf` as a Factur-X hybrid, refused with the verdict when the invoice's data
/// is not complete enough for EN 16931.
pub fn facturx(
    sender: &Sender,
    invoice: &Invoice,
    credit: Option<&CreditReference>,
    pdf: &[u8],
) -> Result<Vec<u8>, Error> {
    let modified = std::time::SystemTime::from(invoice.updated_at);
    with_document_source(sender, invoice, credit, |s| einvoice::facturx(pdf, s, modified)).map_err(refused)
}

/// The verdict of a sender's invoice in `format` (its own when None).
pub async fn check(
    store: &Store,
    sender: &Sender,
    number: &str,
    format: Option<EInvoiceFormat>,
) -> Result<EInvoiceVerdict, Error> {
    let invoice = crate::invoices::get(store, sender.id, number).await?;
    let format = format.unwrap_or_else(|| einvoice::format_of(&invoice));
    Ok(with_source(sender, &invoice, |s| einvoice::check(s, format)))
}
