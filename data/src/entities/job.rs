use sea_orm::entity::prelude::*;

/// Background work (a mail, later webhook deliveries and timed work): written in the
/// transaction of the change that calls for it, then claimed, run and retried by a worker.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "jobs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub sender_id: Option<i64>,
    pub kind: String,
    /// The job's JSON, sealed (it may carry a sign-in or share link); wiped once finished.
    pub payload: String,
    /// Claims so far; the current claim's number is its fencing token.
    pub attempts: i32,
    /// When the job is due (again).
    pub run_at: DateTimeUtc,
    /// Set while a worker holds the job.
    pub leased_until: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub done_at: Option<DateTimeUtc>,
    pub failed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    /// At most one unfinished job has a key (a schedule's timer: "reminder:42").
    pub key: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
