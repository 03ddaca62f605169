//! Deadlines: a rule (amount, unit, roll policy, legal source), a start instant, pauses and
//! extensions, and the computation of the due date with its explanation.
//!
//! The semantics are documented in the parent module ([`crate::calendar`]).

use std::collections::BTreeSet;
use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::error::CalendarError;
use super::explanation::{Explanation, ExplanationStep, PauseIgnoredReason};
use super::holidays::HolidayCalendar;

/// Largest budget in days (amount plus extensions): about ten years.
pub const MAX_BUDGET_DAYS: u32 = 3_660;
/// Largest budget in hours: the same span as [`MAX_BUDGET_DAYS`].
pub const MAX_BUDGET_HOURS: u32 = MAX_BUDGET_DAYS * 24;
/// A computation walking more days than this (about 270 years) has met a degenerate calendar;
/// it stops with [`CalendarError::DateOutOfRange`] instead of walking on.
const MAX_WALK_DAYS: u32 = 100_000;
/// Same bound as the calendar's search for a working day.
const MAX_ROLL_DAYS: u32 = 366;

/// The unit a deadline is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineUnit {
    /// Real hours, from the start instant.
    Hours,
    /// Every day counts.
    CalendarDays,
    /// Only working days count.
    WorkingDays,
}

impl DeadlineUnit {
    /// The largest budget accepted in this unit.
    pub fn max_budget(self) -> u32 {
        match self {
            Self::Hours => MAX_BUDGET_HOURS,
            Self::CalendarDays | Self::WorkingDays => MAX_BUDGET_DAYS,
        }
    }
}

impl fmt::Display for DeadlineUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Hours => "hours",
            Self::CalendarDays => "calendar days",
            Self::WorkingDays => "working days",
        })
    }
}

/// What happens to a deadline that ends on a non-working day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RollPolicy {
    /// It moves to the end of the next working day (domain notes, section 5: assumption).
    #[default]
    NextWorkingDay,
    /// It ends where it falls.
    None,
}

/// A deadline rule and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineRule {
    /// How much time, in `unit`; at least 1.
    pub amount: u32,
    /// The unit of `amount` and of every extension.
    pub unit: DeadlineUnit,
    /// What happens when the deadline ends on a non-working day.
    #[serde(default)]
    pub roll: RollPolicy,
    /// Where the rule comes from: "circular 2 of 2020", "configuration: default reply deadline".
    pub source: String,
}

impl DeadlineRule {
    /// A rule rolling to the next working day (the default policy).
    pub fn new(amount: u32, unit: DeadlineUnit, source: impl Into<String>) -> Self {
        Self {
            amount,
            unit,
            roll: RollPolicy::NextWorkingDay,
            source: source.into(),
        }
    }
}

/// The clock stopped, e.g. while waiting for the citizen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    /// When the clock stopped.
    pub from: DateTime<Utc>,
    /// When it started again; `None` while still stopped.
    pub until: Option<DateTime<Utc>>,
    /// Why (shown in the explanation).
    pub reason: String,
}

/// More time granted, in the rule's unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    /// How much more, in the rule's unit; at least 1.
    pub amount: u32,
    /// When it was granted (not before the start).
    pub granted_at: DateTime<Utc>,
    /// Why (shown in the explanation).
    pub reason: String,
}

/// A deadline running from `start` under `rule`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// The rule.
    pub rule: DeadlineRule,
    /// When the deadline starts (e.g. receipt of the file).
    pub start: DateTime<Utc>,
    /// Pauses, in order, disjoint, not before `start`; only the last may be open.
    #[serde(default)]
    pub pauses: Vec<Pause>,
    /// Extensions.
    #[serde(default)]
    pub extensions: Vec<Extension>,
}

/// An amount of deadline budget, in a deadline's unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "unit", rename_all = "snake_case")]
pub enum Budget {
    /// A duration, in whole seconds (truncated).
    Hours {
        /// Seconds.
        seconds: i64,
    },
    /// Calendar days.
    CalendarDays {
        /// Days.
        days: u32,
    },
    /// Working days.
    WorkingDays {
        /// Days.
        days: u32,
    },
}

