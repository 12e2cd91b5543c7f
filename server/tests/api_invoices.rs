//! /api/v1/invoices over HTTP, on SQLite and PostgreSQL.

mod support;

use data::on_both_databases;
use data::testkit::TestDb;
use reqwest::Method;
use serde_json::{Value, json};
use support::{TestApp, guide_invoice};

async fn the_guide_quick_start_works_verbatim(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("me@x.test", Some("My Studio")).await;

    let (status, inv) = app.post(&key, "/api/v1/invoices", guide_invoice()).await;
    assert_eq!(status, 201, "{inv}");
    assert_eq!(inv["id"], "ACME-0001");
    assert_eq!(inv["status"], "draft");
    assert_eq!(inv["currency"], "USD");
    assert_eq!(inv["due_date"], "2026-06-01");
    assert_eq!(inv["recipient"]["company"], "Acme Corp");
    assert_eq!(inv["line_items"][0]["line_total_cents"], 250000);
    assert_eq!(inv["subtotal_cents"], 250000);
    assert_eq!(inv["total_cents"], 250000);
    let token = inv["share_token"].as_str().expect("share_token");
    assert!(token.len() >= 22, "128 bits at least: {token}");
    assert_eq!(inv["share_url"], format!("http://invoices.test/i/{token}"));
    assert!(inv["customer_id"].is_i64());

    let (status, list) = app.get(&key, "/api/v1/invoices").await;
    assert_eq!(status, 200);
    assert_eq!(list["data"][0]["id"], "ACME-0001");
    assert_eq!(list["next_cursor"], Value::Null);

    let (status, one) = app.get(&key, "/api/v1/invoices/ACME-0001").await;
    assert_eq!((status, &one), (200, &inv));
    let (status, _) = app.get(&key, "/api/v1/invoices/acme-0001").await;
    assert_eq!(status, 200, "numbers are case-insensitive");

    let (_, second) = app.post(&key, "/api/v1/invoices", guide_invoice()).await;
    assert_eq!(second["id"], "ACME-0002");
    assert_eq!(second["customer_id"], inv["customer_id"]);
}
on_both_databases!(the_guide_quick_start_works_verbatim);

async fn totals_are_computed_with_discounts_and_tax(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("me@x.test", Some("My Studio")).await;
    let (status, inv) = app
        .post(
            &key,
            "/api/v1/invoices",
            json!({
                "due_date": "2026-12-31", "issue_date": "2026-12-01", "currency": "EUR",
                "recipient": {"company": "Globex", "email": "ap@globex.io", "cc_emails": ["boss@globex.io"]},
                "line_items": [
                    {"description": "Design", "quantity": 1.5, "unit_price_cents": 12000},
                    {"description": "Build", "quantity": 3, "unit_price_cents": 3333, "discount": {"type": "percent", "value": 10}}
                ],
                "discount": {"type": "flat", "value_cents": 1000},
                "tax": {"label": "Sales tax", "rate": 8.875},
                "po_number": "PO-1", "terms_text": "Net 30", "footer_note": "Thanks", "subscription_context": "Retainer"
            }),
        )
        .await;
    assert_eq!(status, 201, "{inv}");
    assert_eq!(inv["currency"], "EUR");
    // Codes are upper case, as the OpenAPI enum lists them (each once, so generated clients build).
    let lower = json!({"due_date": "2026-12-31", "currency": "eur", "line_items": [{"description": "x", "unit_price_cents": 1}]});
    let (status, error) = app.post(&key, "/api/v1/invoices", lower).await;
    assert_eq!((status, error["field"].as_str()), (400, Some("currency")), "{error}");
    assert!(error["error"].as_str().unwrap().contains("upper case"), "{error}");
    assert_eq!(inv["issue_date"], "2026-12-01");
    assert_eq!(inv["line_items"][0]["quantity"], 1.5);
    assert_eq!(inv["line_items"][0]["line_total_cents"], 18000);
    assert_eq!(inv["line_items"][1]["line_total_cents"], 8999);
    assert_eq!(inv["subtotal_cents"], 26999);
    assert_eq!(inv["discount_cents"], 1000);
    assert_eq!(inv["tax"], json!({"label": "Sales tax", "rate": 8.875, "amount_cents": 2307}));
    assert_eq!(inv["total_cents"], 28306);
    assert_eq!(inv["recipient"]["cc_emails"], json!(["boss@globex.io"]));
    for (field, value) in [
        ("po_number", "PO-1"),
        ("terms_text", "Net 30"),
        ("footer_note", "Thanks"),
        ("subscription_context", "Retainer"),
    ] {
        assert_eq!(inv[field], value);
    }
}
on_both_databases!(totals_are_computed_with_discounts_and_tax);

