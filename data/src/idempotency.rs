//! Idempotent writes (issue 28, draft-ietf-httpapi-idempotency-key-header): the first request
//! with a key claims it (one row per sender and key, the unique index decides between
//! concurrent ones, on every instance); its answer is stored with it; a retry with the same
//! request gets that answer again, another request with the key is refused, and a retry while
//! the first still runs is told so. Rows are kept 24 hours.

use crate::entities::idempotency_key;
use crate::secrets::Purpose;
use crate::{Error, Store};
use chrono::Duration;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

/// How long a key's answer is replayed.
pub const KEEP: Duration = Duration::hours(24);
/// A first request that has not finished in this long died with its process (requests time
/// out after 30 s): a retry takes the key over.
pub const ABANDONED_AFTER: Duration = Duration::seconds(60);

/// A stored answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Begin {
    /// This request has the key: run it, then `complete` (or `release`) row `id`.
    First(i64),
    /// The same request ran before: its answer.
    Replay(Answer),
    /// The key was used with another request.
    Mismatch,
    /// The first request with the key is still running.
    InFlight,
}

/// A key is 1–255 printable ASCII characters.
pub fn is_valid_key(key: &str) -> bool {
    (1..=255).contains(&key.len()) && key.bytes().all(|b| (0x21..=0x7e).contains(&b) || b == b' ')
}

/// Claims `key` for a request whose fingerprint is `fingerprint`, or says what became of it.
pub async fn begin(store: &Store, sender_id: i64, key: &str, fingerprint: &str) -> Result<Begin, Error> {
    for _ in 0..3 {
        let now = store.now();
        let row = idempotency_key::ActiveModel {
            sender_id: Set(sender_id),
            key: Set(key.to_string()),
            fingerprint: Set(fingerprint.to_string()),
            created_at: Set(now),
            ..Default::default()
        };
        let conflict = OnConflict::columns([idempotency_key::Column::SenderId, idempotency_key::Column::Key])
            .do_nothing()
            .to_owned();
        let inserted =
            idempotency_key::Entity::insert(row).on_conflict(conflict).exec_without_returning(&store.db).await?;
        let Some(existing) = find(store, sender_id, key).await? else { continue };
        if inserted == 1 {
            return Ok(Begin::First(existing.id));
        }
        if existing.created_at < now - KEEP {
            // Expired: gone, and the key is new again.
            idempotency_key::Entity::delete_many()
                .filter(idempotency_key::Column::Id.eq(existing.id))
                .filter(idempotency_key::Column::CreatedAt.eq(existing.created_at))
                .exec(&store.db)
                .await?;
            continue;
        }
        if existing.fingerprint != fingerprint {
            return Ok(Begin::Mismatch);
        }
        let (Some(status), Some(sealed)) = (existing.status_code, existing.body.as_deref()) else {
            if existing.created_at >= now - ABANDONED_AFTER {
                return Ok(Begin::InFlight);
            }
            // Its request died with its process: this retry runs it, if no other took it first.
            let taken = idempotency_key::Entity::update_many()
                .col_expr(idempotency_key::Column::CreatedAt, sea_orm::sea_query::Expr::value(now))
                .filter(idempotency_key::Column::Id.eq(existing.id))
                .filter(idempotency_key::Column::CreatedAt.eq(existing.created_at))
                .filter(idempotency_key::Column::StatusCode.is_null())
                .exec(&store.db)
                .await?;
            return Ok(if taken.rows_affected == 1 { Begin::First(existing.id) } else { Begin::InFlight });
        };
        let body = store
            .sealer_for(Purpose::Outgoing)
            .open(sealed)
            .ok_or_else(|| crate::error::corrupt("idempotency key", "the stored answer cannot be opened"))?;
        let status = u16::try_from(status).unwrap_or(500);
        return Ok(Begin::Replay(Answer { status, content_type: existing.content_type, body }));
    }
    Err(crate::error::corrupt("idempotency key", "the key could not be claimed"))
}

async fn find(store: &Store, sender_id: i64, key: &str) -> Result<Option<idempotency_key::Model>, Error> {
    Ok(idempotency_key::Entity::find()
        .filter(idempotency_key::Column::SenderId.eq(sender_id))
        .filter(idempotency_key::Column::Key.eq(key))
        .one(&store.db)
        .await?)
}

/// Stores the answer of the request that had the key.
pub async fn complete(store: &Store, id: i64, answer: &Answer) -> Result<(), Error> {
    let Some(row) = idempotency_key::Entity::find_by_id(id).one(&store.db).await? else { return Ok(()) };
    let mut row: idempotency_key::ActiveModel = row.into();
    row.status_code = Set(Some(i32::from(answer.status)));
    row.content_type = Set(answer.content_type.clone());
    row.body = Set(Some(store.sealer_for(Purpose::Outgoing).seal(&answer.body)));
    row.completed_at = Set(Some(store.now()));
    row.update(&store.db).await?;
    Ok(())
}

/// Frees the key of a request that failed on our side (a 5xx): a retry runs it again.
pub async fn release(store: &Store, id: i64) -> Result<(), Error> {
    idempotency_key::Entity::delete_by_id(id).exec(&store.db).await?;
    Ok(())
}

/// Deletes keys older than [`KEEP`]; how many.
pub async fn prune(store: &Store) -> Result<u64, Error> {
    let before = store.now() - KEEP;
    let gone =
        idempotency_key::Entity::delete_many().filter(idempotency_key::Column::CreatedAt.lt(before)).exec(&store.db);
    Ok(gone.await?.rows_affected)
}
