pub mod e_invoice;
pub mod field;
pub mod form;
pub mod invoice_doc;
pub mod layout;
pub mod status;
