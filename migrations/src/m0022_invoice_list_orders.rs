//! Invoice lists by status or customer in every order (issue 28): each (partition, order)
//! pair has its index, so a page is one range read per status or customer.

use crate::shapes::{IndexSpec, create_indexes, drop_indexes};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: &[IndexSpec] = &[
    ("invoices_sender_status_due_id", "invoices", &["sender_id", "status", "due_date", "id"], false),
    ("invoices_sender_status_total_id", "invoices", &["sender_id", "status", "total_cents", "id"], false),
    ("invoices_sender_status_number", "invoices", &["sender_id", "status", "number"], false),
    ("invoices_sender_customer_due_id", "invoices", &["sender_id", "customer_id", "due_date", "id"], false),
    ("invoices_sender_customer_total_id", "invoices", &["sender_id", "customer_id", "total_cents", "id"], false),
    ("invoices_sender_customer_number", "invoices", &["sender_id", "customer_id", "number"], false),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        create_indexes(m, INDEXES).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_indexes(m, INDEXES).await
    }
}
