//! Outgoing mail: templates (askama), the transport (SMTP through lettre, or .eml files when
//! no SMTP_URL is set) and the worker that delivers queued mail and retries.

mod qr_png;
mod render;
mod transport;
mod worker;

pub use render::{Rendered, render};
pub use transport::{DeliveryError, MailFile, Transport};
pub use worker::{MailWorker, RetryPolicy};
