//! Issued is issued (issue 26), over HTTP on SQLite and PostgreSQL: a paid German invoice with
//! two VAT rates credited in part (its credit note an XRechnung of type 381 that the official
//! EN 16931 rules pass), the card refund through the Stripe stand-in, the balance and states
//! after each step; a sent invoice cancelled (its cancellation issued), a draft deleted (its
//! number void); and the archive: what went out comes back byte for byte after the template
//! changed, `jupiter archive verify` names a tampered entry, `jupiter archive export` writes
//! an index whose sums are right.

mod support;

use data::on_both_databases;
use data::testkit::TestDb;
use reqwest::Method;
use serde_json::{Value, json};
use support::TestApp;
use support::documents::{german_issuer, official};
use support::smtp::mails_in;
use support::stripe::StandIn;

const DEPLOY_KEY: &str = "sk_test_deployment";
const DEPLOY_SECRET: &str = "whsec_deployment";

/// A customer receiving XRechnung and an invoice to them: 8 h consulting and a 450 € workshop
/// at 19 %, two books at 7 %.
async fn german_invoice(app: &TestApp, key: &str) -> Value {
    let customer = json!({
        "company": "Stadt Musterhausen", "contact": {"email": "rechnung@musterhausen.test"}, "language": "de",
        "address": {"line1": "Rathausplatz 1", "city": "Musterhausen", "postal_code": "12345", "country": "DE"},
        "e_invoice_format": "xrechnung-cii", "buyer_reference": "991-01234-56"});
    let (status, customer) = app.post(key, "/api/v1/customers", customer).await;
    assert_eq!(status, 201, "{customer}");
    let body = json!({"customer_id": customer["id"], "due_date": "2031-01-31", "line_items": [
        {"description": "Beratung", "quantity": 8, "unit_price_cents": 12000, "tax": {"rate": 19}},
        {"description": "Fachbuch", "quantity": 2, "unit_price_cents": 2490, "tax": {"rate": 7}},
        {"description": "Workshop", "quantity": 1, "unit_price_cents": 45000, "tax": {"rate": 19}}]});
    let (status, invoice) = app.post(key, "/api/v1/invoices", body).await;
    assert_eq!(status, 201, "{invoice}");
    invoice
}

async fn bytes(app: &TestApp, key: &str, path: &str) -> (u16, Vec<u8>) {
    let res = app.call(Method::GET, Some(key), path, None).await;
    (res.status().as_u16(), res.bytes().await.unwrap().to_vec())
}

