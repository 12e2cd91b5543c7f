use sea_orm::entity::prelude::*;

/// A write request made with an `Idempotency-Key`, and the answer it got (issue 28): unique
/// per sender and key, kept 24 hours.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency_keys")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub sender_id: i64,
    pub key: String,
    /// SHA-256 of the method, path, query and body: the same key with another request is refused.
    pub fingerprint: String,
    /// None while the first request runs.
    pub status_code: Option<i32>,
    pub content_type: Option<String>,
    /// The answer's body, sealed (it may carry a share link or a webhook secret).
    pub body: Option<String>,
    pub created_at: DateTimeUtc,
    pub completed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
