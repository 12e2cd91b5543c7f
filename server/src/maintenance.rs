//! Hourly housekeeping: what is kept only for a while goes (finished webhook deliveries and
//! jobs after 30 days, rate-limit counters once their window ends).

use crate::workers::Shutdown;
use data::Store;
use data::webhooks::deliveries;

const EVERY: std::time::Duration = std::time::Duration::from_secs(3_600);

/// Runs the housekeeping now and then hourly; ends at `shutdown`.
pub async fn hourly(store: Store, shutdown: Shutdown) {
    let mut hourly = tokio::time::interval(EVERY);
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = hourly.tick() => {}
        }
        report(
            "old webhook deliveries removed from the log",
            deliveries::prune(&store, deliveries::KEEP_FINISHED).await,
        );
        report("finished jobs removed", data::jobs::prune(&store, data::jobs::KEEP_FINISHED).await);
        report("expired rate-limit counters removed", data::limits::sweep(&store).await);
        report("idempotency keys older than a day removed", data::idempotency::prune(&store).await);
    }
}

fn report(what: &'static str, result: Result<u64, data::Error>) {
    match result {
        Ok(0) => {}
        Ok(n) => tracing::info!(count = n, "{what}"),
        Err(e) => tracing::error!(error = %e, "housekeeping failed: {what}"),
    }
}
