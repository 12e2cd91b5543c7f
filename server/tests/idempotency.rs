//! `Idempotency-Key` on /api/v1 (issue 28), on SQLite and PostgreSQL: a retried create makes
//! one invoice and gets the same answer (`Idempotent-Replayed: true`); the key with another
//! body is 422; the same create fired at once by eight clients makes one invoice; a second
//! instance on the same database replays the first's answer; keys expire after a day; bad keys
//! and read-only keys are refused as without one.

use data::on_both_databases;
use data::testkit::TestDb;
use serde_json::{Value, json};
use support::{TestApp, guide_invoice};

mod support;

async fn post_with_key(app: &TestApp, key: &str, idem: &str, path: &str, body: &Value) -> (u16, Option<String>, Value) {
    let res = app
        .client
        .post(format!("{}{path}", app.base))
        .bearer_auth(key)
        .header("Idempotency-Key", idem)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let replayed = res.headers().get("idempotent-replayed").map(|v| v.to_str().unwrap().to_string());
    (status, replayed, res.json().await.unwrap())
}

async fn count_invoices(app: &TestApp, key: &str) -> usize {
    app.get(key, "/api/v1/invoices?limit=100").await.1["data"].as_array().unwrap().len()
}

async fn a_retried_create_makes_one_invoice(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("me@studio.test", Some("Studio Nova")).await;
    let body = guide_invoice();
    let (status, replayed, first) = post_with_key(&app, &key, "create-1", "/api/v1/invoices", &body).await;
    assert_eq!((status, replayed), (201, None), "{first}");
    let (status, replayed, again) = post_with_key(&app, &key, "create-1", "/api/v1/invoices", &body).await;
    assert_eq!((status, replayed.as_deref()), (201, Some("true")));
    assert_eq!(again, first, "the same answer, byte for byte");
    assert_eq!(count_invoices(&app, &key).await, 1);

    // The key with another request: 422, nothing made.
    let mut other = body.clone();
    other["po_number"] = json!("PO-2");
    let (status, _, err) = post_with_key(&app, &key, "create-1", "/api/v1/invoices", &other).await;
    assert_eq!((status, err["field"].as_str()), (422, Some("Idempotency-Key")), "{err}");
    assert_eq!(count_invoices(&app, &key).await, 1);

    // A refusal is kept too: the same invalid request gets the same 400.
    let bad = json!({"due_date": "2026-12-31"});
    let (status, _, _) = post_with_key(&app, &key, "bad-1", "/api/v1/invoices", &bad).await;
    let (again, replayed, _) = post_with_key(&app, &key, "bad-1", "/api/v1/invoices", &bad).await;
    assert_eq!((status, again, replayed.as_deref()), (400, 400, Some("true")));

    // PATCH and action POSTs too; another sender's same key is theirs.
    let number = first["id"].as_str().unwrap();
    let path = format!("/api/v1/invoices/{number}/send");
    let (sent, _, _) = post_with_key(&app, &key, "send-1", &path, &json!({})).await;
    let (resent, replayed, _) = post_with_key(&app, &key, "send-1", &path, &json!({})).await;
    assert_eq!((sent, resent, replayed.as_deref()), (200, 200, Some("true")), "not 409 for sending twice");
    let other_key = app.key("else@studio.test", Some("Else")).await;
    let (status, replayed, _) = post_with_key(&app, &other_key, "create-1", "/api/v1/invoices", &body).await;
    assert_eq!((status, replayed), (201, None), "keys are per sender");

    // Bad keys, and keys that may not write, are refused as without a key.
    let (status, _, err) = post_with_key(&app, &key, &"x".repeat(300), "/api/v1/invoices", &body).await;
    assert_eq!((status, err["field"].as_str()), (400, Some("Idempotency-Key")));
    let read_only = app.scoped_key("me@studio.test", Some("Studio Nova"), domain::KeyScope::ReadOnly).await;
    let (status, _, _) = post_with_key(&app, &read_only, "ro-1", "/api/v1/invoices", &body).await;
    assert_eq!(status, 403);

    // After a day the key is new again (housekeeping prunes it; a late retry creates).
    app.store.clock().advance(chrono::Duration::hours(25));
    assert_eq!(data::idempotency::prune(&app.store).await.unwrap(), 4, "create-1 twice (two senders), bad-1, send-1");
    let (status, replayed, _) = post_with_key(&app, &key, "create-1", "/api/v1/invoices", &body).await;
    assert_eq!((status, replayed), (201, None));
}
on_both_databases!(a_retried_create_makes_one_invoice);

async fn eight_clients_one_key_one_invoice(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("me@studio.test", Some("Studio Nova")).await;
    let second = app.second(|s| s).await;
    let body = guide_invoice();
    let tries = (0..8).map(|i| {
        // Half through a second instance on the same database.
        let (base, client, key, body) =
            (if i % 2 == 0 { &app.base } else { &second.base }.clone(), app.client.clone(), key.clone(), body.clone());
        tokio::spawn(async move {
            let res = client
                .post(format!("{base}/api/v1/invoices"))
                .bearer_auth(&key)
                .header("Idempotency-Key", "burst-1")
                .json(&body)
                .send()
                .await
                .unwrap();
            let status = res.status().as_u16();
            (status, res.json::<Value>().await.unwrap())
        })
    });
    let mut made = Vec::new();
    for t in tries {
        match t.await.unwrap() {
            (201, invoice) => made.push(invoice["id"].as_str().unwrap().to_string()),
            (409, err) => assert_eq!(err["field"], "Idempotency-Key"),
            other => panic!("{other:?}"),
        }
    }
    assert!(!made.is_empty());
    assert!(made.iter().all(|n| n == &made[0]), "one invoice, however many answers: {made:?}");
    assert_eq!(count_invoices(&app, &key).await, 1);
    // A retry through the other instance, once it is done, replays.
    let (status, replayed, again) = post_with_key(&second, &key, "burst-1", "/api/v1/invoices", &body).await;
    assert_eq!((status, replayed.as_deref(), again["id"].as_str()), (201, Some("true"), Some(made[0].as_str())));
}
on_both_databases!(eight_clients_one_key_one_invoice);
