//! Webhooks: subscriptions, the delivery queue and its log, the retry schedule, the URL guard
//! and the Standard Webhooks signing scheme. The HTTP side (the worker that posts) is in the
//! server crate.

pub mod attempts;
pub mod deliveries;
pub mod log;
pub mod schedule;
pub mod signing;
pub mod subscriptions;
pub mod targets;
