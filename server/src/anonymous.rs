//! Ends anonymous sessions: claims their timed jobs as they fall due (30 days after a
//! session's latest invoice) and deletes what was not claimed.

use crate::workers::{Shutdown, drain_until_shutdown, isolate};
use chrono::Duration;
use data::Store;
use data::jobs::{self, KIND_ANONYMOUS_EXPIRY, Lease, Outcome};

const LEASE: Duration = Duration::seconds(60);
const POLL_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// Runs until `shutdown`.
pub async fn expiry(store: Store, shutdown: Shutdown) {
    drain_until_shutdown("anonymous expiry", POLL_EVERY, shutdown, || expire_due(&store)).await
}

/// Ends the sessions due now; how many jobs it handled.
pub async fn expire_due(store: &Store) -> Result<usize, data::Error> {
    let due = jobs::claim(store, KIND_ANONYMOUS_EXPIRY, 20, LEASE).await?;
    for job in &due {
        let failed = match isolate(data::anonymous::expire(store, job)).await {
            Ok(Ok(_)) => continue,
            Ok(Err(e)) => e.to_string(),
            Err(panic) => panic,
        };
        tracing::error!(error = %failed, job = job.id, "could not end an anonymous session; retrying later");
        let retry = Outcome::RetryAt(store.now() + Duration::minutes(10), failed);
        jobs::finish(store, &store.db, Lease::of(job), &retry).await?;
    }
    Ok(due.len())
}
