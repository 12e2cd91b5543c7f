//! Webhook deliveries run on the job queue: each pending delivery names the job that posts
//! it. A pending delivery without one (queued before this migration, or parked while its
//! webhook was paused) gets a job when its webhook is active and a worker starts, or when the
//! webhook is resumed.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum WebhookDeliveries {
    Table,
    JobId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let job = ColumnDef::new(WebhookDeliveries::JobId).big_integer().null().to_owned();
        m.alter_table(Table::alter().table(WebhookDeliveries::Table).add_column(job).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::alter().table(WebhookDeliveries::Table).drop_column(WebhookDeliveries::JobId).to_owned();
        m.alter_table(table).await
    }
}
