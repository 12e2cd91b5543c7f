//! Webhook deliveries on the job queue: a paused webhook's deliveries wait and go out on
//! resume, a redelivery of a delivery being posted does not post it twice, a worker that lost
//! its claim cannot record over the worker that took it, a job that no longer parses fails
//! once and says why, and deliveries queued before the job queue are picked up at start-up —
//! on SQLite and PostgreSQL.

mod support;

use chrono::Duration;
use data::jobs::{self, KIND_WEBHOOK};
use data::on_both_databases;
use data::testkit::TestDb;
use data::webhooks::attempts;
use data::webhooks::schedule::Schedule;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use server::webhooks::WebhookClient;
use support::webhooks::{LOCAL, Setup, step, worker};

/// A worker's claim on the one due webhook job, as `deliver_due` takes it.
async fn claim_one(s: &Setup) -> attempts::DueDelivery {
    let claimed = jobs::claim(&s.app.store, KIND_WEBHOOK, 10, Duration::seconds(30)).await.unwrap();
    assert_eq!(claimed.len(), 1);
    attempts::due(&s.app.store, &claimed[0]).await.unwrap().expect("a delivery to post")
}

async fn a_paused_webhook_keeps_its_deliveries_until_it_resumes(db: TestDb) {
    let s = Setup::new(db, json!([])).await;
    let w = worker(&s.app.store, LOCAL);
    s.invoice().await; // invoice.created is queued
    s.app.patch(&s.key, &s.path(""), json!({"active": false})).await;
    assert_eq!(step(&w).await, 1, "the worker takes the job up, and parks it");
    assert!(s.rx.received().is_empty());
    assert_eq!(jobs::next_due(&s.app.store, KIND_WEBHOOK).await.unwrap(), None, "nothing polls while paused");
    let log = s.deliveries().await;
    assert_eq!((log[0]["succeeded"].as_bool(), log[0]["failed_permanently"].as_bool()), (Some(false), Some(false)));
    assert_eq!(log[0]["attempt"], 0, "waiting is not an attempt");

    let (status, _) = s.app.patch(&s.key, &s.path(""), json!({"active": true})).await;
    assert_eq!(status, 200);
    step(&w).await;
    let got = s.rx.received();
    assert_eq!((got.len(), got[0].body["type"].as_str()), (1, Some("invoice.created")));
    assert_eq!(got[0].id, log[0]["event_id"].as_str().unwrap());
    assert_eq!(s.deliveries().await[0]["succeeded"], true);
    step(&w).await;
    assert_eq!(s.rx.received().len(), 1, "posted once");
}
on_both_databases!(a_paused_webhook_keeps_its_deliveries_until_it_resumes);

async fn redelivering_a_delivery_being_posted_does_not_post_it_twice(db: TestDb) {
    let s = Setup::new(db, json!([])).await;
    let (_, ping) = s.app.post(&s.key, &s.path("/test"), json!({})).await;
    let held = claim_one(&s).await;

    let (status, again) =
        s.app.post(&s.key, &s.path(&format!("/deliveries/{}/redeliver", ping["id"])), json!({})).await;
    assert_eq!(status, 202, "{again}");
    let other = worker(&s.app.store, LOCAL);
    assert_eq!(other.deliver_due().await.unwrap(), 0, "not due again while it is being posted");

    let client = WebhookClient::new(LOCAL).unwrap();
    let attempt = client.post(&held).await;
    assert!(attempts::record(&s.app.store, &held, &attempt, &Schedule::default(), 0.5).await.unwrap());
    step(&other).await;
    assert_eq!(s.rx.received().len(), 1, "the attempt under way was the one asked for");
    let log = s.deliveries().await;
    assert_eq!((log[0]["succeeded"].as_bool(), log[0]["attempt"].as_i64()), (Some(true), Some(1)));
}
on_both_databases!(redelivering_a_delivery_being_posted_does_not_post_it_twice);

async fn a_worker_whose_claim_ran_out_cannot_record_over_the_next(db: TestDb) {
    let s = Setup::new(db, json!([])).await;
    s.app.post(&s.key, &s.path("/test"), json!({})).await;
    let late = claim_one(&s).await;
    // The first worker stalls past its lease without renewing it; another takes the job.
    s.app.store.clock().advance(Duration::seconds(31));
    let w = worker(&s.app.store, LOCAL);
    assert_eq!(w.deliver_due().await.unwrap(), 1);
    assert_eq!(s.rx.received().len(), 1);

    let refused = data::webhooks::deliveries::Attempt {
        status: Some(500),
        latency_ms: 3,
        error: Some("HTTP 500".into()),
        response_body: None,
        retry_after: None,
    };
    let recorded = attempts::record(&s.app.store, &late, &refused, &Schedule::default(), 0.5).await.unwrap();
    assert!(!recorded, "the stale outcome is refused");
    let log = s.deliveries().await;
    assert_eq!((log[0]["succeeded"].as_bool(), log[0]["last_status"].as_i64()), (Some(true), Some(200)));
    let one = s.delivery(&log[0]["id"]).await;
    assert_eq!(one["attempts"].as_array().map(Vec::len), Some(1), "only the holder's attempt is in the log");
}
on_both_databases!(a_worker_whose_claim_ran_out_cannot_record_over_the_next);

async fn a_job_that_no_longer_parses_fails_once_and_says_why(db: TestDb) {
    let s = Setup::new(db, json!([])).await;
    let store = &s.app.store;
    let job = jobs::enqueue(store, &store.db, KIND_WEBHOOK, None, &json!({"deliver": "me"}), store.now()).await;
    let job = job.unwrap();
    let w = worker(store, LOCAL);
    assert_eq!(w.deliver_due().await.unwrap(), 1);
    let failed = jobs::get(&store.db, job.id).await.unwrap();
    assert!(failed.failed_at.is_some());
    assert!(failed.last_error.as_deref().unwrap_or_default().contains("delivery_id"), "{:?}", failed.last_error);
    store.clock().advance(Duration::days(2));
    assert_eq!(w.deliver_due().await.unwrap(), 0, "not retried");
}
on_both_databases!(a_job_that_no_longer_parses_fails_once_and_says_why);

async fn deliveries_without_a_job_are_queued_when_the_worker_starts(db: TestDb) {
    use data::entities::{job, webhook_delivery};
    let s = Setup::new(db, json!([])).await;
    s.invoice().await;
    // As a delivery queued before deliveries ran on the job queue: pending, no job.
    let db = &s.app.store.db;
    job::Entity::delete_many().filter(job::Column::Kind.eq(KIND_WEBHOOK)).exec(db).await.unwrap();
    webhook_delivery::Entity::update_many()
        .col_expr(webhook_delivery::Column::JobId, Expr::value(Option::<i64>::None))
        .filter(webhook_delivery::Column::Id.gt(0))
        .exec(db)
        .await
        .unwrap();

    let w = worker(&s.app.store, LOCAL);
    let shutdown = server::workers::Shutdown::new();
    let running = {
        let stop = shutdown.clone();
        async move { w.run(stop).await }
    };
    let watch = async {
        for _ in 0..1_000 {
            if !s.rx.received().is_empty() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        shutdown.cancel();
    };
    tokio::join!(running, watch);
    let got = s.rx.received();
    assert_eq!((got.len(), got[0].body["type"].as_str()), (1, Some("invoice.created")));
}
on_both_databases!(deliveries_without_a_job_are_queued_when_the_worker_starts);
