//! When a failed delivery is tried again: the Standard Webhooks schedule (immediately, then
//! 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h after each failure), with jitter so
//! many deliveries failing together do not return together. `unit` is how long one second of
//! the schedule lasts: a second in production, a millisecond or less in tests
//! (WEBHOOK_RETRY_BASE_MS).

use chrono::Duration;

/// Delays after the 1st, 2nd, … failed attempt, in schedule seconds.
const DELAYS: [i64; 9] = [5, 300, 1_800, 7_200, 18_000, 36_000, 50_400, 72_000, 86_400];

/// The first attempt and one per delay.
pub const MAX_ATTEMPTS: i32 = DELAYS.len() as i32 + 1;

/// A subscription whose every delivery has failed this long is disabled (its owner is told).
const DISABLE_AFTER: i64 = 3 * 86_400;

/// A Retry-After longer than this is not waited for: the schedule goes on.
const RETRY_AFTER_CAP: i64 = 86_400;

#[derive(Debug, Clone, Copy)]
pub struct Schedule {
    pub unit: std::time::Duration,
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule { unit: std::time::Duration::from_secs(1) }
    }
}

impl Schedule {
    pub fn from_base_ms(ms: u64) -> Self {
        Schedule { unit: std::time::Duration::from_millis(ms) }
    }

    fn scaled(&self, schedule_secs: i64) -> Duration {
        let unit_us = self.unit.as_micros().min(i64::MAX as u128) as i64;
        Duration::microseconds(schedule_secs.saturating_mul(unit_us))
    }

    /// The wait after failed attempt number `attempt` (1-based), or None when that was the
    /// last. `jitter` in [0, 1) stretches the delay by up to 20 %.
    pub fn delay_after(&self, attempt: i32, jitter: f64) -> Option<Duration> {
        let index = usize::try_from(attempt.checked_sub(1)?).ok()?;
        let base = self.scaled(*DELAYS.get(index)?);
        let stretch = (base.num_microseconds().unwrap_or(i64::MAX) as f64 * 0.2 * jitter.clamp(0.0, 1.0)) as i64;
        Some(base + Duration::microseconds(stretch))
    }

    /// The wait after a failure that came with Retry-After: never sooner than the receiver
    /// asked (real seconds, not scaled), within a day.
    pub fn honour_retry_after(delay: Duration, retry_after: Option<Duration>) -> Duration {
        match retry_after {
            Some(asked) => delay.max(asked.min(Duration::seconds(RETRY_AFTER_CAP))),
            None => delay,
        }
    }

    /// How long every delivery may fail before the subscription is disabled.
    pub fn disable_after(&self) -> Duration {
        self.scaled(DISABLE_AFTER)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_webhooks_schedule_then_giving_up() {
        let s = Schedule::default();
        let waits: Vec<i64> =
            (1..=MAX_ATTEMPTS).map_while(|a| s.delay_after(a, 0.0)).map(|d| d.num_seconds()).collect();
        assert_eq!(waits, vec![5, 300, 1_800, 7_200, 18_000, 36_000, 50_400, 72_000, 86_400]);
        assert_eq!(MAX_ATTEMPTS, 10);
        assert_eq!(s.delay_after(MAX_ATTEMPTS, 0.0), None, "no wait after the last attempt");
        assert_eq!(s.delay_after(0, 0.0), None);
    }

    #[test]
    fn jitter_stretches_by_at_most_a_fifth() {
        let s = Schedule::default();
        let d = s.delay_after(2, 0.999).unwrap();
        assert!(d > Duration::seconds(300) && d < Duration::seconds(360), "{d}");
    }

    #[test]
    fn the_unit_scales_everything() {
        let s = Schedule::from_base_ms(1);
        assert_eq!(s.delay_after(1, 0.0), Some(Duration::milliseconds(5)));
        assert_eq!(s.disable_after(), Duration::milliseconds(259_200));
    }

    #[test]
    fn retry_after_is_honoured_but_capped() {
        let five = Duration::seconds(5);
        assert_eq!(Schedule::honour_retry_after(five, Some(Duration::seconds(120))), Duration::seconds(120));
        assert_eq!(Schedule::honour_retry_after(five, Some(Duration::seconds(1))), five);
        assert_eq!(Schedule::honour_retry_after(five, Some(Duration::days(30))), Duration::days(1));
    }
}
