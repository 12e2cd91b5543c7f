//! Senders, API keys, customers, the numbering counter, invoices, line items and events.

use sea_orm_migration::async_trait;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Senders {
    Table,
    Id,
    Email,
    Company,
    AddressLine1,
    AddressLine2,
    City,
    PostalCode,
    State,
    Country,
    TaxId,
    BankName,
    AccountName,
    AccountNumber,
    RoutingNumber,
    Iban,
    SwiftCode,
    DefaultCurrency,
    PaymentTermsDays,
    TermsText,
    FooterNote,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ApiKeys {
    Table,
    Id,
    SenderId,
    Name,
    Prefix,
    KeyHash,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum Customers {
    Table,
    Id,
    SenderId,
    Code,
    Company,
    CompanyKey,
    ContactName,
    ContactEmail,
    ApName,
    ApEmail,
    CcEmails,
    BillingEntity,
    Address,
    TaxId,
    PoRequired,
    Notes,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum InvoiceCounters {
    Table,
    CustomerId,
    LastSeq,
}

#[derive(DeriveIden)]
enum Invoices {
    Table,
    Id,
    SenderId,
    CustomerId,
    Number,
    Seq,
    Status,
    Currency,
    IssueDate,
    DueDate,
    Recipient,
    Discount,
    TaxLabel,
    TaxRate,
    SubtotalCents,
    DiscountCents,
    TaxCents,
    TotalCents,
    PoNumber,
    TermsText,
    FooterNote,
    SubscriptionContext,
    ShareTokenHash,
    ShareTokenSealed,
    Version,
    SentAt,
    ViewedAt,
    ApprovedAt,
    PaidAt,
    CancelledAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum LineItems {
    Table,
    Id,
    InvoiceId,
    Position,
    Description,
    Quantity,
    UnitPriceCents,
    Discount,
    DiscountCents,
    LineTotalCents,
}

#[derive(DeriveIden)]
enum InvoiceEvents {
    Table,
    Id,
    InvoiceId,
    SenderId,
    EventType,
    Actor,
    Data,
    CreatedAt,
}

fn id(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).big_integer().not_null().auto_increment().primary_key().to_owned()
}
fn fk(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).big_integer().not_null().to_owned()
}
fn text(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).text().null().to_owned()
}
fn required_text(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).text().not_null().to_owned()
}
fn cents(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).big_integer().not_null().default(0).to_owned()
}
fn time(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).timestamp_with_time_zone().null().to_owned()
}
fn required_time(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).timestamp_with_time_zone().not_null().to_owned()
}
fn cascade(
    from: (impl IntoIden + 'static, impl IntoIden + 'static),
    to: (impl IntoIden + 'static, impl IntoIden + 'static),
) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from.0, from.1).to(to.0, to.1).on_delete(ForeignKeyAction::Cascade).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Senders::Table)
                .col(id(Senders::Id))
                .col(required_text(Senders::Email).unique_key())
                .col(text(Senders::Company))
                .col(text(Senders::AddressLine1))
                .col(text(Senders::AddressLine2))
                .col(text(Senders::City))
                .col(text(Senders::PostalCode))
                .col(text(Senders::State))
                .col(text(Senders::Country))
                .col(text(Senders::TaxId))
                .col(text(Senders::BankName))
                .col(text(Senders::AccountName))
                .col(text(Senders::AccountNumber))
                .col(text(Senders::RoutingNumber))
                .col(text(Senders::Iban))
                .col(text(Senders::SwiftCode))
                .col(ColumnDef::new(Senders::DefaultCurrency).text().not_null().default("USD"))
                .col(ColumnDef::new(Senders::PaymentTermsDays).integer().not_null().default(30))
                .col(text(Senders::TermsText))
                .col(text(Senders::FooterNote))
                .col(required_time(Senders::CreatedAt))
                .col(required_time(Senders::UpdatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ApiKeys::Table)
                .col(id(ApiKeys::Id))
                .col(fk(ApiKeys::SenderId))
                .col(required_text(ApiKeys::Name))
                .col(required_text(ApiKeys::Prefix))
                .col(required_text(ApiKeys::KeyHash).unique_key())
                .col(required_time(ApiKeys::CreatedAt))
                .col(time(ApiKeys::LastUsedAt))
                .col(time(ApiKeys::RevokedAt))
                .foreign_key(&mut cascade((ApiKeys::Table, ApiKeys::SenderId), (Senders::Table, Senders::Id)))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Customers::Table)
                .col(id(Customers::Id))
                .col(fk(Customers::SenderId))
                .col(required_text(Customers::Code))
                .col(required_text(Customers::Company))
                .col(required_text(Customers::CompanyKey))
                .col(text(Customers::ContactName))
                .col(text(Customers::ContactEmail))
                .col(text(Customers::ApName))
                .col(text(Customers::ApEmail))
                .col(ColumnDef::new(Customers::CcEmails).text().not_null().default("[]"))
                .col(text(Customers::BillingEntity))
                .col(text(Customers::Address))
                .col(text(Customers::TaxId))
                .col(ColumnDef::new(Customers::PoRequired).boolean().not_null().default(false))
                .col(text(Customers::Notes))
                .col(required_time(Customers::CreatedAt))
                .col(required_time(Customers::UpdatedAt))
                .foreign_key(&mut cascade((Customers::Table, Customers::SenderId), (Senders::Table, Senders::Id)))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("customers_sender_code")
                .table(Customers::Table)
                .col(Customers::SenderId)
                .col(Customers::Code)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("customers_sender_company_key")
                .table(Customers::Table)
                .col(Customers::SenderId)
                .col(Customers::CompanyKey)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(InvoiceCounters::Table)
                .col(ColumnDef::new(InvoiceCounters::CustomerId).big_integer().not_null().primary_key())
                .col(ColumnDef::new(InvoiceCounters::LastSeq).big_integer().not_null().default(0))
                .foreign_key(&mut cascade(
                    (InvoiceCounters::Table, InvoiceCounters::CustomerId),
                    (Customers::Table, Customers::Id),
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Invoices::Table)
                .col(id(Invoices::Id))
                .col(fk(Invoices::SenderId))
                .col(fk(Invoices::CustomerId))
                .col(required_text(Invoices::Number))
                .col(ColumnDef::new(Invoices::Seq).big_integer().not_null())
                .col(required_text(Invoices::Status))
                .col(required_text(Invoices::Currency))
                .col(ColumnDef::new(Invoices::IssueDate).date().not_null())
                .col(ColumnDef::new(Invoices::DueDate).date().not_null())
                .col(required_text(Invoices::Recipient))
                .col(text(Invoices::Discount))
                .col(text(Invoices::TaxLabel))
                .col(text(Invoices::TaxRate))
                .col(cents(Invoices::SubtotalCents))
                .col(cents(Invoices::DiscountCents))
                .col(cents(Invoices::TaxCents))
                .col(cents(Invoices::TotalCents))
                .col(text(Invoices::PoNumber))
                .col(text(Invoices::TermsText))
                .col(text(Invoices::FooterNote))
                .col(text(Invoices::SubscriptionContext))
                .col(required_text(Invoices::ShareTokenHash).unique_key())
                .col(required_text(Invoices::ShareTokenSealed))
                .col(ColumnDef::new(Invoices::Version).integer().not_null().default(1))
                .col(time(Invoices::SentAt))
                .col(time(Invoices::ViewedAt))
                .col(time(Invoices::ApprovedAt))
                .col(time(Invoices::PaidAt))
                .col(time(Invoices::CancelledAt))
                .col(required_time(Invoices::CreatedAt))
                .col(required_time(Invoices::UpdatedAt))
                .foreign_key(&mut cascade((Invoices::Table, Invoices::SenderId), (Senders::Table, Senders::Id)))
                .foreign_key(&mut cascade((Invoices::Table, Invoices::CustomerId), (Customers::Table, Customers::Id)))
                .to_owned(),
        )
        .await?;
        // The last guard of gapless numbering: one number per sender, ever.
        m.create_index(
            Index::create()
                .name("invoices_sender_number")
                .table(Invoices::Table)
                .col(Invoices::SenderId)
                .col(Invoices::Number)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("invoices_customer_seq")
                .table(Invoices::Table)
                .col(Invoices::CustomerId)
                .col(Invoices::Seq)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(LineItems::Table)
                .col(id(LineItems::Id))
                .col(fk(LineItems::InvoiceId))
                .col(ColumnDef::new(LineItems::Position).integer().not_null())
                .col(required_text(LineItems::Description))
                .col(required_text(LineItems::Quantity))
                .col(ColumnDef::new(LineItems::UnitPriceCents).big_integer().not_null())
                .col(text(LineItems::Discount))
                .col(cents(LineItems::DiscountCents))
                .col(cents(LineItems::LineTotalCents))
                .foreign_key(&mut cascade((LineItems::Table, LineItems::InvoiceId), (Invoices::Table, Invoices::Id)))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("line_items_invoice")
                .table(LineItems::Table)
                .col(LineItems::InvoiceId)
                .col(LineItems::Position)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(InvoiceEvents::Table)
                .col(id(InvoiceEvents::Id))
                .col(fk(InvoiceEvents::InvoiceId))
                .col(fk(InvoiceEvents::SenderId))
                .col(required_text(InvoiceEvents::EventType))
                .col(required_text(InvoiceEvents::Actor))
                .col(ColumnDef::new(InvoiceEvents::Data).text().not_null().default("{}"))
                .col(required_time(InvoiceEvents::CreatedAt))
                .foreign_key(&mut cascade(
                    (InvoiceEvents::Table, InvoiceEvents::InvoiceId),
                    (Invoices::Table, Invoices::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("invoice_events_invoice")
                .table(InvoiceEvents::Table)
                .col(InvoiceEvents::InvoiceId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            InvoiceEvents::Table.into_iden(),
            LineItems::Table.into_iden(),
            Invoices::Table.into_iden(),
            InvoiceCounters::Table.into_iden(),
            Customers::Table.into_iden(),
            ApiKeys::Table.into_iden(),
            Senders::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