impl Budget {
    /// `amount` in `unit` (hours become seconds).
    fn of(unit: DeadlineUnit, amount: u32) -> Self {
        match unit {
            DeadlineUnit::Hours => Self::Hours {
                seconds: i64::from(amount) * 3_600,
            },
            DeadlineUnit::CalendarDays => Self::CalendarDays { days: amount },
            DeadlineUnit::WorkingDays => Self::WorkingDays { days: amount },
        }
    }

    fn time(duration: TimeDelta) -> Self {
        Self::Hours {
            seconds: duration.num_seconds(),
        }
    }

    /// The unit of this amount.
    pub fn unit(&self) -> DeadlineUnit {
        match self {
            Self::Hours { .. } => DeadlineUnit::Hours,
            Self::CalendarDays { .. } => DeadlineUnit::CalendarDays,
            Self::WorkingDays { .. } => DeadlineUnit::WorkingDays,
        }
    }

    /// Whether nothing is left.
    pub fn is_zero(&self) -> bool {
        match self {
            Self::Hours { seconds } => *seconds <= 0,
            Self::CalendarDays { days } | Self::WorkingDays { days } => *days == 0,
        }
    }
}

/// Where a deadline stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum DueStatus {
    /// The deadline runs (or ran) out.
    Due {
        /// The last day of the deadline, inclusive (local date).
        due_date: NaiveDate,
        /// The instant it expires, exclusive: for day units and rolled deadlines the start of
        /// the local day after `due_date`.
        due_at: DateTime<Utc>,
    },
    /// The clock is stopped by an open pause.
    Suspended {
        /// When the open pause began.
        since: DateTime<Utc>,
        /// Budget left when the clock restarts.
        remaining: Budget,
    },
}

/// A computed deadline: the result, the calendar data set it was computed with, and how.
/// Events carry it whole, so readers never re-run the rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComputedDeadline {
    /// The result.
    pub due: DueStatus,
    /// [`HolidayCalendar::version`] of the calendar used.
    pub calendar_version: String,
    /// Step-by-step explanation; its last step restates `due`.
    pub explanation: Explanation,
}

impl ComputedDeadline {
    /// The expiry instant, unless suspended.
    pub fn due_at(&self) -> Option<DateTime<Utc>> {
        match self.due {
            DueStatus::Due { due_at, .. } => Some(due_at),
            DueStatus::Suspended { .. } => None,
        }
    }

    /// Whether the deadline has expired at `now` (never while suspended).
    pub fn is_overdue_at(&self, now: DateTime<Utc>) -> bool {
        self.due_at().is_some_and(|due_at| now >= due_at)
    }
}

impl Deadline {
    /// A deadline without pauses or extensions.
    pub fn new(rule: DeadlineRule, start: DateTime<Utc>) -> Self {
        Self {
            rule,
            start,
            pauses: Vec::new(),
            extensions: Vec::new(),
        }
    }

    /// Computes the due date (or the suspension) with `calendar`, with its explanation.
    pub fn compute(&self, calendar: &HolidayCalendar) -> Result<ComputedDeadline, CalendarError> {
        let budget = self.checked_budget()?;
        let mut run = Run {
            calendar,
            missing_lunar_years: BTreeSet::new(),
            steps: Vec::new(),
        };
        run.steps.push(ExplanationStep::Started {
            at: self.start,
            amount: self.rule.amount,
            unit: self.rule.unit,
            roll: self.rule.roll,
            source: self.rule.source.clone(),
        });
        for extension in &self.extensions {
            run.steps.push(ExplanationStep::Extended {
                amount: extension.amount,
                unit: self.rule.unit,
                granted_at: extension.granted_at,
                reason: extension.reason.clone(),
            });
        }
        let due = match self.rule.unit {
            DeadlineUnit::Hours => run.count_hours(self, budget)?,
            unit @ (DeadlineUnit::CalendarDays | DeadlineUnit::WorkingDays) => {
                run.count_days(self, budget, unit)?
            }
        };
        let mut steps = run.steps;
        steps.extend(
            run.missing_lunar_years
                .into_iter()
                .map(|year| ExplanationStep::MissingLunarData { year }),
        );
        steps.push(match &due {
            DueStatus::Due { due_date, due_at } => ExplanationStep::Due {
                due_date: *due_date,
                due_at: *due_at,
            },
            DueStatus::Suspended { since, remaining } => ExplanationStep::Suspended {
                since: *since,
                remaining: *remaining,
            },
        });
        Ok(ComputedDeadline {
            due,
            calendar_version: calendar.version().to_owned(),
            explanation: Explanation {
                time_zone: calendar.time_zone(),
                steps,
            },
        })
    }

