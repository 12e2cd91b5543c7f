//! Idempotent API writes (issue 28): the requests made with an `Idempotency-Key` and their
//! answers, unique per sender and key.

use crate::shapes::{IndexSpec, big, col, create_indexes, id, owned_by, text};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: &[IndexSpec] = &[
    ("idempotency_keys_sender_key", "idempotency_keys", &["sender_id", "key"], true),
    ("idempotency_keys_created", "idempotency_keys", &["created_at"], false),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table(Alias::new("idempotency_keys"))
            .col(id())
            .col(big("sender_id"))
            .col(text("key"))
            .col(text("fingerprint"))
            .col(col("status_code").integer().null())
            .col(col("content_type").text().null())
            .col(col("body").text().null())
            .col(col("created_at").timestamp_with_time_zone().not_null())
            .col(col("completed_at").timestamp_with_time_zone().null())
            .foreign_key(&mut owned_by("idempotency_keys", "sender_id", "senders", ForeignKeyAction::Cascade))
            .to_owned();
        m.create_table(table).await?;
        create_indexes(m, INDEXES).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("idempotency_keys")).to_owned()).await
    }
}
