//! SeaORM entities, one file a table. Money columns are integer cents; decimals (quantity,
//! rates) are stored as their exact text; nested shapes (recipient, discount) as JSON text.

pub mod api_key;
pub mod customer;
pub mod invoice;
pub mod invoice_counter;
pub mod invoice_event;
pub mod line_item;
pub mod sender;
