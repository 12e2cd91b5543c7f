//! The pure invoice model: money, totals, states and the JSON shapes of the API.
//! No I/O here, so the browser (wasm) computes live totals with exactly this code.

pub mod check_digits;
pub mod code;
pub mod credit;
pub mod credit_note;
pub mod currency;
pub mod decimal;
pub mod diff;
pub mod document;
pub mod dto;
pub mod einvoice;
pub mod epc;
pub mod error;
pub mod events;
pub mod forms;
pub mod language;
pub mod payment;
pub mod printed;
pub mod profile;
pub mod recurring;
pub mod reminders;
pub mod schedule;
pub mod scope;
pub mod sort;
pub mod status;
pub mod stripe_units;
pub mod totals;
pub mod validate;
pub mod vat;
pub mod vat_id;
pub mod whole;

pub use error::{Error, ErrorKind};
pub use language::Language;
pub use payment::{Balance, PaymentMethod};
pub use scope::KeyScope;
pub use status::{Action, Status};
pub use totals::{Totals, compute_totals};

/// The largest amount (in cents) accepted anywhere: inputs and every computed total.
pub const MAX_AMOUNT_CENTS: i64 = 1_000_000_000_000;
/// Line items per invoice.
pub const MAX_LINE_ITEMS: usize = 50;
/// Characters in a line description.
pub const MAX_DESCRIPTION_CHARS: usize = 1_000;