async fn a_paid_invoice_credited_in_part_is_refunded_by_card(db: TestDb) {
    let Some(python) = support::smtp::sink_python() else { return };
    let standin = StandIn::start(&python);
    let base = standin.base.clone();
    let app =
        TestApp::start_with_state(db, |s| s.with_stripe(&base, Some(DEPLOY_KEY.into()), Some(DEPLOY_SECRET.into())))
            .await;
    standin.send_events_to(&format!("{}/stripe/webhook", app.base), DEPLOY_SECRET).await;
    let key = german_issuer(&app).await;
    let invoice = german_invoice(&app, &key).await;
    let number = invoice["id"].as_str().unwrap().to_string();
    // 19 %: 960.00 + 450.00 = 1,410.00, VAT 267.90; 7 %: 49.80, VAT 3.49 (3.486).
    assert_eq!(invoice["total_cents"], 173_119);
    let inv = |suffix: &str| format!("/api/v1/invoices/{number}{suffix}");
    let (status, sent) = app.post(&key, &inv("/send"), json!({})).await;
    assert_eq!(status, 200, "{sent}");

    // The customer pays by card.
    let token = invoice["share_token"].as_str().unwrap();
    let res = app
        .client
        .post(format!("{}/i/{token}/pay", app.base))
        .header("sec-fetch-site", "same-origin")
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let session = standin.sessions().await[0]["id"].as_str().unwrap().to_string();
    assert_eq!(standin.pay(&session, true, None).await.1, Some(200));
    let (_, paid) = app.get(&key, &inv("")).await;
    assert_eq!((paid["status"].as_str(), paid["amount_paid_cents"].as_i64()), (Some("paid"), Some(173_119)));

    // Two hours of consulting and one book come back: a dry run first, then the credit note.
    let credit = json!({"reason": "2 Stunden nicht erbracht, 1 Fachbuch zurück",
        "lines": [{"line": 0, "quantity": 2}, {"line": 1, "quantity": 1}]});
    let (status, would) = app.post(&key, &inv("/credit-notes?dry_run=true"), credit.clone()).await;
    assert_eq!((status, would["id"].as_str()), (200, Some("CN-0001")), "{would}");
    assert_eq!(app.get(&key, "/api/v1/credit-notes").await.1["data"], json!([]), "a dry run stores nothing");
    let (status, note) = app.post(&key, &inv("/credit-notes"), credit).await;
    assert_eq!(status, 201, "{note}");
    assert_eq!((note["id"].as_str(), note["invoice_number"].as_str()), (Some("CN-0001"), Some(number.as_str())));
    assert_eq!(note["kind"], "credit_note");
    // 19 %: 240.00, VAT 45.60; 7 %: 24.90, VAT 1.74 (1.743): 312.24 in all.
    let groups: Vec<_> = note["tax_breakdown"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["rate"].as_f64().unwrap(), g["taxable_cents"].as_i64().unwrap(), g["tax_cents"].as_i64().unwrap()))
        .collect();
    assert_eq!(groups, [(19.0, 24_000, 4_560), (7.0, 2_490, 174)]);
    assert_eq!(note["total_cents"], 31_224);
    assert_eq!(note["e_invoice"], json!({"format": "xrechnung-cii", "valid": true, "violations": []}));
    let (_, credited) = app.get(&key, &inv("")).await;
    assert_eq!(
        (credited["status"].as_str(), credited["credited_cents"].as_i64(), credited["balance_due_cents"].as_i64()),
        (Some("paid"), Some(31_224), Some(0))
    );
    assert_eq!(credited["refund_due_cents"], 31_224, "paid in full, then credited: owed back");

    // More than is left on a line is refused, naming it, and changes nothing.
    let (status, refused) = app
        .post(&key, &inv("/credit-notes"), json!({"reason": "noch ein Buch", "lines": [{"line": 1, "quantity": 2}]}))
        .await;
    assert_eq!((status, refused["field"].as_str()), (409, Some("lines[0].quantity")), "{refused}");
    let (status, refused) = app.post(&key, &inv("/credit-notes"), json!({"reason": " "})).await;
    assert_eq!((status, refused["field"].as_str()), (400, Some("reason")), "{refused}");
    assert_eq!(app.get(&key, "/api/v1/credit-notes").await.1["data"].as_array().unwrap().len(), 1);

    // The refund goes back to the card through Stripe, and is recorded once.
    let (status, refund) = app.post(&key, &inv("/payments"), json!({"amount_cents": -31_224, "method": "card"})).await;
    assert_eq!(status, 201, "{refund}");
    assert!(refund["reference"].as_str().unwrap().starts_with("re_test_"), "{refund}");
    let refunds = standin.refunds().await;
    assert_eq!(refunds.len(), 1);
    assert_eq!((refunds[0]["amount"].as_i64(), refunds[0]["key"].as_str()), (Some(31_224), Some(DEPLOY_KEY)));
    assert!(refunds[0]["idempotency_key"].as_str().is_some_and(|k| k.starts_with("jupiter-refund-")));
    let (_, settled) = app.get(&key, &inv("")).await;
    assert_eq!(
        (settled["status"].as_str(), settled["amount_paid_cents"].as_i64(), settled["refund_due_cents"].as_i64()),
        (Some("paid"), Some(141_895), Some(0))
    );
    let (status, again) = app.post(&key, &inv("/payments"), json!({"amount_cents": -1, "method": "card"})).await;
    assert_eq!((status, again["field"].as_str()), (409, Some("amount_cents")), "nothing more is owed back");

    // The credit note's XRechnung (type 381, pointing back at the invoice) passes.
    let (status, xml) = bytes(&app, &key, "/api/v1/credit-notes/CN-0001/e-invoice").await;
    assert_eq!(status, 200);
    let text = String::from_utf8(xml.clone()).unwrap();
    assert!(text.contains("<ram:TypeCode>381</ram:TypeCode>"), "{text}");
    assert!(text.contains(&format!("<ram:IssuerAssignedID>{number}</ram:IssuerAssignedID>")), "BG-3: {text}");
    if let Some(verdict) = official(&xml, "CN-0001-xrechnung-cii.xml") {
        assert_eq!(verdict["valid"], true, "{verdict}");
    }
    let (status, pdf) = bytes(&app, &key, "/api/v1/credit-notes/CN-0001/pdf").await;
    assert_eq!((status, &pdf[..5]), (200, &b"%PDF-"[..]));

    // Its mail carries the archived PDF and XML, in the customer's language.
    let dir = tempfile::tempdir().unwrap();
    let worker = server::mail::MailWorker {
        store: app.store.clone(),
        transport: std::sync::Arc::new(server::mail::Transport::from_url(None, dir.path().to_path_buf()).unwrap()),
        pdf: std::sync::Arc::new(server::pdf::PdfPool::default()),
        from: "Studio Nord <rechnung@studio-nord.test>".into(),
        retry: server::mail::RetryPolicy::default(),
        poll_every: std::time::Duration::from_millis(10),
    };
    while worker.deliver_due().await.unwrap() > 0 {}
    let mails = mails_in(dir.path());
    let mail = mails.iter().find(|m| m.contains("CN-0001.pdf")).expect("the credit note's mail");
    assert!(mail.contains("Rechnungskorrektur CN-0001"), "in German: {}", &mail[..mail.len().min(2000)]);
    assert!(mail.contains("filename=\"CN-0001-xrechnung-cii.xml\""), "with its XRechnung");

    let types: Vec<String> = data::invoices::timeline(&app.store, sender_id(&app).await, &number)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event_type)
        .collect();
    assert!(types.contains(&"credit_note.created".to_string()), "{types:?}");
    assert_eq!(types.last().map(String::as_str), Some("invoice.payment_refunded"), "{types:?}");
}
on_both_databases!(a_paid_invoice_credited_in_part_is_refunded_by_card);

