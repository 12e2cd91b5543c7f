//! `bench-reference einvoice OUT N`: our e-invoice work per invoice — the EN 16931 model from
//! the invoice's totals, the XRechnung 3.0 check (EN 16931 + KoSIT + Peppol rules) and the CII
//! written — timed over N runs; prints microseconds per invoice and writes the XML to OUT for
//! scripts/bench.sh to time the official validator (end2end/einvoice_check.py) on.

use domain::einvoice::EInvoiceFormat;
use domain::profile::Profile;
use std::time::Instant;

/// The invoice of server/tests/e_invoices.rs: 8 × 120.00 at 19 % and 2 × 24.90 at 7 %, as the
/// API returns it (totals from the one totals function).
const INVOICE: &str = r#"{"amount_paid_cents":0,"balance_due_cents":119569,"created_at":"2026-12-03T18:02:51Z",
"currency":"EUR","customer_id":1,"discount":null,"discount_cents":0,"due_date":"2031-01-31","footer_note":null,
"id":"STADT-0001","issue_date":"2026-12-03","language":"de","line_items":[
{"description":"Beratung & Konzept","discount":null,"discount_cents":0,"line_total_cents":96000,"quantity":8,
 "tax":{"category":"standard","rate":19},"unit_price_cents":12000},
{"description":"Fachbuch","discount":null,"discount_cents":0,"line_total_cents":4980,"quantity":2,
 "tax":{"category":"standard","rate":7},"unit_price_cents":2490}],
"paid_at":null,"po_number":null,"prices_include_tax":false,
"recipient":{"address":{"city":"Musterhausen","country":"DE","line1":"Rathausplatz 1","postal_code":"12345"},
 "cc_emails":[],"company":"Stadt Musterhausen","e_invoice_format":"xrechnung-cii","email":"rechnung@musterhausen.test",
 "buyer_reference":"991-01234-56"},
"rounding_cents":0,"sent_at":null,"share_token":"","share_url":"","status":"draft","subscription_context":null,
"subtotal_cents":100980,"tax":null,"tax_breakdown":[
{"category":"standard","category_code":"S","gross_cents":114240,"rate":19,"rounding_cents":0,"tax_cents":18240,"taxable_cents":96000},
{"category":"standard","category_code":"S","gross_cents":5329,"rate":7,"rounding_cents":0,"tax_cents":349,"taxable_cents":4980}],
"tax_cents":18589,"terms_text":null,"total_cents":119569,"updated_at":"2026-12-03T18:02:51Z"}"#;

fn seller() -> Profile {
    let s = |v: &str| Some(v.to_string());
    Profile {
        company: s("Studio Nord GmbH"),
        address_line1: s("Hafenstraße 5"),
        city: s("Hamburg"),
        postal_code: s("20457"),
        country: s("DE"),
        vat_id: s("DE811907980"),
        phone: s("+49 40 1234567"),
        account_name: s("Studio Nord GmbH"),
        iban: s("DE89370400440532013000"),
        swift_code: s("COBADEFFXXX"),
        default_currency: "EUR".into(),
        payment_terms_days: 30,
        ..Default::default()
    }
}

pub fn run(out: &str, runs: u32) -> Result<(), crate::Failure> {
    let invoice: domain::dto::Invoice = serde_json::from_str(INVOICE)?;
    let profile = seller();
    let source = einvoice::Source {
        invoice: &invoice,
        seller: einvoice::Seller { profile: &profile, email: Some("rechnung@studio-nord.test") },
        credit: None,
    };
    let written = |s: &einvoice::Source<'_>| einvoice::xml(s, EInvoiceFormat::XRechnungCii);
    let xml = written(&source).map_err(|e| format!("the bench invoice is refused: {e:?}"))?;
    std::fs::write(out, &xml)?;
    let started = Instant::now();
    for _ in 0..runs {
        // `xml` checks first and writes only a valid invoice: the whole of what a send does.
        std::hint::black_box(written(std::hint::black_box(&source)).is_ok());
    }
    let per_invoice_us = started.elapsed().as_secs_f64() * 1e6 / f64::from(runs.max(1));
    println!("{per_invoice_us:.1}");
    Ok(())
}
