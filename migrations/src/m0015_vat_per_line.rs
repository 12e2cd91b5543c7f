//! VAT per line (issue 24): a line may carry its own tax (JSON: category, rate, exemption
//! reason, VATEX code), an invoice may quote prices including tax, and keeps its VAT breakdown
//! and rounding amount as issued. Customers and senders keep a VAT id; a sender may be a
//! VAT-exempt small business. Existing invoices keep every stored total: their one rate becomes
//! one breakdown line (standard at the rate, zero-rated at 0 or without a rate), which is what
//! the totals function computes for them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (table, column, definition)
fn columns() -> Vec<(&'static str, &'static str, ColumnDef)> {
    let col = |name: &'static str| ColumnDef::new(Alias::new(name));
    vec![
        ("line_items", "tax", col("tax").text().null().to_owned()),
        ("invoices", "prices_include_tax", col("prices_include_tax").boolean().not_null().default(false).to_owned()),
        ("invoices", "rounding_cents", col("rounding_cents").big_integer().not_null().default(0).to_owned()),
        ("invoices", "tax_breakdown", col("tax_breakdown").text().not_null().default("[]").to_owned()),
        ("customers", "vat_id", col("vat_id").text().null().to_owned()),
        ("senders", "vat_id", col("vat_id").text().null().to_owned()),
        ("senders", "small_business", col("small_business").boolean().not_null().default(false).to_owned()),
    ]
}

/// The one breakdown line of an invoice with one rate, as JSON (the shape of dto::TaxBreakdown).
const BACKFILL: &str = "UPDATE invoices SET tax_breakdown = \
    '[{\"category\":\"' || CASE WHEN tax_rate IS NULL OR tax_rate = '0' THEN 'zero_rated' ELSE 'standard' END || \
    '\",\"category_code\":\"' || CASE WHEN tax_rate IS NULL OR tax_rate = '0' THEN 'Z' ELSE 'S' END || \
    '\",\"rate\":' || COALESCE(tax_rate, '0') || \
    ',\"taxable_cents\":' || CAST(subtotal_cents - discount_cents AS TEXT) || \
    ',\"tax_cents\":' || CAST(tax_cents AS TEXT) || \
    ',\"rounding_cents\":0,\"gross_cents\":' || CAST(total_cents AS TEXT) || '}]'";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (table, _, mut def) in columns() {
            m.alter_table(Table::alter().table(Alias::new(table)).add_column(&mut def).to_owned()).await?;
        }
        m.get_connection().execute_unprepared(BACKFILL).await.map(|_| ())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (table, column, _) in columns().into_iter().rev() {
            m.alter_table(Table::alter().table(Alias::new(table)).drop_column(Alias::new(column)).to_owned()).await?;
        }
        Ok(())
    }
}
