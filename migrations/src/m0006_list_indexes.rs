//! Indexes that serve every list in the product in its own order (newest first by id), so
//! a keyset page reads its rows from an index range instead of sorting all of an owner's
//! rows. Each list keeps the index whose leading columns are its filter and whose last
//! column is its order; the narrower indexes they replace are dropped.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (index name, table, columns): the index's last column is the list's order.
const INDEXES: &[(&str, &str, &[&str])] = &[
    ("invoices_sender_id", "invoices", &["sender_id", "id"]),
    ("invoices_sender_status_id", "invoices", &["sender_id", "status", "id"]),
    ("invoices_sender_customer_id", "invoices", &["sender_id", "customer_id", "id"]),
    ("customers_sender_id", "customers", &["sender_id", "id"]),
    ("invoice_events_invoice_id", "invoice_events", &["invoice_id", "id"]),
    ("invoice_views_invoice_version", "invoice_views", &["invoice_id", "version"]),
    ("api_keys_sender_id", "api_keys", &["sender_id", "id"]),
    ("webhook_subscriptions_sender_id", "webhook_subscriptions", &["sender_id", "id"]),
];

/// Replaced by the indexes above (a prefix of one of them).
const REPLACED: &[(&str, &str, &[&str])] = &[
    ("invoice_events_invoice", "invoice_events", &["invoice_id"]),
    ("invoice_views_invoice", "invoice_views", &["invoice_id"]),
    ("webhook_subscriptions_sender", "webhook_subscriptions", &["sender_id"]),
];

fn create(name: &str, table: &str, columns: &[&str]) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(Alias::new(table));
    for column in columns {
        index.col(Alias::new(*column));
    }
    index.to_owned()
}

fn drop(name: &str, table: &str) -> IndexDropStatement {
    Index::drop().name(name).table(Alias::new(table)).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, columns) in INDEXES {
            m.create_index(create(name, table, columns)).await?;
        }
        for (name, table, _) in REPLACED {
            m.drop_index(drop(name, table)).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, columns) in REPLACED {
            m.create_index(create(name, table, columns)).await?;
        }
        for (name, table, _) in INDEXES {
            m.drop_index(drop(name, table)).await?;
        }
        Ok(())
    }
}
