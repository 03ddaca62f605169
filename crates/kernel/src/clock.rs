//! The clock a domain receives instead of reading the wall clock.
//!
//! Deadlines, receipts and reminders depend on "now". Aggregates get it from a [`Clock`] in
//! their services (or as a command field stamped at the edge), so that tests can pin time and
//! auditors replaying history never see today's date leak into yesterday's decisions.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Duration, Utc};

/// A source of the current instant.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current instant, in UTC.
    fn now(&self) -> DateTime<Utc>;
}

/// The real wall clock, for production.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that only moves when told to: for tests and for replays "as of" a date.
///
/// Clones share the same instant, so a test can hold one handle and advance the clock the
/// services see.
#[derive(Clone, Debug)]
pub struct ManualClock {
    now: Arc<Mutex<DateTime<Utc>>>,
}

impl ManualClock {
    /// A clock stopped at `at`.
    pub fn at(at: DateTime<Utc>) -> Self {
        Self {
            now: Arc::new(Mutex::new(at)),
        }
    }

    /// Moves the clock to `at` (backwards too: a test may need it).
    pub fn set(&self, at: DateTime<Utc>) {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner) = at;
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn manual_clock_moves_only_when_told_and_clones_share_time() {
        let start = Utc.with_ymd_and_hms(2026, 3, 17, 9, 0, 0).unwrap();
        let clock = ManualClock::at(start);
        let seen_by_service = clock.clone();
        assert_eq!(seen_by_service.now(), start);
        clock.advance(Duration::hours(48));
        assert_eq!(seen_by_service.now(), start + Duration::hours(48));
        clock.set(start);
        assert_eq!(seen_by_service.now(), start);
    }

    #[test]
    fn system_clock_is_close_to_utc_now() {
        let delta = (SystemClock.now() - Utc::now()).num_seconds().abs();
        assert!(delta < 5);
    }
}
