//! The actions an agent needs beside create and send (issue 28), on SQLite and PostgreSQL:
//! cancel (a draft, and a sent invoice by its cancellation; a dry run first), the sender's
//! event feed (pages, a type, nobody else's, no IP addresses), and customers changed by PATCH
//! and deleted only while they have no invoices.

use data::on_both_databases;
use data::testkit::TestDb;
use reqwest::Method;
use serde_json::{Value, json};
use support::{TestApp, guide_invoice};

mod support;

async fn cancel_events_and_customers(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("me@studio.test", Some("Studio Nova")).await;
    let (_, draft) = app.post(&key, "/api/v1/invoices", guide_invoice()).await;
    let (_, sent) = app.post(&key, "/api/v1/invoices", guide_invoice()).await;
    let (d, s) = (draft["id"].as_str().unwrap(), sent["id"].as_str().unwrap());
    assert_eq!(app.post(&key, &format!("/api/v1/invoices/{s}/send"), json!({})).await.0, 200);

    // A dry run says what cancelling would do, and does nothing.
    let (status, would) = app.post(&key, &format!("/api/v1/invoices/{s}/cancel?dry_run=true"), json!({})).await;
    assert_eq!((status, would["status"].as_str()), (200, Some("cancelled")), "{would}");
    assert_eq!(app.get(&key, &format!("/api/v1/invoices/{s}")).await.1["status"], "sent");
    let (status, cancelled) = app.post(&key, &format!("/api/v1/invoices/{s}/cancel"), json!({})).await;
    assert_eq!((status, cancelled["status"].as_str()), (200, Some("cancelled")));
    assert_eq!(cancelled["credited_cents"], cancelled["total_cents"], "by its cancellation");
    let (_, notes) = app.get(&key, &format!("/api/v1/invoices/{s}/credit-notes")).await;
    assert_eq!(notes["data"][0]["kind"], "cancellation");
    // Cancelling again changes nothing (a retry is safe): still one cancellation.
    let (status, again) = app.post(&key, &format!("/api/v1/invoices/{s}/cancel"), json!({})).await;
    assert_eq!((status, again["status"].as_str()), (200, Some("cancelled")));
    let (_, notes) = app.get(&key, &format!("/api/v1/invoices/{s}/credit-notes")).await;
    assert_eq!(notes["data"].as_array().unwrap().len(), 1, "not twice");
    let (status, draft_cancelled) = app.post(&key, &format!("/api/v1/invoices/{d}/cancel"), json!({})).await;
    assert_eq!((status, draft_cancelled["status"].as_str()), (200, Some("cancelled")));

    // The feed: newest first, pages, one type, only mine, no IP addresses.
    let (_, share) = app.get(&key, &format!("/api/v1/invoices/{s}")).await;
    let token = share["share_token"].as_str().unwrap().to_string();
    let _ = app.client.get(format!("{}/i/{token}", app.base)).send().await.unwrap();
    let other = app.key("else@studio.test", Some("Else")).await;
    app.post(&other, "/api/v1/invoices", guide_invoice()).await;
    let (status, first) = app.get(&key, "/api/v1/events?limit=2").await;
    assert_eq!(status, 200, "{first}");
    let page: Vec<&Value> = first["data"].as_array().unwrap().iter().collect();
    assert_eq!(page.len(), 2);
    assert!(page[0]["id"].as_i64() > page[1]["id"].as_i64(), "newest first");
    let mut all: Vec<Value> = page.into_iter().cloned().collect();
    let mut cursor = first["next_cursor"].as_str().map(str::to_string);
    while let Some(c) = cursor {
        let (_, next) = app.get(&key, &format!("/api/v1/events?limit=2&cursor={c}")).await;
        all.extend(next["data"].as_array().unwrap().iter().cloned());
        cursor = next["next_cursor"].as_str().map(str::to_string);
    }
    let types: Vec<&str> = all.iter().map(|e| e["type"].as_str().unwrap()).collect();
    for t in ["invoice.created", "invoice.sent", "credit_note.created", "invoice.cancelled"] {
        assert!(types.contains(&t), "{t} in {types:?}");
    }
    assert!(all.iter().all(|e| e["invoice"] == d || e["invoice"] == s), "only mine");
    assert!(all.iter().all(|e| e["data"].get("ip").is_none()), "no IP addresses");
    let (_, created) = app.get(&key, "/api/v1/events?type=invoice.created").await;
    assert_eq!(created["data"].as_array().unwrap().len(), 2);
    let (status, err) = app.get(&key, "/api/v1/events?type=invoice.exploded").await;
    assert_eq!((status, err["field"].as_str()), (400, Some("type")));

    // Customers: PATCH changes what it names, keeps the code; DELETE only without invoices.
    let customer = draft["customer_id"].as_i64().unwrap();
    let path = format!("/api/v1/customers/{customer}");
    let (status, changed) = app.patch(&key, &path, json!({"notes": "pays in 10 days", "language": "de"})).await;
    assert_eq!(
        (status, changed["notes"].as_str(), changed["language"].as_str()),
        (200, Some("pays in 10 days"), Some("de"))
    );
    assert_eq!(changed["company"], draft["recipient"]["company"], "the rest stays");
    let (status, err) = app.patch(&key, &path, json!({"vat_id": "DE000000000"})).await;
    assert_eq!((status, err["field"].as_str()), (400, Some("vat_id")), "{err}");
    assert_eq!(app.patch(&other, &path, json!({"notes": "x"})).await.0, 404);
    let res = app.call(Method::DELETE, Some(&key), &path, None).await;
    assert_eq!(res.status(), 409, "it has invoices");
    let (_, lone) = app.post(&key, "/api/v1/customers", json!({"company": "Lone Ltd"})).await;
    let lone_path = format!("/api/v1/customers/{}", lone["id"]);
    assert_eq!(app.call(Method::DELETE, Some(&other), &lone_path, None).await.status(), 404);
    assert_eq!(app.call(Method::DELETE, Some(&key), &lone_path, None).await.status(), 204);
    assert_eq!(app.get(&key, &lone_path).await.0, 404);
}
on_both_databases!(cancel_events_and_customers);
