//! Invoices made without an account (/new): a browser's anonymous session owns an anonymous
//! sender row, which owns customers and invoices as any sender does. An anonymous sender
//! signs nobody in: its e-mail (optional, only printed on its invoices) need not be unique,
//! so `senders.email` becomes nullable and unique among accounts only (a partial index).
//! SQLite cannot drop a column's NOT NULL or UNIQUE: the table is rebuilt (SQLite's
//! documented twelve-step procedure, foreign keys off while the table is swapped).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Senders {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AnonymousSessions {
    Table,
    Id,
    SecretHash,
    SenderId,
    JobId,
    CreatedAt,
    ExpiresAt,
    ClaimedBy,
    ClaimedAt,
}

const SQLITE_SENDERS: &str = r#"CREATE TABLE "senders_rebuilt" ( "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "email" text NULL, "company" text NULL, "address_line1" text NULL, "address_line2" text NULL, "city" text NULL, "postal_code" text NULL, "state" text NULL, "country" text NULL, "tax_id" text NULL, "bank_name" text NULL, "account_name" text NULL, "account_number" text NULL, "routing_number" text NULL, "iban" text NULL, "swift_code" text NULL, "default_currency" text NOT NULL DEFAULT 'USD', "payment_terms_days" integer NOT NULL DEFAULT 30, "terms_text" text NULL, "footer_note" text NULL, "created_at" timestamp_with_timezone_text NOT NULL, "updated_at" timestamp_with_timezone_text NOT NULL, "anonymous" boolean NOT NULL DEFAULT FALSE )"#;

const COLUMNS: &str = "id, email, company, address_line1, address_line2, city, postal_code, state, country, tax_id, \
    bank_name, account_name, account_number, routing_number, iban, swift_code, default_currency, payment_terms_days, \
    terms_text, footer_note, created_at, updated_at";

const ACCOUNT_EMAIL_INDEX: &str = "CREATE UNIQUE INDEX senders_account_email ON senders (email) WHERE NOT anonymous";

async fn rebuild_senders_sqlite(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = m.get_connection();
    // Not inside a transaction: SQLite ignores this pragma there. Migrations run on the one
    // writer connection, so it holds for the statements below.
    db.execute_unprepared("PRAGMA foreign_keys = OFF").await?;
    let swapped = async {
        db.execute_unprepared("BEGIN").await?;
        db.execute_unprepared(SQLITE_SENDERS).await?;
        db.execute_unprepared(&format!("INSERT INTO senders_rebuilt ({COLUMNS}) SELECT {COLUMNS} FROM senders"))
            .await?;
        db.execute_unprepared("DROP TABLE senders").await?;
        db.execute_unprepared("ALTER TABLE senders_rebuilt RENAME TO senders").await?;
        db.execute_unprepared(ACCOUNT_EMAIL_INDEX).await?;
        db.execute_unprepared("COMMIT").await
    }
    .await;
    if swapped.is_err() {
        let _ = db.execute_unprepared("ROLLBACK").await;
    }
    db.execute_unprepared("PRAGMA foreign_keys = ON").await?;
    swapped.map(|_| ())
}

async fn relax_senders_postgres(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = m.get_connection();
    db.execute_unprepared("ALTER TABLE senders ALTER COLUMN email DROP NOT NULL").await?;
    db.execute_unprepared("ALTER TABLE senders ADD COLUMN anonymous boolean NOT NULL DEFAULT false").await?;
    db.execute_unprepared("ALTER TABLE senders DROP CONSTRAINT senders_email_key").await?;
    db.execute_unprepared(ACCOUNT_EMAIL_INDEX).await?;
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        match m.get_database_backend() {
            DbBackend::Sqlite => rebuild_senders_sqlite(m).await?,
            _ => relax_senders_postgres(m).await?,
        }
        use AnonymousSessions as A;
        m.create_table(
            Table::create()
                .table(A::Table)
                .col(ColumnDef::new(A::Id).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(A::SecretHash).text().not_null().unique_key())
                .col(ColumnDef::new(A::SenderId).big_integer().not_null())
                .col(ColumnDef::new(A::JobId).big_integer().null())
                .col(ColumnDef::new(A::CreatedAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(A::ExpiresAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(A::ClaimedBy).big_integer().null())
                .col(ColumnDef::new(A::ClaimedAt).timestamp_with_time_zone().null())
                .foreign_key(
                    ForeignKey::create()
                        .from(A::Table, A::SenderId)
                        .to(Senders::Table, Senders::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(A::Table, A::ClaimedBy)
                        .to(Senders::Table, Senders::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("anonymous_sessions_sender").table(A::Table).col(A::SenderId).to_owned())
            .await
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("m0011 (anonymous senders) cannot be undone: anonymous senders have no e-mail".into()))
    }
}
