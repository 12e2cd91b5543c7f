//! E-invoices over HTTP (issue 25), on SQLite and PostgreSQL: a German public buyer with a
//! Leitweg-ID gets an XRechnung (CII and UBL) that the official EN 16931 rules pass; a French
//! customer's PDF is a Factur-X hybrid (PDF/A-3 with factur-x.xml, Alternative, the fx: XMP
//! extension) whose XML passes; an invoice that breaks its customer's format cannot be sent
//! (422 with the violations) and says why on the invoice; a dry run of send says the same.

mod support;

use data::on_both_databases;
use data::testkit::TestDb;
use reqwest::Method;
use serde_json::{Value, json};
use support::TestApp;
use support::documents::{german_issuer as issuer, official};

async fn invoice_for(app: &TestApp, key: &str, customer: Value) -> Value {
    let (status, customer) = app.post(key, "/api/v1/customers", customer).await;
    assert_eq!(status, 201, "{customer}");
    let body = json!({"customer_id": customer["id"], "due_date": "2031-01-31", "line_items": [
        {"description": "Beratung & Konzept", "quantity": 8, "unit_price_cents": 12000, "tax": {"rate": 19}},
        {"description": "Fachbuch", "quantity": 2, "unit_price_cents": 2490, "tax": {"rate": 7}}]});
    let (status, invoice) = app.post(key, "/api/v1/invoices", body).await;
    assert_eq!(status, 201, "{invoice}");
    invoice
}

async fn a_public_buyer_gets_an_xrechnung_that_passes(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = issuer(&app).await;
    let invoice = invoice_for(
        &app,
        &key,
        json!({
        "company": "Stadt Musterhausen", "contact": {"email": "rechnung@musterhausen.test"},
        "address": {"line1": "Rathausplatz 1", "city": "Musterhausen", "postal_code": "12345", "country": "DE"},
        "e_invoice_format": "xrechnung-cii", "buyer_reference": "991-01234-56"}),
    )
    .await;
    let number = invoice["id"].as_str().unwrap();
    assert_eq!(invoice["e_invoice"], json!({"format": "xrechnung-cii", "valid": true, "violations": []}));

    for (format, root) in [("xrechnung-cii", "rsm:CrossIndustryInvoice"), ("xrechnung-ubl", "<Invoice")] {
        let path = format!("/api/v1/invoices/{number}/e-invoice?format={format}");
        let response = app.call(Method::GET, Some(&key), &path, None).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "application/xml");
        let etag = response.headers()["etag"].to_str().unwrap().to_string();
        let xml = response.bytes().await.unwrap();
        let text = String::from_utf8(xml.to_vec()).unwrap();
        assert!(text.contains(root) && text.contains("991-01234-56") && text.contains("xrechnung_3.0"), "{text}");
        assert!(text.contains("Beratung &amp; Konzept"), "text is escaped: {text}");
        if let Some(verdict) = official(&xml, &format!("{format}.xml")) {
            assert_eq!(verdict["valid"], json!(true), "{verdict}");
        }
        let again = app.client.get(format!("{}{path}", app.base)).bearer_auth(&key).header("if-none-match", &etag);
        assert_eq!(again.send().await.unwrap().status(), 304);
    }
    // The PDF and the share page carry the EPC QR code (GiroCode) for the amount due: what a
    // banking app reads from it is the standard's text for this transfer.
    let pdf = app.call(Method::GET, Some(&key), &format!("/api/v1/invoices/{number}/pdf"), None).await;
    if let Some(codes) = support::pdf_qr_codes(&pdf.bytes().await.unwrap()) {
        let to = domain::epc::BankTransfer {
            name: "Studio Nord GmbH".into(),
            iban: "DE89370400440532013000".into(),
            bic: Some("COBADEFFXXX".into()),
        };
        let expected =
            domain::epc::payload(&to, invoice["balance_due_cents"].as_i64().unwrap(), "EUR", number).unwrap();
        assert_eq!(codes, [expected], "one QR code, the transfer of the balance");
    }
    // Peppol needs the customer's Peppol id: a 422 that says so, not a document.
    let (status, refused) =
        app.json(Method::GET, Some(&key), &format!("/api/v1/invoices/{number}/e-invoice?format=peppol"), None).await;
    assert_eq!(status, 422, "{refused}");
    let fields: Vec<&str> =
        refused["violations"].as_array().unwrap().iter().filter_map(|v| v["field"].as_str()).collect();
    assert_eq!(fields, ["profile.peppol_id", "recipient.peppol_id"], "both ends need a Peppol id: {refused}");
    let (status, bad) =
        app.json(Method::GET, Some(&key), &format!("/api/v1/invoices/{number}/e-invoice?format=zugferd"), None).await;
    assert_eq!((status, bad["field"].as_str()), (400, Some("format")));

    // Sent, the mail carries the XRechnung beside the PDF (the mail tests read attachments).
    let (status, sent) = app.post(&key, &format!("/api/v1/invoices/{number}/send"), json!({})).await;
    assert_eq!((status, sent["status"].as_str()), (200, Some("sent")), "{sent}");
    // The recipient is offered it on the share page, and downloads it there.
    let token = sent["share_token"].as_str().unwrap();
    let page = app.client.get(format!("{}/i/{token}", app.base)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("data-testid=\"e-invoice-download\"") && page.contains("XRechnung 3.0 (CII)"), "{page}");
    assert!(page.contains("data-testid=\"epc-qr\"") && page.contains("<svg"), "the share page shows the QR code");
    let shared = app.client.get(format!("{}/i/{token}/e-invoice", app.base)).send().await.unwrap();
    assert_eq!(shared.status(), 200);
    assert!(String::from_utf8(shared.bytes().await.unwrap().to_vec()).unwrap().contains("991-01234-56"));
}
on_both_databases!(a_public_buyer_gets_an_xrechnung_that_passes);

