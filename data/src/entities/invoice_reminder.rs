use sea_orm::entity::prelude::*;

/// A reminder step of an invoice, sent or passed over; unique per invoice and step, so no
/// step goes out twice.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoice_reminders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub invoice_id: i64,
    /// Days from the due date ("-3", "0", "7") or "manual:YYYY-MM-DD".
    pub step: String,
    pub sent: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
