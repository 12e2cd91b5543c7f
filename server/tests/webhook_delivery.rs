//! Webhook deliveries end to end: a real receiver on port 0 checks every request with the
//! official `standardwebhooks` crate; retries, Retry-After, 410, failing for days, a receiver
//! down across a server restart, the URL guard at delivery time, test/redeliver/rotation and
//! several workers at once — on SQLite and PostgreSQL.

mod support;

use data::Store;
use data::on_both_databases;
use data::testkit::{Backend, TEST_PUBLIC_URL, TEST_SECRET, TestDb};
use reqwest::Method;
use serde_json::{Value, json};
use support::receiver::{Receiver, free_port};
use support::webhooks::{LOCAL, STRICT, Setup, step, step_until, worker};
use support::{TestApp, guide_invoice};

async fn deliveries_are_signed_for_the_standard_library(db: TestDb) {
    let s = Setup::new(db, json!(["invoice.sent"])).await;
    let number = s.invoice().await;
    let (status, _) = s.app.post(&s.key, &format!("/api/v1/invoices/{number}/send"), json!({})).await;
    assert_eq!(status, 200);
    let w = worker(&s.app.store, LOCAL);
    step_until(&w, "the sent event", async || !s.rx.received().is_empty()).await;

    let got = s.rx.received();
    assert_eq!(got.len(), 1, "invoice.created is not subscribed");
    assert!(got[0].verifies_with(&s.secret()), "the official library accepts the signature");
    assert!(!got[0].verifies_with("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "and refuses another secret");
    let body = &got[0].body;
    assert_eq!(body["type"], "invoice.sent");
    assert_eq!(body["data"]["invoice"]["id"], number.as_str());
    assert_eq!(body["data"]["invoice"]["status"], "sent");
    assert_eq!(body["data"]["invoice"]["total_cents"], 250000);
    assert!(chrono::DateTime::parse_from_rfc3339(body["timestamp"].as_str().unwrap()).is_ok());

    let log = s.deliveries().await;
    assert_eq!(log.len(), 1);
    assert_eq!((log[0]["succeeded"].as_bool(), log[0]["attempt"].as_i64()), (Some(true), Some(1)));
    assert_eq!((log[0]["last_status"].as_i64(), log[0]["event_id"].as_str()), (Some(200), Some(got[0].id.as_str())));
    assert!(log[0]["last_latency_ms"].is_i64());
    let at = |field: &str| chrono::DateTime::parse_from_rfc3339(log[0][field].as_str().unwrap()).unwrap();
    assert!(at("next_attempt_at") <= chrono::Utc::now(), "a delivered event has no attempt ahead");
    assert!(at("last_attempt_at") <= at("next_attempt_at"));
    let one = s.delivery(&log[0]["id"]).await;
    assert_eq!(one["attempts"][0]["status"], 200);
    assert_eq!(one["attempts"][0]["response_body"], "answer 200");
    assert_eq!(one["payload"]["type"], "invoice.sent");
    let hook = s.webhook().await;
    assert_eq!(hook["last_status"], 200);
    assert!(hook["last_delivered_at"].is_string());
}
on_both_databases!(deliveries_are_signed_for_the_standard_library);

async fn a_failing_receiver_gets_the_event_once_it_recovers(db: TestDb) {
    let s = Setup::new(db, json!([])).await;
    // Whatever comes back is logged, even bytes PostgreSQL will not store as text.
    s.rx.answer_with_body(500, b"oops\x00\xff");
    s.rx.answer(2, 500, vec![]);
    s.invoice().await;
    let w = worker(&s.app.store, LOCAL);
    step_until(&w, "four attempts", async || s.rx.received().len() >= 4).await;

    let got = s.rx.received();
    assert_eq!(got.len(), 4, "three failures, then delivered, then nothing more");
    assert!(got.iter().all(|r| r.id == got[0].id), "every attempt carries the same webhook-id");
    assert!(got.iter().all(|r| r.verifies_with(&s.secret())));
    let log = s.deliveries().await;
    assert_eq!((log[0]["attempt"].as_i64(), log[0]["succeeded"].as_bool()), (Some(4), Some(true)));
    let statuses: Vec<Value> =
        s.delivery(&log[0]["id"]).await["attempts"].as_array().unwrap().iter().map(|a| a["status"].clone()).collect();
    assert_eq!(statuses, vec![json!(500), json!(500), json!(500), json!(200)]);
    let first = &s.delivery(&log[0]["id"]).await["attempts"][0];
    assert_eq!(first["response_body"], "oops\u{FFFD}\u{FFFD}");
    assert_eq!(first["error"], "HTTP 500");
    w.deliver_due().await.unwrap();
    assert_eq!(s.rx.received().len(), 4);
}
on_both_databases!(a_failing_receiver_gets_the_event_once_it_recovers);

async fn retry_after_is_honoured_and_capped(db: TestDb) {
    let s = Setup::new(db, json!([])).await;
    s.rx.answer(1, 429, vec![("retry-after", "120".into())]);
    s.rx.answer(1, 503, vec![("retry-after", "99999999999999999".into())]);
    s.invoice().await;
    let w = worker(&s.app.store, LOCAL);
    let waits = async || {
        let log = &s.deliveries().await[0];
        let at = |f: &str| chrono::DateTime::parse_from_rfc3339(log[f].as_str().unwrap()).unwrap();
        (at("next_attempt_at") - at("last_attempt_at")).num_seconds()
    };
    step(&w).await;
    assert_eq!(waits().await, 120, "the receiver's two minutes, not the schedule's 5 s");
    step(&w).await;
    assert_eq!(s.rx.received().len(), 2, "retried once the two minutes passed");
    assert_eq!(waits().await, 86_400, "a hostile Retry-After is capped at a day (and panics nothing)");
    step(&w).await;
    let log = &s.deliveries().await[0];
    assert_eq!((log["attempt"].as_i64(), log["succeeded"].as_bool()), (Some(3), Some(true)));
}
on_both_databases!(retry_after_is_honoured_and_capped);

async fn gone_disables_the_webhook_at_once_and_tells_the_sender(db: TestDb) {
    let s = Setup::new(db, json!([])).await;
    s.rx.answer(1, 410, vec![]);
    s.invoice().await;
    let w = worker(&s.app.store, LOCAL);
    step_until(&w, "the 410", async || !s.rx.received().is_empty()).await;

    let hook = s.webhook().await;
    assert_eq!(hook["active"], false);
    assert!(hook["disabled_reason"].as_str().unwrap().contains("410"), "{hook}");
    let log = s.deliveries().await;
    assert_eq!(log[0]["failed_permanently"], true);
    let mails = data::jobs::pending(&s.app.store.db, data::jobs::KIND_MAIL).await.unwrap();
    let told = mails
        .iter()
        .filter_map(|j| data::mail::of(&s.app.store, j).ok())
        .find(|m| m.mail.template() == "webhook_disabled");
    assert_eq!(told.expect("a mail to the sender").to, vec!["me@x.test".to_string()]);

    // Disabled: new events are not queued for it; resuming clears the reason.
    s.invoice().await;
    assert_eq!(s.deliveries().await.len(), 1);
    let (_, resumed) = s.app.patch(&s.key, &s.path(""), json!({"active": true})).await;
    assert_eq!((resumed["active"].as_bool(), resumed["disabled_reason"].is_null()), (Some(true), true));
}
on_both_databases!(gone_disables_the_webhook_at_once_and_tells_the_sender);

async fn failing_for_days_disables_the_webhook(db: TestDb) {
    let s = Setup::new(db, json!([])).await;
    s.rx.answer(100, 500, vec![]);
    s.invoice().await;
    // The clock jumps from attempt to attempt: three days of failing take ten steps.
    let w = worker(&s.app.store, LOCAL);
    step_until(&w, "the webhook to be disabled", async || s.webhook().await["active"] == false).await;

    let hook = s.webhook().await;
    assert!(hook["disabled_reason"].as_str().unwrap().contains("every delivery has failed since"), "{hook}");
    let log = s.deliveries().await;
    // Attempt 9 comes at most 2.6 days (with jitter) after the first failure, attempt 10 at
    // least 3.1 days after it: only the tenth attempt can find three days of failure.
    assert_eq!(log[0]["attempt"].as_i64(), Some(10), "the schedule ran its course: {}", log[0]);
    assert_eq!(log[0]["succeeded"], false);
    let mails = data::jobs::pending(&s.app.store.db, data::jobs::KIND_MAIL).await.unwrap();
    assert!(
        mails
            .iter()
            .filter_map(|j| data::mail::of(&s.app.store, j).ok())
            .any(|m| m.mail.template() == "webhook_disabled")
    );
    let tried = s.rx.received().len();
    assert_eq!(tried, 10);
    s.app.store.clock().advance(chrono::Duration::days(2));
    w.deliver_due().await.unwrap();
    assert_eq!(s.rx.received().len(), tried, "a disabled webhook gets nothing");
}
on_both_databases!(failing_for_days_disables_the_webhook);

async fn a_receiver_down_across_a_restart_gets_the_event_after(db: TestDb) {
    let app = TestApp::start_with(db, LOCAL).await;
    let key = app.key("me@x.test", Some("My Studio")).await;
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}/hooks");
    let (_, hook) = app.post(&key, "/api/v1/webhooks", json!({"url": url})).await;
    let (status, _) = app.post(&key, "/api/v1/invoices", guide_invoice()).await;
    assert_eq!(status, 201);

    let before = worker(&app.store, LOCAL);
    assert_eq!(step(&before).await, 1);
    drop(before);
    let log_path = format!("/api/v1/webhooks/{}/deliveries", hook["id"]);
    let (_, log) = app.get(&key, &log_path).await;
    assert!(log["data"][0]["last_error"].as_str().unwrap().contains("could not connect"), "{log}");
    let message_id = log["data"][0]["event_id"].as_str().unwrap().to_string();

    // A new process: a fresh connection, a fresh worker, nothing in memory but the database.
    let restarted =
        Store::connect(&app.db_url, TEST_PUBLIC_URL, TEST_SECRET).await.unwrap().with_clock(app.store.clock().clone());
    let rx = Receiver::default();
    rx.start_on(port).await;
    let after = worker(&restarted, LOCAL);
    step_until(&after, "the delivery after the restart", async || !rx.received().is_empty()).await;
    let got = rx.received();
    assert_eq!(got[0].id, message_id);
    assert!(got[0].verifies_with(hook["secret"].as_str().unwrap()));
    assert_eq!(got[0].body["type"], "invoice.created");
}
on_both_databases!(a_receiver_down_across_a_restart_gets_the_event_after);

async fn private_targets_are_refused_again_at_delivery(db: TestDb) {
    // Subscribed while allowed (or while the name resolved elsewhere); delivered by a strict
    // server: nothing reaches the address.
    let app = TestApp::start_with(db, LOCAL).await;
    let key = app.key("me@x.test", Some("My Studio")).await;
    let rx = Receiver::default();
    let url = rx.start().await;
    let by_name = url.replace("127.0.0.1", "localhost");
    let (_, literal) = app.post(&key, "/api/v1/webhooks", json!({"url": url})).await;
    let (_, named) = app.post(&key, "/api/v1/webhooks", json!({"url": by_name})).await;
    app.post(&key, "/api/v1/invoices", guide_invoice()).await;
    let strict = worker(&app.store, STRICT);
    assert_eq!(strict.deliver_due().await.unwrap(), 2);
    assert!(rx.received().is_empty(), "nothing was posted");
    for hook in [literal, named] {
        let (_, log) = app.get(&key, &format!("/api/v1/webhooks/{}/deliveries", hook["id"])).await;
        let error = log["data"][0]["last_error"].as_str().unwrap().to_string();
        assert!(error.contains("refused"), "{error}");
        assert_eq!(log["data"][0]["succeeded"], false);
    }
}
on_both_databases!(private_targets_are_refused_again_at_delivery);

async fn test_redeliver_and_secret_rotation(db: TestDb) {
    let s = Setup::new(db, json!(["invoice.paid"])).await;
    let w = worker(&s.app.store, LOCAL);
    let (status, ping) = s.app.post(&s.key, &s.path("/test"), json!({})).await;
    assert_eq!((status, ping["event_type"].as_str()), (202, Some("ping")));
    step_until(&w, "the ping", async || !s.rx.received().is_empty()).await;
    let first = &s.rx.received()[0];
    assert_eq!(first.body["type"], "ping");
    assert!(first.verifies_with(&s.secret()));

    let (status, again) =
        s.app.post(&s.key, &s.path(&format!("/deliveries/{}/redeliver", ping["id"])), json!({})).await;
    assert_eq!(status, 202, "{again}");
    step_until(&w, "the redelivery", async || s.rx.received().len() >= 2).await;
    assert_eq!(s.rx.received()[1].id, first.id, "a redelivery keeps the webhook-id");

    let (status, rotated) = s.app.post(&s.key, &s.path("/rotate-secret"), json!({})).await;
    assert_eq!(status, 200);
    let new_secret = rotated["secret"].as_str().unwrap().to_string();
    assert!(new_secret.starts_with("whsec_") && new_secret != s.secret());
    s.app.post(&s.key, &s.path("/test"), json!({})).await;
    step_until(&w, "the ping after rotation", async || s.rx.received().len() >= 3).await;
    let third = &s.rx.received()[2];
    assert_eq!(third.signature.split(' ').count(), 2, "both signatures for a day");
    assert!(third.verifies_with(&new_secret) && third.verifies_with(&s.secret()));
    assert!(s.webhook().await.get("secret").is_none());

    // Paused: no test, no redelivery, and events are not queued for it.
    s.app.patch(&s.key, &s.path(""), json!({"active": false})).await;
    let (status, err) = s.app.post(&s.key, &s.path("/test"), json!({})).await;
    assert_eq!((status, err["field"].as_str()), (409, Some("active")));
    let queued = s.deliveries().await.len();
    let number = s.invoice().await;
    s.app.patch(&s.key, &format!("/api/v1/invoices/{number}"), json!({"status": "sent"})).await;
    s.app.patch(&s.key, &format!("/api/v1/invoices/{number}"), json!({"status": "paid"})).await;
    assert_eq!(s.deliveries().await.len(), queued);
}
on_both_databases!(test_redeliver_and_secret_rotation);

async fn another_senders_delivery_log_is_a_404(db: TestDb) {
    let s = Setup::new(db, json!([])).await;
    s.invoice().await;
    let theirs = s.app.key("them@x.test", Some("Their Firm")).await;
    let delivery = &s.deliveries().await[0]["id"];
    let redeliver = s.path(&format!("/deliveries/{delivery}/redeliver"));
    for (method, path) in [
        (Method::GET, s.path("/deliveries")),
        (Method::GET, s.path(&format!("/deliveries/{delivery}"))),
        (Method::POST, redeliver.clone()),
        (Method::POST, s.path("/test")),
        (Method::POST, s.path("/rotate-secret")),
    ] {
        let (status, body) = s.app.json(method.clone(), Some(&theirs), &path, None).await;
        assert_eq!(status, 404, "{method} {path}: {body}");
    }
    assert_eq!(s.app.get(&s.key, &s.path("/deliveries/999999")).await.0, 404);
    assert_eq!(s.app.get(&s.key, &s.path("/deliveries?limit=0")).await.0, 400);
}
on_both_databases!(another_senders_delivery_log_is_a_404);

async fn two_workers_never_post_the_same_delivery(db: TestDb) {
    let backend = db.backend;
    let s = Setup::new(db, json!([])).await;
    for _ in 0..12 {
        s.app.post(&s.key, &s.path("/test"), json!({})).await;
    }
    let one = worker(&s.app.store, LOCAL);
    // PostgreSQL: a second instance with its own connections. SQLite is one process (its one
    // connection serialises writers), so there the two workers share it.
    let other_store = match backend {
        Backend::Postgres => Store::connect(&s.app.db_url, TEST_PUBLIC_URL, TEST_SECRET).await.unwrap(),
        Backend::Sqlite => s.app.store.clone(),
    };
    let two = worker(&other_store, LOCAL);
    // Every ping is due now and succeeds: a few rounds deliver all twelve.
    for _ in 0..10 {
        if s.rx.received().len() >= 12 {
            break;
        }
        let (a, b) = tokio::join!(one.deliver_due(), two.deliver_due());
        a.unwrap();
        b.unwrap();
    }
    let mut ids: Vec<String> = s.rx.received().into_iter().map(|r| r.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!((ids.len(), s.rx.received().len()), (12, 12), "each delivery posted exactly once");
}
on_both_databases!(two_workers_never_post_the_same_delivery);

async fn a_refused_change_announces_nothing(db: TestDb) {
    // The edit's event is written, then the status change is refused: the transaction (event
    // and delivery rows alike) is rolled back, so no receiver hears of an edit that never was.
    let s = Setup::new(db, json!([])).await;
    let number = s.invoice().await;
    let queued = s.deliveries().await.len();
    let (status, err) = s
        .app
        .patch(&s.key, &format!("/api/v1/invoices/{number}"), json!({"po_number": "PO-9", "status": "paid"}))
        .await;
    assert_eq!(status, 409, "{err}");
    assert_eq!(s.deliveries().await.len(), queued);
    let (status, _) = s.app.patch(&s.key, &format!("/api/v1/invoices/{number}"), json!({"po_number": "PO-9"})).await;
    assert_eq!(status, 200);
    let log = s.deliveries().await;
    assert_eq!((log.len(), log[0]["event_type"].as_str()), (queued + 1, Some("invoice.edited")));
}
on_both_databases!(a_refused_change_announces_nothing);

async fn finished_deliveries_leave_the_log_after_30_days(db: TestDb) {
    use data::entities::webhook_delivery;
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let s = Setup::new(db, json!([])).await;
    let w = worker(&s.app.store, LOCAL);
    s.app.post(&s.key, &s.path("/test"), json!({})).await; // a ping, delivered
    step_until(&w, "the ping", async || !s.rx.received().is_empty()).await;
    s.rx.answer(1, 500, vec![]);
    s.invoice().await; // invoice.created: fails once, then waits an hour to retry
    step_until(&w, "the failed attempt", async || s.rx.received().len() >= 2).await;
    let long_ago = chrono::Utc::now() - chrono::Duration::days(31);
    webhook_delivery::Entity::update_many()
        .col_expr(webhook_delivery::Column::CreatedAt, Expr::value(long_ago))
        .filter(webhook_delivery::Column::Id.gt(0))
        .exec(&s.app.store.db)
        .await
        .unwrap();
    let gone = data::webhooks::deliveries::prune(&s.app.store, data::webhooks::deliveries::KEEP_FINISHED).await;
    assert_eq!(gone.unwrap(), 1, "the finished one goes");
    let log = s.deliveries().await;
    assert_eq!(log.len(), 1);
    assert_eq!((log[0]["event_type"].as_str(), log[0]["succeeded"].as_bool()), (Some("invoice.created"), Some(false)));
}
on_both_databases!(finished_deliveries_leave_the_log_after_30_days);