async fn bad_input_is_a_400_naming_the_field_and_changes_nothing(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("me@x.test", Some("My Studio")).await;
    let with = |patch: Value| {
        let mut body = guide_invoice();
        for (k, v) in patch.as_object().expect("object") {
            body[k] = v.clone();
        }
        body
    };
    let too_many: Vec<Value> =
        (0..51).map(|i| json!({"description": format!("l{i}"), "unit_price_cents": 1})).collect();
    let cases = [
        (with(json!({"line_items": []})), "line_items"),
        (with(json!({"line_items": too_many})), "line_items"),
        (
            with(json!({"line_items": [{"description": "x", "unit_price_cents": "ten"}]})),
            "line_items[0].unit_price_cents",
        ),
        (with(json!({"line_items": [{"description": "x", "qty": 2, "unit_price_cents": 1}]})), "line_items[0].qty"),
        (
            with(json!({"line_items": [{"description": "x".repeat(1001), "unit_price_cents": 1}]})),
            "line_items[0].description",
        ),
        (
            with(json!({"line_items": [{"description": "x", "quantity": -1, "unit_price_cents": 1}]})),
            "line_items[0].quantity",
        ),
        (
            with(json!({"line_items": [{"description": "x", "unit_price_cents": 1_000_000_000_001_i64}]})),
            "line_items[0].unit_price_cents",
        ),
        (with(json!({"due_date": "June 1st"})), "due_date"),
        (with(json!({"currency": "DOGE"})), "currency"),
        (with(json!({"recipient": {"email": "not-an-email"}})), "recipient.email"),
        (with(json!({"recipient": {}})), "recipient"),
        (with(json!({"tax": {"rate": 120}})), "tax.rate"),
        (with(json!({"discount": {"type": "flat", "value_cents": 300000}})), "discount.value_cents"),
        (with(json!({"status": "paid"})), "status"),
        (with(json!({"colour": "blue"})), "colour"),
        (with(json!({"line_items": [{"description": "a\u{0}b", "unit_price_cents": 1}]})), "line_items[0].description"),
    ];
    for (body, field) in cases {
        let (status, err) = app.post(&key, "/api/v1/invoices", body).await;
        assert_eq!(status, 400, "{field}: {err}");
        assert_eq!(err["field"], field, "{err}");
        assert!(err["error"].as_str().is_some_and(|e| !e.is_empty()));
    }
    let mut missing_due = guide_invoice();
    missing_due.as_object_mut().expect("object").remove("due_date");
    let (status, err) = app.post(&key, "/api/v1/invoices", missing_due).await;
    assert_eq!((status, err["field"].as_str()), (400, Some("due_date")));

    // Malformed JSON and the wrong content type.
    let res = app
        .client
        .post(format!("{}/api/v1/invoices", app.base))
        .bearer_auth(&key)
        .header("content-type", "application/json")
        .body("{\"due_date\": ")
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 400);
    let err: Value = res.json().await.expect("json");
    assert!(err["error"].as_str().is_some_and(|e| e.contains("malformed JSON")), "{err}");
    assert_eq!(err["field"], Value::Null);
    let res = app
        .client
        .post(format!("{}/api/v1/invoices", app.base))
        .bearer_auth(&key)
        .body("due_date=x")
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 415);
    assert!(res.json::<Value>().await.expect("json")["error"].is_string());

    let (status, _) = app.get(&key, "/api/v1/invoices/ACME%000001").await;
    assert_eq!(status, 404, "a NUL in the number names no invoice");

    let (_, list) = app.get(&key, "/api/v1/invoices").await;
    assert_eq!(list["data"], json!([]), "nothing was created");
}
on_both_databases!(bad_input_is_a_400_naming_the_field_and_changes_nothing);

async fn an_incomplete_profile_gets_422(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("bare@x.test", None).await;
    let (status, err) = app.post(&key, "/api/v1/invoices", guide_invoice()).await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["field"], "company");
}
on_both_databases!(an_incomplete_profile_gets_422);

