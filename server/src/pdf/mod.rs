//! Invoice PDFs, rendered in-process by Typst from one embedded template with embedded fonts:
//! no network, no system fonts. The data (amounts formatted, totals from the domain code) is
//! prepared here, so the PDF says exactly what the page says.

use domain::currency::format_amount;
use domain::document;
use domain::dto::{Discount, Invoice, SenderCard};
use serde::Serialize;
use typst_layout::PagedDocument;
use world::Assets;

pub mod http;
mod pool;
mod world;

pub use pool::{PdfError, PdfPool};

static TEMPLATE: &str = include_str!("invoice.typ");

#[derive(Serialize)]
struct PdfRecipient {
    company: Option<String>,
    name: Option<String>,
    lines: Vec<String>,
    email: Option<String>,
    tax_id: Option<String>,
    vat_id: Option<String>,
}

#[derive(Serialize)]
struct PdfLine {
    description: String,
    quantity: String,
    unit_price: String,
    discount: String,
    vat: String,
    amount: String,
}

/// One line of the VAT breakdown: its name, net, VAT and gross.
#[derive(Serialize)]
struct PdfVatGroup {
    label: String,
    taxable: String,
    tax: String,
    gross: String,
}

#[derive(Serialize)]
struct PdfData<'a> {
    paper: &'static str,
    number: &'a str,
    issue_date: String,
    due_date: String,
    po_number: Option<&'a str>,
    sender: &'a SenderCard,
    recipient: PdfRecipient,
    lines: Vec<PdfLine>,
    has_line_discounts: bool,
    has_line_vat: bool,
    price_head: &'static str,
    amount_head: &'static str,
    subtotal: String,
    discount_label: String,
    discount: Option<String>,
    /// (label, amount): the tax of each breakdown line ("VAT 19% on 892.50").
    taxes: Vec<(String, String)>,
    rounding: Option<String>,
    total: String,
    /// The VAT breakdown table, when the document prints one.
    vat_groups: Vec<PdfVatGroup>,
    exemption_notes: Vec<String>,
    /// Paid so far and the balance due, once anything was paid.
    paid: Option<String>,
    balance: Option<String>,
    terms: Option<&'a str>,
    footer: Option<&'a str>,
    payment: &'a [(String, String)],
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

fn percent_or_amount(d: &Option<Discount>, currency: &str) -> String {
    match d {
        Some(Discount::Percent { value }) => format!("{}%", value.normalize()),
        Some(Discount::Flat { value_cents }) => format_amount(*value_cents, currency),
        None => String::new(),
    }
}

fn taxes(invoice: &Invoice) -> Vec<(String, String)> {
    let cur = invoice.currency.as_str();
    invoice
        .tax_breakdown
        .iter()
        .map(|g| {
            let label =
                format!("{} on {}", document::invoice_group_label(invoice, g), format_amount(g.taxable_cents, cur));
            (label, format_amount(g.tax_cents, cur))
        })
        .collect()
}

fn vat_groups(invoice: &Invoice) -> Vec<PdfVatGroup> {
    let cur = invoice.currency.as_str();
    invoice
        .tax_breakdown
        .iter()
        .map(|g| PdfVatGroup {
            label: document::invoice_group_label(invoice, g),
            taxable: format_amount(g.taxable_cents, cur),
            tax: format_amount(g.tax_cents, cur),
            gross: format_amount(g.gross_cents, cur),
        })
        .collect()
}

fn data<'a>(invoice: &'a Invoice, sender: &'a SenderCard) -> PdfData<'a> {
    let cur = invoice.currency.as_str();
    let r = &invoice.recipient;
    let lines = r.address.as_ref().map(|a| a.lines()).unwrap_or_default();
    PdfData {
        paper: paper_for(sender.country.as_deref()),
        number: &invoice.id,
        issue_date: invoice.issue_date.format("%B %-d, %Y").to_string(),
        due_date: invoice.due_date.format("%B %-d, %Y").to_string(),
        po_number: invoice.po_number.as_deref(),
        sender,
        recipient: PdfRecipient {
            company: r.company.clone(),
            name: r.name.clone(),
            lines,
            email: r.email.clone(),
            tax_id: r.tax_id.clone(),
            vat_id: r.vat_id.clone(),
        },
        has_line_vat: document::shows_line_vat(invoice),
        price_head: if invoice.prices_include_tax { "Unit price incl. VAT" } else { "Unit price" },
        amount_head: if document::is_untaxed(invoice) { "Amount" } else { "Amount (net)" },
        has_line_discounts: invoice.line_items.iter().any(|l| l.discount.is_some()),
        lines: invoice
            .line_items
            .iter()
            .map(|l| PdfLine {
                description: l.description.clone(),
                quantity: l.quantity.normalize().to_string(),
                unit_price: format_amount(l.unit_price_cents, cur),
                discount: percent_or_amount(&l.discount, cur),
                vat: document::line_vat(invoice, l),
                amount: format_amount(l.line_total_cents, cur),
            })
            .collect(),
        subtotal: format_amount(invoice.subtotal_cents, cur),
        discount_label: match &invoice.discount {
            Some(Discount::Percent { value }) => format!("Discount {}%", value.normalize()),
            _ => "Discount".into(),
        },
        discount: (invoice.discount_cents > 0).then(|| format_amount(invoice.discount_cents, cur)),
        taxes: if document::is_untaxed(invoice) { Vec::new() } else { taxes(invoice) },
        rounding: (invoice.rounding_cents != 0).then(|| format_amount(invoice.rounding_cents, cur)),
        vat_groups: if document::shows_breakdown_table(invoice) { vat_groups(invoice) } else { Vec::new() },
        exemption_notes: document::exemption_notes(invoice),
        total: format_amount(invoice.total_cents, cur),
        paid: (invoice.amount_paid_cents != 0).then(|| format_amount(invoice.amount_paid_cents, cur)),
        balance: (invoice.amount_paid_cents != 0).then(|| format_amount(invoice.balance_due_cents, cur)),
        terms: invoice.terms_text.as_deref(),
        footer: invoice.footer_note.as_deref(),
        payment: &sender.payment,
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
    pub fn render(&self, invoice: &Invoice, sender: &SenderCard) -> Result<Vec<u8>, String> {
        let json = serde_json::to_vec(&data(invoice, sender)).map_err(|e| e.to_string())?;
        let compiled = typst::compile::<PagedDocument>(&self.assets.with_data(json)).output;
        comemo::evict(MEMO_RENDERS);
        let doc = compiled.map_err(|e| format!("typst: {e:?}"))?;
        typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default()).map_err(|e| format!("pdf: {e:?}"))
    }
}
