//! When a recurring invoice happens: every N weeks, months or years, on a day, from a start
//! date until an end date or a count. Pure calendar dates (the sender's local dates): the
//! time zone and the hour are the data layer's, so this also runs in the browser.
//!
//! "The 31st" is the last day of shorter months (Feb 28/29, Apr 30), and a yearly schedule
//! on Feb 29 falls on Feb 28 in common years: each date is computed from the start, never
//! from the previous date, so one short month does not pull every later date back.

use crate::error::Error;
use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The longest step: every 12 of a unit (a yearly schedule every 12 years is silly, but
/// harmless), and the most occurrences a schedule may have.
pub const MAX_EVERY: u32 = 12;
pub const MAX_COUNT: u32 = 1_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Week,
    Month,
    Year,
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Week => "week",
            Unit::Month => "month",
            Unit::Year => "year",
        }
    }

    pub fn parse(text: &str) -> Option<Unit> {
        [Unit::Week, Unit::Month, Unit::Year].into_iter().find(|u| u.as_str() == text)
    }
}

/// A recurring invoice's schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Schedule {
    /// Every this many units (1 = every week / month / year).
    #[serde(deserialize_with = "crate::whole::int")]
    pub every: u32,
    pub unit: Unit,
    /// The day: 1 (Monday) to 7 (Sunday) for weeks, 1 to 31 of the month for months and
    /// years (31 = the month's last day). Absent: the start date's.
    #[serde(default, deserialize_with = "crate::whole::opt_int")]
    pub day: Option<u32>,
    /// The first occurrence is the first scheduled day on or after it.
    pub start_date: NaiveDate,
    /// No occurrence after it.
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
    /// At most this many occurrences (skipped ones count).
    #[serde(default, deserialize_with = "crate::whole::opt_int")]
    pub count: Option<u32>,
}

impl Schedule {
    /// The schedule, or what is wrong with it (fields under `prefix`, e.g. "schedule").
    pub fn checked(self, prefix: &str) -> Result<Schedule, Error> {
        let field = |name: &str| format!("{prefix}.{name}");
        if !(1..=MAX_EVERY).contains(&self.every) {
            return Err(Error::invalid(field("every"), format!("every must be 1 to {MAX_EVERY}")));
        }
        let days = match self.unit {
            Unit::Week => 1..=7,
            Unit::Month | Unit::Year => 1..=31,
        };
        if let Some(day) = self.day
            && !days.contains(&day)
        {
            let say = match self.unit {
                Unit::Week => "day must be 1 (Monday) to 7 (Sunday) for a weekly schedule",
                _ => "day must be 1 to 31 (31: the month's last day)",
            };
            return Err(Error::invalid(field("day"), say));
        }
        if let Some(end) = self.end_date
            && end < self.start_date
        {
            return Err(Error::invalid(field("end_date"), "end_date must not be before start_date"));
        }
        if let Some(count) = self.count
            && !(1..=MAX_COUNT).contains(&count)
        {
            return Err(Error::invalid(field("count"), format!("count must be 1 to {MAX_COUNT}")));
        }
        Ok(self)
    }

    /// The `k`-th scheduled date counted from the start's week, month or year (k = 0 may lie
    /// before the start date; see [`Schedule::dates`]).
    fn nth(&self, k: u32) -> Option<NaiveDate> {
        let step = k.checked_mul(self.every)?;
        match self.unit {
            Unit::Week => {
                let want = self.day.unwrap_or(self.start_date.weekday().number_from_monday());
                let ahead = (want + 7 - self.start_date.weekday().number_from_monday()) % 7;
                let first = self.start_date.checked_add_days(Days::new(ahead.into()))?;
                first.checked_add_days(Days::new(u64::from(step) * 7))
            }
            Unit::Month => self.in_month(self.first_of_start_month().checked_add_months(Months::new(step))?),
            Unit::Year => {
                self.in_month(self.first_of_start_month().checked_add_months(Months::new(step.checked_mul(12)?))?)
            }
        }
    }

    fn first_of_start_month(&self) -> NaiveDate {
        self.start_date.with_day(1).unwrap_or(self.start_date)
    }

    /// The schedule's day in the month starting `first`, or the month's last day.
    fn in_month(&self, first: NaiveDate) -> Option<NaiveDate> {
        let day = self.day.unwrap_or(self.start_date.day());
        let last = last_day_of_month(first)?;
        first.with_day(day.min(last))
    }

    /// Every scheduled date from the start, in order, up to the end date (the count is the
    /// caller's: skipped occurrences count too).
    pub fn dates(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        (0..)
            .map_while(|k| self.nth(k))
            .filter(|d| *d >= self.start_date)
            .take_while(|d| self.end_date.is_none_or(|end| *d <= end))
    }

    /// The first scheduled date after `after` (or the first of all), up to the end date.
    pub fn next_after(&self, after: Option<NaiveDate>) -> Option<NaiveDate> {
        let Some(after) = after else { return self.dates().next() };
        // Jump close to `after` instead of walking from the start (a weekly schedule years old).
        let per_step_days = match self.unit {
            Unit::Week => 7,
            Unit::Month => 31,
            Unit::Year => 366,
        } * self.every as i64;
        let skip = ((after - self.start_date).num_days() / per_step_days - 1).max(0) as u32;
        (skip..)
            .map_while(|k| self.nth(k))
            .filter(|d| *d >= self.start_date && *d > after)
            .take_while(|d| self.end_date.is_none_or(|end| *d <= end))
            .next()
    }

