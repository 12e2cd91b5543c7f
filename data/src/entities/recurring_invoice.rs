use sea_orm::entity::prelude::*;

/// A template invoice with its schedule: occurrences are made from it as they fall due.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "recurring_invoices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub sender_id: i64,
    pub customer_id: i64,
    /// JSON: the InvoiceCreate body each occurrence is made from (dates left out).
    pub template: String,
    /// JSON domain::schedule::Schedule.
    pub schedule: String,
    pub auto_send: bool,
    pub due_days: i32,
    /// "active", "paused" or "ended".
    pub status: String,
    /// The latest occurrence's date (made or skipped).
    pub last_date: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
