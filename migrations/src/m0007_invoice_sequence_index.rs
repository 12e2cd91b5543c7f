//! A number search reads ranges of one customer's sequence (the digits of "ACME-00…" name
//! them), so the sequence index leads with the owner like every other list index: the
//! (customer, seq) uniqueness guard becomes (sender, customer, seq), the same guard (a
//! customer has one sender) that also picks the sender's rows.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "invoices";

fn unique(name: &str, columns: &[&str]) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(Alias::new(TABLE)).unique();
    for column in columns {
        index.col(Alias::new(*column));
    }
    index.to_owned()
}

fn drop(name: &str) -> IndexDropStatement {
    Index::drop().name(name).table(Alias::new(TABLE)).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(unique("invoices_sender_customer_seq", &["sender_id", "customer_id", "seq"])).await?;
        m.drop_index(drop("invoices_customer_seq")).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(unique("invoices_customer_seq", &["customer_id", "seq"])).await?;
        m.drop_index(drop("invoices_sender_customer_seq")).await
    }
}
