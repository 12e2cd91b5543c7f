//! One limiter for whatever needs one (anonymous invoices, sign-in links, forwards, PDF
//! downloads): fixed windows counted in the database (`rate_counters`), so every instance
//! shares them. Every request counts, refused ones too. Where a caller stands is told in the
//! IETF RateLimit fields (draft-ietf-httpapi-ratelimit-headers): `RateLimit-Policy` and
//! `RateLimit`.

use crate::{Error, Store};
use chrono::{DateTime, TimeZone, Utc};
use sea_orm::sea_query::{Alias, Expr, OnConflict, Query};
use sea_orm::{ConnectionTrait, DbErr};
use std::net::{IpAddr, Ipv6Addr};

/// The IPv6 prefix a client is counted by unless configured otherwise: a host is handed a
/// whole /64 and may use any address in it, so counting addresses would count nothing.
pub const DEFAULT_CLIENT_V6_PREFIX: u8 = 64;

/// At most `limit` hits per `window_secs`, named `name` in the RateLimit fields.
#[derive(Debug, Clone, Copy)]
pub struct Quota {
    pub name: &'static str,
    pub limit: i64,
    pub window_secs: i64,
}

/// The quotas one purpose is held to.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub purpose: &'static str,
    /// What is counted, as a refusal says it: "sign-in links for this address".
    pub what: &'static str,
    pub quotas: &'static [Quota],
}

impl Policy {
    /// The `RateLimit-Policy` field: `"min";q=5;w=60, "hour";q=30;w=3600`.
    pub fn header(&self) -> String {
        let quotas = self.quotas.iter().map(|q| format!("\"{}\";q={};w={}", q.name, q.limit, q.window_secs));
        quotas.collect::<Vec<_>>().join(", ")
    }
}

/// Where a subject stands under a policy: the values of the two header fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    /// `RateLimit-Policy`.
    pub policy: String,
    /// `RateLimit`: the quota closest to running out, `"min";r=2;t=41` (remaining, seconds
    /// until its window resets).
    pub current: String,
}

/// One quota's count after a hit.
struct Count {
    quota: Quota,
    hits: i64,
    reset_secs: i64,
}

impl Count {
    fn remaining(&self) -> i64 {
        (self.quota.limit - self.hits).max(0)
    }
}

const TABLE: &str = "rate_counters";

/// Counts one hit by `subject` (an IP address, an e-mail address …) against `policy`:
/// Ok with where it stands, or RateLimited (with Retry-After and the same fields) once any
/// quota is used up.
pub async fn hit(store: &Store, policy: &Policy, subject: &str) -> Result<Standing, Error> {
    let now = store.now();
    let mut counts = Vec::with_capacity(policy.quotas.len());
    for quota in policy.quotas {
        let start = now.timestamp().div_euclid(quota.window_secs) * quota.window_secs;
        let key = format!("{}:{}:{subject}", policy.purpose, quota.name);
        let hits = count(&store.db, &key, at(start), at(start + quota.window_secs)).await?;
        counts.push(Count { quota: *quota, hits, reset_secs: (start + quota.window_secs - now.timestamp()).max(1) });
    }
    let closest = counts.iter().min_by_key(|c| (c.remaining(), c.reset_secs));
    let current = closest.map(|c| format!("\"{}\";r={};t={}", c.quota.name, c.remaining(), c.reset_secs));
    let standing = Standing { policy: policy.header(), current: current.unwrap_or_default() };
    let over: Vec<&Count> = counts.iter().filter(|c| c.hits > c.quota.limit).collect();
    let Some(longest) = over.iter().max_by_key(|c| c.reset_secs) else { return Ok(standing) };
    Err(Error::RateLimited {
        message: format!(
            "too many {}: at most {} per {}; try again in {}",
            policy.what,
            longest.quota.limit,
            window_words(longest.quota.window_secs),
            wait_words(longest.reset_secs)
        ),
        retry_after_secs: longest.reset_secs as u64,
        standing: Some(standing),
    })
}

