//! The mail outbox becomes the one job queue for all background work: `run_at` (when a job is
//! due; in the future for timed work), `done_at`, and `leased_until` (set while a worker holds
//! the job). Each claim bumps `attempts`, the job's fencing token. Pending mail stays queued.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Outbox {
    Table,
    NextAttemptAt,
    SentAt,
}

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Kind,
    RunAt,
    DoneAt,
    FailedAt,
    LeasedUntil,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("outbox_due").table(Outbox::Table).to_owned()).await?;
        m.rename_table(Table::rename().table(Outbox::Table, Jobs::Table).to_owned()).await?;
        // One change per statement: SQLite alters one thing at a time.
        for (from, to) in [(Outbox::NextAttemptAt, Jobs::RunAt), (Outbox::SentAt, Jobs::DoneAt)] {
            m.alter_table(Table::alter().table(Jobs::Table).rename_column(from, to).to_owned()).await?;
        }
        let leased = ColumnDef::new(Jobs::LeasedUntil).timestamp_with_time_zone().null().to_owned();
        m.alter_table(Table::alter().table(Jobs::Table).add_column(leased).to_owned()).await?;
        m.create_index(
            Index::create()
                .name("jobs_due")
                .table(Jobs::Table)
                .col(Jobs::Kind)
                .col(Jobs::DoneAt)
                .col(Jobs::FailedAt)
                .col(Jobs::RunAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("jobs_due").table(Jobs::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(Jobs::Table).drop_column(Jobs::LeasedUntil).to_owned()).await?;
        for (from, to) in [(Jobs::RunAt, Outbox::NextAttemptAt), (Jobs::DoneAt, Outbox::SentAt)] {
            m.alter_table(Table::alter().table(Jobs::Table).rename_column(from, to).to_owned()).await?;
        }
        m.rename_table(Table::rename().table(Jobs::Table, Outbox::Table).to_owned()).await?;
        m.create_index(
            Index::create()
                .name("outbox_due")
                .table(Outbox::Table)
                .col(Outbox::SentAt)
                .col(Alias::new("failed_at"))
                .col(Outbox::NextAttemptAt)
                .to_owned(),
        )
        .await
    }
}
