use sea_orm::entity::prelude::*;

/// A Stripe Checkout Session opened for an invoice's balance; an open one is reused.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "checkout_sessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub invoice_id: i64,
    pub sender_id: i64,
    pub stripe_session_id: String,
    /// Stripe's hosted page.
    pub url: String,
    pub amount_cents: i64,
    pub currency: String,
    /// open | complete (its payment recorded) | problem (paid, but not as asked: the sender
    /// was told) | expired (never offered again)
    pub status: String,
    /// The Stripe account that opened it: `deployment` or `sender:{id}` (its own keys). The
    /// webhook and the payer's return resolve the session by it.
    pub stripe_account: String,
    pub expires_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
