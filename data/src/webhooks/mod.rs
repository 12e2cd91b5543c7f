//! Webhooks: subscriptions (this file's siblings) and the Standard Webhooks signing scheme.

pub mod signing;
pub mod subscriptions;
pub mod targets;
