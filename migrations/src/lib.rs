//! Schema migrations, the same for SQLite and PostgreSQL. Run at start-up.

pub use sea_orm_migration::prelude::*;

mod m0001_initial;
mod m0002_sign_in_sessions_outbox;
mod m0003_recipient_loop;
mod m0004_webhooks;
mod m0005_webhook_attempts;
mod m0006_list_indexes;
mod m0007_invoice_sequence_index;
mod m0008_job_queue;
mod m0009_webhook_jobs;
mod m0010_rate_counters;
mod m0011_anonymous;
mod m0012_key_scopes;
mod m0013_payments;
mod m0014_rows_follow_invoices;
mod m0015_vat_per_line;
mod m0016_document_languages;
mod m0017_e_invoices;
mod m0018_credit_notes_archive;
mod m0019_recurring_reminders;
mod m0020_idempotency_keys;
mod m0021_event_feed;
mod m0022_invoice_list_orders;
pub mod owners;
mod shapes;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_initial::Migration),
            Box::new(m0002_sign_in_sessions_outbox::Migration),
            Box::new(m0003_recipient_loop::Migration),
            Box::new(m0004_webhooks::Migration),
            Box::new(m0005_webhook_attempts::Migration),
            Box::new(m0006_list_indexes::Migration),
            Box::new(m0007_invoice_sequence_index::Migration),
            Box::new(m0008_job_queue::Migration),
            Box::new(m0009_webhook_jobs::Migration),
            Box::new(m0010_rate_counters::Migration),
            Box::new(m0011_anonymous::Migration),
            Box::new(m0012_key_scopes::Migration),
            Box::new(m0013_payments::Migration),
            Box::new(m0014_rows_follow_invoices::Migration),
            Box::new(m0015_vat_per_line::Migration),
            Box::new(m0016_document_languages::Migration),
            Box::new(m0017_e_invoices::Migration),
            Box::new(m0018_credit_notes_archive::Migration),
            Box::new(m0019_recurring_reminders::Migration),
            Box::new(m0020_idempotency_keys::Migration),
            Box::new(m0021_event_feed::Migration),
            Box::new(m0022_invoice_list_orders::Migration),
        ]
    }
}
