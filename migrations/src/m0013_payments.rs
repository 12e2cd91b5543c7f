//! Getting paid: a `payments` row per payment (or refund, negative), the invoice's paid
//! amount and balance as columns (lists filter, sort and sum by them), Stripe Checkout
//! sessions (so paying again reuses an open one), the Stripe events already handled (each
//! once), and the list orders the overview offers (due date, amount). Invoices marked paid
//! before get one payment of their total, so their numbers add up.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Invoices {
    Table,
    Id,
    AmountPaidCents,
    BalanceDueCents,
}

#[derive(DeriveIden)]
enum Senders {
    Table,
    Id,
    StripeSecretKeySealed,
    StripeWebhookSecretSealed,
}

#[derive(DeriveIden)]
enum Payments {
    Table,
    Id,
    InvoiceId,
    SenderId,
    AmountCents,
    Currency,
    Method,
    Reference,
    PaidOn,
    RecordedBy,
    StripeCheckoutSessionId,
    StripePaymentIntentId,
    StripeEventId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CheckoutSessions {
    Table,
    Id,
    InvoiceId,
    SenderId,
    StripeSessionId,
    Url,
    AmountCents,
    Currency,
    Status,
    ExpiresAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum StripeEvents {
    Table,
    Id,
    SenderId,
    EventType,
    ReceivedAt,
}

/// (index name, table, columns): the list orders and lookups the new queries use.
const INDEXES: &[(&str, &str, &[&str], bool)] = &[
    ("invoices_sender_due_date_id", "invoices", &["sender_id", "due_date", "id"], false),
    ("invoices_sender_total_id", "invoices", &["sender_id", "total_cents", "id"], false),
    ("payments_invoice_id", "payments", &["invoice_id", "id"], false),
    ("payments_sender_paid_on", "payments", &["sender_id", "paid_on"], false),
    ("payments_checkout_session", "payments", &["stripe_checkout_session_id"], true),
    ("checkout_sessions_invoice_id", "checkout_sessions", &["invoice_id", "id"], false),
];

fn index(name: &str, table: &str, columns: &[&str], unique: bool) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(Alias::new(table));
    for column in columns {
        index.col(Alias::new(*column));
    }
    if unique {
        index.unique();
    }
    index.to_owned()
}

fn id(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).big_integer().not_null().auto_increment().primary_key().to_owned()
}

