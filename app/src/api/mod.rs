//! Server functions: thin wrappers over `data` services, one file per area. Each reads the
//! session itself; mutations redirect plain (no-JavaScript) form posts to the page to show.

pub mod anonymous;
pub mod auth;
pub mod customers;
pub mod invoices;
pub mod keys;
pub mod profile;
pub mod recurring;
pub mod shared;
pub mod webhooks;
