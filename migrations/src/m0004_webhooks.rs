//! Webhook subscriptions and their deliveries.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum WebhookSubscriptions {
    Table,
    Id,
    SenderId,
    Url,
    Description,
    EventTypes,
    SecretSealed,
    PreviousSecretSealed,
    PreviousSecretUntil,
    Active,
    DisabledReason,
    LastDeliveredAt,
    LastStatus,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum WebhookDeliveries {
    Table,
    Id,
    SubscriptionId,
    EventId,
    EventType,
    Payload,
    Attempt,
    MaxAttempts,
    NextAttemptAt,
    LastAttemptAt,
    LastStatus,
    LastError,
    LastLatencyMs,
    Succeeded,
    FailedPermanently,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Senders {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use WebhookSubscriptions as S;
        m.create_table(
            Table::create()
                .table(S::Table)
                .col(ColumnDef::new(S::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(S::SenderId).big_integer().not_null())
                .col(ColumnDef::new(S::Url).text().not_null())
                .col(ColumnDef::new(S::Description).text().null())
                .col(ColumnDef::new(S::EventTypes).text().not_null().default("[]"))
                .col(ColumnDef::new(S::SecretSealed).text().not_null())
                .col(ColumnDef::new(S::PreviousSecretSealed).text().null())
                .col(ColumnDef::new(S::PreviousSecretUntil).timestamp_with_time_zone().null())
                .col(ColumnDef::new(S::Active).boolean().not_null().default(true))
                .col(ColumnDef::new(S::DisabledReason).text().null())
                .col(ColumnDef::new(S::LastDeliveredAt).timestamp_with_time_zone().null())
                .col(ColumnDef::new(S::LastStatus).integer().null())
                .col(ColumnDef::new(S::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(S::UpdatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(S::Table, S::SenderId)
                        .to(Senders::Table, Senders::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("webhook_subscriptions_sender").table(S::Table).col(S::SenderId).to_owned(),
        )
        .await?;

        use WebhookDeliveries as D;
        m.create_table(
            Table::create()
                .table(D::Table)
                .col(ColumnDef::new(D::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(D::SubscriptionId).big_integer().not_null())
                .col(ColumnDef::new(D::EventId).text().not_null())
                .col(ColumnDef::new(D::EventType).text().not_null())
                .col(ColumnDef::new(D::Payload).text().not_null())
                .col(ColumnDef::new(D::Attempt).integer().not_null().default(0))
                .col(ColumnDef::new(D::MaxAttempts).integer().not_null())
                .col(ColumnDef::new(D::NextAttemptAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(D::LastAttemptAt).timestamp_with_time_zone().null())
                .col(ColumnDef::new(D::LastStatus).integer().null())
                .col(ColumnDef::new(D::LastError).text().null())
                .col(ColumnDef::new(D::LastLatencyMs).big_integer().null())
                .col(ColumnDef::new(D::Succeeded).boolean().not_null().default(false))
                .col(ColumnDef::new(D::FailedPermanently).boolean().not_null().default(false))
                .col(ColumnDef::new(D::CreatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(D::Table, D::SubscriptionId)
                        .to(S::Table, S::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("webhook_deliveries_subscription")
                .table(D::Table)
                .col(D::SubscriptionId)
                .col(D::Id)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("webhook_deliveries_due")
                .table(D::Table)
                .col(D::Succeeded)
                .col(D::FailedPermanently)
                .col(D::NextAttemptAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(WebhookDeliveries::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(WebhookSubscriptions::Table).to_owned()).await
    }
}