fn owned_by(
    from: (impl IntoIden + 'static, impl IntoIden + 'static),
    to: (impl IntoIden + 'static, impl IntoIden + 'static),
) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from.0, from.1).to(to.0, to.1).on_delete(ForeignKeyAction::Cascade).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in [Invoices::AmountPaidCents, Invoices::BalanceDueCents] {
            let def = ColumnDef::new(col).big_integer().not_null().default(0).to_owned();
            m.alter_table(Table::alter().table(Invoices::Table).add_column(def).to_owned()).await?;
        }
        for col in [Senders::StripeSecretKeySealed, Senders::StripeWebhookSecretSealed] {
            let def = ColumnDef::new(col).text().null().to_owned();
            m.alter_table(Table::alter().table(Senders::Table).add_column(def).to_owned()).await?;
        }
        use Payments as P;
        m.create_table(
            Table::create()
                .table(P::Table)
                .col(id(P::Id))
                .col(ColumnDef::new(P::InvoiceId).big_integer().not_null())
                .col(ColumnDef::new(P::SenderId).big_integer().not_null())
                .col(ColumnDef::new(P::AmountCents).big_integer().not_null())
                .col(ColumnDef::new(P::Currency).text().not_null())
                .col(ColumnDef::new(P::Method).text().not_null())
                .col(ColumnDef::new(P::Reference).text().null())
                .col(ColumnDef::new(P::PaidOn).date().not_null())
                .col(ColumnDef::new(P::RecordedBy).text().not_null())
                .col(ColumnDef::new(P::StripeCheckoutSessionId).text().null())
                .col(ColumnDef::new(P::StripePaymentIntentId).text().null())
                .col(ColumnDef::new(P::StripeEventId).text().null())
                .col(ColumnDef::new(P::CreatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(&mut owned_by((P::Table, P::InvoiceId), (Invoices::Table, Invoices::Id)))
                .foreign_key(&mut owned_by((P::Table, P::SenderId), (Senders::Table, Senders::Id)))
                .to_owned(),
        )
        .await?;
        use CheckoutSessions as C;
        m.create_table(
            Table::create()
                .table(C::Table)
                .col(id(C::Id))
                .col(ColumnDef::new(C::InvoiceId).big_integer().not_null())
                .col(ColumnDef::new(C::SenderId).big_integer().not_null())
                .col(ColumnDef::new(C::StripeSessionId).text().not_null().unique_key())
                .col(ColumnDef::new(C::Url).text().not_null())
                .col(ColumnDef::new(C::AmountCents).big_integer().not_null())
                .col(ColumnDef::new(C::Currency).text().not_null())
                .col(ColumnDef::new(C::Status).text().not_null())
                .col(ColumnDef::new(C::ExpiresAt).timestamp_with_time_zone().not_null())
                .col(ColumnDef::new(C::CreatedAt).timestamp_with_time_zone().not_null())
                .foreign_key(&mut owned_by((C::Table, C::InvoiceId), (Invoices::Table, Invoices::Id)))
                .foreign_key(&mut owned_by((C::Table, C::SenderId), (Senders::Table, Senders::Id)))
                .to_owned(),
        )
        .await?;
        use StripeEvents as E;
        m.create_table(
            Table::create()
                .table(E::Table)
                .col(ColumnDef::new(E::Id).text().not_null().primary_key())
                .col(ColumnDef::new(E::SenderId).big_integer().null())
                .col(ColumnDef::new(E::EventType).text().not_null())
                .col(ColumnDef::new(E::ReceivedAt).timestamp_with_time_zone().not_null())
                .to_owned(),
        )
        .await?;
        for (name, table, columns, unique) in INDEXES {
            m.create_index(index(name, table, columns, *unique)).await?;
        }
        backfill(m).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["stripe_events", "checkout_sessions", "payments"] {
            m.drop_table(Table::drop().table(Alias::new(table)).to_owned()).await?;
        }
        for (name, table, _, _) in INDEXES.iter().filter(|(_, t, _, _)| *t == "invoices") {
            m.drop_index(Index::drop().name(*name).table(Alias::new(*table)).to_owned()).await?;
        }
        for col in [Senders::StripeSecretKeySealed, Senders::StripeWebhookSecretSealed] {
            m.alter_table(Table::alter().table(Senders::Table).drop_column(col).to_owned()).await?;
        }
        for col in [Invoices::AmountPaidCents, Invoices::BalanceDueCents] {
            m.alter_table(Table::alter().table(Invoices::Table).drop_column(col).to_owned()).await?;
        }
        Ok(())
    }
}

/// Existing invoices: paid ones were paid in full (one payment, dated the day they were
/// marked paid), cancelled ones owe nothing, every other one owes its total.
async fn backfill(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = m.get_connection();
    let paid_on = match db.get_database_backend() {
        DatabaseBackend::Postgres => "CAST(COALESCE(paid_at, updated_at) AS DATE)",
        _ => "date(COALESCE(paid_at, updated_at))",
    };
    db.execute_unprepared(&format!(
        "INSERT INTO payments (invoice_id, sender_id, amount_cents, currency, method, reference, paid_on, \
         recorded_by, created_at) \
         SELECT id, sender_id, total_cents, currency, 'other', 'recorded as paid before payments were kept', \
         {paid_on}, 'sender', COALESCE(paid_at, updated_at) FROM invoices WHERE status = 'paid' AND total_cents > 0"
    ))
    .await?;
    db.execute_unprepared(
        "UPDATE invoices SET \
         amount_paid_cents = CASE WHEN status = 'paid' THEN total_cents ELSE 0 END, \
         balance_due_cents = CASE WHEN status IN ('paid', 'cancelled') THEN 0 ELSE total_cents END",
    )
    .await?;
    Ok(())
}
