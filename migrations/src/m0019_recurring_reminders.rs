//! Getting paid without chasing (issue 27): recurring invoices with their occurrences (one
//! row per template and date: the key that makes each happen once), payment reminders (one
//! row per invoice and step), the sender's time zone, hour and reminder policy, and keyed
//! jobs (at most one unfinished job per key: a schedule's single timer).

use crate::shapes::{IndexSpec, big, col, create_indexes, id, owned_by, text};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn tables() -> Vec<TableCreateStatement> {
    let recurring = Table::create()
        .table(Alias::new("recurring_invoices"))
        .col(id())
        .col(big("sender_id"))
        .col(big("customer_id"))
        // JSON: the invoice each occurrence is made from (an InvoiceCreate body, no dates).
        .col(text("template"))
        // JSON domain::schedule::Schedule.
        .col(text("schedule"))
        // Sent at once (true) or left as a draft for review.
        .col(col("auto_send").boolean().not_null())
        .col(col("due_days").integer().not_null())
        // "active", "paused" or "ended".
        .col(text("status"))
        // The latest occurrence's date (made or skipped): the next comes after it.
        .col(col("last_date").date().null())
        .col(col("created_at").timestamp_with_time_zone().not_null())
        .col(col("updated_at").timestamp_with_time_zone().not_null())
        .foreign_key(&mut owned_by("recurring_invoices", "sender_id", "senders", ForeignKeyAction::Cascade))
        .foreign_key(&mut owned_by("recurring_invoices", "customer_id", "customers", ForeignKeyAction::Restrict))
        .to_owned();
    let occurrences = Table::create()
        .table(Alias::new("recurring_occurrences"))
        .col(id())
        .col(big("recurring_invoice_id"))
        .col(col("issue_date").date().not_null())
        // The invoice made; none when skipped.
        .col(col("invoice_id").big_integer().null())
        .col(col("skipped").boolean().not_null())
        .col(col("created_at").timestamp_with_time_zone().not_null())
        .foreign_key(&mut owned_by(
            "recurring_occurrences",
            "recurring_invoice_id",
            "recurring_invoices",
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut owned_by("recurring_occurrences", "invoice_id", "invoices", ForeignKeyAction::SetNull))
        .to_owned();
    let reminders = Table::create()
        .table(Alias::new("invoice_reminders"))
        .col(id())
        .col(big("invoice_id"))
        // A policy step's days from the due date ("-3", "0", "7") or "manual:YYYY-MM-DD".
        .col(text("step"))
        // False: the step was passed over (a later one was due too, or it came too soon).
        .col(col("sent").boolean().not_null())
        .col(col("created_at").timestamp_with_time_zone().not_null())
        .foreign_key(&mut owned_by("invoice_reminders", "invoice_id", "invoices", ForeignKeyAction::Cascade))
        .to_owned();
    vec![recurring, occurrences, reminders]
}

const INDEXES: &[IndexSpec] = &[
    ("recurring_invoices_sender_id", "recurring_invoices", &["sender_id", "id"], false),
    ("recurring_occurrences_date", "recurring_occurrences", &["recurring_invoice_id", "issue_date"], true),
    ("invoice_reminders_step", "invoice_reminders", &["invoice_id", "step"], true),
];

/// (table, column) added, one ALTER each (SQLite adds one column at a time).
fn added_columns() -> Vec<(&'static str, ColumnDef)> {
    vec![
        ("senders", text("time_zone").default("UTC").to_owned()),
        ("senders", col("send_hour").integer().not_null().default(9).to_owned()),
        // JSON domain::reminders::ReminderPolicy; none: the default policy.
        ("senders", col("reminder_policy").text().null().to_owned()),
        ("invoices", col("reminders_enabled").boolean().not_null().default(true).to_owned()),
        // The template it was made from (no foreign key: a stopped template's invoices keep it).
        ("invoices", col("recurring_invoice_id").big_integer().null().to_owned()),
        ("jobs", col("key").text().null().to_owned()),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (table, mut column) in added_columns() {
            m.alter_table(Table::alter().table(Alias::new(table)).add_column(&mut column).to_owned()).await?;
        }
        for table in tables() {
            m.create_table(table).await?;
        }
        create_indexes(m, INDEXES).await?;
        // One unfinished job per key (a partial index: the same text on both databases).
        m.get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX jobs_pending_key ON jobs (key) WHERE done_at IS NULL AND failed_at IS NULL",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection().execute_unprepared("DROP INDEX jobs_pending_key").await?;
        for table in ["invoice_reminders", "recurring_occurrences", "recurring_invoices"] {
            m.drop_table(Table::drop().table(Alias::new(table)).to_owned()).await?;
        }
        for (table, column) in added_columns().into_iter().rev() {
            let name = Alias::new(column.get_column_name());
            m.alter_table(Table::alter().table(Alias::new(table)).drop_column(name).to_owned()).await?;
        }
        Ok(())
    }
}
