//! Opaque keyset cursors: the id of the last row of a page, so page cost does not grow
//! with the table. A cursor is the id's eight bytes in base64url: always 11 characters of
//! `[A-Za-z0-9_-]`, and every such string is a cursor (the API's schema says exactly that).

use crate::Error;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select};

pub const DEFAULT_LIMIT: u64 = 25;
pub const MAX_LIMIT: u64 = 100;

/// Reads the 11-character cursors whatever their last character's spare bits hold.
const LENIENT: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    base64::engine::GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(true),
);

pub fn encode(last_id: i64) -> String {
    URL_SAFE_NO_PAD.encode(last_id.to_be_bytes())
}

pub fn decode(cursor: &str) -> Result<i64, Error> {
    let bad = || Error::invalid("cursor", "not a cursor from a previous response");
    let cursor = cursor.trim();
    if cursor.len() == 11 {
        let raw: [u8; 8] = LENIENT.decode(cursor).ok().and_then(|b| b.try_into().ok()).ok_or_else(bad)?;
        return Ok(i64::from_be_bytes(raw));
    }
    // Cursors handed out before this format (base64url of "v1:<id>") still work.
    let raw = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let text = String::from_utf8(raw).map_err(|_| bad())?;
    text.strip_prefix("v1:").and_then(|n| n.parse().ok()).ok_or_else(bad)
}

/// A page request: how many rows and where to start.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    pub limit: u64,
    pub before_id: Option<i64>,
}

impl PageRequest {
    pub fn parse(limit: Option<i64>, cursor: Option<&str>) -> Result<PageRequest, Error> {
        let limit = match limit {
            None => DEFAULT_LIMIT,
            Some(l) if (1..=MAX_LIMIT as i64).contains(&l) => l as u64,
            Some(_) => return Err(Error::invalid("limit", format!("limit must be between 1 and {MAX_LIMIT}"))),
        };
        let before_id = cursor.filter(|c| !c.is_empty()).map(decode).transpose()?;
        Ok(PageRequest { limit, before_id })
    }

    /// The page of `query`, newest first by `id`: an index on (filter columns…, id) serves it
    /// as one range read, however many rows come before.
    pub fn select<E: EntityTrait>(&self, query: Select<E>, id: impl ColumnTrait) -> Select<E> {
        let query = match self.before_id {
            Some(before) => query.filter(id.lt(before)),
            None => query,
        };
        query.order_by_desc(id).limit(self.limit + 1)
    }

    /// Splits the `limit + 1` rows fetched into the page and the cursor to the next one.
    pub fn finish<T>(&self, mut rows: Vec<T>, id: impl Fn(&T) -> i64) -> (Vec<T>, Option<String>) {
        if rows.len() as u64 > self.limit {
            rows.truncate(self.limit as usize);
            let next = rows.last().map(|r| encode(id(r)));
            (rows, next)
        } else {
            (rows, None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        assert_eq!(decode(&encode(42)).unwrap(), 42);
        assert_eq!(decode(&encode(i64::MAX)).unwrap(), i64::MAX);
        assert_eq!(encode(7).len(), 11);
        assert!(decode("AAAAAAAAAA_").is_ok(), "any 11 characters of the alphabet are a cursor");
        assert_eq!(decode(&URL_SAFE_NO_PAD.encode("v1:42")).unwrap(), 42, "older cursors still work");
        assert_eq!(decode("nonsense!").unwrap_err().field(), Some("cursor"));
        assert_eq!(PageRequest::parse(Some(0), None).unwrap_err().field(), Some("limit"));
        assert_eq!(PageRequest::parse(Some(101), None).unwrap_err().field(), Some("limit"));
        assert_eq!(PageRequest::parse(None, None).unwrap().limit, 25);
    }
}