    /// The period an occurrence on `date` bills: from it to the day before the next
    /// scheduled date (end and count aside: the last invoice bills a whole period too).
    pub fn period(&self, date: NaiveDate) -> (NaiveDate, NaiveDate) {
        let unbounded = Schedule { end_date: None, ..self.clone() };
        let end = unbounded.next_after(Some(date)).and_then(|next| next.pred_opt()).unwrap_or(date);
        (date, end)
    }

    /// Whether the period is exactly one calendar month or year (said "March 2027", "2027").
    pub fn period_is_calendar(&self, date: NaiveDate) -> Option<Unit> {
        let (start, end) = self.period(date);
        let whole_month = start.day() == 1 && end.succ_opt().is_some_and(|n| n.day() == 1);
        match self.unit {
            Unit::Month if self.every == 1 && whole_month => Some(Unit::Month),
            Unit::Year if self.every == 1 && whole_month && start.month() == 1 && end.month() == 12 => Some(Unit::Year),
            _ => None,
        }
    }
}

pub fn last_day_of_month(date: NaiveDate) -> Option<u32> {
    let first = date.with_day(1)?;
    let next = first.checked_add_months(Months::new(1))?;
    Some(next.pred_opt()?.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn monthly(start: &str, day: Option<u32>) -> Schedule {
        Schedule { every: 1, unit: Unit::Month, day, start_date: d(start), end_date: None, count: None }
    }

    #[test]
    fn the_31st_is_the_last_day_of_shorter_months_and_comes_back() {
        let dates: Vec<_> = monthly("2027-01-31", None).dates().take(5).map(|x| x.to_string()).collect();
        assert_eq!(dates, ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31"]);
        let leap: Vec<_> = monthly("2028-01-31", None).dates().take(2).map(|x| x.to_string()).collect();
        assert_eq!(leap, ["2028-01-31", "2028-02-29"]);
    }

    #[test]
    fn a_day_before_the_start_day_begins_next_month() {
        let dates: Vec<_> = monthly("2027-01-15", Some(1)).dates().take(2).map(|x| x.to_string()).collect();
        assert_eq!(dates, ["2027-02-01", "2027-03-01"]);
        let same: Vec<_> = monthly("2027-01-15", Some(31)).dates().take(2).map(|x| x.to_string()).collect();
        assert_eq!(same, ["2027-01-31", "2027-02-28"]);
    }

    #[test]
    fn weekly_on_a_weekday_and_yearly_on_feb_29() {
        // 2027-01-06 is a Wednesday; every 2 weeks on Friday.
        let s = Schedule { every: 2, unit: Unit::Week, day: Some(5), ..monthly("2027-01-06", None) };
        let dates: Vec<_> = s.dates().take(3).map(|x| x.to_string()).collect();
        assert_eq!(dates, ["2027-01-08", "2027-01-22", "2027-02-05"]);
        let y = Schedule { unit: Unit::Year, ..monthly("2028-02-29", None) };
        let dates: Vec<_> = y.dates().take(5).map(|x| x.to_string()).collect();
        assert_eq!(dates, ["2028-02-29", "2029-02-28", "2030-02-28", "2031-02-28", "2032-02-29"]);
    }

    #[test]
    fn end_date_and_next_after() {
        let s = Schedule { end_date: Some(d("2027-04-30")), ..monthly("2027-01-31", None) };
        assert_eq!(s.dates().count(), 4);
        assert_eq!(s.next_after(None), Some(d("2027-01-31")));
        assert_eq!(s.next_after(Some(d("2027-02-28"))), Some(d("2027-03-31")));
        assert_eq!(s.next_after(Some(d("2027-02-27"))), Some(d("2027-02-28")));
        assert_eq!(s.next_after(Some(d("2027-04-30"))), None);
        // Far from the start, the jump lands on the same dates as the walk.
        let long = monthly("2000-01-31", None);
        for after in ["2026-02-27", "2026-02-28", "2026-03-01", "2026-12-31"] {
            let walked = long.dates().find(|x| *x > d(after));
            assert_eq!(long.next_after(Some(d(after))), walked, "{after}");
        }
    }

    #[test]
    fn a_period_runs_to_the_day_before_the_next_date() {
        let s = monthly("2027-03-01", None);
        assert_eq!(s.period(d("2027-03-01")), (d("2027-03-01"), d("2027-03-31")));
        assert_eq!(s.period_is_calendar(d("2027-03-01")), Some(Unit::Month));
        let mid = monthly("2027-03-15", None);
        assert_eq!(mid.period(d("2027-03-15")), (d("2027-03-15"), d("2027-04-14")));
        assert_eq!(mid.period_is_calendar(d("2027-03-15")), None);
        let last = Schedule { count: Some(1), end_date: Some(d("2027-03-01")), ..s };
        assert_eq!(last.period(d("2027-03-01")).1, d("2027-03-31"), "the last period is whole too");
    }

    #[test]
    fn bad_schedules_name_their_field() {
        let bad = |s: Schedule| s.checked("schedule").unwrap_err().field().map(str::to_string);
        assert_eq!(bad(Schedule { every: 0, ..monthly("2027-01-01", None) }).as_deref(), Some("schedule.every"));
        assert_eq!(bad(monthly("2027-01-01", Some(32))).as_deref(), Some("schedule.day"));
        let week = Schedule { unit: Unit::Week, day: Some(8), ..monthly("2027-01-01", None) };
        assert_eq!(bad(week).as_deref(), Some("schedule.day"));
        let ends = Schedule { end_date: Some(d("2026-12-31")), ..monthly("2027-01-01", None) };
        assert_eq!(bad(ends).as_deref(), Some("schedule.end_date"));
        assert_eq!(bad(Schedule { count: Some(0), ..monthly("2027-01-01", None) }).as_deref(), Some("schedule.count"));
    }
}
