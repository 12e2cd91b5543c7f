//! Invoice PDFs: the text a reader extracts (pdftotext) has the number, every line and the
//! total; the paper follows the sender's country; ETag and 304; by token and by API key.

mod support;

use data::on_both_databases;
use data::testkit::TestDb;
use reqwest::Method;
use serde_json::json;
use std::process::Command;
use support::TestApp;

/// pdftotext / pdfinfo output for a PDF, or None to skip outside CI when poppler is missing.
fn poppler(tool: &str, pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("invoice.pdf");
    std::fs::write(&path, pdf).unwrap();
    let mut cmd = Command::new(tool);
    if tool == "pdftotext" {
        cmd.args(["-layout", path.to_str().unwrap(), "-"]);
    } else {
        cmd.arg(path.to_str().unwrap());
    }
    match cmd.output() {
        Ok(out) => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        Err(_) => {
            data::testkit::skip(&format!("{tool} is not installed (Debian poppler-utils)"));
            None
        }
    }
}

async fn profile(app: &TestApp, email: &str, country: &str) -> String {
    let key = app.key(email, Some("Studio Nova")).await;
    let sender = data::senders::find_by_email(&app.store.db, email).await.unwrap().unwrap();
    let mut form = data::senders::profile_form(&sender);
    form.country = country.into();
    form.city = "Lisbon".into();
    form.iban = "DE89370400440532013000".into();
    data::senders::update_profile(&app.store, sender.id, &form).await.unwrap();
    key
}

async fn the_pdf_says_what_the_invoice_says(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = profile(&app, "me@x.test", "Portugal").await;
    let (_, inv) = app
        .post(
            &key,
            "/api/v1/invoices",
            json!({"due_date": "2026-12-31", "recipient": {"company": "Acme Corp", "email": "ap@acme.test"},
                   "line_items": [{"description": "Brand identity system", "unit_price_cents": 250000},
                                  {"description": "Hosting, 12 months", "quantity": 12, "unit_price_cents": 500, "discount": {"type": "percent", "value": 10}}],
                   "tax": {"label": "VAT", "rate": 23}, "terms_text": "Net 30"}),
        )
        .await;
    let res = app.call(Method::GET, Some(&key), "/api/v1/invoices/ACME-0001/pdf", None).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.headers()["content-disposition"], "inline; filename=\"ACME-0001.pdf\"");
    let etag = res.headers()["etag"].to_str().unwrap().to_string();
    let pdf = res.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let total = domain::currency::format_amount(inv["total_cents"].as_i64().unwrap(), "USD");
    if let Some(text) = poppler("pdftotext", &pdf) {
        for needle in [
            "ACME-0001",
            "Brand identity system",
            "Hosting, 12 months",
            "Studio Nova",
            "Acme Corp",
            "Net 30",
            "DE89370400440532013000",
            total.as_str(),
        ] {
            assert!(text.contains(needle), "the PDF text lacks {needle:?}:\n{text}");
        }
    }
    if let Some(info) = poppler("pdfinfo", &pdf) {
        assert!(info.contains("(A4)"), "Portugal prints on A4: {info}");
    }

    // Unchanged: 304. Changed: a new ETag and the new content.
    let cached = app
        .client
        .get(format!("{}/api/v1/invoices/ACME-0001/pdf", app.base))
        .bearer_auth(&key)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(cached.status(), 304);
    app.patch(&key, "/api/v1/invoices/ACME-0001", json!({"po_number": "PO-4711"})).await;
    let fresh = app
        .client
        .get(format!("{}/api/v1/invoices/ACME-0001/pdf", app.base))
        .bearer_auth(&key)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(fresh.status(), 200);
    assert_ne!(fresh.headers()["etag"].to_str().unwrap(), etag);
    if let Some(text) = poppler("pdftotext", &fresh.bytes().await.unwrap()) {
        assert!(text.contains("PO-4711"));
        assert!(!text.contains("Balance due"), "nothing paid yet: no balance line");
    }
    // Issued is issued: once sent, the PDF is the document as it went out (the archive's
    // bytes), also after a payment; what was paid shows on the share page and the receipt.
    app.patch(&key, "/api/v1/invoices/ACME-0001", json!({"status": "sent"})).await;
    let issued = app.call(Method::GET, Some(&key), "/api/v1/invoices/ACME-0001/pdf", None).await;
    let issued = issued.bytes().await.unwrap();
    let paid = json!({"amount_cents": 100_000, "method": "bank_transfer"});
    assert_eq!(app.post(&key, "/api/v1/invoices/ACME-0001/payments", paid).await.0, 201);
    let part = app.call(Method::GET, Some(&key), "/api/v1/invoices/ACME-0001/pdf", None).await;
    assert_eq!(part.bytes().await.unwrap(), issued, "the same document after the payment");
    let token = inv["share_token"].as_str().unwrap();
    let page = app.client.get(format!("{}/i/{token}", app.base)).send().await.unwrap().text().await.unwrap();
    let balance = domain::currency::format_amount(inv["total_cents"].as_i64().unwrap() - 100_000, "USD");
    assert!(page.contains("Balance due") && page.contains(&balance), "the share page shows the balance");

    // The share link serves the same PDF without a key; nothing else does.
    let token = inv["share_token"].as_str().unwrap();
    let shared = app.client.get(format!("{}/i/{token}/pdf", app.base)).send().await.unwrap();
    assert_eq!(shared.status(), 200);
    assert_eq!(
        app.client.get(format!("{}/i/AAAAAAAAAAAAAAAAAAAAAA/pdf", app.base)).send().await.unwrap().status(),
        404
    );
    assert_eq!(app.call(Method::GET, None, "/api/v1/invoices/ACME-0001/pdf", None).await.status(), 401);
    let other = app.key("them@x.test", Some("Their Firm")).await;
    assert_eq!(app.call(Method::GET, Some(&other), "/api/v1/invoices/ACME-0001/pdf", None).await.status(), 404);
}
on_both_databases!(the_pdf_says_what_the_invoice_says);

