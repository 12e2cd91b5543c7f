//! The totals of random invoices are the same wherever they are shown: the API's JSON, the
//! share page's HTML and the PDF's text all read the one totals result — lines, VAT per
//! category and rate, rounding — on SQLite and PostgreSQL. Invoices come from a seeded
//! proptest strategy (few: each renders a PDF); several rates and categories, prices with
//! and without tax.

mod support;

use data::on_both_databases;
use data::testkit::TestDb;
use domain::currency::format_amount;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use reqwest::Method;
use serde_json::{Value, json};
use support::{TestApp, pdf_text};

const INVOICES: usize = 6;

fn discount() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        (0u32..=50_000).prop_map(|m| json!({"type": "percent", "value": f64::from(m) / 1000.0})),
        (0i64..=5_000).prop_map(|c| json!({"type": "flat", "value_cents": c})),
    ]
}

/// A line's own VAT, or none (the invoice's rate applies).
fn line_tax() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => Just(Value::Null),
        2 => prop::sample::select(vec![7.0, 19.0, 20.5, 8.875]).prop_map(|r| json!({"rate": r})),
        1 => Just(json!({"category": "zero_rated"})),
        1 => Just(json!({"category": "reverse_charge"})),
        1 => Just(json!({"category": "export"})),
        1 => Just(json!({"category": "exempt", "exemption_reason": "Exempt under Article 132 of Directive 2006/112/EC"})),
    ]
}

fn line() -> impl Strategy<Value = Value> {
    (1u32..=20_000, 5_000i64..=2_000_000, discount(), line_tax()).prop_map(|(q, price, discount, tax)| {
        json!({"description": "Work", "quantity": f64::from(q) / 1000.0, "unit_price_cents": price, "discount": discount, "tax": tax})
    })
}

fn invoice() -> impl Strategy<Value = Value> {
    let currency = prop::sample::select(vec!["USD", "EUR", "JPY", "KWD", "GBP"]);
    (prop::collection::vec(line(), 1..=6), discount(), 0u32..=27_500, currency, any::<bool>()).prop_map(
        |(lines, d, rate, c, inclusive)| {
            json!({"due_date": "2031-01-31", "currency": c,
                   "recipient": {"company": "Acme", "email": "ap@acme.test", "vat_id": "FR40303265045"},
                   "line_items": lines, "discount": d, "tax": {"label": "VAT", "rate": f64::from(rate) / 1000.0},
                   "prices_include_tax": inclusive})
        },
    )
}

/// The amounts the invoice JSON states, as the documents print them: (what, formatted).
fn amounts(inv: &Value) -> Vec<(String, String)> {
    let currency = inv["currency"].as_str().unwrap();
    let money = |v: &Value| format_amount(v.as_i64().unwrap(), currency);
    let mut out =
        vec![("subtotal".to_string(), money(&inv["subtotal_cents"])), ("total".into(), money(&inv["total_cents"]))];
    if inv["discount_cents"].as_i64() > Some(0) {
        out.push(("discount".into(), format!("−{}", money(&inv["discount_cents"]))));
    }
    for (n, group) in inv["tax_breakdown"].as_array().unwrap().iter().enumerate() {
        out.push((format!("taxable of VAT group {n}"), money(&group["taxable_cents"])));
        out.push((format!("tax of VAT group {n}"), money(&group["tax_cents"])));
    }
    if inv["rounding_cents"].as_i64() != Some(0) {
        out.push(("rounding".into(), money(&inv["rounding_cents"])));
    }
    for (n, line) in inv["line_items"].as_array().unwrap().iter().enumerate() {
        out.push((format!("line {n}"), money(&line["line_total_cents"])));
    }
    out
}

async fn totals_read_the_same_in_json_page_and_pdf(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("me@studio.test", Some("Studio Nova")).await;
    let mut runner = TestRunner::deterministic();
    let strategy = invoice();
    for n in 0..INVOICES {
        let body = strategy.new_tree(&mut runner).expect("an invoice").current();
        let (status, made) = app.post(&key, "/api/v1/invoices", body.clone()).await;
        assert_eq!(status, 201, "invoice {n} is inside the limits: {body} → {made}");
        let number = made["id"].as_str().unwrap().to_string();
        let (_, inv) = app.patch(&key, &format!("/api/v1/invoices/{number}"), json!({"status": "sent"})).await;
        let page = app.client.get(format!("{}/i/{}", app.base, inv["share_token"].as_str().unwrap())).send().await;
        let html = page.unwrap().text().await.unwrap();
        let totals_block = html.split("class=\"doc-totals\"").nth(1).expect("the totals on the share page");
        let pdf = app.call(Method::GET, Some(&key), &format!("/api/v1/invoices/{number}/pdf"), None).await;
        let Some(text) = pdf_text(&pdf.bytes().await.unwrap()) else { return };
        for (what, printed) in amounts(&inv) {
            let in_page =
                if what.starts_with("line") { html.contains(&printed) } else { totals_block.contains(&printed) };
            assert!(in_page, "invoice {n} ({number}): the page shows the {what} {printed}\n{body}");
            assert!(text.contains(&printed), "invoice {n} ({number}): the PDF shows the {what} {printed}\n{text}");
        }
        let total = format_amount(inv["total_cents"].as_i64().unwrap(), inv["currency"].as_str().unwrap());
        let grand = text.lines().find(|l| l.trim_start().starts_with("Total")).expect("the PDF's Total line");
        assert!(grand.trim_end().ends_with(&total), "the PDF's Total is the JSON's: {grand} vs {total}");
    }
}
on_both_databases!(totals_read_the_same_in_json_page_and_pdf);
