//! Posting webhook deliveries: an HTTP client that only reaches allowed addresses, and the
//! worker that drains the delivery queue (data::webhooks::deliveries).

mod client;
mod worker;

pub use client::WebhookClient;
pub use worker::{WebhookWorker, prune_hourly};
