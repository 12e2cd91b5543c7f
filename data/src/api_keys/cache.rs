//! Which presented keys were valid a moment ago, so a busy integration's reads do not each
//! look the key up again. An entry is trusted for [`TRUSTED_FOR`] by the store's clock;
//! revoking a key or changing its sender's profile in this process forgets it at once, so
//! the bound only applies to changes made by another process sharing the database.

use super::Caller;
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;
use std::sync::Mutex;

pub const TRUSTED_FOR: Duration = Duration::seconds(5);
/// More distinct keys than this in a few seconds: start over rather than grow.
const MAX_ENTRIES: usize = 10_000;

#[derive(Debug, Default)]
pub(crate) struct KeyCache {
    /// By the key's SHA-256, never the key itself.
    entries: Mutex<HashMap<String, Entry>>,
}

#[derive(Debug, Clone)]
struct Entry {
    key_id: i64,
    caller: Caller,
    checked_at: DateTime<Utc>,
}

impl KeyCache {
    pub(crate) fn get(&self, key_hash: &str, now: DateTime<Utc>) -> Option<Caller> {
        let entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        entries.get(key_hash).filter(|e| now - e.checked_at < TRUSTED_FOR).map(|e| e.caller.clone())
    }

    pub(crate) fn put(&self, key_hash: String, key_id: i64, caller: Caller, now: DateTime<Utc>) {
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(key_hash, Entry { key_id, caller, checked_at: now });
    }

    pub(crate) fn forget_key(&self, key_id: i64) {
        self.forget(|e| e.key_id == key_id);
    }

    pub(crate) fn forget_sender(&self, sender_id: i64) {
        self.forget(|e| e.caller.sender.id == sender_id);
    }

    fn forget(&self, gone: impl Fn(&Entry) -> bool) {
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        entries.retain(|_, e| !gone(e));
    }
}
