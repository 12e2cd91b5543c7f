//! Writes share-link views a moment after their pages were answered (data::shared keeps
//! them pending); at shutdown it writes the rest.

use crate::workers::{Shutdown, drain_until_shutdown};
use data::Store;
use std::time::Duration;

const EVERY: Duration = Duration::from_millis(250);

pub async fn run(store: Store, shutdown: Shutdown) {
    drain_until_shutdown("share views", EVERY, shutdown, || data::shared::record_pending_views(&store)).await;
    if let Err(e) = data::shared::record_pending_views(&store).await {
        tracing::error!(error = %e, "share views pending at shutdown were not written");
    }
}
