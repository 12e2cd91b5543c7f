//! A panic is a bug, never the end of a request or a worker: `isolate` turns it into an error
//! message the caller records (a 500 with a request id, a failed job retried later).

use futures::FutureExt;
use std::future::Future;
use std::panic::AssertUnwindSafe;

/// Runs `job`; a panic inside becomes `Err("internal error: <message>")`.
pub async fn isolate<T>(job: impl Future<Output = T>) -> Result<T, String> {
    AssertUnwindSafe(job).catch_unwind().await.map_err(|panic| {
        let text = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        format!("internal error: {text}")
    })
}
