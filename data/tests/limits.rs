//! The one limiter: fixed windows counted in the database, refused hits counted too, the
//! RateLimit fields exact at the boundary, subjects apart, expired counters swept — on SQLite
//! and PostgreSQL.

use chrono::{Duration, TimeZone, Utc};
use data::limits;
use data::testkit::TestDb;
use data::{Error, on_both_databases};

use data::anonymous::PER_CLIENT as ANONYMOUS;

async fn the_sixth_request_in_a_minute_is_refused_with_the_fields(db: TestDb) {
    // 10:00:19, standing still: the minute resets in 41 s, the hour in 3,581 s.
    let at = Utc.with_ymd_and_hms(2030, 1, 1, 10, 0, 19).unwrap();
    let store = db.store().await.with_clock(data::clock::Clock::stopped(at));
    let policy = r#""min";q=5;w=60, "hour";q=30;w=3600, "day";q=100;w=86400"#;
    for left in (0..5).rev() {
        let standing = limits::hit(&store, &ANONYMOUS, "203.0.113.9").await.unwrap();
        assert_eq!(standing.policy, policy);
        assert_eq!(standing.current, format!("\"min\";r={left};t=41"));
    }
    let refused = limits::hit(&store, &ANONYMOUS, "203.0.113.9").await.unwrap_err();
    let Error::RateLimited { retry_after_secs, standing: Some(standing), message } = refused else {
        panic!("{refused:?}")
    };
    assert_eq!((retry_after_secs, standing.current.as_str()), (41, r#""min";r=0;t=41"#));
    assert_eq!(
        message,
        "too many invoices made without an account from your network: at most 5 per minute; try again in 41 seconds"
    );
    assert!(limits::hit(&store, &ANONYMOUS, "198.51.100.7").await.is_ok(), "another address has its own count");

    // The next minute: allowed again; the refused hit counted towards the hour (7 of 30).
    store.clock().advance(Duration::seconds(41));
    let standing = limits::hit(&store, &ANONYMOUS, "203.0.113.9").await.unwrap();
    assert_eq!(standing.current, r#""min";r=4;t=60"#);
    for _ in 0..4 {
        limits::hit(&store, &ANONYMOUS, "203.0.113.9").await.unwrap();
    }
    // 11 in the hour so far; four more minutes of five reach 31, the last refused by the hour.
    let mut last = None;
    for _ in 0..4 {
        store.clock().advance(Duration::seconds(60));
        for _ in 0..5 {
            last = Some(limits::hit(&store, &ANONYMOUS, "203.0.113.9").await);
        }
    }
    let Some(Err(Error::RateLimited { retry_after_secs, .. })) = last else { panic!("{last:?}") };
    assert_eq!(retry_after_secs, 3_600 - 5 * 60, "until the hour is over (10:05:00 → 11:00:00)");

    store.clock().advance(Duration::days(2));
    assert!(limits::sweep(&store).await.unwrap() >= 6, "ended windows are swept");
    assert_eq!(limits::sweep(&store).await.unwrap(), 0);
    assert_eq!(limits::hit(&store, &ANONYMOUS, "203.0.113.9").await.unwrap().current, r#""min";r=4;t=60"#);
}
on_both_databases!(the_sixth_request_in_a_minute_is_refused_with_the_fields);
