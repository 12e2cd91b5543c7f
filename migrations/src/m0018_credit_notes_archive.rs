//! Issued is issued (issue 26): credit notes with their own gapless series per sender, the
//! amount credited on each invoice, numbers of deleted drafts kept as void, and the archive
//! of every document that went out, hash-chained per sender.

use crate::shapes::{IndexSpec, big, col, create_indexes, id, owned_by, text};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn tables() -> Vec<TableCreateStatement> {
    let credit_notes = Table::create()
        .table(Alias::new("credit_notes"))
        .col(id())
        .col(big("sender_id"))
        .col(big("invoice_id"))
        .col(text("number"))
        .col(big("seq"))
        // "credit_note" or "cancellation" (the full credit note cancelling issues).
        .col(text("kind"))
        .col(text("reason"))
        .col(col("issue_date").date().not_null())
        .col(text("currency"))
        .col(big("total_cents"))
        // JSON: per invoice line, the quantity credited up to and including this note.
        .col(text("credited_quantities"))
        // JSON CreditNote: the document as issued.
        .col(text("document"))
        .col(col("created_at").timestamp_with_time_zone().not_null())
        .foreign_key(&mut owned_by("credit_notes", "sender_id", "senders", ForeignKeyAction::Cascade))
        .foreign_key(&mut owned_by("credit_notes", "invoice_id", "invoices", ForeignKeyAction::Restrict))
        .to_owned();
    let counters = Table::create()
        .table(Alias::new("credit_note_counters"))
        .col(col("sender_id").big_integer().not_null().primary_key())
        .col(big("last_seq"))
        .foreign_key(&mut owned_by("credit_note_counters", "sender_id", "senders", ForeignKeyAction::Cascade))
        .to_owned();
    let voided = Table::create()
        .table(Alias::new("voided_numbers"))
        .col(id())
        .col(big("sender_id"))
        .col(big("customer_id"))
        .col(text("number"))
        .col(text("reason"))
        .col(col("voided_at").timestamp_with_time_zone().not_null())
        .foreign_key(&mut owned_by("voided_numbers", "sender_id", "senders", ForeignKeyAction::Cascade))
        .to_owned();
    let archive = Table::create()
        .table(Alias::new("archive_entries"))
        .col(id())
        .col(big("sender_id"))
        // 1, 2, 3 … per sender: the chain's order.
        .col(big("seq"))
        // "invoice" or "credit_note".
        .col(text("document_type"))
        .col(text("number"))
        .col(col("version").integer().not_null())
        // The document's issue date: the period an export takes it into.
        .col(col("issue_date").date().not_null())
        .col(text("file_name"))
        .col(text("content_type"))
        // "deflate" or "none": how `content` is stored; `sha256` is of the document itself.
        .col(text("compression"))
        .col(col("content").binary().not_null())
        .col(big("size"))
        .col(text("sha256"))
        // JSON: what the export's index says of the document (date, customer, sums).
        .col(text("summary"))
        .col(text("prev_hash"))
        .col(text("entry_hash"))
        .col(col("created_at").timestamp_with_time_zone().not_null())
        .foreign_key(&mut owned_by("archive_entries", "sender_id", "senders", ForeignKeyAction::Restrict))
        .to_owned();
    let heads = Table::create()
        .table(Alias::new("archive_heads"))
        .col(col("sender_id").big_integer().not_null().primary_key())
        .col(big("last_seq"))
        .col(text("last_hash"))
        .foreign_key(&mut owned_by("archive_heads", "sender_id", "senders", ForeignKeyAction::Restrict))
        .to_owned();
    vec![credit_notes, counters, voided, archive, heads]
}

const INDEXES: &[IndexSpec] = &[
    ("credit_notes_sender_number", "credit_notes", &["sender_id", "number"], true),
    ("credit_notes_sender_seq", "credit_notes", &["sender_id", "seq"], true),
    ("credit_notes_sender_id", "credit_notes", &["sender_id", "id"], false),
    ("credit_notes_invoice_id", "credit_notes", &["invoice_id", "id"], false),
    ("voided_numbers_sender_number", "voided_numbers", &["sender_id", "number"], true),
    ("archive_entries_sender_seq", "archive_entries", &["sender_id", "seq"], true),
    (
        "archive_entries_document",
        "archive_entries",
        &["sender_id", "document_type", "number", "version", "file_name"],
        true,
    ),
    ("archive_entries_sender_issued", "archive_entries", &["sender_id", "issue_date", "seq"], false),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut credited = big("credited_cents").default(0).to_owned();
        m.alter_table(Table::alter().table(Alias::new("invoices")).add_column(&mut credited).to_owned()).await?;
        for table in tables() {
            m.create_table(table).await?;
        }
        create_indexes(m, INDEXES).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["archive_heads", "archive_entries", "voided_numbers", "credit_note_counters", "credit_notes"] {
            m.drop_table(Table::drop().table(Alias::new(table)).to_owned()).await?;
        }
        let invoices =
            Table::alter().table(Alias::new("invoices")).drop_column(Alias::new("credited_cents")).to_owned();
        m.alter_table(invoices).await
    }
}
