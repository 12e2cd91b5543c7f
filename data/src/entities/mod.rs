//! SeaORM entities, one file a table. Money columns are integer cents; decimals (quantity,
//! rates) are stored as their exact text; nested shapes (recipient, discount) as JSON text.

pub mod anonymous_session;
pub mod api_key;
pub mod archive_entry;
pub mod archive_head;
pub mod checkout_session;
pub mod credit_note;
pub mod credit_note_counter;
pub mod customer;
pub mod flash;
pub mod idempotency_key;
pub mod invoice;
pub mod invoice_counter;
pub mod invoice_event;
pub mod invoice_reminder;
pub mod invoice_version;
pub mod invoice_view;
pub mod job;
pub mod line_item;
pub mod payment;
pub mod recurring_invoice;
pub mod recurring_occurrence;
pub mod sender;
pub mod session;
pub mod sign_in_token;
pub mod stripe_event;
pub mod voided_number;
pub mod webhook_attempt;
pub mod webhook_delivery;
pub mod webhook_subscription;
