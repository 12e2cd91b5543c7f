use sea_orm::entity::prelude::*;

/// Money in (or, negative, a refund out) against one invoice, in its currency.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub invoice_id: i64,
    pub sender_id: i64,
    pub amount_cents: i64,
    pub currency: String,
    /// domain::PaymentMethod as text.
    pub method: String,
    pub reference: Option<String>,
    pub paid_on: Date,
    /// The actor who recorded it (events::Actor as text).
    pub recorded_by: String,
    /// Unique: one Checkout Session pays once.
    pub stripe_checkout_session_id: Option<String>,
    pub stripe_payment_intent_id: Option<String>,
    pub stripe_event_id: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
