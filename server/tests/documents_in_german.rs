//! A German customer's invoice speaks German everywhere the recipient reads it (issue 24):
//! the share page (its refusals too) and the PDF print the words of the German translation
//! file and the cents of the API, formatted as German writes money ("1.234,56 €") — on SQLite
//! and PostgreSQL. The invoice is the OpenAPI example: 7 % and 19 %, a line and an invoice
//! discount, gross prices.

mod support;

use data::on_both_databases;
use data::testkit::TestDb;
use domain::Language;
use reqwest::Method;
use serde_json::{Value, json};
use support::{TestApp, pdf_text};

/// Spaces as pdftotext and HTML both can carry them (no-break, narrow no-break).
fn plain(text: &str) -> String {
    text.replace(['\u{a0}', '\u{202f}'], " ").replace("&nbsp;", " ")
}

async fn a_german_customer_reads_german(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("studio@x.test", Some("Studio Nord")).await;
    let (status, customer) =
        app.post(&key, "/api/v1/customers", json!({"company": "Buchhandlung Weber GmbH", "language": "de"})).await;
    assert_eq!((status, customer["language"].as_str()), (201, Some("de")), "{customer}");
    let mut body = server::api::examples::invoice_examples().remove(0).2;
    body.as_object_mut().unwrap().remove("recipient");
    body["customer_id"] = customer["id"].clone();
    let (status, inv) = app.post(&key, "/api/v1/invoices", body).await;
    assert_eq!((status, inv["language"].as_str()), (201, Some("de")), "the customer's language: {inv}");
    let number = inv["id"].as_str().unwrap().to_string();

    // The cents the API states, as German writes them.
    let de = |v: &Value| i18n::money(Language::De, v.as_i64().unwrap(), "EUR");
    let mut amounts =
        vec![de(&inv["subtotal_cents"]), de(&inv["total_cents"]), format!("−{}", de(&inv["discount_cents"]))];
    for g in inv["tax_breakdown"].as_array().unwrap() {
        amounts.extend([de(&g["taxable_cents"]), de(&g["tax_cents"]), de(&g["gross_cents"])]);
    }
    for line in inv["line_items"].as_array().unwrap() {
        amounts.push(de(&line["line_total_cents"]));
    }
    assert!(amounts.contains(&"1.189,40\u{a0}€".to_string()), "the total in German: {amounts:?}");
    let words =
        ["Rechnung", "Rechnung an", "Zwischensumme", "Gesamtbetrag", "Einzelpreis inkl. USt", "Umsatzsteuer", "Brutto"];

    let page = app.client.get(format!("{}/i/{}", app.base, inv["share_token"].as_str().unwrap())).send().await.unwrap();
    let html = plain(&page.text().await.unwrap());
    assert!(html.contains("lang=\"de\""), "the document says its language");
    let pdf = app.call(Method::GET, Some(&key), &format!("/api/v1/invoices/{number}/pdf"), None).await;
    let Some(text) = pdf_text(&pdf.bytes().await.unwrap()) else { return };
    let text = plain(&text);
    for expected in amounts.iter().map(|a| plain(a)) {
        assert!(html.contains(&expected), "the share page shows {expected}");
        assert!(text.contains(&expected), "the PDF shows {expected}\n{text}");
    }
    // The PDF prints section labels in capitals.
    let (html_words, pdf_words) = (html.to_lowercase(), text.to_lowercase());
    for word in words.map(str::to_lowercase) {
        assert!(html_words.contains(&word), "the share page says {word}");
        assert!(pdf_words.contains(&word), "the PDF says {word}\n{text}");
    }
    assert!(
        text.contains(&plain(&i18n::date(Language::De, chrono::NaiveDate::from_ymd_opt(2027, 1, 31).unwrap()))),
        "{text}"
    );
    assert!(!html.contains("Subtotal") && !text.contains("Subtotal"), "no English word is left");
    // The page around the document speaks German too.
    for said in [
        "Von Studio Nord · 1.189,40 € fällig am 31. Januar 2027",
        "PDF herunterladen",
        "Rechnung weiterleiten",
        "Notiz (optional)",
    ] {
        assert!(html.contains(said), "the share page says {said}");
    }
    for english in ["Download PDF", "Forward invoice", "Request changes"] {
        assert!(!html.contains(english), "the share page no longer says {english}");
    }

    // A refusal on the page is German too (a plain form post, as without JavaScript).
    app.patch(&key, &format!("/api/v1/invoices/{number}"), json!({"status": "sent"})).await;
    let token = inv["share_token"].as_str().unwrap();
    let res = app.post_form(None, "approve_invoice", "text/html", &[("token", token), ("name", "   ")]).await;
    let back = res.headers()["location"].to_str().unwrap().to_string();
    let page = app.client.get(format!("{}{back}", app.base)).send().await.unwrap();
    let html = plain(&page.text().await.unwrap());
    assert!(html.contains("Geben Sie zur Freigabe Ihren Namen ein"), "{back}: {html}");
    assert!(!html.contains("type your name"), "the data layer's English stays with the API");
}
on_both_databases!(a_german_customer_reads_german);
