//! One-read values carried from a POST to the page it redirects to, within one session.

use crate::Error;
use crate::entities::flash;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

pub async fn put(db: &impl ConnectionTrait, session_id: i64, name: &str, value: &str) -> Result<(), Error> {
    flash::Entity::delete_many()
        .filter(flash::Column::SessionId.eq(session_id))
        .filter(flash::Column::Name.eq(name))
        .exec(db)
        .await?;
    flash::ActiveModel {
        session_id: Set(session_id),
        name: Set(name.to_string()),
        value: Set(value.to_string()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The value, removed as it is read.
pub async fn take(db: &impl ConnectionTrait, session_id: i64, name: &str) -> Result<Option<String>, Error> {
    let found = flash::Entity::find()
        .filter(flash::Column::SessionId.eq(session_id))
        .filter(flash::Column::Name.eq(name))
        .order_by_desc(flash::Column::Id)
        .one(db)
        .await?;
    let Some(found) = found else { return Ok(None) };
    flash::Entity::delete_by_id(found.id).exec(db).await?;
    Ok(Some(found.value))
}