async fn an_incomplete_invoice_is_not_sent_and_says_why(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = issuer(&app).await;
    let invoice = invoice_for(
        &app,
        &key,
        json!({
        "company": "Bezirksamt Nord", "contact": {"email": "eingang@bezirk.test"},
        "address": {"line1": "Amtsweg 2", "city": "Hamburg", "postal_code": "20095", "country": "DE"},
        "e_invoice_format": "xrechnung-ubl"}),
    )
    .await;
    let number = invoice["id"].as_str().unwrap();
    let verdict = &invoice["e_invoice"];
    assert_eq!(verdict["valid"], false, "{verdict}");
    let missing = verdict["violations"].as_array().unwrap().iter().find(|v| v["rule"] == "BR-DE-15").expect("BR-DE-15");
    assert_eq!(missing["field"], "recipient.buyer_reference");
    assert!(missing["message"].as_str().unwrap().contains("buyer reference (Leitweg-ID)"), "{missing}");

    let (status, dry) = app.post(&key, &format!("/api/v1/invoices/{number}/send?dry_run=true"), json!({})).await;
    assert_eq!((status, &dry["violations"]), (422, &verdict["violations"]), "a dry run names the same: {dry}");
    let (status, refused) = app.post(&key, &format!("/api/v1/invoices/{number}/send"), json!({})).await;
    assert_eq!((status, refused["field"].as_str()), (422, Some("recipient.buyer_reference")), "{refused}");
    assert!(refused["error"].as_str().unwrap().contains("XRechnung 3.0 (UBL)"), "{refused}");
    assert_eq!(refused["violations"], verdict["violations"]);
    let (status, marked) = app.patch(&key, &format!("/api/v1/invoices/{number}"), json!({"status": "sent"})).await;
    assert_eq!(
        (status, marked["field"].as_str()),
        (422, Some("recipient.buyer_reference")),
        "issuing by hand too: {marked}"
    );
    let (_, still) = app.get(&key, &format!("/api/v1/invoices/{number}")).await;
    assert_eq!(still["status"], "draft", "nothing was sent");

    // With the Leitweg-ID on the invoice it goes.
    let mut recipient = still["recipient"].clone();
    recipient["buyer_reference"] = json!("04011000-12345-34");
    let (status, fixed) = app.patch(&key, &format!("/api/v1/invoices/{number}"), json!({"recipient": recipient})).await;
    assert_eq!((status, fixed["e_invoice"]["valid"].as_bool()), (200, Some(true)), "{fixed}");
    let (status, dry) = app.post(&key, &format!("/api/v1/invoices/{number}/send?dry_run=true"), json!({})).await;
    assert_eq!((status, dry["status"].as_str()), (200, Some("sent")), "{dry}");
    let (_, still) = app.get(&key, &format!("/api/v1/invoices/{number}")).await;
    assert_eq!(still["status"], "draft", "a dry run sends nothing");
    let (status, _) = app.post(&key, &format!("/api/v1/invoices/{number}/send"), json!({})).await;
    assert_eq!(status, 200);
}
on_both_databases!(an_incomplete_invoice_is_not_sent_and_says_why);

