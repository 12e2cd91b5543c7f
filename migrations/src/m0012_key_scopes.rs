//! API keys get a scope: `full` (every key minted before) or `read_only` (reads only; every
//! write answers 403, and an MCP client sees only the read tools).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ApiKeys {
    Table,
    Scope,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let scope = ColumnDef::new(ApiKeys::Scope).text().not_null().default("full").to_owned();
        m.alter_table(Table::alter().table(ApiKeys::Table).add_column(scope).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(ApiKeys::Table).drop_column(ApiKeys::Scope).to_owned()).await
    }
}
