//! Runs the timers of recurring invoices and payment reminders as they fall due: keyed jobs
//! in the one queue (`data::recurring`, `data::reminders` decide what each run does, in one
//! transaction with its outcome). A failing run is retried in ten minutes; a panic fails
//! that job's attempt, not the worker.

use crate::workers::{Shutdown, drain_until_shutdown, holding, isolate};
use chrono::Duration;
use data::Store;
use data::jobs::{self, KIND_RECURRING, KIND_REMINDER, Lease, Outcome};

const LEASE: Duration = Duration::seconds(30);
const POLL_EVERY: std::time::Duration = std::time::Duration::from_secs(5);
const BATCH: u64 = 10;

/// Runs until `shutdown`; first gives open invoices without a reminder timer theirs.
pub async fn run(store: Store, shutdown: Shutdown) {
    match isolate(data::reminders::adopt_open_invoices(&store)).await {
        Ok(Ok(0)) => {}
        Ok(Ok(n)) => tracing::info!(count = n, "open invoices given their payment reminder timers"),
        Ok(Err(e)) => tracing::error!(error = %e, "could not give open invoices their reminder timers"),
        Err(panic) => tracing::error!(panic = %panic, "giving open invoices their reminder timers panicked"),
    }
    drain_until_shutdown("schedules", POLL_EVERY, shutdown, || run_due(&store)).await
}

/// Runs the timers due now, recurring invoices first (an occurrence sent now may be
/// reminded of later, never the other way round); how many jobs it ran.
pub async fn run_due(store: &Store) -> Result<usize, data::Error> {
    let mut ran = 0;
    for kind in [KIND_RECURRING, KIND_REMINDER] {
        let due = jobs::claim(store, kind, BATCH, LEASE).await?;
        let leases: Vec<Lease> = due.iter().map(Lease::of).collect();
        holding(store, &leases, LEASE, async {
            for job in &due {
                let result = match kind {
                    KIND_RECURRING => isolate(data::recurring::occurrences::run(store, job)).await,
                    _ => isolate(data::reminders::run(store, job)).await,
                };
                let failed = match result {
                    Ok(Ok(_)) => continue,
                    Ok(Err(e)) => e.to_string(),
                    Err(panic) => panic,
                };
                tracing::error!(error = %failed, job = job.id, kind, "a scheduled run failed; retrying in ten minutes");
                let retry = Outcome::RetryAt(store.now() + Duration::minutes(10), failed);
                jobs::finish(store, &store.db, Lease::of(job), &retry).await?;
            }
            Ok::<_, data::Error>(())
        })
        .await?;
        ran += due.len();
    }
    Ok(ran)
}
