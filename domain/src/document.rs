//! What an invoice document shows about VAT, decided once for every surface (`i18n` words it
//! for the page and the PDF; the editor labels its live breakdown with `group_label`): which
//! rows, which columns, whether a breakdown table. Nothing is computed here.

use crate::dto::{Invoice, LineItem, TaxBreakdown};
use crate::vat::TaxCategory;
use rust_decimal::Decimal;

/// A breakdown line's name: "VAT 19%" for standard lines (the invoice's tax label at its
/// rate: `seed` is that label and rate), else the category's.
pub fn group_label(g: &TaxBreakdown, seed: Option<(Option<&str>, Decimal)>) -> String {
    match g.category {
        TaxCategory::Standard => {
            let label = seed.filter(|(_, rate)| rate.normalize() == g.rate).and_then(|(label, _)| label);
            format!("{} {}%", label.unwrap_or("VAT"), g.rate)
        }
        other => category_name(other).to_string(),
    }
}

pub fn category_name(category: TaxCategory) -> &'static str {
    match category {
        TaxCategory::Standard => "Standard rate",
        TaxCategory::ZeroRated => "Zero-rated (0%)",
        TaxCategory::Exempt => "VAT exempt",
        TaxCategory::ReverseCharge => "Reverse charge",
        TaxCategory::IntraCommunity => "Intra-EU supply",
        TaxCategory::Export => "Export",
        TaxCategory::OutsideScope => "Not subject to VAT",
    }
}

/// Whether the invoice charges no tax at all and says nothing about it (the seed's invoices
/// without a tax): then no tax row is printed, as before VAT per line.
pub fn is_untaxed(invoice: &Invoice) -> bool {
    invoice.tax.is_none()
        && invoice.line_items.iter().all(|l| l.tax.is_none())
        && invoice.tax_breakdown.iter().all(|g| g.category == TaxCategory::ZeroRated)
}

/// Whether the document prints the VAT breakdown table (net, VAT and gross per rate): with
/// more than one rate or category, with prices including tax, or with an exemption to state.
pub fn shows_breakdown_table(invoice: &Invoice) -> bool {
    !is_untaxed(invoice)
        && (invoice.tax_breakdown.len() > 1
            || invoice.prices_include_tax
            || invoice.tax_breakdown.iter().any(|g| g.exemption_reason.is_some()))
}

/// Whether the lines print their VAT (more than one rate or category on the invoice).
pub fn shows_line_vat(invoice: &Invoice) -> bool {
    invoice.tax_breakdown.len() > 1
}

/// A line's VAT as its column prints it: "19%", or the category's UNCL code ("AE").
pub fn line_vat(invoice: &Invoice, line: &LineItem) -> String {
    match (&line.tax, &invoice.tax) {
        (Some(t), _) if t.category == TaxCategory::Standard => format!("{}%", t.rate),
        (Some(t), _) => t.category.code().to_string(),
        (None, Some(t)) if !t.rate.is_zero() => format!("{}%", t.rate.normalize()),
        _ => "0%".into(),
    }
}
