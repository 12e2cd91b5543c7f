//! /api/v1/customers, cross-sender isolation and the JSON shape of every API error.

mod support;

use data::on_both_databases;
use data::testkit::TestDb;
use reqwest::Method;
use serde_json::json;
use support::{TestApp, guide_invoice};

async fn customers_are_created_listed_and_fetched(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("me@x.test", Some("My Studio")).await;
    let full = json!({
        "company": "Acme Corp",
        "contact": {"name": "Wile E.", "email": "wile@acme.com"},
        "ap_contact": {"name": "Payables", "email": "ap@acme.com"},
        "cc_emails": ["cfo@acme.com"],
        "billing_entity": "Acme Holdings LLC",
        "address": {"line1": "1 Desert Rd", "city": "Phoenix", "state": "AZ", "postal_code": "85001", "country": "US"},
        "po_required": true,
        "notes": "Prefers e-mail"
    });
    let (status, c) = app.post(&key, "/api/v1/customers", full.clone()).await;
    assert_eq!(status, 201, "{c}");
    assert_eq!(c["code"], "ACME");
    for field in ["company", "contact", "ap_contact", "cc_emails", "billing_entity", "address", "po_required", "notes"]
    {
        assert_eq!(c[field], full[field], "{field}");
    }
    let (_, second) = app.post(&key, "/api/v1/customers", json!({"company": "Acme Labs", "code": "IGNORED"})).await;
    assert_eq!(second["code"], "ACME2", "codes are generated and unique; a sent code is read-only");

    let (status, err) = app.post(&key, "/api/v1/customers", json!({"contact": {"email": "x@y.z"}})).await;
    assert_eq!((status, err["field"].as_str()), (400, Some("company")));
    let (status, err) = app.post(&key, "/api/v1/customers", json!({"company": "X", "cc_emails": ["nope"]})).await;
    assert_eq!((status, err["field"].as_str()), (400, Some("cc_emails[0]")));

    let (status, list) = app.get(&key, "/api/v1/customers").await;
    assert_eq!(status, 200);
    let codes: Vec<&str> = list["data"].as_array().expect("data").iter().filter_map(|c| c["code"].as_str()).collect();
    assert_eq!(codes, ["ACME2", "ACME"]);

    let id = c["id"].as_i64().expect("id");
    let (status, one) = app.get(&key, &format!("/api/v1/customers/{id}")).await;
    assert_eq!((status, &one), (200, &c));
    assert_eq!(app.get(&key, "/api/v1/customers/999999").await.0, 404);
    assert_eq!(app.get(&key, "/api/v1/customers/abc").await.0, 404);

    // An invoice for a customer takes its recipient details from the customer record.
    let (status, inv) = app
        .post(&key, "/api/v1/invoices", json!({"customer_id": id, "due_date": "2026-06-01", "line_items": [{"description": "x", "unit_price_cents": 100}]}))
        .await;
    assert_eq!(status, 201, "{inv}");
    assert_eq!(inv["id"], "ACME-0001");
    assert_eq!(inv["recipient"]["company"], "Acme Corp");
    assert_eq!(inv["recipient"]["email"], "wile@acme.com");
    assert_eq!(inv["recipient"]["ap"]["email"], "ap@acme.com");
}
on_both_databases!(customers_are_created_listed_and_fetched);

async fn another_senders_data_is_a_404(db: TestDb) {
    let app = TestApp::start(db).await;
    let mine = app.key("me@x.test", Some("My Studio")).await;
    let theirs = app.key("them@x.test", Some("Their Firm")).await;
    let (_, inv) = app.post(&mine, "/api/v1/invoices", guide_invoice()).await;
    let customer_id = inv["customer_id"].as_i64().expect("customer");

    assert_eq!(app.get(&theirs, "/api/v1/invoices/ACME-0001").await.0, 404);
    assert_eq!(app.patch(&theirs, "/api/v1/invoices/ACME-0001", json!({"status": "cancelled"})).await.0, 404);
    assert_eq!(app.get(&theirs, &format!("/api/v1/customers/{customer_id}")).await.0, 404);
    let (status, err) = app
        .post(&theirs, "/api/v1/invoices", json!({"customer_id": customer_id, "due_date": "2026-06-01", "line_items": [{"description": "x", "unit_price_cents": 1}]}))
        .await;
    assert_eq!((status, err["field"].as_str()), (404, Some("customer_id")));
    assert_eq!(app.get(&theirs, "/api/v1/invoices").await.1["data"], json!([]));
    assert_eq!(app.get(&theirs, "/api/v1/customers").await.1["data"], json!([]));

    // Their own Acme is a separate customer with its own numbering.
    let (_, own) = app.post(&theirs, "/api/v1/invoices", guide_invoice()).await;
    assert_eq!(own["id"], "ACME-0001");
    assert_ne!(own["customer_id"], inv["customer_id"]);
    let (_, still) = app.get(&mine, "/api/v1/invoices/ACME-0001").await;
    assert_eq!(still["status"], "draft");
}
on_both_databases!(another_senders_data_is_a_404);

async fn unknown_routes_and_methods_answer_in_json(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("me@x.test", Some("My Studio")).await;
    for (method, path, status) in [
        (Method::GET, "/api/v1/nothing-here", 404),
        (Method::GET, "/api/v2/invoices", 404),
        (Method::GET, "/api", 404),
        (Method::DELETE, "/api/v1/invoices", 405),
        (Method::PUT, "/api/v1/invoices/ACME-0001", 405),
        (Method::POST, "/api/v1/customers/1", 405),
    ] {
        let (got, body) = app.json(method.clone(), Some(&key), path, None).await;
        assert_eq!(got, status, "{method} {path}");
        assert!(body["error"].is_string() && body.as_object().is_some_and(|o| o.contains_key("field")), "{body}");
    }
}
on_both_databases!(unknown_routes_and_methods_answer_in_json);
