//! Invoice lists by status or customer in every order (issue 28): each (partition, order)
//! pair has its index, so a page is one range read per status or customer.

use crate::shapes::{IndexSpec, indexes_only};
use sea_orm_migration::prelude::*;

const INDEXES: &[IndexSpec] = &[
    ("invoices_sender_status_due_id", "invoices", &["sender_id", "status", "due_date", "id"], false),
    ("invoices_sender_status_total_id", "invoices", &["sender_id", "status", "total_cents", "id"], false),
    ("invoices_sender_status_number", "invoices", &["sender_id", "status", "number"], false),
    ("invoices_sender_customer_due_id", "invoices", &["sender_id", "customer_id", "due_date", "id"], false),
    ("invoices_sender_customer_total_id", "invoices", &["sender_id", "customer_id", "total_cents", "id"], false),
    ("invoices_sender_customer_number", "invoices", &["sender_id", "customer_id", "number"], false),
];

indexes_only!(INDEXES);
