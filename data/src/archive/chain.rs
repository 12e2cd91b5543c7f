//! The hash chain: each entry's hash covers the previous entry's hash, its place, what it
//! is and the SHA-256 of its bytes, so changing, removing or reordering any entry breaks
//! every hash after it, and `verify` names the first entry that no longer holds.

use crate::entities::{archive_entry, archive_head};
use crate::{Error, Store};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// The previous hash of a sender's first entry.
pub(super) const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Entries read at a time while verifying (their bytes are in memory meanwhile).
const BATCH: u64 = 64;

pub(super) struct Fields<'a> {
    pub prev_hash: &'a str,
    pub seq: i64,
    pub document_type: &'a str,
    pub number: &'a str,
    pub version: i32,
    pub issue_date: NaiveDate,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub size: i64,
    pub summary: &'a str,
    pub created_at: DateTime<Utc>,
}

pub(super) fn entry_hash(f: &Fields<'_>) -> String {
    // One field a line; no field holds a line break that could shift another (the summary
    // is compact JSON, whose strings escape theirs).
    let text = [
        f.prev_hash.to_string(),
        f.seq.to_string(),
        f.document_type.to_string(),
        f.number.to_string(),
        f.version.to_string(),
        f.issue_date.to_string(),
        f.file_name.to_string(),
        f.content_type.to_string(),
        f.sha256.to_string(),
        f.size.to_string(),
        f.summary.to_string(),
        f.created_at.to_rfc3339_opts(SecondsFormat::Micros, true),
    ]
    .join("\n");
    crate::secrets::sha256_hex(&text)
}

/// The first entry of a chain that does not hold, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    pub sender_id: i64,
    /// Its place in the sender's chain (the head's, when the chain's end was cut off).
    pub seq: i64,
    pub number: String,
    pub file_name: String,
    pub problem: String,
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "sender {} entry {} ({} {}): {}", self.sender_id, self.seq, self.number, self.file_name, self.problem)
    }
}

/// What `verify` found: how many entries of how many chains hold, or the first that does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub chains: usize,
    pub entries: u64,
}

/// Checks every sender's chain (or one sender's) from its first entry: each entry's bytes
/// against their SHA-256, its hash against its fields and the previous hash, the places
/// without gaps, and the head against the last entry.
pub async fn verify(store: &Store, sender_id: Option<i64>) -> Result<Result<Verified, Broken>, Error> {
    let db = store.reader();
    let mut heads = archive_head::Entity::find().order_by_asc(archive_head::Column::SenderId);
    if let Some(id) = sender_id {
        heads = heads.filter(archive_head::Column::SenderId.eq(id));
    }
    let heads = heads.all(db).await?;
    let mut entries = 0;
    for head in &heads {
        match verify_chain(store, head).await? {
            Ok(n) => entries += n,
            Err(broken) => return Ok(Err(broken)),
        }
    }
    Ok(Ok(Verified { chains: heads.len(), entries }))
}

async fn verify_chain(store: &Store, head: &archive_head::Model) -> Result<Result<u64, Broken>, Error> {
    let db = store.reader();
    let (mut expected_seq, mut prev) = (1i64, GENESIS.to_string());
    let mut last: Option<(String, String)> = None;
    loop {
        let batch = archive_entry::Entity::find()
            .filter(archive_entry::Column::SenderId.eq(head.sender_id))
            .filter(archive_entry::Column::Seq.gte(expected_seq))
            .order_by_asc(archive_entry::Column::Seq)
            .limit(BATCH)
            .all(db)
            .await?;
        if batch.is_empty() {
            break;
        }
        for e in batch {
            let broken = |problem: String| Broken {
                sender_id: head.sender_id,
                seq: e.seq,
                number: e.number.clone(),
                file_name: e.file_name.clone(),
                problem,
            };
            if e.seq != expected_seq {
                return Ok(Err(broken(format!("entry {expected_seq} before it is missing"))));
            }
            if e.prev_hash != prev {
                return Ok(Err(broken("it does not link to the entry before it".into())));
            }
            let bytes = match super::inflate(&e.compression, &e.content) {
                Ok(bytes) => bytes,
                Err(_) => return Ok(Err(broken("its stored bytes cannot be read".into()))),
            };
            if super::sha256_bytes(&bytes) != e.sha256 || i64::try_from(bytes.len()).ok() != Some(e.size) {
                return Ok(Err(broken("its bytes are not the ones archived (SHA-256 differs)".into())));
            }
            let fields = Fields {
                prev_hash: &e.prev_hash,
                seq: e.seq,
                document_type: &e.document_type,
                number: &e.number,
                version: e.version,
                issue_date: e.issue_date,
                file_name: &e.file_name,
                content_type: &e.content_type,
                sha256: &e.sha256,
                size: e.size,
                summary: &e.summary,
                created_at: e.created_at,
            };
            if entry_hash(&fields) != e.entry_hash {
                return Ok(Err(broken("its recorded facts were changed (entry hash differs)".into())));
            }
            prev = e.entry_hash.clone();
            last = Some((e.number, e.file_name));
            expected_seq += 1;
        }
    }
    let count = expected_seq - 1;
    if count != head.last_seq || prev != head.last_hash {
        let (number, file_name) = last.unwrap_or_default();
        return Ok(Err(Broken {
            sender_id: head.sender_id,
            seq: head.last_seq,
            number,
            file_name,
            problem: format!("the chain ends at entry {count}, its head says {}: entries were removed", head.last_seq),
        }));
    }
    Ok(Ok(u64::try_from(count).unwrap_or_default()))
}
