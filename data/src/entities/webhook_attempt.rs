use sea_orm::entity::prelude::*;

/// One POST of a delivery: what came back (status, a truncated body) or why nothing did.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_attempts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub delivery_id: i64,
    pub attempt: i32,
    pub attempted_at: DateTimeUtc,
    pub status: Option<i32>,
    pub latency_ms: i64,
    pub error: Option<String>,
    pub response_body: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
