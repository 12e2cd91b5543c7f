//! The sender's time zone: local dates and hours to instants and back (IANA names, the tz
//! database compiled in by chrono-tz). Recurring invoices and reminders happen at a local
//! hour on a local date, so they keep 09:00 in Berlin across summer time.

use crate::Error;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The zone `name` names, or a 400 on `field`.
pub fn parse(name: &str, field: &str) -> Result<Tz, Error> {
    name.trim()
        .parse::<Tz>()
        .map_err(|_| Error::invalid(field, format!("{name:?} is not an IANA time zone (e.g. Europe/Berlin)")))
}

/// A stored zone name; UTC if it no longer parses (a zone the tz database dropped).
pub fn of(name: &str) -> Tz {
    name.parse().unwrap_or(Tz::UTC)
}

/// The instant `date` at `hour`:00 local time in `tz`. When the clocks go back and the hour
/// happens twice, the first; when they go forward over it, the hour after the gap.
pub fn at_local(tz: Tz, date: NaiveDate, hour: u32) -> DateTime<Utc> {
    let time = NaiveTime::from_hms_opt(hour.min(23), 0, 0).unwrap_or(NaiveTime::MIN);
    let local = date.and_time(time);
    for shift in [0, 1, 2, 3] {
        if let Some(at) = tz.from_local_datetime(&(local + Duration::hours(shift))).earliest() {
            return at.with_timezone(&Utc);
        }
    }
    // No zone has a gap of four hours; read it as UTC rather than fail.
    local.and_utc()
}

/// The local date in `tz` at `instant`.
pub fn local_date(tz: Tz, instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&tz).date_naive()
}

/// Every IANA zone name, sorted (the pages' chooser).
pub fn names() -> impl Iterator<Item = &'static str> {
    chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn nine_in_berlin_and_new_york_across_summer_time() {
        let berlin = parse("Europe/Berlin", "time_zone").unwrap();
        assert_eq!(at_local(berlin, d("2027-01-31"), 9).to_rfc3339(), "2027-01-31T08:00:00+00:00");
        assert_eq!(at_local(berlin, d("2027-03-31"), 9).to_rfc3339(), "2027-03-31T07:00:00+00:00");
        let ny = parse("America/New_York", "time_zone").unwrap();
        assert_eq!(at_local(ny, d("2027-03-13"), 9).to_rfc3339(), "2027-03-13T14:00:00+00:00");
        assert_eq!(at_local(ny, d("2027-03-15"), 9).to_rfc3339(), "2027-03-15T13:00:00+00:00");
    }

    #[test]
    fn a_skipped_hour_moves_on_and_a_doubled_hour_is_the_first() {
        let berlin = of("Europe/Berlin");
        // 2027-03-28 02:00 does not exist in Berlin (clocks go 02:00 → 03:00 CEST).
        assert_eq!(at_local(berlin, d("2027-03-28"), 2).to_rfc3339(), "2027-03-28T01:00:00+00:00");
        // 2027-10-31 02:00 happens twice; the first is CEST (00:00 UTC).
        assert_eq!(at_local(berlin, d("2027-10-31"), 2).to_rfc3339(), "2027-10-31T00:00:00+00:00");
        assert!(parse("Mars/Olympus", "time_zone").is_err());
        assert_eq!(local_date(of("America/New_York"), "2027-01-01T03:00:00Z".parse().unwrap()), d("2026-12-31"));
    }
}
