//! `print`: an invoice as its document says it, in the reader's language. What shows follows
//! `domain::document` (which rows, which tables); the words come from the translation files.

use crate::{date, money, number, percent, text, text_with};
use domain::Language;
use domain::credit_note::{CreditNote, CreditNoteKind};
use domain::document;
use domain::dto::{Discount, Invoice, SenderCard, TaxBreakdown};
use domain::printed::{PrintedInvoice, PrintedParty, PrintedTotal};
use domain::vat::TaxCategory;

/// The fixed words every document uses.
const WORDS: &[&str] = &[
    "doc-invoice",
    "doc-number",
    "doc-issued",
    "doc-due",
    "doc-po",
    "doc-bill-to",
    "doc-vat-breakdown",
    "doc-terms",
    "doc-payment-details",
    "doc-pay-by-bank",
];

/// What a printer needs besides the invoice: who sends it, in which language.
pub fn print(invoice: &Invoice, sender: &SenderCard, language: Language) -> PrintedInvoice {
    let l = language;
    let mut words: std::collections::BTreeMap<String, String> =
        WORDS.iter().map(|k| (k.to_string(), text(l, k))).collect();
    // The PDF fills in the page numbers as it lays pages out.
    words.insert("doc-page".into(), text_with(l, "doc-page", &[("page", "{page}"), ("pages", "{pages}")]));
    let id = |key: &str, value: &Option<String>| value.as_ref().map(|v| text_with(l, key, &[("id", v)]));
    let r = &invoice.recipient;
    PrintedInvoice {
        language: l.code().to_string(),
        words,
        number: invoice.id.clone(),
        issue_date: date(l, invoice.issue_date),
        due_date: date(l, invoice.due_date),
        po_number: invoice.po_number.clone(),
        sender: PrintedParty {
            company: Some(sender.company.clone()),
            name: None,
            lines: sender.lines.clone(),
            email: sender.email.clone(),
            ids: [id("doc-vat-id", &sender.vat_id), id("doc-tax-id", &sender.tax_id)].into_iter().flatten().collect(),
        },
        recipient: PrintedParty {
            company: r.company.clone(),
            name: r.name.clone(),
            lines: r.address.as_ref().map(|a| a.lines()).unwrap_or_default(),
            email: r.email.clone(),
            ids: [id("doc-vat-id", &r.vat_id), id("doc-tax-id", &r.tax_id)].into_iter().flatten().collect(),
        },
        columns: columns(invoice, l),
        rows: rows(invoice, l),
        totals: totals(invoice, l),
        vat_columns: if document::shows_breakdown_table(invoice) {
            ["doc-vat", "doc-net", "doc-vat", "doc-gross"].iter().map(|k| text(l, k)).collect()
        } else {
            Vec::new()
        },
        vat_rows: if document::shows_breakdown_table(invoice) { vat_rows(invoice, l) } else { Vec::new() },
        exemption_notes: exemption_notes(invoice, l),
        terms: invoice.terms_text.clone(),
        footer: invoice.footer_note.clone(),
        payment: sender.payment.iter().map(|(key, value)| (text(l, key), value.clone())).collect(),
        pay_by_bank_qr: pay_by_bank_qr(invoice, sender),
        references: Vec::new(),
    }
}

/// The EPC QR code for the balance (`domain::epc`), as SVG: error correction M, as the
/// standard asks, a quiet zone of four modules, one path with a rectangle per run of dark
/// modules in a row (a few KB; the page carries it twice, as markup and hydration data).
fn pay_by_bank_qr(invoice: &Invoice, sender: &SenderCard) -> Option<String> {
    use std::fmt::Write as _;
    let text =
        domain::epc::payload(sender.transfer.as_ref()?, invoice.balance_due_cents, &invoice.currency, &invoice.id)?;
    let (width, modules) = qr_modules(&text)?;
    let dark = |x: usize, y: usize| modules.get(y * width + x) == Some(&true);
    let mut path = String::new();
    for y in 0..width {
        let mut x = 0;
        while x < width {
            if !dark(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < width && dark(x, y) {
                x += 1;
            }
            let _ = write!(path, "M{} {}h{}v1h-{}z", start + 4, y + 4, x - start, x - start);
        }
    }
    let side = width + 8;
    Some(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" width="{side}" height="{side}" shape-rendering="crispEdges"><rect width="{side}" height="{side}" fill="#fff"/><path fill="#000" d="{path}"/></svg>"##
    ))
}

/// The QR code of `text` at error correction M (the EPC standard's): its width in modules
/// and, row by row, whether each is dark. No quiet zone.
pub fn qr_modules(text: &str) -> Option<(usize, Vec<bool>)> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).ok()?;
    let modules = code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect();
    Some((code.width(), modules))
}

fn has_line_discounts(invoice: &Invoice) -> bool {
    invoice.line_items.iter().any(|line| line.discount.is_some())
}

fn columns(invoice: &Invoice, l: Language) -> Vec<String> {
    let price = if invoice.prices_include_tax { "doc-unit-price-gross" } else { "doc-unit-price" };
    let amount = if document::is_untaxed(invoice) { "doc-amount" } else { "doc-amount-net" };
    let mut keys = vec!["doc-description", "doc-quantity", price];
    if has_line_discounts(invoice) {
        keys.push("doc-discount");
    }
    if document::shows_line_vat(invoice) {
        keys.push("doc-vat");
    }
    keys.push(amount);
    keys.into_iter().map(|k| text(l, k)).collect()
}

fn discount_text(discount: &Option<Discount>, currency: &str, l: Language) -> String {
    match discount {
        Some(Discount::Percent { value }) => percent(l, *value),
        Some(Discount::Flat { value_cents }) => money(l, *value_cents, currency),
        None => String::new(),
    }
}

