//! Opaque keyset cursors: the id of the last row of a page, so page cost does not grow
//! with the table.

use crate::Error;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

pub const DEFAULT_LIMIT: u64 = 25;
pub const MAX_LIMIT: u64 = 100;

pub fn encode(last_id: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("v1:{last_id}"))
}

pub fn decode(cursor: &str) -> Result<i64, Error> {
    let bad = || Error::invalid("cursor", "not a cursor from a previous response");
    let raw = URL_SAFE_NO_PAD.decode(cursor.trim()).map_err(|_| bad())?;
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
        assert_eq!(decode("nonsense!").unwrap_err().field(), Some("cursor"));
        assert_eq!(PageRequest::parse(Some(0), None).unwrap_err().field(), Some("limit"));
        assert_eq!(PageRequest::parse(Some(101), None).unwrap_err().field(), Some("limit"));
        assert_eq!(PageRequest::parse(None, None).unwrap().limit, 25);
    }
}
