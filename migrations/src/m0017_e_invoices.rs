//! E-invoices (issue 25): a customer names the e-invoice they receive and what it needs (the
//! buyer reference / Leitweg-ID, their Peppol id); the sender's profile gains the contact
//! telephone XRechnung requires and their own Peppol id.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn columns() -> Vec<(&'static str, &'static str, ColumnDef)> {
    let col = |name: &'static str| ColumnDef::new(Alias::new(name));
    vec![
        ("customers", "e_invoice_format", col("e_invoice_format").text().not_null().default("none").to_owned()),
        ("customers", "buyer_reference", col("buyer_reference").text().null().to_owned()),
        ("customers", "peppol_id", col("peppol_id").text().null().to_owned()),
        ("senders", "phone", col("phone").text().null().to_owned()),
        ("senders", "peppol_id", col("peppol_id").text().null().to_owned()),
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