async fn sender_id(app: &TestApp) -> i64 {
    data::senders::find_by_email(&app.store.db, "rechnung@studio-nord.test").await.unwrap().unwrap().id
}

async fn cancelling_issues_a_cancellation_and_drafts_are_deleted(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("me@studio.test", Some("Studio Nova")).await;
    let new = |price: i64| {
        json!({"recipient": {"company": "Acme", "email": "ap@acme.test"}, "due_date": "2031-01-31",
            "line_items": [{"description": "Design", "unit_price_cents": price}]})
    };
    let (_, first) = app.post(&key, "/api/v1/invoices", new(100_000)).await;
    let (status, _) = app.post(&key, "/api/v1/invoices/ACME-0001/send", json!({})).await;
    assert_eq!(status, 200);
    app.post(&key, "/api/v1/invoices/ACME-0001/payments", json!({"amount_cents": 40_000, "method": "cash"})).await;
    let (status, cancelled) = app.patch(&key, "/api/v1/invoices/ACME-0001", json!({"status": "cancelled"})).await;
    assert_eq!(status, 200, "{cancelled}");
    assert_eq!(
        (cancelled["status"].as_str(), cancelled["credited_cents"].as_i64(), cancelled["refund_due_cents"].as_i64()),
        (Some("cancelled"), Some(100_000), Some(40_000))
    );
    let (_, notes) = app.get(&key, "/api/v1/invoices/ACME-0001/credit-notes").await;
    let note = &notes["data"][0];
    assert_eq!((note["kind"].as_str(), note["total_cents"].as_i64()), (Some("cancellation"), Some(100_000)));
    assert_eq!(note["reason"], "Cancellation of invoice ACME-0001");
    assert_eq!(bytes(&app, &key, "/api/v1/credit-notes/CN-0001/pdf").await.0, 200);
    let sender = data::senders::find_by_email(&app.store.db, "me@studio.test").await.unwrap().unwrap();
    let timeline = data::invoices::timeline(&app.store, sender.id, "ACME-0001").await.unwrap();
    let cancel = timeline.iter().find(|e| e.event_type == "invoice.cancelled").expect("the cancellation event");
    assert!(cancel.data.contains("\"credit_note\":\"CN-0001\""), "{}", cancel.data);
    let (status, _) = app.patch(&key, "/api/v1/invoices/ACME-0001", json!({"status": "cancelled"})).await;
    assert_eq!(status, 200, "cancelled already: nothing to do");
    let (status, again) = app.post(&key, "/api/v1/invoices/ACME-0001/credit-notes", json!({"reason": "x"})).await;
    assert_eq!((status, again["field"].as_str()), (409, Some("status")));

    // A draft goes; its number stays void and is never given again.
    let (_, draft) = app.post(&key, "/api/v1/invoices", new(5_000)).await;
    assert_eq!(draft["id"], "ACME-0002");
    let delete = |path: &'static str| app.call(Method::DELETE, Some(&key), path, None);
    assert_eq!(delete("/api/v1/invoices/ACME-0002").await.status(), 204);
    assert_eq!(app.get(&key, "/api/v1/invoices/ACME-0002").await.0, 404);
    assert_eq!(delete("/api/v1/invoices/ACME-0002").await.status(), 404);
    assert_eq!(first["id"], "ACME-0001");
    let refused = delete("/api/v1/invoices/ACME-0001").await;
    assert_eq!(refused.status(), 409, "an issued invoice is never deleted");
    let (_, next) = app.post(&key, "/api/v1/invoices", new(5_000)).await;
    assert_eq!(next["id"], "ACME-0003");
    let void = data::invoices::voided_numbers(&app.store, sender.id).await.unwrap();
    assert_eq!(void.iter().map(|v| v.number.as_str()).collect::<Vec<_>>(), ["ACME-0002"]);
    // A draft cancelled was never issued: no cancellation, nothing archived by its download.
    let (status, voided) = app.patch(&key, "/api/v1/invoices/ACME-0003", json!({"status": "cancelled"})).await;
    assert_eq!(
        (status, voided["credited_cents"].as_i64(), voided["sent_at"].as_str()),
        (200, Some(0), None),
        "{voided}"
    );
    assert_eq!(bytes(&app, &key, "/api/v1/invoices/ACME-0003/pdf").await.0, 200);
    assert_eq!(app.get(&key, "/api/v1/invoices/ACME-0003/documents").await.1["data"], json!([]));
    let other = app.key("other@x.test", Some("Other")).await;
    let res = app.call(Method::DELETE, Some(&other), "/api/v1/invoices/ACME-0003", None).await;
    assert_eq!(res.status(), 404, "another sender's invoice is not found");
}
on_both_databases!(cancelling_issues_a_cancellation_and_drafts_are_deleted);

