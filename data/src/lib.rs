//! The data layer: SeaORM entities and one service function per use case, each in one
//! transaction. REST handlers, MCP tools and Leptos server functions all call these.

pub mod anonymous;
pub mod api_keys;
pub mod archive;
pub mod clock;
pub mod credit_notes;
pub mod cursor;
pub mod customers;
pub mod effects;
pub mod einvoices;
pub mod entities;
pub mod error;
pub mod events;
pub mod flash;
pub mod idempotency;
pub mod invoices;
pub mod jobs;
pub mod limits;
mod locking;
pub mod mail;
pub mod payments;
mod prepared;
pub mod recurring;
pub mod reminders;
pub mod secrets;
pub mod senders;
pub mod sessions;
pub mod shared;
pub mod sign_in;
pub mod store;
#[cfg(feature = "testkit")]
pub mod testkit;
pub mod webhooks;
pub mod zone;

pub use error::{Error, Told};
pub use store::Store;
