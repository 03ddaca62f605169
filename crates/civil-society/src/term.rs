//! Terms counted in months ("one month from the notification", art. 9; "a year from its
//! establishment", art. 17), computed on the kernel's legal calendar.
//!
//! The kernel counts hours, calendar days and working days, not months, and a month is not
//! 30 days: one month from 9 March ends on 9 April, from 30 January on 28 February. This crate
//! may not change the kernel, so it converts the months into the calendar days they span
//! (same day of the month `n` months later, clamped to the end of a shorter month, as chrono's
//! `checked_add_months` does) and lets the kernel count those days from the start date and
//! roll a due date that falls on a weekend or holiday. The result is therefore an ordinary
//! [`ComputedDeadline`], with the kernel's explanation and calendar version, and the rule's
//! `source` states the conversion ("1 month from 2026-03-09 to 2026-04-09 = 31 calendar days"),
//! so readers never redo it. The nominal end (before any roll) is kept next to it.

use chrono::{Months, NaiveDate};
use kernel::calendar::{
    CalendarError, ComputedDeadline, Deadline, DeadlineRule, DeadlineUnit, DueStatus,
    HolidayCalendar, RollPolicy,
};
use serde::{Deserialize, Serialize};

/// A term of whole months from a start date, as computed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthTerm {
    /// The day the term runs from (not counted itself).
    pub starts_on: NaiveDate,
    /// Its length in months.
    pub months: u32,
    /// The same day `months` later (clamped to the end of a shorter month), before any roll.
    pub nominal_end: NaiveDate,
    /// The last day of the term, after the roll: the term expires at the end of that day.
    pub due_date: NaiveDate,
    /// The due date after the roll, with the kernel's explanation and calendar version.
    pub deadline: ComputedDeadline,
}

impl MonthTerm {
    /// Computes `months` months from `starts_on` with `calendar`. `legal_source` names the
    /// rule ("decree 2019-401 art. 9"); the conversion to days is appended to it.
    ///
    /// Zero months is [`CalendarError::ZeroAmount`], as for any kernel deadline.
    pub fn compute(
        calendar: &HolidayCalendar,
        starts_on: NaiveDate,
        months: u32,
        roll: RollPolicy,
        legal_source: &str,
    ) -> Result<Self, CalendarError> {
        let nominal_end = starts_on
            .checked_add_months(Months::new(months))
            .ok_or(CalendarError::DateOutOfRange)?;
        let days = u32::try_from((nominal_end - starts_on).num_days())
            .map_err(|_| CalendarError::DateOutOfRange)?;
        let rule = DeadlineRule {
            amount: days,
            unit: DeadlineUnit::CalendarDays,
            roll,
            source: format!(
                "{legal_source}: {months} month(s) from {starts_on} to {nominal_end} \
                 = {days} calendar days"
            ),
        };
        let deadline = Deadline::new(rule, calendar.start_of_day(starts_on)?).compute(calendar)?;
        // Only an open pause suspends a deadline, and this one has none.
        let DueStatus::Due { due_date, .. } = deadline.due else {
            return Err(CalendarError::DateOutOfRange);
        };
        Ok(Self {
            starts_on,
            months,
            nominal_end,
            due_date,
            deadline,
        })
    }
}
