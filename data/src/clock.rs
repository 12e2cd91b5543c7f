//! The time the queues and schedules run on. Production reads the system clock; tests move
//! an adjustable clock forward (hours at a step), so a retry schedule or a lease is driven
//! step by step and never races the wall clock of a loaded machine.

use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

#[derive(Clone, Debug, Default)]
pub struct Clock {
    /// How far (µs) this clock runs ahead of the system clock; None for the system clock.
    ahead_us: Option<Arc<AtomicI64>>,
}

impl Clock {
    pub fn system() -> Clock {
        Clock { ahead_us: None }
    }

    /// A clock that starts at the system time and can be moved forward, never back: rows
    /// written with the system time are never in its future.
    pub fn adjustable() -> Clock {
        Clock { ahead_us: Some(Arc::new(AtomicI64::new(0))) }
    }

    pub fn now(&self) -> DateTime<Utc> {
        let ahead = self.ahead_us.as_ref().map_or(0, |a| a.load(Ordering::SeqCst));
        Utc::now() + Duration::microseconds(ahead)
    }

    /// Moves an adjustable clock forward by `by`; the system clock cannot be moved.
    pub fn advance(&self, by: Duration) {
        if let Some(a) = &self.ahead_us {
            a.fetch_add(by.num_microseconds().unwrap_or(i64::MAX).max(0), Ordering::SeqCst);
        }
    }

    /// Moves an adjustable clock forward to at least `at`.
    pub fn advance_to(&self, at: DateTime<Utc>) {
        let behind = at - self.now();
        if behind > Duration::zero() {
            self.advance(behind);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_adjustable_clock_moves_forward_only() {
        let c = Clock::adjustable();
        let start = c.now();
        c.advance(Duration::hours(5));
        assert!(c.now() - start >= Duration::hours(5));
        c.advance_to(start);
        assert!(c.now() - start >= Duration::hours(5), "never back");
        let sys = Clock::system();
        sys.advance(Duration::hours(5));
        assert!(sys.now() - Utc::now() < Duration::hours(1), "the system clock stays put");
    }
}
