//! The legal calendar: Tunisian working days and public holidays, legal deadlines, and the
//! explanation of how each due date was computed.
//!
//! # Calendar
//!
//! A [`HolidayCalendar`] says which local days are working days: a time zone (Africa/Tunis),
//! a weekend (Saturday and Sunday), fixed holidays (1 Jan, 20 Mar, 9 Apr, 1 May, 25 Jul,
//! 13 Aug, 15 Oct, 17 Dec) and lunar holidays entered year by year (Hijri new year, Mouled,
//! Aid al-Fitr, Aid al-Adha), since they are announced each year. [`HolidayCalendar::tunisia`]
//! embeds estimates for 2024 to 2028 (`data/tunisia-lunar-holidays.json`), to be replaced by
//! the official dates with [`HolidayCalendar::with_dated`]. Every data set has a `version`,
//! stored next to each computed date, so that a change of calendar can find and recompute
//! the open deadlines (domain notes, section 5). All of this is an assumption to verify
//! yearly; other calendars come from configuration ([`CalendarConfig`], validated).
//!
//! # Deadlines
//!
//! A [`Deadline`] is a [`DeadlineRule`] (amount, unit, roll policy, legal source), a start
//! instant, pauses and extensions. [`Deadline::compute`] gives a [`ComputedDeadline`]: the
//! [`DueStatus`], the calendar version, and an [`Explanation`] that readers display without
//! ever re-running the rule.
//!
//! - **Budget.** `amount + sum(extension amounts)`, in the rule's unit, consumed while the
//!   clock runs and not during pauses. The amount and every extension must be at least 1
//!   ([`CalendarError::ZeroAmount`]: "immediately" is not a deadline, and a zero budget would
//!   make the due instant the start instant). The whole budget is at most
//!   [`MAX_BUDGET_DAYS`] = 3 660 days or [`MAX_BUDGET_HOURS`] = 87 840 hours (about ten years;
//!   [`CalendarError::OutOfRange`]). Extensions count whenever they were granted (not before
//!   the start); refusing a late extension is the aggregate's decision, not the calendar's.
//! - **Day units.** The start day is not counted (*dies a quo non computatur*): counting
//!   begins the next local day. [`DeadlineUnit::CalendarDays`] counts every day,
//!   [`DeadlineUnit::WorkingDays`] only working days. The due date is the day the budget is
//!   used up; the deadline expires at the end of that local day: `due_at` is the start of
//!   the next local day, an exclusive bound.
//! - **Pauses, day units.** A pause taken on local day `p` and lifted on local day `r` stops
//!   the count for the days `(p, r]`: day `p` counts, counting resumes the day after `r`. A
//!   pause lifted the day it was taken changes nothing.
//! - **Hours.** The budget is a duration consumed in real time from the start, stopped during
//!   pauses; `due_at` is the instant it runs out and `due_date` the local day of the last
//!   instant before it (an expiry at exactly midnight belongs to the day before).
//! - **Roll.** With [`RollPolicy::NextWorkingDay`] (the default, an assumption of the domain
//!   notes) a due date on a non-working day moves to the next working day and the deadline
//!   expires at the end of that day; the explanation says why ([`NonWorkingReason`]: weekend
//!   or which holiday). For day units this makes `due_at` monotonic in the budget. For hours
//!   the due *date* is monotonic but `due_at` is not: 48 hours ending on a Sunday run to the
//!   end of Monday, while 50 hours ending Monday 01:00 end at 01:00. That is the literal rule.
//! - **Late pauses.** A pause that begins once the budget is used up changes nothing and is
//!   listed as ignored: after the expiry ([`PauseIgnoredReason::DeadlineExpired`]: a pause
//!   does not revive a deadline), or before it while the budget is already spent (the last
//!   counted day itself, or the days the due date is rolled over:
//!   [`PauseIgnoredReason::BudgetUsedUp`]).
//! - **Pause order.** Pauses must be in order, disjoint (one may begin the instant the
//!   previous one ends), not before the start, each ending no earlier than it begins; only
//!   the last may be open. Otherwise a [`CalendarError`] names the faulty pause.
//! - **Suspension.** While the last pause is open (and not ignored) the result is
//!   [`DueStatus::Suspended`] with the budget left ([`Budget`]; hours in whole seconds).
//! - **Missing lunar data.** When the computation has to know whether a day of a year without
//!   lunar data is a working day, it goes on with the weekend and fixed holidays and the
//!   explanation carries a [`ExplanationStep::MissingLunarData`] warning for that year.
//!   (Calendar days without a roll never ask.)
//! - **No panics, no endless loops.** Every walk over days is bounded; dates beyond chrono's
//!   range, or a calendar without working days for a year, give an error.
//!
//! # Example
//!
//! ```
//! use chrono::{NaiveDate, TimeZone, Utc};
//! use kernel::calendar::{Deadline, DeadlineRule, DeadlineUnit, DueStatus, HolidayCalendar};
//!
//! let calendar = HolidayCalendar::tunisia()?;
//! // Tuesday 17 March 2026, 10:00 in Tunis.
//! let received = Utc.with_ymd_and_hms(2026, 3, 17, 9, 0, 0).unwrap();
//! let rule = DeadlineRule::new(30, DeadlineUnit::CalendarDays, "configuration: default reply deadline");
//! let computed = Deadline::new(rule, received).compute(&calendar)?;
//! let DueStatus::Due { due_date, due_at } = computed.due else { unreachable!() };
//! assert_eq!(due_date, NaiveDate::from_ymd_opt(2026, 4, 16).unwrap());
//! assert_eq!(due_at, calendar.start_of_day(NaiveDate::from_ymd_opt(2026, 4, 17).unwrap())?);
//! assert_eq!(computed.calendar_version, "TN-2026.1");
//! assert!(computed.explanation.to_string().ends_with("Échéance : fin du jeudi 16/04/2026 (heure de Tunis)"));
//! # Ok::<(), kernel::calendar::CalendarError>(())
//! ```

mod deadline;
mod error;
mod explanation;
mod holidays;
mod time;

#[cfg(test)]
mod tests;

pub use deadline::{
    Budget, ComputedDeadline, Deadline, DeadlineRule, DeadlineUnit, DueStatus, Extension,
    MAX_BUDGET_DAYS, MAX_BUDGET_HOURS, Pause, RollPolicy,
};
pub use error::CalendarError;
pub use explanation::{Explanation, ExplanationStep, PauseIgnoredReason};
pub use holidays::{
    CalendarConfig, DatedHoliday, FixedHoliday, HolidayCalendar, LunarYear, NonWorkingReason,
};