    /// Whether the deadline has expired at `now`, as far as its pauses and extensions tell.
    pub fn is_overdue(
        &self,
        calendar: &HolidayCalendar,
        now: DateTime<Utc>,
    ) -> Result<bool, CalendarError> {
        Ok(self.compute(calendar)?.is_overdue_at(now))
    }

    /// The budget left at `now`, counting what was known then: extensions granted and pauses
    /// begun by `now` (a pause lifted after `now` counts as still open). For day units the
    /// local day of `now` counts as used, as the day a pause begins does. Zero once expired.
    pub fn remaining_at(
        &self,
        calendar: &HolidayCalendar,
        now: DateTime<Utc>,
    ) -> Result<Budget, CalendarError> {
        self.checked_budget()?;
        let mut known = Self {
            rule: self.rule.clone(),
            start: self.start,
            pauses: Vec::new(),
            extensions: self
                .extensions
                .iter()
                .filter(|extension| extension.granted_at <= now)
                .cloned()
                .collect(),
        };
        if now <= self.start {
            return Ok(Budget::of(self.rule.unit, known.checked_budget()?));
        }
        let mut open = false;
        for pause in self.pauses.iter().take_while(|pause| pause.from <= now) {
            let still_open = pause.until.is_none_or(|until| until > now);
            known.pauses.push(Pause {
                until: if still_open { None } else { pause.until },
                ..pause.clone()
            });
            if still_open {
                open = true;
                break;
            }
        }
        if !open {
            // Stopping the clock at `now` reads the budget left at that moment.
            known.pauses.push(Pause {
                from: now,
                until: None,
                reason: String::new(),
            });
        }
        Ok(match known.compute(calendar)?.due {
            DueStatus::Suspended { remaining, .. } => remaining,
            DueStatus::Due { .. } => Budget::of(self.rule.unit, 0),
        })
    }

    /// Checks the pauses and extensions and returns the whole budget (amount + extensions).
    fn checked_budget(&self) -> Result<u32, CalendarError> {
        if self.rule.amount == 0 {
            return Err(CalendarError::ZeroAmount);
        }
        let mut total = u64::from(self.rule.amount);
        for (index, extension) in self.extensions.iter().enumerate() {
            if extension.amount == 0 {
                return Err(CalendarError::ZeroExtension { index });
            }
            if extension.granted_at < self.start {
                return Err(CalendarError::ExtensionBeforeStart { index });
            }
            total = total.saturating_add(u64::from(extension.amount));
        }
        let max = self.rule.unit.max_budget();
        let out_of_range = CalendarError::OutOfRange {
            unit: self.rule.unit,
            requested: total,
            max,
        };
        let total = u32::try_from(total).map_err(|_| out_of_range.clone())?;
        if total > max {
            return Err(out_of_range);
        }
        let mut previous: Option<&Pause> = None;
        for (index, pause) in self.pauses.iter().enumerate() {
            if let Some(previous) = previous {
                match previous.until {
                    None => return Err(CalendarError::OpenPauseNotLast { index: index - 1 }),
                    Some(until) if pause.from < until => {
                        return Err(CalendarError::PausesOverlap { index });
                    }
                    Some(_) => {}
                }
            }
            if pause.from < self.start {
                return Err(CalendarError::PauseBeforeStart { index });
            }
            if pause.until.is_some_and(|until| until < pause.from) {
                return Err(CalendarError::PauseEndsBeforeItStarts { index });
            }
            previous = Some(pause);
        }
        Ok(total)
    }
}

/// One computation: the calendar, the explanation so far, and the years whose lunar
/// holidays were needed but unknown.
#[derive(Debug)]
struct Run<'a> {
    calendar: &'a HolidayCalendar,
    missing_lunar_years: BTreeSet<i32>,
    steps: Vec<ExplanationStep>,
}

/// The outcome of counting days over a stretch.
#[derive(Debug)]
struct Walk {
    consumed: u32,
    /// The day on which the budget ran out, if it did.
    exhausted_on: Option<NaiveDate>,
}

