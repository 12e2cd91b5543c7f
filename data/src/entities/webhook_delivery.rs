use sea_orm::entity::prelude::*;

/// One event on its way to one subscription: every attempt updates this row; `event_id` is
/// the `webhook-id` every attempt carries.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_deliveries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub subscription_id: i64,
    pub event_id: String,
    pub event_type: String,
    pub payload: String,
    pub attempt: i32,
    pub max_attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub last_attempt_at: Option<DateTimeUtc>,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub last_latency_ms: Option<i64>,
    pub succeeded: bool,
    pub failed_permanently: bool,
    pub created_at: DateTimeUtc,
    /// The job that posts it while it is pending; None while it is parked (its webhook paused).
    pub job_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
