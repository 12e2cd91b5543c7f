//! Scoped API keys: a read-only key reads everything its sender can and is refused every write
//! with 403 `{"error", "field": null}`, changing nothing; a full key writes; keys minted on the
//! page carry the scope chosen there — on SQLite and PostgreSQL.

mod support;

use data::on_both_databases;
use data::testkit::TestDb;
use domain::KeyScope;
use reqwest::Method;
use serde_json::json;
use support::TestApp;

async fn a_read_only_key_reads_and_never_writes(db: TestDb) {
    let app = TestApp::start(db).await;
    let full = app.key("me@studio.test", Some("Studio")).await;
    let reader = app.scoped_key("me@studio.test", None, KeyScope::ReadOnly).await;
    let invoice = json!({"recipient": {"company": "Acme", "email": "ap@acme.test"}, "due_date": "2031-01-31",
        "line_items": [{"description": "Design", "unit_price_cents": 10000}]});
    let (status, created) = app.json(Method::POST, Some(&full), "/api/v1/invoices", Some(invoice.clone())).await;
    assert_eq!(status, 201, "{created}");

    for path in ["/api/v1/invoices", "/api/v1/invoices/ACME-0001", "/api/v1/customers", "/api/v1/webhooks"] {
        assert_eq!(app.json(Method::GET, Some(&reader), path, None).await.0, 200, "{path}");
    }
    let pdf = app.call(Method::GET, Some(&reader), "/api/v1/invoices/ACME-0001/pdf", None).await;
    assert_eq!(pdf.status().as_u16(), 200);

    let writes = [
        (Method::POST, "/api/v1/invoices", Some(invoice)),
        (Method::PATCH, "/api/v1/invoices/ACME-0001", Some(json!({"po_number": "PO-1"}))),
        (Method::POST, "/api/v1/invoices/ACME-0001/send", None),
        (Method::POST, "/api/v1/customers", Some(json!({"company": "Globex"}))),
        (Method::POST, "/api/v1/webhooks", Some(json!({"url": "https://hooks.example.com/x"}))),
        (Method::PATCH, "/api/v1/webhooks/1", Some(json!({"active": false}))),
        (Method::DELETE, "/api/v1/webhooks/1", None),
        (Method::POST, "/api/v1/webhooks/1/rotate-secret", None),
        (Method::POST, "/api/v1/webhooks/1/test", None),
        (Method::POST, "/api/v1/webhooks/1/deliveries/1/redeliver", None),
    ];
    for (method, path, body) in writes {
        let (status, error) = app.json(method.clone(), Some(&reader), path, body).await;
        assert_eq!(status, 403, "{method} {path}: {error}");
        assert!(error["error"].as_str().unwrap().contains("read-only"), "{error}");
        assert!(error["field"].is_null());
    }
    let (_, list) = app.json(Method::GET, Some(&full), "/api/v1/invoices", None).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 1, "nothing was created");
    assert_eq!(list["data"][0]["status"], "draft", "nothing was sent");
    assert!(list["data"][0]["po_number"].is_null(), "nothing was changed");
    let (_, customers) = app.json(Method::GET, Some(&full), "/api/v1/customers", None).await;
    assert_eq!(customers["data"].as_array().unwrap().len(), 1);
    assert_eq!(app.json(Method::POST, None, "/api/v1/invoices", Some(json!({}))).await.0, 401, "no key is still 401");
}
on_both_databases!(a_read_only_key_reads_and_never_writes);

async fn the_keys_page_mints_the_scope_chosen(db: TestDb) {
    let app = TestApp::start(db).await;
    let cookie = app.session_cookie("me@studio.test", Some("Studio")).await;
    let (status, secret) = app.server_fn(Some(&cookie), "mint_key", &[("name", "agent"), ("scope", "read_only")]).await;
    assert_eq!(status, 200, "{secret}");
    let secret = secret.as_str().unwrap().to_string();
    let (status, _) = app.json(Method::POST, Some(&secret), "/api/v1/customers", Some(json!({"company": "X"}))).await;
    assert_eq!(status, 403);
    let (_, keys) = app.server_fn(Some(&cookie), "list_keys", &[]).await;
    assert_eq!(keys[0]["scope"], "read_only");
    assert!(keys[0]["last_used"].is_string(), "the page shows when it was last used");
    let (status, error) = app.server_fn(Some(&cookie), "mint_key", &[("name", "x"), ("scope", "admin")]).await;
    assert_eq!((status, error["field"].as_str()), (400, Some("scope")), "{error}");
    let (_, full) = app.server_fn(Some(&cookie), "mint_key", &[("name", "script")]).await;
    let full = full.as_str().unwrap().to_string();
    assert_eq!(app.json(Method::POST, Some(&full), "/api/v1/customers", Some(json!({"company": "X"}))).await.0, 201);
}
on_both_databases!(the_keys_page_mints_the_scope_chosen);
