//! Documents in the customer's language (issue 24): a customer may name the language their
//! invoices are written in, and each invoice keeps the language its documents use (existing
//! ones: English, what they were written in).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn columns() -> Vec<(&'static str, &'static str, ColumnDef)> {
    let col = |name: &'static str| ColumnDef::new(Alias::new(name));
    vec![
        ("customers", "language", col("language").text().null().to_owned()),
        ("invoices", "language", col("language").text().not_null().default("en").to_owned()),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (table, _, mut def) in columns() {
            m.alter_table(Table::alter().table(Alias::new(table)).add_column(&mut def).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (table, column, _) in columns().into_iter().rev() {
            m.alter_table(Table::alter().table(Alias::new(table)).drop_column(Alias::new(column)).to_owned()).await?;
        }
        Ok(())
    }
}