async fn us_senders_get_letter_paper(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = profile(&app, "us@x.test", "United States").await;
    app.post(&key, "/api/v1/invoices", support::guide_invoice()).await;
    let pdf = app.call(Method::GET, Some(&key), "/api/v1/invoices/ACME-0001/pdf", None).await.bytes().await.unwrap();
    if let Some(info) = poppler("pdfinfo", &pdf) {
        assert!(info.contains("612 x 792"), "US Letter: {info}");
    }
}
on_both_databases!(us_senders_get_letter_paper);

/// Typst memoizes layout between renders: invoices rendered in turn each keep their own text,
/// and the same invoice renders to the same bytes again.
async fn invoices_rendered_in_turn_keep_their_own_content(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = profile(&app, "turns@x.test", "Portugal").await;
    for (company, line) in [("Acme Corp", "Logo redesign"), ("Globex", "Annual audit")] {
        app.post(
            &key,
            "/api/v1/invoices",
            json!({"due_date": "2026-12-31", "recipient": {"company": company, "email": "ap@x.test"},
                   "line_items": [{"description": line, "unit_price_cents": 120000}]}),
        )
        .await;
    }
    let pdf_of = |number: &'static str| {
        let app = &app;
        let key = key.clone();
        async move {
            let path = format!("/api/v1/invoices/{number}/pdf");
            app.call(Method::GET, Some(&key), &path, None).await.bytes().await.unwrap()
        }
    };
    let acme = pdf_of("ACME-0001").await;
    let globex = pdf_of("GLOBEX-0001").await;
    assert_eq!(pdf_of("ACME-0001").await, acme, "the same invoice renders to the same bytes");
    assert_eq!(pdf_of("GLOBEX-0001").await, globex);
    assert_ne!(acme, globex);
    if let (Some(a), Some(g)) = (poppler("pdftotext", &acme), poppler("pdftotext", &globex)) {
        assert!(a.contains("ACME-0001") && a.contains("Logo redesign") && !a.contains("Annual audit"), "{a}");
        assert!(g.contains("GLOBEX-0001") && g.contains("Annual audit") && !g.contains("Logo redesign"), "{g}");
    }
}
on_both_databases!(invoices_rendered_in_turn_keep_their_own_content);