async fn keys_are_checked_on_every_call(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("me@x.test", Some("My Studio")).await;
    for (key, what) in [
        (None, "no key"),
        (Some("jk_live_wrong"), "malformed key"),
        (Some("jk_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA000000"), "unknown key"),
    ] {
        let res = app.call(Method::GET, key, "/api/v1/invoices", None).await;
        assert_eq!(res.status(), 401, "{what}");
        assert_eq!(res.headers()["www-authenticate"], "Bearer");
        let body: Value = res.json().await.expect("json");
        assert!(body["error"].is_string() && body.get("field").is_some(), "{body}");
    }
    let res = app
        .client
        .get(format!("{}/api/v1/invoices", app.base))
        .header("authorization", format!("Basic {key}"))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 401);

    // Revoked keys stop at once.
    let sender = data::senders::find_by_email(&app.store.db, "me@x.test").await.expect("db").expect("sender");
    let keys = data::api_keys::list(&app.store.db, sender.id).await.expect("keys");
    data::api_keys::revoke(&app.store, sender.id, keys[0].id).await.expect("revoke");
    let (status, _) = app.get(&key, "/api/v1/invoices").await;
    assert_eq!(status, 401);
}
on_both_databases!(keys_are_checked_on_every_call);

async fn lists_page_with_cursors(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("me@x.test", Some("My Studio")).await;
    for _ in 0..5 {
        assert_eq!(app.post(&key, "/api/v1/invoices", guide_invoice()).await.0, 201);
    }
    let mut seen = Vec::new();
    let mut path = "/api/v1/invoices?limit=2".to_string();
    loop {
        let (status, page) = app.get(&key, &path).await;
        assert_eq!(status, 200, "{page}");
        let data = page["data"].as_array().expect("data");
        assert!(data.len() <= 2);
        seen.extend(data.iter().map(|i| i["id"].as_str().expect("id").to_string()));
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/invoices?limit=2&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, ["ACME-0005", "ACME-0004", "ACME-0003", "ACME-0002", "ACME-0001"], "newest first, each once");
    let (_, page) = app.get(&key, "/api/v1/invoices").await;
    assert_eq!(page["data"].as_array().map(Vec::len), Some(5), "default limit 25");

    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("cursor=garbage", "cursor"),
        ("status=nope", "status"),
    ] {
        let (status, err) = app.get(&key, &format!("/api/v1/invoices?{query}")).await;
        assert_eq!((status, err["field"].as_str()), (400, Some(field)), "{query}: {err}");
    }
    let (_, drafts) = app.get(&key, "/api/v1/invoices?status=draft&limit=100").await;
    assert_eq!(drafts["data"].as_array().map(Vec::len), Some(5));
    let (_, paid) = app.get(&key, "/api/v1/invoices?status=paid").await;
    assert_eq!(paid["data"], json!([]));
    let mut globex = guide_invoice();
    globex["recipient"] = json!({"company": "Globex Corporation"});
    app.post(&key, "/api/v1/invoices", globex).await;
    for (q, expected) in [
        ("globex", vec!["GLOBEX-0001"]),
        ("acme-0002", vec!["ACME-0002"]),
        ("CORP", vec!["GLOBEX-0001", "ACME-0005", "ACME-0004", "ACME-0003", "ACME-0002", "ACME-0001"]),
    ] {
        let (_, found) = app.get(&key, &format!("/api/v1/invoices?q={q}")).await;
        let ids: Vec<&str> = found["data"].as_array().expect("data").iter().filter_map(|i| i["id"].as_str()).collect();
        assert_eq!(ids, expected, "search {q}");
    }
}
on_both_databases!(lists_page_with_cursors);

