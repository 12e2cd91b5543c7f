//! Rate-limit counters: one row per limited thing (purpose, window and subject, e.g.
//! "anonymous-invoice:min:203.0.113.9") and fixed window, counted in the database so every
//! instance shares them; swept once expired.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RateCounters {
    Table,
    Key,
    WindowStart,
    Hits,
    ExpiresAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use RateCounters as R;
        m.create_table(
            Table::create()
                .table(R::Table)
                .col(ColumnDef::new(R::Key).text().not_null())
                .col(ColumnDef::new(R::WindowStart).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(R::Hits).integer().not_null())
                .col(ColumnDef::new(R::ExpiresAt).timestamp_with_time_zone().not_null())
                .primary_key(Index::create().col(R::Key).col(R::WindowStart))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("rate_counters_expiry").table(R::Table).col(R::ExpiresAt).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(RateCounters::Table).to_owned()).await
    }
}