impl Run<'_> {
    /// Whether `day` is a working day, noting its year when the answer may depend on lunar
    /// holidays that were never entered (a weekend day does not depend on them).
    fn is_working_day(&mut self, day: NaiveDate) -> bool {
        if !self.calendar.is_weekend(day) && !self.calendar.has_lunar_data_for(day.year()) {
            self.missing_lunar_years.insert(day.year());
        }
        self.calendar.is_working_day(day)
    }

    /// Day units: walk the days after the start day, skipping the days (p, r] of each pause.
    fn count_days(
        &mut self,
        deadline: &Deadline,
        budget: u32,
        unit: DeadlineUnit,
    ) -> Result<DueStatus, CalendarError> {
        let calendar = self.calendar;
        // The start day itself is not counted: counting begins the day after.
        let mut last_considered = calendar.local_date(deadline.start);
        let mut remaining = budget;
        for (index, pause) in deadline.pauses.iter().enumerate() {
            let pause_day = calendar.local_date(pause.from);
            // Days up to and including the day the pause begins count.
            let walk = self.walk_days(last_considered, Some(pause_day), remaining, unit)?;
            remaining = remaining.saturating_sub(walk.consumed);
            if let Some(last_day) = walk.exhausted_on {
                return self.days_due(deadline, last_day, &deadline.pauses[index..]);
            }
            last_considered = last_considered.max(pause_day);
            let budget_left = Budget::of(unit, remaining);
            self.steps.push(ExplanationStep::Paused {
                from: pause.from,
                until: pause.until,
                reason: pause.reason.clone(),
                consumed_before: Budget::of(unit, budget.saturating_sub(remaining)),
                remaining: budget_left,
            });
            match pause.until {
                None => {
                    return Ok(DueStatus::Suspended {
                        since: pause.from,
                        remaining: budget_left,
                    });
                }
                // Counting resumes the day after the pause is lifted.
                Some(until) => last_considered = last_considered.max(calendar.local_date(until)),
            }
        }
        let walk = self.walk_days(last_considered, None, remaining, unit)?;
        match walk.exhausted_on {
            Some(last_day) => self.days_due(deadline, last_day, &[]),
            None => Err(CalendarError::DateOutOfRange),
        }
    }

    /// Counts the days after `after` (through `through`, if given) until `needed` are counted.
    fn walk_days(
        &mut self,
        after: NaiveDate,
        through: Option<NaiveDate>,
        needed: u32,
        unit: DeadlineUnit,
    ) -> Result<Walk, CalendarError> {
        let mut day = after;
        let mut consumed = 0;
        let mut walked = 0;
        let exhausted_on = loop {
            if consumed >= needed {
                break Some(day);
            }
            if through.is_some_and(|through| day >= through) {
                break None;
            }
            if walked >= MAX_WALK_DAYS {
                return Err(CalendarError::DateOutOfRange);
            }
            walked += 1;
            day = day.succ_opt().ok_or(CalendarError::DateOutOfRange)?;
            let counts = match unit {
                DeadlineUnit::WorkingDays => self.is_working_day(day),
                DeadlineUnit::CalendarDays | DeadlineUnit::Hours => true,
            };
            if counts {
                consumed += 1;
            }
        };
        if consumed > 0 {
            self.steps.push(ExplanationStep::CountedDays {
                unit,
                days: consumed,
                from: after.succ_opt().ok_or(CalendarError::DateOutOfRange)?,
                to: day,
            });
        }
        Ok(Walk {
            consumed,
            exhausted_on,
        })
    }

    /// Day units: the budget ran out on `last_day`; roll, and the deadline expires at the end
    /// of the (rolled) day. `ignored` are the pauses that came too late to matter.
    fn days_due(
        &mut self,
        deadline: &Deadline,
        last_day: NaiveDate,
        ignored: &[Pause],
    ) -> Result<DueStatus, CalendarError> {
        let due_date = self.roll(last_day, deadline.rule.roll)?;
        let next_day = due_date.succ_opt().ok_or(CalendarError::DateOutOfRange)?;
        let due_at = self.calendar.start_of_day(next_day)?;
        self.ignore_pauses(ignored, due_at);
        Ok(DueStatus::Due { due_date, due_at })
    }

    /// Hours: consume the budget in real time from the start, stopped during pauses.
    fn count_hours(
        &mut self,
        deadline: &Deadline,
        budget: u32,
    ) -> Result<DueStatus, CalendarError> {
        let total = TimeDelta::try_hours(i64::from(budget)).ok_or(CalendarError::DateOutOfRange)?;
        let mut clock = deadline.start;
        let mut remaining = total;
        for (index, pause) in deadline.pauses.iter().enumerate() {
            let runs_out = clock
                .checked_add_signed(remaining)
                .ok_or(CalendarError::DateOutOfRange)?;
            if pause.from >= runs_out {
                self.push_counted_hours(clock, runs_out);
                return self.hours_due(deadline, runs_out, &deadline.pauses[index..]);
            }
            self.push_counted_hours(clock, pause.from);
            remaining = remaining
                .checked_sub(&pause.from.signed_duration_since(clock))
                .ok_or(CalendarError::DateOutOfRange)?;
            let budget_left = Budget::time(remaining);
            let consumed = total
                .checked_sub(&remaining)
                .ok_or(CalendarError::DateOutOfRange)?;
            self.steps.push(ExplanationStep::Paused {
                from: pause.from,
                until: pause.until,
                reason: pause.reason.clone(),
                consumed_before: Budget::time(consumed),
                remaining: budget_left,
            });
            match pause.until {
                None => {
                    return Ok(DueStatus::Suspended {
                        since: pause.from,
                        remaining: budget_left,
                    });
                }
                Some(until) => clock = until,
            }
        }
        let runs_out = clock
            .checked_add_signed(remaining)
            .ok_or(CalendarError::DateOutOfRange)?;
        self.push_counted_hours(clock, runs_out);
        self.hours_due(deadline, runs_out, &[])
    }

    fn push_counted_hours(&mut self, from: DateTime<Utc>, to: DateTime<Utc>) {
        if to > from {
            self.steps.push(ExplanationStep::CountedHours {
                seconds: to.signed_duration_since(from).num_seconds(),
                from,
                to,
            });
        }
    }

    /// Hours: the budget runs out at `runs_out`. Its local day is the due date (an expiry at
    /// exactly midnight belongs to the day before); if that day is rolled, the deadline
    /// expires at the end of the day it rolls to.
    fn hours_due(
        &mut self,
        deadline: &Deadline,
        runs_out: DateTime<Utc>,
        ignored: &[Pause],
    ) -> Result<DueStatus, CalendarError> {
        let last_moment = runs_out
            .checked_sub_signed(TimeDelta::nanoseconds(1))
            .ok_or(CalendarError::DateOutOfRange)?;
        let last_day = self.calendar.local_date(last_moment);
        let due_date = self.roll(last_day, deadline.rule.roll)?;
        let due_at = if due_date == last_day {
            runs_out
        } else {
            let next_day = due_date.succ_opt().ok_or(CalendarError::DateOutOfRange)?;
            self.calendar.start_of_day(next_day)?
        };
        self.ignore_pauses(ignored, due_at);
        Ok(DueStatus::Due { due_date, due_at })
    }

    /// Moves `day` to the next working day under `policy`, explaining why.
    fn roll(&mut self, day: NaiveDate, policy: RollPolicy) -> Result<NaiveDate, CalendarError> {
        if policy == RollPolicy::None || self.is_working_day(day) {
            return Ok(day);
        }
        let Some(reason) = self.calendar.non_working_reason(day) else {
            return Ok(day);
        };
        let mut rolled = day;
        for _ in 0..MAX_ROLL_DAYS {
            rolled = rolled.succ_opt().ok_or(CalendarError::DateOutOfRange)?;
            if self.is_working_day(rolled) {
                self.steps.push(ExplanationStep::Rolled {
                    from: day,
                    to: rolled,
                    reason,
                });
                return Ok(rolled);
            }
        }
        Err(CalendarError::NoWorkingDayNear(day))
    }

    /// Pauses that begin once the budget is used up change nothing; say why.
    fn ignore_pauses(&mut self, pauses: &[Pause], expires_at: DateTime<Utc>) {
        for pause in pauses {
            self.steps.push(ExplanationStep::PauseIgnored {
                from: pause.from,
                until: pause.until,
                reason: pause.reason.clone(),
                why: if pause.from >= expires_at {
                    PauseIgnoredReason::DeadlineExpired
                } else {
                    PauseIgnoredReason::BudgetUsedUp
                },
            });
        }
    }
}
