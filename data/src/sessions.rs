//! Browser sessions: a random id in an HttpOnly cookie, stored only as its SHA-256, with an
//! idle and an absolute timeout. Signing in always starts a new session (no fixation).

use crate::entities::{sender, session};
use crate::secrets::{random_token, sha256_hex};
use crate::senders::Sender;
use crate::{Error, Store};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

pub const IDLE_TIMEOUT: Duration = Duration::days(7);
pub const ABSOLUTE_TIMEOUT: Duration = Duration::days(30);
/// 256 random bits.
const ID_BYTES: usize = 32;

pub type Session = session::Model;

/// A session's secret id: what the cookie carries. Never logged.
pub struct SessionSecret(pub String);

impl std::fmt::Debug for SessionSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionSecret(<redacted>)")
    }
}

pub async fn start(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    sender_id: i64,
) -> Result<(SessionSecret, Session), Error> {
    let secret = random_token(ID_BYTES);
    let row = session::ActiveModel {
        id_hash: Set(sha256_hex(&secret)),
        sender_id: Set(sender_id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + ABSOLUTE_TIMEOUT),
        ..Default::default()
    };
    Ok((SessionSecret(secret), row.insert(db).await?))
}

/// The live session and its sender for a cookie value; expired sessions are removed.
pub async fn resolve(store: &Store, secret: &str) -> Result<Option<(Session, Sender)>, Error> {
    let db = &store.db;
    let Some((found, Some(sender))) = session::Entity::find()
        .find_also_related(sender::Entity)
        .filter(session::Column::IdHash.eq(sha256_hex(secret)))
        .one(store.reader())
        .await?
    else {
        return Ok(None);
    };
    let now = store.now();
    if found.expires_at <= now || found.last_seen_at + IDLE_TIMEOUT <= now {
        session::Entity::delete_by_id(found.id).exec(db).await?;
        return Ok(None);
    }
    // Record activity at most once a minute: page views should not all become writes.
    let found = if now - found.last_seen_at > Duration::seconds(60) {
        let mut active: session::ActiveModel = found.into();
        active.last_seen_at = Set(now);
        active.update(db).await?
    } else {
        found
    };
    Ok(Some((found, sender)))
}

pub async fn end(db: &impl ConnectionTrait, secret: &str) -> Result<(), Error> {
    session::Entity::delete_many().filter(session::Column::IdHash.eq(sha256_hex(secret))).exec(db).await?;
    Ok(())
}
