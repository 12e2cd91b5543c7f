//! The recipient's side: stored versions (what the recipient was shown), views, and who
//! approved.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum InvoiceVersions {
    Table,
    Id,
    InvoiceId,
    Version,
    Snapshot,
    CreatedAt,
}

#[derive(DeriveIden)]
enum InvoiceViews {
    Table,
    Id,
    InvoiceId,
    Version,
    Ip,
    UserAgent,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Invoices {
    Table,
    Id,
    ApprovedBy,
    ApprovedIp,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(InvoiceVersions::Table)
                .col(ColumnDef::new(InvoiceVersions::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(InvoiceVersions::InvoiceId).big_integer().not_null())
                .col(ColumnDef::new(InvoiceVersions::Version).integer().not_null())
                .col(ColumnDef::new(InvoiceVersions::Snapshot).text().not_null())
                .col(ColumnDef::new(InvoiceVersions::CreatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(InvoiceVersions::Table, InvoiceVersions::InvoiceId)
                        .to(Invoices::Table, Invoices::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("invoice_versions_invoice_version")
                .table(InvoiceVersions::Table)
                .col(InvoiceVersions::InvoiceId)
                .col(InvoiceVersions::Version)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(InvoiceViews::Table)
                .col(ColumnDef::new(InvoiceViews::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(InvoiceViews::InvoiceId).big_integer().not_null())
                .col(ColumnDef::new(InvoiceViews::Version).integer().not_null())
                .col(ColumnDef::new(InvoiceViews::Ip).text().null())
                .col(ColumnDef::new(InvoiceViews::UserAgent).text().null())
                .col(ColumnDef::new(InvoiceViews::CreatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(InvoiceViews::Table, InvoiceViews::InvoiceId)
                        .to(Invoices::Table, Invoices::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("invoice_views_invoice")
                .table(InvoiceViews::Table)
                .col(InvoiceViews::InvoiceId)
                .to_owned(),
        )
        .await?;

        // SQLite alters one column per statement.
        m.alter_table(
            Table::alter()
                .table(Invoices::Table)
                .add_column(ColumnDef::new(Invoices::ApprovedBy).text().null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Invoices::Table)
                .add_column(ColumnDef::new(Invoices::ApprovedIp).text().null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in [Invoices::ApprovedIp, Invoices::ApprovedBy] {
            m.alter_table(Table::alter().table(Invoices::Table).drop_column(col).to_owned()).await?;
        }
        m.drop_table(Table::drop().table(InvoiceViews::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(InvoiceVersions::Table).to_owned()).await
    }
}
