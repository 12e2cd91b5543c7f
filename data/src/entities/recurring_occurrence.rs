use sea_orm::entity::prelude::*;

/// One date of a recurring invoice, made (its invoice) or skipped; unique per template and
/// date, so no date happens twice.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "recurring_occurrences")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub recurring_invoice_id: i64,
    pub issue_date: Date,
    pub invoice_id: Option<i64>,
    pub skipped: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
