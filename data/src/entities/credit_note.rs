use sea_orm::entity::prelude::*;

/// A credit note against an issued invoice, in the sender's own series (CN-0001 …).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "credit_notes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub sender_id: i64,
    pub invoice_id: i64,
    pub number: String,
    pub seq: i64,
    /// domain::dto::CreditNoteKind as text.
    pub kind: String,
    pub reason: String,
    pub issue_date: Date,
    pub currency: String,
    pub total_cents: i64,
    /// JSON array of decimal text: per invoice line, what is credited up to this note.
    pub credited_quantities: String,
    /// JSON domain::dto::CreditNote: the document as issued.
    pub document: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