async fn patch_updates_recomputes_and_follows_the_life_cycle(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("me@x.test", Some("My Studio")).await;
    app.post(&key, "/api/v1/invoices", guide_invoice()).await;
    let path = "/api/v1/invoices/ACME-0001";

    let (status, inv) = app
        .patch(&key, path, json!({"line_items": [{"description": "Logo", "quantity": 2, "unit_price_cents": 1000}], "tax": {"rate": 10}}))
        .await;
    assert_eq!(status, 200, "{inv}");
    assert_eq!(
        (inv["subtotal_cents"].as_i64(), inv["tax"]["amount_cents"].as_i64(), inv["total_cents"].as_i64()),
        (Some(2000), Some(200), Some(2200))
    );
    assert_eq!(inv["status"], "draft");
    assert_eq!(inv["recipient"]["company"], "Acme Corp", "untouched fields stay");

    let (status, inv) = app.patch(&key, path, json!({"tax": null})).await;
    assert_eq!((status, inv["tax"].clone(), inv["total_cents"].as_i64()), (200, Value::Null, Some(2000)));

    for refused in ["viewed", "approved", "change_requested", "updated"] {
        let (status, err) = app.patch(&key, path, json!({"status": refused})).await;
        assert_eq!((status, err["field"].as_str()), (409, Some("status")), "{refused}: {err}");
    }
    let (status, err) = app.patch(&key, path, json!({"status": "bogus"})).await;
    assert_eq!((status, err["field"].as_str()), (400, Some("status")));

    let (status, inv) = app.patch(&key, path, json!({"status": "sent"})).await;
    assert_eq!((status, inv["status"].as_str()), (200, Some("sent")));
    assert!(inv["sent_at"].is_string());
    let (_, inv) = app.patch(&key, path, json!({"po_number": "PO-2"})).await;
    assert_eq!(inv["status"], "updated", "an edit after sending");
    let (_, inv) = app.patch(&key, path, json!({"status": "paid"})).await;
    assert_eq!(inv["status"], "paid");
    assert!(inv["paid_at"].is_string());

    let (status, err) = app.patch(&key, path, json!({"footer_note": "late edit"})).await;
    assert_eq!(status, 409, "paid invoices are locked: {err}");
    let (status, _) = app.patch(&key, path, json!({"status": "cancelled"})).await;
    assert_eq!(status, 409, "paid cannot be cancelled");
    let (_, now) = app.get(&key, path).await;
    assert_eq!((now["footer_note"].clone(), now["status"].as_str()), (Value::Null, Some("paid")));

    // A cancelled invoice is locked too.
    app.post(&key, "/api/v1/invoices", guide_invoice()).await;
    let (_, inv) = app.patch(&key, "/api/v1/invoices/ACME-0002", json!({"status": "cancelled"})).await;
    assert_eq!(inv["status"], "cancelled");
    let (status, _) = app.patch(&key, "/api/v1/invoices/ACME-0002", json!({"due_date": "2027-01-01"})).await;
    assert_eq!(status, 409);

    let (status, err) = app.patch(&key, "/api/v1/invoices/NOPE-0001", json!({"po_number": "x"})).await;
    assert_eq!(status, 404, "{err}");
    let (status, err) = app.patch(&key, "/api/v1/invoices/ACME-0002", json!({"customer_id": 999})).await;
    assert_eq!((status, err["field"].as_str()), (400, Some("customer_id")));
}
on_both_databases!(patch_updates_recomputes_and_follows_the_life_cycle);

async fn forty_concurrent_creates_get_gapless_numbers(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("me@x.test", Some("My Studio")).await;
    let (_, customer) = app.post(&key, "/api/v1/customers", json!({"company": "Acme Corp"})).await;
    let body = json!({"customer_id": customer["id"], "due_date": "2026-06-01", "line_items": [{"description": "x", "unit_price_cents": 100}]});
    let calls = (0..40).map(|_| app.post(&key, "/api/v1/invoices", body.clone()));
    let results = futures::future::join_all(calls).await;
    let mut numbers: Vec<String> = results
        .into_iter()
        .map(|(status, inv)| {
            assert_eq!(status, 201, "{inv}");
            inv["id"].as_str().expect("id").to_string()
        })
        .collect();
    numbers.sort();
    let expected: Vec<String> = (1..=40).map(|n| format!("ACME-{n:04}")).collect();
    assert_eq!(numbers, expected);
}
on_both_databases!(forty_concurrent_creates_get_gapless_numbers);

async fn send_emails_the_invoice_and_patch_only_marks_it(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("me@x.test", Some("My Studio")).await;
    app.post(&key, "/api/v1/invoices", guide_invoice()).await;
    app.post(&key, "/api/v1/invoices", guide_invoice()).await;

    let (status, sent) = app.post(&key, "/api/v1/invoices/ACME-0001/send", json!({})).await;
    assert_eq!((status, sent["status"].as_str()), (200, Some("sent")), "{sent}");
    let (status, again) = app.post(&key, "/api/v1/invoices/ACME-0001/send", json!({})).await;
    assert_eq!((status, again["field"].as_str()), (409, Some("status")));
    assert_eq!(app.post(&key, "/api/v1/invoices/NOPE-0001/send", json!({})).await.0, 404);

    let (_, marked) = app.patch(&key, "/api/v1/invoices/ACME-0002", json!({"status": "sent"})).await;
    assert_eq!(marked["status"], "sent");
    let mails: Vec<String> = data::jobs::pending(&app.store.db, data::jobs::KIND_MAIL)
        .await
        .unwrap()
        .iter()
        .map(|j| match data::mail::of(&app.store, j).unwrap().mail {
            data::mail::Mail::InvoiceSent(facts) => facts.number,
            other => other.template().to_string(),
        })
        .collect();
    assert_eq!(mails, ["ACME-0001"], "only POST /send e-mails; PATCH status=sent only marks it");
    let other = app.key("them@x.test", Some("Their Firm")).await;
    assert_eq!(app.post(&other, "/api/v1/invoices/ACME-0002/send", json!({})).await.0, 404);
}
on_both_databases!(send_emails_the_invoice_and_patch_only_marks_it);
