//! What the archive keeps of a document: its PDF (made by the server's renderer, which the
//! store is given) and, when its customer receives an XML e-invoice, that XML.

use crate::senders::Sender;
use crate::{Error, einvoices};
use domain::credit_note::{CreditNote, CreditReference};
use domain::dto::Invoice;
use std::future::Future;
use std::pin::Pin;

/// A document that goes out: an invoice at one version, or a credit note.
#[derive(Debug, Clone, Copy)]
pub enum Document<'a> {
    Invoice(&'a Invoice),
    CreditNote(&'a CreditNote),
}

impl Document<'_> {
    pub fn number(&self) -> &str {
        match self {
            Document::Invoice(i) => &i.id,
            Document::CreditNote(n) => &n.id,
        }
    }

    pub fn issue_date(&self) -> chrono::NaiveDate {
        match self {
            Document::Invoice(i) => i.issue_date,
            Document::CreditNote(n) => n.issue_date,
        }
    }

    /// The document in an invoice's shape (what the PDF and the e-invoice are made from), and
    /// what a credit note refers to.
    pub fn printable(&self) -> (Invoice, Option<CreditReference>) {
        match self {
            Document::Invoice(i) => ((*i).clone(), None),
            Document::CreditNote(n) => (n.as_document(), Some(n.reference())),
        }
    }
}

/// Makes PDFs; the server's Typst renderer (a pool: this waits for a free slot).
pub trait Renderer: Send + Sync + std::fmt::Debug {
    /// The PDF/A-3 of `document` (a Factur-X hybrid when its e-invoice is valid).
    fn pdf<'a>(
        &'a self,
        document: Document<'a>,
        sender: &'a Sender,
    ) -> Pin<Box<dyn Future<Output = Result<Vec<u8>, String>> + Send + 'a>>;
}

pub(super) struct File {
    pub file_name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// The files that go out for `document`: its PDF, and the XML e-invoice its customer needs
/// when that is a file of its own (XRechnung, Peppol; Factur-X rides inside the PDF).
pub(super) async fn files(
    renderer: &dyn Renderer,
    document: &Document<'_>,
    sender: &Sender,
) -> Result<Vec<File>, Error> {
    let pdf = renderer.pdf(*document, sender).await.map_err(|e| Error::Unavailable {
        message: format!("the PDF of {} could not be made, so it was not sent: {e}", document.number()),
    })?;
    let mut files =
        vec![File { file_name: format!("{}.pdf", document.number()), content_type: "application/pdf", bytes: pdf }];
    let (printable, reference) = document.printable();
    if let Some(format) = einvoices::required_format(&printable).filter(|f| !f.is_pdf()) {
        let xml = einvoices::xml_document_of(sender, &printable, reference.as_ref(), format)?;
        files.push(File { file_name: xml.file_name, content_type: xml.content_type, bytes: xml.bytes });
    }
    Ok(files)
}
