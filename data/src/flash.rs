//! One-read values carried from a POST to the page it redirects to, within one session.
//! Stored sealed (one may be a new API key) and deleted as they are read.

use crate::entities::flash;
use crate::secrets::Purpose;
use crate::{Error, Store};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

/// The flash of a one-time notice for the next page (e.g. what a sign-in claimed).
pub const NOTICE: &str = "notice";

pub async fn put(store: &Store, session_id: i64, name: &str, value: &str) -> Result<(), Error> {
    put_in(store, &store.db, session_id, name, value).await
}

/// Puts a value in the caller's transaction.
pub(crate) async fn put_in(
    store: &Store,
    db: &impl ConnectionTrait,
    session_id: i64,
    name: &str,
    value: &str,
) -> Result<(), Error> {
    flash::Entity::delete_many()
        .filter(flash::Column::SessionId.eq(session_id))
        .filter(flash::Column::Name.eq(name))
        .exec(db)
        .await?;
    flash::ActiveModel {
        session_id: Set(session_id),
        name: Set(name.to_string()),
        value: Set(store.sealer_for(Purpose::Flash).seal(value)),
        created_at: Set(store.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The value, removed as it is read: of two requests reading it at once, one gets it.
pub async fn take(store: &Store, session_id: i64, name: &str) -> Result<Option<String>, Error> {
    let found = flash::Entity::find()
        .filter(flash::Column::SessionId.eq(session_id))
        .filter(flash::Column::Name.eq(name))
        .order_by_desc(flash::Column::Id)
        .one(&store.db)
        .await?;
    let Some(found) = found else { return Ok(None) };
    let deleted = flash::Entity::delete_by_id(found.id).exec(&store.db).await?.rows_affected;
    if deleted != 1 {
        return Ok(None);
    }
    Ok(store.sealer_for(Purpose::Flash).open(&found.value))
}

/// A value sealed to travel in a cookie instead (pages without a session, such as /new).
pub fn seal(store: &Store, value: &str) -> String {
    store.sealer_for(Purpose::Flash).seal(value)
}

/// A value `seal` made; None when it was not (or SECRET_KEY changed).
pub fn open(store: &Store, sealed: &str) -> Option<String> {
    store.sealer_for(Purpose::Flash).open(sealed)
}
