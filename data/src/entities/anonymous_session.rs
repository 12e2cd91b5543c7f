use sea_orm::entity::prelude::*;

/// A browser that made invoices without an account: the `ji_anon_session` cookie holds the
/// secret, the table its SHA-256. Its invoices belong to `sender_id` (an anonymous sender)
/// until a sign-in in that browser claims them.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "anonymous_sessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub secret_hash: String,
    pub sender_id: i64,
    /// The timed job that deletes what is left unclaimed at `expires_at`.
    pub job_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub claimed_by: Option<i64>,
    pub claimed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
