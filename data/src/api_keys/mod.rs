//! API keys: `jk_live_` + 32 random base62 characters + a 6-character CRC32 checksum, so a
//! scanner can tell a real key offline (as GitHub's tokens do). Only the SHA-256 is stored.

mod cache;

use crate::entities::{api_key, sender};
use crate::secrets::sha256_hex;
use crate::senders::Sender;
use crate::{Error, Store};
pub(crate) use cache::KeyCache;
pub use cache::TRUSTED_FOR;
use chrono::Duration;
use domain::KeyScope;
use rand::Rng;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

pub const PREFIX: &str = "jk_live_";
const RANDOM_LEN: usize = 32;
const CHECK_LEN: usize = 6;
const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/// How much of a key is kept for display ("jk_live_AbC1…").
const DISPLAY_LEN: usize = PREFIX.len() + 4;

fn checksum(random: &str) -> String {
    let mut n = crc32fast::hash(random.as_bytes()) as u64;
    let mut out = [b'0'; CHECK_LEN];
    for slot in out.iter_mut().rev() {
        *slot = BASE62[(n % 62) as usize];
        n /= 62;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn generate() -> String {
    let mut rng = rand::rng();
    let random: String = (0..RANDOM_LEN).map(|_| BASE62[rng.random_range(0..62)] as char).collect();
    format!("{PREFIX}{random}{}", checksum(&random))
}

/// True when `key` has the shape and checksum of a key we issue.
pub fn is_well_formed(key: &str) -> bool {
    let Some(body) = key.strip_prefix(PREFIX) else { return false };
    if body.len() != RANDOM_LEN + CHECK_LEN || !body.bytes().all(|b| BASE62.contains(&b)) {
        return false;
    }
    let (random, check) = body.split_at(RANDOM_LEN);
    checksum(random) == check
}

/// A key as its owner sees it in lists (never the secret).
pub type ApiKey = api_key::Model;

/// A freshly minted key: the only time the secret exists outside its owner's hands.
pub struct NewApiKey {
    pub secret: String,
    pub key: ApiKey,
}

impl std::fmt::Debug for NewApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewApiKey").field("secret", &"<redacted>").field("key", &self.key).finish()
    }
}

/// Who a presented key speaks for, and what it may do.
#[derive(Debug, Clone)]
pub struct Caller {
    pub sender: Sender,
    pub scope: KeyScope,
}

impl Caller {
    /// Ok when the key may write; 403 for a read-only key.
    pub fn may_write(&self) -> Result<&Sender, Error> {
        match self.scope.may_write() {
            true => Ok(&self.sender),
            false => {
                Err(Error::Forbidden { message: "this API key is read-only: mint a full-access key to write".into() })
            }
        }
    }
}

/// The scope a key row holds (anything unknown reads as the safer one).
pub fn scope_of(key: &ApiKey) -> KeyScope {
    KeyScope::parse(&key.scope).unwrap_or(KeyScope::ReadOnly)
}

pub async fn create(store: &Store, sender_id: i64, name: &str, scope: KeyScope) -> Result<NewApiKey, Error> {
    let name = domain::validate::text(Some(name.to_string()), "name", 100)?.unwrap_or_else(|| "API key".into());
    let secret = generate();
    let row = api_key::ActiveModel {
        sender_id: Set(sender_id),
        name: Set(name),
        prefix: Set(secret[..DISPLAY_LEN].to_string()),
        key_hash: Set(sha256_hex(&secret)),
        scope: Set(scope.as_str().into()),
        created_at: Set(store.now()),
        ..Default::default()
    };
    let key = row.insert(&store.db).await?;
    Ok(NewApiKey { secret, key })
}

/// The sender a presented key belongs to; None for a malformed, unknown or revoked key.
/// One query (key and sender together), none while the key was checked in the last
/// [`TRUSTED_FOR`].
pub async fn authenticate(store: &Store, presented: &str) -> Result<Option<Caller>, Error> {
    if !is_well_formed(presented) {
        return Ok(None);
    }
    let hash = sha256_hex(presented);
    let now = store.now();
    if let Some(caller) = store.key_cache().get(&hash, now) {
        return Ok(Some(caller));
    }
    let found = api_key::Entity::find()
        .find_also_related(sender::Entity)
        .filter(api_key::Column::KeyHash.eq(hash.as_str()))
        .filter(api_key::Column::RevokedAt.is_null())
        .one(store.reader())
        .await?;
    let Some((key, Some(sender))) = found else {
        return Ok(None);
    };
    // Write "last used" at most once a minute: a busy integration should not turn every
    // read into a write.
    if key.last_used_at.is_none_or(|t| now - t > Duration::seconds(60)) {
        api_key::Entity::update_many()
            .col_expr(api_key::Column::LastUsedAt, Expr::value(Some(now)))
            .filter(api_key::Column::Id.eq(key.id))
            .exec(&store.db)
            .await?;
    }
    let caller = Caller { scope: scope_of(&key), sender };
    store.key_cache().put(hash, key.id, caller.clone(), now);
    Ok(Some(caller))
}

pub async fn list(db: &impl ConnectionTrait, sender_id: i64) -> Result<Vec<ApiKey>, Error> {
    Ok(api_key::Entity::find()
        .filter(api_key::Column::SenderId.eq(sender_id))
        .order_by_desc(api_key::Column::Id)
        .all(db)
        .await?)
}

/// Revokes one of the sender's keys; it stops working at once.
pub async fn revoke(store: &Store, sender_id: i64, key_id: i64) -> Result<ApiKey, Error> {
    let key = api_key::Entity::find_by_id(key_id)
        .filter(api_key::Column::SenderId.eq(sender_id))
        .one(&store.db)
        .await?
        .ok_or(Error::not_found("API key"))?;
    if key.revoked_at.is_some() {
        return Ok(key);
    }
    let mut active: api_key::ActiveModel = key.into();
    active.revoked_at = Set(Some(store.now()));
    let revoked = active.update(&store.db).await?;
    store.key_cache().forget_key(key_id);
    Ok(revoked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_have_the_documented_shape_and_a_checksum() {
        let k = generate();
        assert!(k.starts_with("jk_live_"));
        assert_eq!(k.len(), 8 + 32 + 6);
        assert!(is_well_formed(&k));
        // One changed character breaks the checksum.
        let mut broken = k.clone().into_bytes();
        broken[10] = if broken[10] == b'a' { b'b' } else { b'a' };
        assert!(!is_well_formed(&String::from_utf8(broken).unwrap()));
        assert!(!is_well_formed("jk_live_short"));
        assert_ne!(generate(), k);
    }
}
