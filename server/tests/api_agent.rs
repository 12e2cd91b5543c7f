//! The actions an agent needs beside create and send (issue 28), on SQLite and PostgreSQL:
//! cancel (a draft, and a sent invoice by its cancellation; a dry run first), the sender's
//! event feed (pages, a type, nobody else's, no IP addresses), and customers changed by PATCH
//! and deleted only while they have no invoices; the invoice list's filters and expand=customer.

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

/// The list's filters through HTTP: several statuses (repeated and comma-separated), currency,
/// date ranges, number order, `expand=customer` on a list and a get, a 400 naming each bad
/// parameter; the document lists every parameter.
async fn list_filters_and_expand(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("lists@studio.test", Some("Studio Nova")).await;
    let mut numbers = Vec::new();
    for (currency, due) in [("USD", "2031-01-10"), ("EUR", "2031-02-10"), ("EUR", "2031-03-10")] {
        let mut body = guide_invoice();
        body["currency"] = json!(currency);
        body["due_date"] = json!(due);
        let (status, made) = app.post(&key, "/api/v1/invoices", body).await;
        assert_eq!(status, 201, "{made}");
        numbers.push(made["id"].as_str().unwrap().to_string());
    }
    assert_eq!(app.post(&key, &format!("/api/v1/invoices/{}/send", numbers[1]), json!({})).await.0, 200);
    let ids = |page: &Value| -> Vec<String> {
        page["data"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_string()).collect()
    };
    let (_, both) = app.get(&key, "/api/v1/invoices?status=draft&status=sent&sort=number").await;
    assert_eq!(ids(&both), numbers, "{both}");
    let (_, comma) = app.get(&key, "/api/v1/invoices?status=sent,draft&sort=-number").await;
    assert_eq!(ids(&comma), numbers.iter().rev().cloned().collect::<Vec<_>>());
    let (_, sent) = app.get(&key, "/api/v1/invoices?status=sent").await;
    assert_eq!(ids(&sent), vec![numbers[1].clone()]);
    let (_, euros) = app.get(&key, "/api/v1/invoices?currency=eur&due_from=2031-02-01&due_to=2031-02-28").await;
    assert_eq!(ids(&euros), vec![numbers[1].clone()]);
    let (_, oldest) = app.get(&key, "/api/v1/invoices?sort=created&limit=1").await;
    assert_eq!(ids(&oldest), vec![numbers[0].clone()]);

    // expand=customer: the customer inside each invoice; without it, no customer object.
    let (_, expanded) = app.get(&key, "/api/v1/invoices?expand=customer").await;
    for invoice in expanded["data"].as_array().unwrap() {
        assert_eq!(invoice["customer"]["id"], invoice["customer_id"], "{invoice}");
        assert!(invoice["id"].as_str().unwrap().starts_with(invoice["customer"]["code"].as_str().unwrap()));
    }
    assert!(both["data"][0].get("customer").is_none());
    let (status, one) = app.get(&key, &format!("/api/v1/invoices/{}?expand=customer", numbers[0])).await;
    assert_eq!((status, &one["customer"]["id"]), (200, &one["customer_id"]));

    for (query, field) in [
        ("status=sent,gone", "status"),
        ("currency=XYZ", "currency"),
        ("issued_from=2031-02-01&issued_to=2031-01-01", "issued_from"),
        ("due_to=10.01.2031", "due_to"),
        ("sort=colour", "sort"),
        ("expand=lines", "expand"),
    ] {
        let (status, refused) = app.get(&key, &format!("/api/v1/invoices?{query}")).await;
        assert_eq!((status, refused["field"].as_str()), (400, Some(field)), "{query}: {refused}");
    }
    let (status, refused) = app.get(&key, &format!("/api/v1/invoices/{}?expand=everything", numbers[0])).await;
    assert_eq!((status, refused["field"].as_str()), (400, Some("expand")));

    let (_, doc) = app.get(&key, "/api/openapi.json").await;
    let params: Vec<&str> = doc["paths"]["/invoices"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for name in [
        "status",
        "customer_id",
        "currency",
        "issued_from",
        "issued_to",
        "due_from",
        "due_to",
        "q",
        "overdue",
        "sort",
        "expand",
    ] {
        assert!(params.contains(&name), "{name} in {params:?}");
    }
    let status =
        doc["paths"]["/invoices"]["get"]["parameters"].as_array().unwrap().iter().find(|p| p["name"] == "status");
    assert_eq!(status.unwrap()["schema"]["type"], "array", "several statuses");
}
on_both_databases!(list_filters_and_expand);
