//! What the background workers share: drain a queue round after round, resting while it is
//! empty, backing off when the database cannot be read; a panic in one job or round is caught
//! and recorded, never the end of the worker; at shutdown the worker stops between rounds.

pub use crate::panics::isolate;
use std::future::Future;
use std::time::Duration;
use tokio::task::JoinHandle;

/// Tells workers to stop after the round in hand.
pub type Shutdown = tokio_util::sync::CancellationToken;

/// Runs `round` (which handles what is due and says how much) until `shutdown`.
pub async fn drain_until_shutdown<F, Fut>(queue: &'static str, poll_every: Duration, shutdown: Shutdown, mut round: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<usize, data::Error>>,
{
    while !shutdown.is_cancelled() {
        let rest = match isolate(round()).await {
            Ok(Ok(0)) => poll_every,
            Ok(Ok(_)) => Duration::ZERO,
            Ok(Err(e)) => {
                tracing::error!(error = %e, queue, "worker could not read its queue");
                poll_every * 5
            }
            Err(panic) => {
                tracing::error!(panic = %panic, queue, "worker round panicked; going on");
                poll_every * 5
            }
        };
        if !rest.is_zero() {
            tokio::select! {
                _ = shutdown.cancelled() => break,
                _ = tokio::time::sleep(rest) => {}
            }
        }
    }
}

/// Runs `work` while renewing `leases` a few times per `lease`, so jobs that take long are
/// not taken by another worker; when this worker dies the renewals stop with it and its jobs
/// are due again once their lease ends.
pub async fn holding<T>(
    store: &data::Store,
    leases: &[data::jobs::Lease],
    lease: chrono::Duration,
    work: impl Future<Output = T>,
) -> T {
    let every = lease.to_std().unwrap_or(Duration::from_secs(30)) / 3;
    let renew = async {
        loop {
            tokio::time::sleep(every).await;
            if let Err(e) = data::jobs::renew(store, leases, lease).await {
                tracing::error!(error = %e, "could not renew job leases");
            }
        }
    };
    tokio::select! {
        done = work => done,
        never = renew => never,
    }
}

/// Spawns a worker, and starts it again should it ever end by a panic; it ends when `start`'s
/// future returns (at shutdown).
pub fn supervise<F, Fut>(name: &'static str, start: F) -> JoinHandle<()>
where
    F: Fn() -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    tokio::spawn(async move {
        loop {
            match tokio::spawn(start()).await {
                Err(e) if e.is_panic() => {
                    tracing::error!(worker = name, "worker crashed; restarting it");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                _ => return,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn a_panicking_round_does_not_stop_the_worker() {
        let rounds = Arc::new(AtomicUsize::new(0));
        let shutdown = Shutdown::new();
        let (r, s) = (rounds.clone(), shutdown.clone());
        drain_until_shutdown("test", Duration::ZERO, shutdown.clone(), move || {
            let (r, s) = (r.clone(), s.clone());
            async move {
                let n = r.fetch_add(1, Ordering::SeqCst);
                if n == 0 {
                    panic!("first round breaks");
                }
                if n == 2 {
                    s.cancel();
                }
                Ok(1)
            }
        })
        .await;
        assert_eq!(rounds.load(Ordering::SeqCst), 3, "went on after the panic, stopped at shutdown");
    }

    #[tokio::test]
    async fn a_panicking_job_becomes_an_error() {
        let failed = isolate(async { panic!("Duration::seconds out of range") }).await;
        assert_eq!(failed, Err::<(), _>("internal error: Duration::seconds out of range".into()));
        assert_eq!(isolate(async { 7 }).await, Ok(7));
    }

    #[tokio::test]
    async fn a_crashed_worker_is_started_again() {
        let starts = Arc::new(AtomicUsize::new(0));
        let s = starts.clone();
        let handle = supervise("test", move || {
            let n = s.fetch_add(1, Ordering::SeqCst);
            async move {
                if n == 0 {
                    panic!("crash");
                }
            }
        });
        handle.await.expect("the supervisor itself ends cleanly");
        assert_eq!(starts.load(Ordering::SeqCst), 2);
    }
}