fn window_words(secs: i64) -> String {
    match secs {
        60 => "minute".into(),
        3_600 => "hour".into(),
        86_400 => "day".into(),
        s if s % 3_600 == 0 => format!("{} hours", s / 3_600),
        s if s % 60 == 0 => format!("{} minutes", s / 60),
        s => format!("{s} seconds"),
    }
}

fn wait_words(secs: i64) -> String {
    if secs <= 90 {
        format!("{secs} seconds")
    } else if secs <= 5_400 {
        format!("{} minutes", (secs + 59) / 60)
    } else {
        format!("{} hours", (secs + 3_599) / 3_600)
    }
}

fn at(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(secs, 0).single().unwrap_or_default()
}

/// Adds one to the counter of `key`'s window starting at `start`; returns its count.
async fn count(
    db: &impl ConnectionTrait,
    key: &str,
    start: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> Result<i64, Error> {
    let (table, hits) = (Alias::new(TABLE), Alias::new("hits"));
    let columns = ["key", "window_start", "hits", "expires_at"].map(Alias::new);
    let upsert = Query::insert()
        .into_table(table.clone())
        .columns(columns)
        .values([key.into(), start.into(), 1.into(), expires.into()])
        .map_err(|e| Error::Db(DbErr::Custom(e.to_string())))?
        .on_conflict(
            OnConflict::columns(["key", "window_start"].map(Alias::new))
                .value(hits.clone(), Expr::col((table, hits.clone())).add(1))
                .to_owned(),
        )
        .returning_col(hits)
        .to_owned();
    let row = db.query_one(db.get_database_backend().build(&upsert)).await?;
    let hits: i32 = row.ok_or_else(|| Error::Db(DbErr::RecordNotFound(TABLE.into())))?.try_get("", "hits")?;
    Ok(i64::from(hits))
}

/// Who a per-client limit counts for `ip`: an IPv4 address itself (an IPv4-mapped IPv6
/// address is its IPv4 address), an IPv6 address by its network of `v6_prefix` bits
/// (`2001:db8:1:2::/64`).
pub fn client_subject(ip: IpAddr, v6_prefix: u8) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let prefix = v6_prefix.min(128);
            let mask = u128::MAX.checked_shl(u32::from(128 - prefix)).unwrap_or(0);
            format!("{}/{prefix}", Ipv6Addr::from(u128::from(v6) & mask))
        }
    }
}

/// Counts one hit by the client at `ip` against `policy`, as `hit` does, with the client
/// named by its network (`client_subject`, the store's IPv6 prefix).
pub async fn hit_client(store: &Store, policy: &Policy, ip: IpAddr) -> Result<Standing, Error> {
    hit(store, policy, &client_subject(ip, store.client_v6_prefix())).await
}

/// Deletes the counters of windows that have ended; returns how many.
pub async fn sweep(store: &Store) -> Result<u64, Error> {
    let expired = Query::delete()
        .from_table(Alias::new(TABLE))
        .and_where(Expr::col(Alias::new("expires_at")).lte(store.now()))
        .to_owned();
    Ok(store.db.execute(store.db.get_database_backend().build(&expired)).await?.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::client_subject;

    #[test]
    fn clients_are_counted_by_address_or_by_network() {
        let of = |ip: &str, prefix| client_subject(ip.parse().unwrap(), prefix);
        assert_eq!(of("203.0.113.7", 64), "203.0.113.7");
        assert_eq!(of("::ffff:203.0.113.7", 64), "203.0.113.7", "a mapped IPv4 address is that address");
        assert_eq!(of("2001:db8:1:2:aaaa::1", 64), "2001:db8:1:2::/64");
        assert_eq!(of("2001:db8:1:2:bbbb::9", 64), of("2001:db8:1:2:aaaa::1", 64), "one /64, one client");
        assert_ne!(of("2001:db8:1:3::1", 64), of("2001:db8:1:2::1", 64));
        assert_eq!(of("2001:db8:1:2:aaaa::1", 48), "2001:db8:1::/48");
        assert_eq!(of("2001:db8::1", 128), "2001:db8::1/128");
        assert_eq!(of("2001:db8::1", 0), "::/0");
    }
}
