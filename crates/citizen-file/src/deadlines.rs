//! A deadline the file is under, with everything needed to explain it and to change it.
//!
//! Events carry a [`ScheduledDeadline`] whole: the inputs (rule, start, pauses, extensions,
//! the extension limit fixed when the deadline started) and the [`ComputedDeadline`] with its
//! explanation. Readers display `computed` without re-running any rule; the aggregate keeps
//! the inputs so that the next pause or extension recomputes from the legal calendar, and a
//! change of configuration never alters a deadline already running.

use chrono::{DateTime, Utc};
use kernel::calendar::{
    CalendarError, ComputedDeadline, Deadline, Extension, HolidayCalendar, Pause,
};
use serde::{Deserialize, Serialize};

use crate::config::DeadlinePolicy;

/// A running deadline: its inputs and its computed due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledDeadline {
    /// Rule, start, pauses and extensions.
    pub deadline: Deadline,
    /// Most extension allowed in total, in the rule's unit (from the policy at the start).
    pub extension_limit: u32,
    /// The due date (or the suspension) and how it was computed.
    pub computed: ComputedDeadline,
}

impl ScheduledDeadline {
    /// A deadline under `policy` starting at `start`.
    pub(crate) fn start(
        policy: &DeadlinePolicy,
        start: DateTime<Utc>,
        calendar: &HolidayCalendar,
    ) -> Result<Self, CalendarError> {
        Self::compute(
            Deadline::new(policy.rule.clone(), start),
            policy.max_extension,
            calendar,
        )
    }

    fn compute(
        deadline: Deadline,
        extension_limit: u32,
        calendar: &HolidayCalendar,
    ) -> Result<Self, CalendarError> {
        let computed = deadline.compute(calendar)?;
        Ok(Self {
            deadline,
            extension_limit,
            computed,
        })
    }

    /// The same deadline with the clock stopped from `at` until further notice.
    pub(crate) fn paused(
        &self,
        at: DateTime<Utc>,
        reason: &str,
        calendar: &HolidayCalendar,
    ) -> Result<Self, CalendarError> {
        let mut deadline = self.deadline.clone();
        deadline.pauses.push(Pause {
            from: at,
            until: None,
            reason: reason.to_owned(),
        });
        Self::compute(deadline, self.extension_limit, calendar)
    }

    /// The same deadline with its open pause lifted at `at`.
    pub(crate) fn resumed(
        &self,
        at: DateTime<Utc>,
        calendar: &HolidayCalendar,
    ) -> Result<Self, CalendarError> {
        let mut deadline = self.deadline.clone();
        if let Some(open) = deadline.pauses.last_mut().filter(|p| p.until.is_none()) {
            open.until = Some(at);
        }
        Self::compute(deadline, self.extension_limit, calendar)
    }

    /// The same deadline extended by `amount` (in the rule's unit) at `at`.
    pub(crate) fn extended(
        &self,
        amount: u32,
        reason: &str,
        at: DateTime<Utc>,
        calendar: &HolidayCalendar,
    ) -> Result<Self, CalendarError> {
        let mut deadline = self.deadline.clone();
        deadline.extensions.push(Extension {
            amount,
            granted_at: at,
            reason: reason.to_owned(),
        });
        Self::compute(deadline, self.extension_limit, calendar)
    }

    /// Extension already granted, in the rule's unit.
    pub fn extended_so_far(&self) -> u32 {
        self.deadline
            .extensions
            .iter()
            .fold(0u32, |total, e| total.saturating_add(e.amount))
    }

    /// Whether the deadline has expired at `now` (never while suspended).
    pub fn is_overdue_at(&self, now: DateTime<Utc>) -> bool {
        self.computed.is_overdue_at(now)
    }
}
