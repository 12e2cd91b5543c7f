//! Invoice PDFs, rendered in-process by Typst from one embedded template with embedded fonts:
//! no network, no system fonts. The data (amounts formatted, totals from the domain code) is
//! prepared here, so the PDF says exactly what the page says.

use domain::credit_note::{CreditNote, CreditReference};
use domain::dto::{Invoice, SenderCard};
use domain::printed::PrintedInvoice;
use serde::Serialize;
use typst_layout::PagedDocument;
use world::Assets;

pub mod http;
mod pool;
mod world;

pub use pool::{PdfError, PdfPool};

static TEMPLATE: &str = include_str!("invoice.typ");

/// What the template reads: the paper and the invoice as printed (the page shows the same).
#[derive(Serialize)]
struct PdfData<'a> {
    paper: &'static str,
    #[serde(flatten)]
    doc: &'a PrintedInvoice,
}

/// US Letter where it is the custom (the Americas' letter countries), A4 elsewhere.
pub fn paper_for(country: Option<&str>) -> &'static str {
    const LETTER: &[&str] = &[
        "us",
        "usa",
        "united states",
        "united states of america",
        "ca",
        "canada",
        "mx",
        "mexico",
        "méxico",
        "cl",
        "chile",
        "co",
        "colombia",
        "ph",
        "philippines",
        "ve",
        "venezuela",
    ];
    match country.map(|c| c.trim().to_lowercase()) {
        Some(c) if LETTER.contains(&c.as_str()) => "us-letter",
        _ => "a4",
    }
}

/// Renders of Typst's memoized work kept unused before it is dropped: the template's
/// unchanging parts stay warm, a burst of different invoices does not grow memory for long.
const MEMO_RENDERS: usize = 8;

/// Parses the template and loads the fonts once per process; renders many invoices.
pub struct PdfRenderer {
    assets: Assets,
}

impl Default for PdfRenderer {
    fn default() -> Self {
        PdfRenderer { assets: Assets::new(TEMPLATE, typst_assets::fonts()) }
    }
}

impl std::fmt::Debug for PdfRenderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PdfRenderer")
    }
}

impl PdfRenderer {
    /// The same renderer laying documents out with another Typst template (tests show that
    /// what went out stays as it was when the template changes).
    pub fn with_template(template: &'static str) -> Self {
        PdfRenderer { assets: Assets::new(template, typst_assets::fonts()) }
    }

    /// The invoice's PDF/A-3b (without its e-invoice: `hybrid` adds that).
    pub fn render(&self, invoice: &Invoice, sender: &SenderCard) -> Result<Vec<u8>, String> {
        let doc = i18n::document::print(invoice, sender, invoice.language);
        self.render_printed(&doc, sender, invoice.updated_at)
    }

    /// A document as printed, on the sender's paper, dated `changed` (PDF/A's document date).
    pub fn render_printed(
        &self,
        doc: &PrintedInvoice,
        sender: &SenderCard,
        changed: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<u8>, String> {
        let data = PdfData { paper: paper_for(sender.country.as_deref()), doc };
        let json = serde_json::to_vec(&data).map_err(|e| e.to_string())?;
        let compiled = typst::compile::<PagedDocument>(&self.assets.with_data(json)).output;
        comemo::evict(MEMO_RENDERS);
        let doc = compiled.map_err(|e| format!("typst: {e:?}"))?;
        // PDF/A-3b: the archival form that may carry the Factur-X XML (`hybrid`).
        let standards =
            typst_pdf::PdfStandards::new(&[typst_pdf::PdfStandard::A_3b]).map_err(|e| format!("pdf: {e:?}"))?;
        let options = typst_pdf::PdfOptions { standards, timestamp: timestamp(changed), ..Default::default() };
        typst_pdf::pdf(&doc, &options).map_err(|e| format!("pdf: {e:?}"))
    }

    /// The document's PDF/A-3b, a Factur-X hybrid when its e-invoice passes EN 16931.
    pub fn render_document(&self, document: &Printable, sender: &data::senders::Sender) -> Result<Vec<u8>, String> {
        let card = data::senders::card(sender);
        let pdf = match document {
            Printable::Invoice(invoice) => self.render(invoice, &card)?,
            Printable::CreditNote(note) => {
                let doc = i18n::document::print_credit_note(note, &card, note.language);
                self.render_printed(&doc, &card, note.created_at)?
            }
        };
        let (invoice, credit) = document.as_data().printable();
        Ok(hybrid(sender, &invoice, credit.as_ref(), pdf))
    }
}

/// A document to print, owned (it crosses to a blocking thread).
#[derive(Debug, Clone)]
pub enum Printable {
    Invoice(Box<Invoice>),
    CreditNote(Box<CreditNote>),
}

impl Printable {
    pub fn of(document: data::archive::Document<'_>) -> Printable {
        match document {
            data::archive::Document::Invoice(i) => Printable::Invoice(Box::new(i.clone())),
            data::archive::Document::CreditNote(n) => Printable::CreditNote(Box::new(n.clone())),
        }
    }

    pub fn as_data(&self) -> data::archive::Document<'_> {
        match self {
            Printable::Invoice(i) => data::archive::Document::Invoice(i),
            Printable::CreditNote(n) => data::archive::Document::CreditNote(n),
        }
    }
}

/// The document date PDF/A requires: when the invoice last changed, so the same version of
/// an invoice makes the same bytes. (Every chrono time is one Typst can hold.)
fn timestamp(t: chrono::DateTime<chrono::Utc>) -> Option<typst_pdf::Timestamp> {
    use chrono::{Datelike, Timelike};
    let (month, day, hour, minute, second) = (t.month(), t.day(), t.hour(), t.minute(), t.second());
    let at = typst::foundations::Datetime::from_ymd_hms(
        t.year(),
        u8::try_from(month).ok()?,
        u8::try_from(day).ok()?,
        u8::try_from(hour).ok()?,
        u8::try_from(minute).ok()?,
        u8::try_from(second).ok()?,
    );
    at.map(typst_pdf::Timestamp::new_utc)
}

/// The PDF/A-3 with the invoice's Factur-X XML embedded (EN 16931 profile), when its data is
/// complete enough to pass EN 16931; the PDF as it is otherwise: a PDF is never withheld for
/// an incomplete e-invoice (sending to a customer who needs one is refused before).
pub fn hybrid(
    sender: &data::senders::Sender,
    invoice: &Invoice,
    credit: Option<&CreditReference>,
    pdf: Vec<u8>,
) -> Vec<u8> {
    match data::einvoices::facturx(sender, invoice, credit, &pdf) {
        Ok(hybrid) => hybrid,
        Err(data::Error::EInvoiceInvalid(_)) => pdf,
        Err(e) => {
            tracing::error!(error = %e, number = %invoice.id, "the Factur-X XML could not be embedded");
            pdf
        }
    }
}
