//! Drains the webhook queue: claims due deliveries, posts them a few at a time (one slow
//! endpoint does not hold up the others), and records each outcome with its next retry.

use super::WebhookClient;
use chrono::Duration;
use data::Store;
use data::webhooks::deliveries::{self, DueDelivery};
use data::webhooks::schedule::Schedule;
use futures::StreamExt;
use rand::Rng;

/// Longer than an attempt can take (10 s), so a claimed row is not taken twice.
const LEASE: Duration = Duration::minutes(2);
const BATCH: u64 = 20;
const PARALLEL: usize = 8;
const PRUNE_EVERY: std::time::Duration = std::time::Duration::from_secs(3_600);

pub struct WebhookWorker {
    pub store: Store,
    pub client: WebhookClient,
    pub schedule: Schedule,
    pub poll_every: std::time::Duration,
}

impl WebhookWorker {
    /// Runs until the process ends; once an hour it also drops log entries past retention.
    pub async fn run(self) {
        tokio::spawn(prune_hourly(self.store.clone()));
        crate::workers::drain_forever("webhook deliveries", self.poll_every, || self.deliver_due()).await
    }

    /// Delivers what is due now; returns how many deliveries it tried.
    pub async fn deliver_due(&self) -> Result<usize, data::Error> {
        let due = deliveries::claim_due(&self.store, BATCH, LEASE).await?;
        let count = due.len();
        let attempts = due.into_iter().map(|d| async move { self.deliver(&d).await });
        let results: Vec<Result<(), data::Error>> =
            futures::stream::iter(attempts).buffer_unordered(PARALLEL).collect().await;
        for r in results {
            r?;
        }
        Ok(count)
    }

    async fn deliver(&self, due: &DueDelivery) -> Result<(), data::Error> {
        let attempt = self.client.post(due).await;
        if !attempt.succeeded() {
            tracing::warn!(delivery = due.id, attempt = due.attempt, error = ?attempt.error, "webhook not delivered");
        }
        let jitter = rand::rng().random::<f64>();
        deliveries::record(&self.store, due, &attempt, &self.schedule, jitter).await
    }
}

async fn prune_hourly(store: Store) {
    let mut hourly = tokio::time::interval(PRUNE_EVERY);
    loop {
        hourly.tick().await;
        match deliveries::prune(&store, deliveries::KEEP_FINISHED).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(deliveries = n, "old webhook deliveries removed from the log"),
            Err(e) => tracing::error!(error = %e, "could not prune the webhook log"),
        }
    }
}
