//! Sign-in links, browser sessions, one-time flash values and the mail outbox.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SignInTokens {
    Table,
    Id,
    Email,
    TokenHash,
    NextPath,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    IdHash,
    SenderId,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Flashes {
    Table,
    Id,
    SessionId,
    Name,
    Value,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    SenderId,
    Kind,
    Payload,
    Attempts,
    NextAttemptAt,
    LastError,
    SentAt,
    FailedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Senders {
    Table,
    Id,
}

fn id(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).big_integer().not_null().auto_increment().primary_key().to_owned()
}
fn text(col: impl IntoIden, required: bool) -> ColumnDef {
    let mut c = ColumnDef::new(col);
    c.text();
    if required {
        c.not_null()
    } else {
        c.null()
    };
    c.to_owned()
}
fn time(col: impl IntoIden, required: bool) -> ColumnDef {
    let mut c = ColumnDef::new(col);
    c.timestamp_with_time_zone();
    if required {
        c.not_null()
    } else {
        c.null()
    };
    c.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(SignInTokens::Table)
                .col(id(SignInTokens::Id))
                .col(text(SignInTokens::Email, true))
                .col(text(SignInTokens::TokenHash, true).unique_key())
                .col(text(SignInTokens::NextPath, false))
                .col(time(SignInTokens::CreatedAt, true))
                .col(time(SignInTokens::ExpiresAt, true))
                .col(time(SignInTokens::UsedAt, false))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("sign_in_tokens_email").table(SignInTokens::Table).col(SignInTokens::Email).to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(id(Sessions::Id))
                .col(text(Sessions::IdHash, true).unique_key())
                .col(ColumnDef::new(Sessions::SenderId).big_integer().not_null())
                .col(time(Sessions::CreatedAt, true))
                .col(time(Sessions::LastSeenAt, true))
                .col(time(Sessions::ExpiresAt, true))
                .foreign_key(
                    ForeignKey::create()
                        .from(Sessions::Table, Sessions::SenderId)
                        .to(Senders::Table, Senders::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Flashes::Table)
                .col(id(Flashes::Id))
                .col(ColumnDef::new(Flashes::SessionId).big_integer().not_null())
                .col(text(Flashes::Name, true))
                .col(text(Flashes::Value, true))
                .col(time(Flashes::CreatedAt, true))
                .foreign_key(
                    ForeignKey::create()
                        .from(Flashes::Table, Flashes::SessionId)
                        .to(Sessions::Table, Sessions::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("flashes_session_name")
                .table(Flashes::Table)
                .col(Flashes::SessionId)
                .col(Flashes::Name)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Outbox::Table)
                .col(id(Outbox::Id))
                .col(ColumnDef::new(Outbox::SenderId).big_integer().null())
                .col(text(Outbox::Kind, true))
                .col(text(Outbox::Payload, true))
                .col(ColumnDef::new(Outbox::Attempts).integer().not_null().default(0))
                .col(time(Outbox::NextAttemptAt, true))
                .col(text(Outbox::LastError, false))
                .col(time(Outbox::SentAt, false))
                .col(time(Outbox::FailedAt, false))
                .col(time(Outbox::CreatedAt, true))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("outbox_due")
                .table(Outbox::Table)
                .col(Outbox::SentAt)
                .col(Outbox::FailedAt)
                .col(Outbox::NextAttemptAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Outbox::Table.into_iden(),
            Flashes::Table.into_iden(),
            Sessions::Table.into_iden(),
            SignInTokens::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
