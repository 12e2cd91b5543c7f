use sea_orm::entity::prelude::*;

/// A sender's webhook endpoint. The signing secret is needed to sign, so it is stored sealed
/// with the server secret (like share tokens), not hashed.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_subscriptions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub sender_id: i64,
    pub url: String,
    pub description: Option<String>,
    /// JSON array of event types; empty = all.
    pub event_types: String,
    pub secret_sealed: String,
    /// After a rotation the old secret keeps signing (a second signature) until this time.
    pub previous_secret_sealed: Option<String>,
    pub previous_secret_until: Option<DateTimeUtc>,
    pub active: bool,
    pub disabled_reason: Option<String>,
    pub last_delivered_at: Option<DateTimeUtc>,
    pub last_status: Option<i32>,
    /// The first failure since the last success; None while deliveries succeed.
    pub failing_since: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
