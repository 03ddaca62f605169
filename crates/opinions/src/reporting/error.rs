//! Why a command on the council reporting is refused. Variants never carry personal data: a
//! suspected piece of personal data is reported by kind and position, not quoted.

use chrono::{DateTime, NaiveDate, Utc};
use kernel::calendar::CalendarError;
use kernel::{OrganisationId, Role, TextError};

use crate::ids::CouncilSessionId;
use crate::reporting::aggregate::SessionStatus;
use crate::screen::PersonalDataFinding;

/// A public text of the reporting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportField {
    /// The committee's report.
    Report,
    /// Its public summary.
    PublicSummary,
}

/// Why a command on a [`CouncilReporting`](crate::CouncilReporting) is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportingError {
    /// Councils of local authorities only.
    #[error("organisation {0} is not a local authority")]
    NotALocalAuthority(OrganisationId),
    /// This calendar belongs to another local authority.
    #[error("this is the calendar of local authority {calendar_of}")]
    LocalAuthorityMismatch {
        /// Whose calendar it is.
        calendar_of: OrganisationId,
    },
    /// The actor does not hold one of the roles this act needs, for the local authority.
    #[error("this act needs one of the roles {allowed:?} for the local authority")]
    ActorNotAllowed {
        /// The roles that may do it.
        allowed: &'static [Role],
    },
    /// The session is on the calendar already.
    #[error("session {session} is already on the calendar")]
    SessionAlreadyScheduled {
        /// The session.
        session: CouncilSessionId,
    },
    /// No such session on the calendar.
    #[error("session {session} is not on the calendar")]
    UnknownSession {
        /// The session.
        session: CouncilSessionId,
    },
    /// The committee needs at least one full day to file before the session (art. 14).
    #[error(
        "a session on {date} leaves the committee no day to report; the earliest date is {earliest}"
    )]
    SessionTooSoon {
        /// The date asked.
        date: NaiveDate,
        /// The earliest date accepted today.
        earliest: NaiveDate,
    },
    /// The year has all its ordinary sessions (configuration: quarterly by default).
    #[error("{year} already has its {max} ordinary sessions")]
    OrdinarySessionsFull {
        /// The year.
        year: i32,
        /// Ordinary sessions a year.
        max: u32,
    },
    /// The session was held: it can no longer move, receive a report or be held again.
    #[error("session {session} was already held (it is {status:?})")]
    SessionAlreadyHeld {
        /// The session.
        session: CouncilSessionId,
        /// Its status.
        status: SessionStatus,
    },
    /// The report is filed before the session (art. 14).
    #[error("the report was due before {due_at}")]
    ReportDeadlinePassed {
        /// When the deadline expired.
        due_at: DateTime<Utc>,
    },
    /// The session has its report.
    #[error("the committee's report for session {session} is already filed")]
    ReportAlreadyFiled {
        /// The session.
        session: CouncilSessionId,
    },
    /// Public texts need the member's attestation that they hold no personal data (art. 15).
    #[error("the report and summary must be attested free of personal data")]
    PersonalDataAttestationMissing,
    /// The screen recognised personal data in a public text (art. 15).
    #[error("the {field:?} seems to hold personal data ({finding:?})")]
    PersonalDataSuspected {
        /// Which text.
        field: ReportField,
        /// What and where.
        finding: PersonalDataFinding,
    },
    /// A text was refused by the text rules.
    #[error("invalid {field:?}: {error}")]
    InvalidText {
        /// Which text.
        field: ReportField,
        /// Why.
        error: TextError,
    },
    /// A meeting is recorded on or after the session's date; move the session first.
    #[error(
        "the session is set for {scheduled}; reschedule it before recording an earlier meeting"
    )]
    MeetingBeforeScheduledDate {
        /// The session's date.
        scheduled: NaiveDate,
    },
    /// A meeting is recorded once it took place.
    #[error("a meeting on {held_on} has not taken place yet")]
    MeetingInTheFuture {
        /// The date given.
        held_on: NaiveDate,
    },
    /// The summary is posted after the council's meeting (art. 15).
    #[error("the council has not met for session {session} yet")]
    MeetingNotHeld {
        /// The session.
        session: CouncilSessionId,
    },
    /// No report was filed for the session: there is nothing to summarise.
    #[error("no report was filed for session {session}")]
    NoReportFiled {
        /// The session.
        session: CouncilSessionId,
    },
    /// The summary was posted already.
    #[error("the summary of session {session} was already posted (it is {status:?})")]
    SummaryAlreadyPosted {
        /// The session.
        session: CouncilSessionId,
        /// Its status.
        status: SessionStatus,
    },
    /// Only a posted summary is taken down.
    #[error("the summary of session {session} is not posted (it is {status:?})")]
    SummaryNotPosted {
        /// The session.
        session: CouncilSessionId,
        /// Its status.
        status: SessionStatus,
    },
    /// The summary stays up for its minimum display period (art. 15).
    #[error("the summary must stay up until {until}")]
    DisplayPeriodNotOver {
        /// The earliest instant it may come down.
        until: DateTime<Utc>,
    },
    /// A deadline could not be computed.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}
