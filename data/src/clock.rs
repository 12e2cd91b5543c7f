//! The time the queues and schedules run on. Production reads the system clock; tests move
//! an adjustable clock forward (hours at a step), so a retry schedule or a lease is driven
//! step by step and never races the wall clock of a loaded machine.

use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

#[derive(Clone, Debug, Default)]
pub struct Clock {
    kind: Kind,
}

#[derive(Clone, Debug, Default)]
enum Kind {
    #[default]
    System,
    /// Runs with the system clock, this many µs ahead.
    Ahead(Arc<AtomicI64>),
    /// Stands at this many µs since the epoch until moved.
    Stopped(Arc<AtomicI64>),
}

impl Clock {
    pub fn system() -> Clock {
        Clock { kind: Kind::System }
    }

    /// A clock that starts at the system time and can be moved forward, never back: rows
    /// written with the system time are never in its future.
    pub fn adjustable() -> Clock {
        Clock { kind: Kind::Ahead(Arc::new(AtomicI64::new(0))) }
    }

    /// A clock that stands at `at` until moved forward: for tests that count seconds.
    pub fn stopped(at: DateTime<Utc>) -> Clock {
        Clock { kind: Kind::Stopped(Arc::new(AtomicI64::new(at.timestamp_micros()))) }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match &self.kind {
            Kind::System => Utc::now(),
            Kind::Ahead(ahead) => Utc::now() + Duration::microseconds(ahead.load(Ordering::SeqCst)),
            Kind::Stopped(at) => DateTime::from_timestamp_micros(at.load(Ordering::SeqCst)).unwrap_or_default(),
        }
    }

    /// Moves an adjustable or stopped clock forward by `by`; the system clock cannot be moved.
    pub fn advance(&self, by: Duration) {
        if let Kind::Ahead(us) | Kind::Stopped(us) = &self.kind {
            us.fetch_add(by.num_microseconds().unwrap_or(i64::MAX).max(0), Ordering::SeqCst);
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

    #[test]
    fn a_stopped_clock_stands_until_moved() {
        let at = DateTime::from_timestamp(1_900_000_019, 0).unwrap();
        let c = Clock::stopped(at);
        assert_eq!(c.now(), at);
        c.advance(Duration::seconds(41));
        assert_eq!(c.now(), at + Duration::seconds(41));
    }
}