fn jupiter(db_url: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_jupiter"))
        .args(args)
        .env("DATABASE_URL", db_url)
        .env("SECRET_KEY", "test-secret")
        .output()
        .expect("run jupiter")
}

async fn the_archive_keeps_what_went_out_and_names_what_was_changed(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = german_issuer(&app).await;
    let invoice = german_invoice(&app, &key).await;
    let number = invoice["id"].as_str().unwrap().to_string();
    app.post(&key, &format!("/api/v1/invoices/{number}/send"), json!({})).await;
    let (status, sent_pdf) = bytes(&app, &key, &format!("/api/v1/invoices/{number}/pdf")).await;
    assert_eq!(status, 200);
    // The client is shown a second version (a PO number added), then a credit note.
    let (status, _) = app.patch(&key, &format!("/api/v1/invoices/{number}"), json!({"po_number": "PO-2031-7"})).await;
    assert_eq!(status, 200);
    let credit = json!({"reason": "Workshop entfallen", "lines": [{"line": 2}]});
    let (status, _) = app.post(&key, &format!("/api/v1/invoices/{number}/credit-notes"), credit).await;
    assert_eq!(status, 201);
    let sender = sender_id(&app).await;
    let kept = data::archive::of_document(&app.store, sender, data::archive::INVOICE, &number).await.unwrap();
    let names: Vec<_> = kept.iter().map(|k| (k.version, k.file_name.as_str())).collect();
    let (pdf, xml) = (format!("{number}.pdf"), format!("{number}-xrechnung-cii.xml"));
    assert_eq!(names, [(1, pdf.as_str()), (1, xml.as_str()), (2, pdf.as_str()), (2, xml.as_str())]);
    assert_eq!(kept[0].bytes, sent_pdf, "the download was the archived document");
    assert_eq!(kept[0].sha256, data::archive::sha256_bytes(&sent_pdf));

    // Another instance, on a changed template: the issued invoice comes back as it went out,
    // though the same invoice rendered now would look different.
    let changed: &'static str =
        Box::leak(include_str!("../src/pdf/invoice.typ").replace("#set par(", "#text(red)[REVISED]\n#set par(").into());
    let pool = || server::pdf::PdfPool::of(server::pdf::PdfRenderer::with_template(changed), 2);
    let later = app.second(|s| s.with_pdf_pool(pool())).await;
    let (_, listed) = later.get(&key, &format!("/api/v1/invoices/{number}/documents")).await;
    let first = listed["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["version"] == 1 && d["file_name"] == pdf.as_str())
        .expect("version 1's PDF is listed")
        .clone();
    assert_eq!(first["sha256"], data::archive::sha256_bytes(&sent_pdf));
    let (status, old) = bytes(&later, &key, &format!("/api/v1/archive/{}", first["seq"])).await;
    assert_eq!((status, old == sent_pdf), (200, true), "version 1, byte for byte, after the template changed");
    let (status, current) = bytes(&later, &key, &format!("/api/v1/invoices/{number}/pdf")).await;
    assert_eq!((status, current == kept[2].bytes), (200, true), "the current version as it went out");
    let other = later.key("other@x.test", Some("Other")).await;
    assert_eq!(
        later.call(Method::GET, Some(&other), &format!("/api/v1/archive/{}", first["seq"]), None).await.status(),
        404
    );
    let current = data::invoices::get(&app.store, sender, &number).await.unwrap();
    let remade = server::pdf::PdfRenderer::with_template(changed)
        .render(&current, &data::senders::card(&data::senders::get(&app.store.db, sender).await.unwrap()))
        .unwrap();
    assert_ne!(remade, sent_pdf, "the template did change");

    // The chain holds, until a row is changed behind its back.
    let verified = jupiter(&app.db_url, &["archive", "verify"]);
    assert!(verified.status.success(), "{}", String::from_utf8_lossy(&verified.stderr));
    assert!(String::from_utf8_lossy(&verified.stdout).contains("archive intact: 6 entries"));

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("2031");
    let exported = jupiter(
        &app.db_url,
        &["archive", "export", "--from", "2000-01-01", "--to", "2100-12-31", out.to_str().unwrap()],
    );
    assert!(exported.status.success(), "{}", String::from_utf8_lossy(&exported.stderr));
    let mut index = csv::Reader::from_path(out.join("index.csv")).unwrap();
    let headers = index.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = index.records().map(Result::unwrap).collect();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name} in {headers:?}"));
    let sum = |name: &str| -> rust_decimal::Decimal {
        rows.iter().map(|r| r[column(name)].parse::<rust_decimal::Decimal>().unwrap()).sum()
    };
    assert_eq!(rows.len(), 2, "the invoice and its credit note");
    assert_eq!((&rows[0][column("type")], &rows[1][column("type")]), ("invoice", "credit_note"));
    // 1,731.19 invoiced, the workshop (450.00 + 85.50 VAT) credited.
    assert_eq!(sum("total").to_string(), "1195.69");
    assert_eq!(sum("net S 19%").to_string(), "960.00");
    assert_eq!(sum("tax S 19%").to_string(), "182.40");
    assert_eq!(sum("net S 7%").to_string(), "49.80");
    for row in &rows {
        for (file, sha) in row[column("files")].split(' ').zip(row[column("sha256")].split(' ')) {
            let written = std::fs::read(out.join(file)).unwrap();
            assert_eq!(data::archive::sha256_bytes(&written), sha, "{file}");
        }
    }

    let tamper = "UPDATE archive_entries SET summary = REPLACE(summary, '173119', '17311') WHERE seq = 2";
    use sea_orm::ConnectionTrait;
    app.store.db.execute_unprepared(tamper).await.unwrap();
    let broken = jupiter(&app.db_url, &["archive", "verify"]);
    assert!(!broken.status.success());
    let said = String::from_utf8_lossy(&broken.stderr);
    assert!(said.contains(&format!("entry 2 ({number} {number}-xrechnung-cii.xml)")), "{said}");
}
on_both_databases!(the_archive_keeps_what_went_out_and_names_what_was_changed);
