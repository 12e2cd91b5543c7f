use sea_orm::entity::prelude::*;

/// One document as it went out, in its sender's hash chain.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "archive_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub sender_id: i64,
    pub seq: i64,
    pub document_type: String,
    pub number: String,
    pub version: i32,
    pub issue_date: Date,
    pub file_name: String,
    pub content_type: String,
    pub compression: String,
    pub content: Vec<u8>,
    pub size: i64,
    pub sha256: String,
    pub summary: String,
    pub prev_hash: String,
    pub entry_hash: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