fn rows(invoice: &Invoice, l: Language) -> Vec<Vec<String>> {
    let cur = invoice.currency.as_str();
    invoice
        .line_items
        .iter()
        .map(|line| {
            let mut cells =
                vec![line.description.clone(), number(l, line.quantity), money(l, line.unit_price_cents, cur)];
            if has_line_discounts(invoice) {
                cells.push(discount_text(&line.discount, cur, l));
            }
            if document::shows_line_vat(invoice) {
                let vat = document::line_vat(invoice, line);
                // "19%" as the language writes percentages; category codes stay as they are.
                let localized = vat.strip_suffix('%').and_then(|r| r.parse().ok()).map(|r| percent(l, r));
                cells.push(localized.unwrap_or(vat));
            }
            cells.push(money(l, line.line_total_cents, cur));
            cells
        })
        .collect()
}

/// A breakdown line's name in `l`: "VAT 19%" (or the invoice's own label at its rate), else
/// the category's.
fn group_label(invoice: &Invoice, g: &TaxBreakdown, l: Language) -> String {
    match g.category {
        TaxCategory::Standard => {
            let own = invoice.tax.as_ref().filter(|t| t.rate.normalize() == g.rate).and_then(|t| t.label.clone());
            match own {
                Some(label) => format!("{label} {}", percent(l, g.rate)),
                None => text_with(l, "doc-vat-rate", &[("rate", &percent(l, g.rate))]),
            }
        }
        other => text(l, &format!("vat-category-{}", other.as_str())),
    }
}

fn total(label: String, amount: String, test_id: &str, grand: bool) -> PrintedTotal {
    PrintedTotal { label, amount, grand, test_id: test_id.to_string() }
}

fn totals(invoice: &Invoice, l: Language) -> Vec<PrintedTotal> {
    let cur = invoice.currency.as_str();
    let m = |cents: i64| money(l, cents, cur);
    let mut out = vec![total(text(l, "doc-subtotal"), m(invoice.subtotal_cents), "invoice-subtotal", false)];
    if invoice.discount_cents > 0 {
        let label = match &invoice.discount {
            Some(Discount::Percent { value }) => {
                text_with(l, "doc-discount-percent", &[("percent", &percent(l, *value))])
            }
            _ => text(l, "doc-discount"),
        };
        out.push(total(label, format!("−{}", m(invoice.discount_cents)), "invoice-discount", false));
    }
    if !document::is_untaxed(invoice) {
        for (i, g) in invoice.tax_breakdown.iter().enumerate() {
            let label =
                text_with(l, "doc-tax-on", &[("label", &group_label(invoice, g, l)), ("amount", &m(g.taxable_cents))]);
            out.push(total(label, m(g.tax_cents), &format!("invoice-vat-{i}"), false));
        }
    }
    if invoice.rounding_cents != 0 {
        out.push(total(text(l, "doc-rounding"), m(invoice.rounding_cents), "invoice-rounding", false));
    }
    out.push(total(text(l, "doc-total"), m(invoice.total_cents), "invoice-total", true));
    if invoice.credited_cents != 0 {
        out.push(total(text(l, "doc-credited"), format!("−{}", m(invoice.credited_cents)), "invoice-credited", false));
    }
    if invoice.amount_paid_cents != 0 {
        out.push(total(text(l, "doc-paid"), format!("−{}", m(invoice.amount_paid_cents)), "invoice-paid", false));
    }
    if invoice.amount_paid_cents != 0 || invoice.credited_cents != 0 {
        out.push(total(text(l, "doc-balance-due"), m(invoice.balance_due_cents), "invoice-balance", true));
    }
    if invoice.refund_due_cents != 0 {
        out.push(total(text(l, "doc-refund-due"), m(invoice.refund_due_cents), "invoice-refund-due", false));
    }
    out
}

/// A credit note as its document says it: the invoice's layout under its own title, with
/// the invoice it corrects and why, and nothing to pay.
pub fn print_credit_note(note: &CreditNote, sender: &SenderCard, language: Language) -> PrintedInvoice {
    let l = language;
    let mut printed = print(&note.as_document(), sender, l);
    let title = if note.kind == CreditNoteKind::Cancellation { "doc-cancellation" } else { "doc-credit-note" };
    printed.words.insert("doc-invoice".into(), text(l, title));
    printed.due_date = String::new();
    let corrects = [("number", note.invoice_number.as_str()), ("date", &date(l, note.invoice_issue_date))];
    printed.references =
        vec![text_with(l, "doc-corrects", &corrects), text_with(l, "doc-reason", &[("reason", &note.reason)])];
    printed.pay_by_bank_qr = None;
    printed
}

fn vat_rows(invoice: &Invoice, l: Language) -> Vec<Vec<String>> {
    let cur = invoice.currency.as_str();
    invoice
        .tax_breakdown
        .iter()
        .map(|g| {
            vec![
                group_label(invoice, g, l),
                money(l, g.taxable_cents, cur),
                money(l, g.tax_cents, cur),
                money(l, g.gross_cents, cur),
            ]
        })
        .collect()
}

/// The exemption reasons, each once, as stored (written in the invoice's language when it was
/// saved); a group with only a VATEX code says its category and the code.
fn exemption_notes(invoice: &Invoice, l: Language) -> Vec<String> {
    let mut notes: Vec<String> = Vec::new();
    for g in &invoice.tax_breakdown {
        let note = match (&g.exemption_reason, &g.vatex) {
            (Some(reason), _) => reason.clone(),
            (None, Some(code)) => format!("{}: {code}", text(l, &format!("vat-category-{}", g.category.as_str()))),
            (None, None) => continue,
        };
        if !notes.contains(&note) {
            notes.push(note);
        }
    }
    notes
}
