//! The single error type of the calendar: invalid calendar data and deadlines that cannot be
//! computed. Every function of the module returns one of these instead of panicking.

use chrono::{NaiveDate, Weekday};

use super::deadline::DeadlineUnit;

/// Why a calendar could not be built or a deadline could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The calendar version is empty: events could not tell which data set computed a date.
    #[error("the calendar version must not be empty")]
    EmptyVersion,
    /// The time zone is not an IANA name known to chrono-tz.
    #[error("unknown time zone {0:?}")]
    UnknownTimeZone(String),
    /// All seven weekdays are weekend days: no working day would ever exist.
    #[error("the weekend covers the whole week: there would be no working day")]
    NoWorkingWeekday,
    /// A weekday is listed twice in the weekend.
    #[error("{0} is listed twice in the weekend")]
    DuplicateWeekendDay(Weekday),
    /// A fixed holiday names a day that exists in no year (month 13, 31 April...).
    #[error("invalid fixed holiday: month {month}, day {day}")]
    InvalidFixedHoliday {
        /// Month as given.
        month: u32,
        /// Day of the month as given.
        day: u32,
    },
    /// Two fixed holidays fall on the same day of the year.
    #[error("fixed holiday {day:02}/{month:02} is listed twice")]
    DuplicateFixedHoliday {
        /// Month of the duplicate.
        month: u32,
        /// Day of the month of the duplicate.
        day: u32,
    },
    /// Two dated (lunar) holidays fall on the same date.
    #[error("holiday on {0} is listed twice")]
    DuplicateDatedHoliday(NaiveDate),
    /// Lunar data for a year is given twice.
    #[error("lunar holiday data for {0} is given twice")]
    DuplicateLunarYear(i32),
    /// A dated holiday is filed under a year it does not belong to.
    #[error("holiday on {date} is filed under year {year}")]
    HolidayOutsideItsYear {
        /// Date of the holiday.
        date: NaiveDate,
        /// Year it was filed under.
        year: i32,
    },
    /// A holiday lacks its French or its Arabic name.
    #[error("holiday {0} needs both a French and an Arabic name")]
    MissingHolidayName(String),
    /// New calendar data was added without a new version, so open deadlines could not detect
    /// that they must be recomputed.
    #[error("changed calendar data needs a new version (still {0:?})")]
    VersionUnchanged(String),
    /// The holiday data embedded in the crate could not be read.
    #[error("invalid embedded holiday data: {0}")]
    InvalidData(String),
    /// A deadline of zero: every rule must give some time.
    #[error("a deadline needs a positive amount")]
    ZeroAmount,
    /// An extension of zero.
    #[error("extension #{index} has a zero amount")]
    ZeroExtension {
        /// Position of the extension in the deadline.
        index: usize,
    },
    /// The budget (amount plus extensions) exceeds the supported maximum: 3 660 days
    /// (about ten years) or 87 840 hours (the same span).
    #[error("a budget of {requested} {unit} exceeds the maximum of {max}")]
    OutOfRange {
        /// Unit of the rule.
        unit: DeadlineUnit,
        /// Amount plus extensions.
        requested: u64,
        /// Largest accepted budget in that unit.
        max: u32,
    },
    /// The computation would leave the dates chrono can represent, or would have to walk more
    /// days than any real deadline needs.
    #[error("the computation leaves the supported range of dates")]
    DateOutOfRange,
    /// No working day was found within a year after the given date.
    #[error("no working day within a year after {0}")]
    NoWorkingDayNear(NaiveDate),
    /// No valid local time exists on that day in the calendar's time zone.
    #[error("no valid local time on {0} in the calendar's time zone")]
    NoLocalTime(NaiveDate),
    /// A pause starts before the deadline starts.
    #[error("pause #{index} starts before the deadline starts")]
    PauseBeforeStart {
        /// Position of the pause.
        index: usize,
    },
    /// A pause ends before it starts.
    #[error("pause #{index} ends before it starts")]
    PauseEndsBeforeItStarts {
        /// Position of the pause.
        index: usize,
    },
    /// A pause starts before the previous one ended (pauses must be ordered and disjoint).
    #[error("pause #{index} starts before the previous pause ended")]
    PausesOverlap {
        /// Position of the pause.
        index: usize,
    },
    /// A pause without an end is followed by another pause.
    #[error("pause #{index} is still open but is not the last pause")]
    OpenPauseNotLast {
        /// Position of the open pause.
        index: usize,
    },
    /// An extension is dated before the deadline starts.
    #[error("extension #{index} is granted before the deadline starts")]
    ExtensionBeforeStart {
        /// Position of the extension.
        index: usize,
    },
}
