//! Drains the webhook queue: claims due deliveries, posts them a few at a time (one slow
//! endpoint does not hold up the others), and records each outcome with its next retry.

use super::WebhookClient;
use crate::workers::{Shutdown, drain_until_shutdown, isolate};
use chrono::Duration;
use data::Store;
use data::webhooks::deliveries::{self, Attempt, DueDelivery};
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
    /// Runs until `shutdown`.
    pub async fn run(&self, shutdown: Shutdown) {
        drain_until_shutdown("webhook deliveries", self.poll_every, shutdown, || self.deliver_due()).await
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
        // A panic while posting is recorded as a failed attempt and retried on the schedule.
        let attempt = isolate(self.client.post(due)).await.unwrap_or_else(|panic| Attempt {
            status: None,
            latency_ms: 0,
            error: Some(panic),
            response_body: None,
            retry_after: None,
        });
        if !attempt.succeeded() {
            tracing::warn!(delivery = due.id, attempt = due.attempt, error = ?attempt.error, "webhook not delivered");
        }
        let jitter = rand::rng().random::<f64>();
        deliveries::record(&self.store, due, &attempt, &self.schedule, jitter).await
    }
}

/// Once an hour, drops log entries past retention; ends at `shutdown`.
pub async fn prune_hourly(store: Store, shutdown: Shutdown) {
    let mut hourly = tokio::time::interval(PRUNE_EVERY);
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = hourly.tick() => {}
        }
        match deliveries::prune(&store, deliveries::KEEP_FINISHED).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(deliveries = n, "old webhook deliveries removed from the log"),
            Err(e) => tracing::error!(error = %e, "could not prune the webhook log"),
        }
    }
}
