//! What the background workers share: drain a queue round after round, resting while it is
//! empty, and backing off when the database cannot be read.

use std::future::Future;
use std::time::Duration;

/// Runs `round` (which handles what is due and says how much) until the process ends.
pub async fn drain_forever<F, Fut>(queue: &'static str, poll_every: Duration, mut round: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<usize, data::Error>>,
{
    loop {
        match round().await {
            Ok(0) => tokio::time::sleep(poll_every).await,
            Ok(_) => {}
            Err(e) => {
                tracing::error!(error = %e, queue, "worker could not read its queue");
                tokio::time::sleep(poll_every * 5).await;
            }
        }
    }
}
