//! Every delivery attempt kept for the log, and since when a subscription has been failing
//! (it is disabled when that lasts for days).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum WebhookSubscriptions {
    Table,
    FailingSince,
}

#[derive(DeriveIden)]
enum WebhookDeliveries {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum WebhookAttempts {
    Table,
    Id,
    DeliveryId,
    Attempt,
    AttemptedAt,
    Status,
    LatencyMs,
    Error,
    ResponseBody,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(WebhookSubscriptions::Table)
                .add_column(ColumnDef::new(WebhookSubscriptions::FailingSince).timestamp_with_time_zone().null())
                .to_owned(),
        )
        .await?;
        use WebhookAttempts as A;
        m.create_table(
            Table::create()
                .table(A::Table)
                .col(ColumnDef::new(A::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(A::DeliveryId).big_integer().not_null())
                .col(ColumnDef::new(A::Attempt).integer().not_null())
                .col(ColumnDef::new(A::AttemptedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(A::Status).integer().null())
                .col(ColumnDef::new(A::LatencyMs).big_integer().not_null())
                .col(ColumnDef::new(A::Error).text().null())
                .col(ColumnDef::new(A::ResponseBody).text().null())
                .foreign_key(
                    ForeignKey::create()
                        .from(A::Table, A::DeliveryId)
                        .to(WebhookDeliveries::Table, WebhookDeliveries::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("webhook_attempts_delivery").table(A::Table).col(A::DeliveryId).col(A::Id).to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(WebhookAttempts::Table).to_owned()).await?;
        m.alter_table(
            Table::alter()
                .table(WebhookSubscriptions::Table)
                .drop_column(WebhookSubscriptions::FailingSince)
                .to_owned(),
        )
        .await
    }
}
