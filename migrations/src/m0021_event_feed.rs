//! The sender's event feed (GET /api/v1/events, issue 28): one index range per sender,
//! newest first, and per event type.

use crate::shapes::{IndexSpec, create_indexes, drop_indexes};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: &[IndexSpec] = &[
    ("invoice_events_sender_id", "invoice_events", &["sender_id", "id"], false),
    ("invoice_events_sender_type_id", "invoice_events", &["sender_id", "event_type", "id"], false),
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
