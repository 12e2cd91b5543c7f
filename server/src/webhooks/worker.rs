//! Drains the webhook jobs: claims due ones, posts their deliveries a few at a time (one slow
//! endpoint does not hold up the others) while renewing the claims, and records each outcome
//! with its next retry.

use super::WebhookClient;
use crate::workers::{Shutdown, drain_until_shutdown, holding, isolate};
use chrono::Duration;
use data::Store;
use data::jobs::{self, KIND_WEBHOOK, Lease};
use data::webhooks::attempts::{self, Attempt, DueDelivery};
use data::webhooks::deliveries;
use data::webhooks::schedule::Schedule;
use futures::StreamExt;
use rand::Rng;

/// Short, and renewed while the batch runs: a crashed worker's deliveries are due again
/// within it.
const LEASE: Duration = Duration::seconds(30);
const BATCH: u64 = 20;
const PARALLEL: usize = 8;

pub struct WebhookWorker {
    pub store: Store,
    pub client: WebhookClient,
    pub schedule: Schedule,
    pub poll_every: std::time::Duration,
}

impl WebhookWorker {
    /// Runs until `shutdown`; first gives jobs to deliveries that have none although their
    /// webhook is active (queued before deliveries ran on the job queue).
    pub async fn run(&self, shutdown: Shutdown) {
        match deliveries::unpark(&self.store, &self.store.db, None).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(deliveries = n, "pending webhook deliveries queued"),
            Err(e) => tracing::error!(error = %e, "could not queue pending webhook deliveries"),
        }
        drain_until_shutdown("webhook deliveries", self.poll_every, shutdown, || self.deliver_due()).await
    }

    /// Delivers what is due now; returns how many jobs it handled.
    pub async fn deliver_due(&self) -> Result<usize, data::Error> {
        let jobs = jobs::claim(&self.store, KIND_WEBHOOK, BATCH, LEASE).await?;
        let leases: Vec<Lease> = jobs.iter().map(Lease::of).collect();
        holding(&self.store, &leases, LEASE, async {
            let runs = jobs.iter().cloned().map(|job| async move { self.run_job(&job).await });
            let results: Vec<Result<(), data::Error>> =
                futures::stream::iter(runs).buffer_unordered(PARALLEL).collect().await;
            results.into_iter().collect::<Result<Vec<()>, _>>()?;
            Ok(jobs.len())
        })
        .await
    }

    async fn run_job(&self, job: &jobs::Job) -> Result<(), data::Error> {
        match attempts::due(&self.store, job).await? {
            Some(due) => self.deliver(&due).await,
            None => Ok(()),
        }
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
        if !attempts::record(&self.store, due, &attempt, &self.schedule, jitter).await? {
            tracing::warn!(delivery = due.id, "delivery was taken over after its lease ran out; outcome dropped");
        }
        Ok(())
    }
}
