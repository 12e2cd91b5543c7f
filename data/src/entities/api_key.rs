use sea_orm::entity::prelude::*;

/// An API key: only its SHA-256 is stored; `prefix` is kept for display.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_keys")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub sender_id: i64,
    pub name: String,
    pub prefix: String,
    pub key_hash: String,
    pub created_at: DateTimeUtc,
    pub last_used_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
    /// `full` or `read_only` (domain::KeyScope).
    pub scope: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::sender::Entity", from = "Column::SenderId", to = "super::sender::Column::Id")]
    Sender,
}

impl Related<super::sender::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Sender.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
