//! Repairs what earlier claims left behind: payments, Checkout sessions and events of a
//! claimed invoice still named the anonymous sender (and would have been deleted with it).
//! Checkout sessions now remember the Stripe account that opened them (`stripe_account`:
//! `deployment` or `sender:{id}`); for sessions opened before, the account in force now.

use crate::owners::{FOLLOWING_INVOICES, follow_invoice_owner};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CheckoutSessions {
    Table,
    StripeAccount,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        for table in FOLLOWING_INVOICES {
            db.execute_unprepared(&follow_invoice_owner(table, None)).await?;
        }
        let account =
            ColumnDef::new(CheckoutSessions::StripeAccount).text().not_null().default("deployment").to_owned();
        m.alter_table(Table::alter().table(CheckoutSessions::Table).add_column(account).to_owned()).await?;
        db.execute_unprepared(
            "UPDATE checkout_sessions SET stripe_account = 'sender:' || CAST(sender_id AS TEXT) \
             WHERE sender_id IN (SELECT id FROM senders WHERE stripe_secret_key_sealed IS NOT NULL)",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let drop =
            Table::alter().table(CheckoutSessions::Table).drop_column(CheckoutSessions::StripeAccount).to_owned();
        m.alter_table(drop).await
    }
}
