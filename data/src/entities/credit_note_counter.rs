use sea_orm::entity::prelude::*;

/// The last credit note number a sender issued (gapless, bumped in the issuing transaction).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "credit_note_counters")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub sender_id: i64,
    pub last_seq: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
