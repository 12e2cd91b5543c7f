//! Posting webhook deliveries: an HTTP client that only reaches allowed addresses, the worker
//! that drains the delivery jobs (data::webhooks::deliveries), and the DNS that subscription
//! URLs are checked with.

mod client;
mod dns;
mod worker;

pub use client::WebhookClient;
pub use dns::targets;
pub use worker::WebhookWorker;