async fn a_french_customer_gets_a_factur_x_pdf(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = issuer(&app).await;
    let invoice = invoice_for(
        &app,
        &key,
        json!({
        "company": "Agence Lumière", "contact": {"email": "compta@lumiere.test"}, "vat_id": "FR40303265045",
        "address": {"line1": "1 rue de Rivoli", "city": "Paris", "postal_code": "75001", "country": "FR"},
        "e_invoice_format": "facturx", "language": "fr"}),
    )
    .await;
    let number = invoice["id"].as_str().unwrap();
    assert_eq!(invoice["e_invoice"]["valid"], true, "{invoice}");
    let pdf = app.call(Method::GET, Some(&key), &format!("/api/v1/invoices/{number}/pdf"), None).await;
    assert_eq!(pdf.status(), 200, "{:?}", pdf.text().await);
    let pdf = pdf.bytes().await.unwrap().to_vec();
    // The container, as a receiver's reader sees it: PDF/A-3 and one factur-x.xml.
    let extracted = en16931_formats::zugferd::extract(&pdf, &Default::default()).expect("a Factur-X PDF");
    assert!(extracted.divergence.is_empty(), "{:?}", extracted.divergence);
    assert_eq!(extracted.filename, "factur-x.xml");
    let xmp = &extracted.xmp;
    let values = [&xmp.document_type, &xmp.document_filename, &xmp.version, &xmp.conformance_level, &xmp.pdfa_part];
    assert_eq!(
        values.map(|v| v.as_deref()),
        [Some("INVOICE"), Some("factur-x.xml"), Some("1.0"), Some("EN 16931"), Some("3")],
        "the fx: extension's values and the PDF/A part"
    );
    assert_eq!(xmp.pdfa_conformance.as_deref(), Some("B"), "PDF/A-3b");
    assert_eq!(extracted.relationship.as_deref(), Some("Alternative"));
    let text = String::from_utf8_lossy(&pdf);
    for marker in [
        "pdfaid:part>3<",
        "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#",
        "/AFRelationship /Alternative",
        "/Subtype /text#2Fxml",
        "/OutputIntent",
    ] {
        assert!(
            text.contains(marker) || text.replace(' ', "").contains(&marker.replace(' ', "")),
            "the PDF has {marker}"
        );
    }
    // Every font the page uses is embedded (PDF/A): pdffonts says "yes" in its emb column.
    if let Some(fonts) = support::pdf_fonts(&pdf) {
        assert!(!fonts.is_empty(), "the PDF names its fonts");
        assert!(fonts.iter().all(|(_, embedded)| *embedded), "every font is embedded: {fonts:?}");
    }
    if let Some(verdict) = official(&pdf, "facturx.pdf") {
        assert_eq!(verdict["valid"], json!(true), "{verdict}");
    }
    // The same document is the e-invoice download in its format.
    let e = app.call(Method::GET, Some(&key), &format!("/api/v1/invoices/{number}/e-invoice"), None).await;
    assert_eq!((e.status().as_u16(), e.headers()["content-type"].to_str().unwrap()), (200, "application/pdf"));
}
on_both_databases!(a_french_customer_gets_a_factur_x_pdf);
