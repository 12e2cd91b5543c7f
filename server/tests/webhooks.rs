//! /api/v1/webhooks subscriptions: the secret once, validation with fields, the URL guard
//! (https, no private targets), cross-sender 404s — on SQLite and PostgreSQL.

mod support;

use data::on_both_databases;
use data::testkit::TestDb;
use data::webhooks::targets::TargetPolicy;
use reqwest::Method;
use sea_orm::EntityTrait;
use serde_json::json;
use support::TestApp;

// A public address written as an IP: no DNS is needed (and none is reachable in tests).
const PUBLIC_URL: &str = "https://93.184.216.34/hooks";

async fn subscriptions_are_created_listed_changed_and_deleted(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("me@x.test", Some("My Studio")).await;
    let (status, hook) = app
        .post(&key, "/api/v1/webhooks", json!({"url": PUBLIC_URL, "event_types": ["invoice.sent", "invoice.viewed", "invoice.sent"], "description": "ERP"}))
        .await;
    assert_eq!(status, 201, "{hook}");
    let secret = hook["secret"].as_str().expect("secret once");
    assert!(secret.starts_with("whsec_"));
    assert_eq!(hook["event_types"], json!(["invoice.sent", "invoice.viewed"]));
    assert_eq!((hook["active"].as_bool(), hook["url"].as_str()), (Some(true), Some(PUBLIC_URL)));
    let id = hook["id"].as_i64().unwrap();

    // The secret is never shown again, and is not stored in the clear.
    let (_, list) = app.get(&key, "/api/v1/webhooks").await;
    assert_eq!(list["data"][0]["id"], id);
    assert!(list["data"][0].get("secret").is_none());
    let (_, one) = app.get(&key, &format!("/api/v1/webhooks/{id}")).await;
    assert!(one.get("secret").is_none());
    let row = data::entities::webhook_subscription::Entity::find_by_id(id).one(&app.store.db).await.unwrap().unwrap();
    assert!(!row.secret_sealed.contains(secret.trim_start_matches("whsec_")));

    let (status, paused) =
        app.patch(&key, &format!("/api/v1/webhooks/{id}"), json!({"active": false, "event_types": []})).await;
    assert_eq!((status, paused["active"].as_bool()), (200, Some(false)));
    assert_eq!(paused["event_types"], json!([]), "empty = all events");

    let deleted = app.call(Method::DELETE, Some(&key), &format!("/api/v1/webhooks/{id}"), None).await;
    assert_eq!(deleted.status(), 204);
    assert_eq!(app.get(&key, &format!("/api/v1/webhooks/{id}")).await.0, 404);
}
on_both_databases!(subscriptions_are_created_listed_changed_and_deleted);

async fn bad_subscriptions_are_refused_with_the_field(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("me@x.test", Some("My Studio")).await;
    for (body, field) in [
        (json!({"event_types": ["invoice.sent"]}), "url"),
        (json!({"url": "not a url"}), "url"),
        (json!({"url": "http://93.184.216.34/hooks"}), "url"),
        (json!({"url": "https://user:pw@93.184.216.34/hooks"}), "url"),
        (json!({"url": "https://127.0.0.1/hooks"}), "url"),
        (json!({"url": "https://10.0.0.7/hooks"}), "url"),
        (json!({"url": "https://169.254.169.254/latest/meta-data"}), "url"),
        (json!({"url": "https://[::1]/hooks"}), "url"),
        (json!({"url": PUBLIC_URL, "event_types": ["invoice.exploded"]}), "event_types[0]"),
        (json!({"url": PUBLIC_URL, "secret": "mine"}), "secret"),
    ] {
        let (status, err) = app.post(&key, "/api/v1/webhooks", body.clone()).await;
        assert_eq!((status, err["field"].as_str()), (400, Some(field)), "{body}: {err}");
    }
    let (_, list) = app.get(&key, "/api/v1/webhooks").await;
    assert_eq!(list["data"], json!([]), "nothing was created");
}
on_both_databases!(bad_subscriptions_are_refused_with_the_field);

async fn loopback_targets_need_the_development_setting(db: TestDb) {
    let app = TestApp::start_with(db, TargetPolicy { allow_private: true }).await;
    let key = app.key("me@x.test", Some("My Studio")).await;
    let (status, hook) = app.post(&key, "/api/v1/webhooks", json!({"url": "http://127.0.0.1:9/hooks"})).await;
    assert_eq!(status, 201, "{hook}");
    // Plain http stays refused off the machine even then.
    let (status, _) = app.post(&key, "/api/v1/webhooks", json!({"url": "http://93.184.216.34/hooks"})).await;
    assert_eq!(status, 400);
}
on_both_databases!(loopback_targets_need_the_development_setting);

async fn another_senders_webhooks_are_a_404(db: TestDb) {
    let app = TestApp::start(db).await;
    let mine = app.key("me@x.test", Some("My Studio")).await;
    let theirs = app.key("them@x.test", Some("Their Firm")).await;
    let (_, hook) = app.post(&mine, "/api/v1/webhooks", json!({"url": PUBLIC_URL})).await;
    let path = format!("/api/v1/webhooks/{}", hook["id"]);
    assert_eq!(app.get(&theirs, &path).await.0, 404);
    assert_eq!(app.patch(&theirs, &path, json!({"active": false})).await.0, 404);
    assert_eq!(app.json(Method::DELETE, Some(&theirs), &path, None).await.0, 404);
    assert_eq!(app.get(&theirs, "/api/v1/webhooks").await.1["data"], json!([]));
    assert_eq!(app.get(&mine, "/api/v1/webhooks/abc").await.0, 404);
    let (_, still) = app.get(&mine, &path).await;
    assert_eq!(still["active"], true);
}
on_both_databases!(another_senders_webhooks_are_a_404);
