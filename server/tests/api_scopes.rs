//! Scoped API keys: a read-only key reads everything its sender can and is refused every write
//! with 403 `{"error", "field": null}`, changing nothing; a full key writes; keys minted on the
//! page carry the scope chosen there; `?dry_run=true` previews a create or PATCH and stores
//! nothing — on SQLite and PostgreSQL.

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

async fn a_dry_run_validates_and_numbers_but_stores_nothing(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("me@studio.test", Some("Studio")).await;
    let invoice = json!({"recipient": {"company": "Acme", "email": "ap@acme.test"}, "due_date": "2031-01-31",
        "line_items": [{"description": "Design", "quantity": 2, "unit_price_cents": 10000}], "tax": {"rate": 10}});
    let (status, preview) =
        app.json(Method::POST, Some(&key), "/api/v1/invoices?dry_run=true", Some(invoice.clone())).await;
    assert_eq!(status, 200, "{preview}");
    assert_eq!((preview["id"].as_str(), preview["total_cents"].as_i64()), (Some("ACME-0001"), Some(22_000)));
    assert_eq!(preview["share_url"], "", "no link: nothing exists");
    let (_, list) = app.json(Method::GET, Some(&key), "/api/v1/invoices", None).await;
    assert!(list["data"].as_array().unwrap().is_empty(), "nothing stored");
    let (_, customers) = app.json(Method::GET, Some(&key), "/api/v1/customers", None).await;
    assert!(customers["data"].as_array().unwrap().is_empty(), "no customer either");
    let mut bad = invoice.clone();
    bad["due_date"] = json!("2020-01-01");
    bad["issue_date"] = json!("2020-02-01");
    let (status, error) = app.json(Method::POST, Some(&key), "/api/v1/invoices?dry_run=true", Some(bad)).await;
    assert_eq!((status, error["field"].as_str()), (400, Some("due_date")), "full validation: {error}");
    assert_eq!(
        app.json(Method::POST, Some(&key), "/api/v1/invoices?dry_run=maybe", Some(invoice.clone())).await.0,
        400
    );

    let (status, created) = app.json(Method::POST, Some(&key), "/api/v1/invoices", Some(invoice)).await;
    assert_eq!((status, created["id"].as_str()), (201, Some("ACME-0001")), "the previewed number was not used up");
    let patch = json!({"line_items": [{"description": "Design", "quantity": 3, "unit_price_cents": 10000}]});
    let (status, would) =
        app.json(Method::PATCH, Some(&key), "/api/v1/invoices/ACME-0001?dry_run=true", Some(patch)).await;
    assert_eq!((status, would["total_cents"].as_i64()), (200, Some(33_000)), "{would}");
    let (_, now) = app.json(Method::GET, Some(&key), "/api/v1/invoices/ACME-0001", None).await;
    assert_eq!(now["total_cents"], 22_000, "unchanged");
    let me = data::senders::find_by_email(&app.store.db, "me@studio.test").await.unwrap().unwrap();
    let events = data::invoices::timeline(&app.store, me.id, "ACME-0001").await.unwrap();
    assert_eq!(events.iter().map(|e| e.event_type.as_str()).collect::<Vec<_>>(), ["invoice.created"], "no event");
    let reader = app.scoped_key("me@studio.test", None, KeyScope::ReadOnly).await;
    let (status, _) = app.json(Method::POST, Some(&reader), "/api/v1/invoices?dry_run=true", Some(json!({}))).await;
    assert_eq!(status, 403, "a dry run is still a write operation");
}
on_both_databases!(a_dry_run_validates_and_numbers_but_stores_nothing);
