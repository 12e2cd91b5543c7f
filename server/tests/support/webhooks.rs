//! A sender with a webhook pointing at a local receiver, and a worker stepping through the
//! delivery schedule on the store's adjustable clock.

use super::TestApp;
use super::guide_invoice;
use super::receiver::Receiver;
use data::Store;
use data::testkit::TestDb;
use data::webhooks::schedule::Schedule;
use data::webhooks::targets::TargetPolicy;
use serde_json::{Value, json};
use server::webhooks::{WebhookClient, WebhookWorker};
use std::time::Duration;

pub const LOCAL: TargetPolicy = TargetPolicy { allow_private: true };
pub const STRICT: TargetPolicy = TargetPolicy { allow_private: false };

/// A worker on the production schedule (5 s, 5 min, … 24 h). The store's clock is an
/// adjustable one: tests move it to each next due time, so no test waits or races the wall
/// clock.
pub fn worker(store: &Store, policy: TargetPolicy) -> WebhookWorker {
    WebhookWorker {
        store: store.clone(),
        client: WebhookClient::new(policy).expect("client"),
        schedule: Schedule::default(),
        poll_every: Duration::from_millis(10),
    }
}

/// One step of the schedule: the clock moves to the next due delivery, the worker runs.
pub async fn step(w: &WebhookWorker) -> usize {
    if let Some(at) = data::jobs::next_due(&w.store, data::jobs::KIND_WEBHOOK).await.expect("next due") {
        w.store.clock().advance_to(at);
    }
    w.deliver_due().await.expect("worker")
}

/// Takes steps until `done` holds; fails after 40 steps (the whole schedule is 10).
pub async fn step_until(w: &WebhookWorker, what: &str, mut done: impl AsyncFnMut() -> bool) {
    for _ in 0..40 {
        step(w).await;
        if done().await {
            return;
        }
    }
    panic!("{what} did not happen within 40 steps of the schedule");
}

pub struct Setup {
    pub app: TestApp,
    pub key: String,
    pub rx: Receiver,
    pub hook: Value,
}

impl Setup {
    pub async fn new(db: TestDb, event_types: Value) -> Setup {
        let app = TestApp::start_with(db, LOCAL).await;
        let key = app.key("me@x.test", Some("My Studio")).await;
        let rx = Receiver::default();
        let url = rx.start().await;
        let (status, hook) = app.post(&key, "/api/v1/webhooks", json!({"url": url, "event_types": event_types})).await;
        assert_eq!(status, 201, "{hook}");
        Setup { app, key, rx, hook }
    }

    pub fn path(&self, rest: &str) -> String {
        format!("/api/v1/webhooks/{}{rest}", self.hook["id"])
    }

    pub fn secret(&self) -> String {
        self.hook["secret"].as_str().expect("secret").to_string()
    }

    pub async fn invoice(&self) -> String {
        let (status, inv) = self.app.post(&self.key, "/api/v1/invoices", guide_invoice()).await;
        assert_eq!(status, 201, "{inv}");
        inv["id"].as_str().expect("number").to_string()
    }

    pub async fn deliveries(&self) -> Vec<Value> {
        let (status, page) = self.app.get(&self.key, &self.path("/deliveries")).await;
        assert_eq!(status, 200, "{page}");
        page["data"].as_array().expect("data").clone()
    }

    pub async fn delivery(&self, id: &Value) -> Value {
        self.app.get(&self.key, &self.path(&format!("/deliveries/{id}"))).await.1
    }

    pub async fn webhook(&self) -> Value {
        self.app.get(&self.key, &self.path("")).await.1
    }
}
