//! Events of a local authority's council reporting. Names and fields are a stored contract.
//! The report and its summary are public texts, in clear (see [`crate::find_personal_data`]).

use chrono::{DateTime, NaiveDate, Utc};
use cqrs_es::DomainEvent;
use kernel::calendar::ComputedDeadline;
use kernel::{ActorId, OrganisationId, Text};
use serde::{Deserialize, Serialize};

use crate::ids::CouncilSessionId;

/// What happened to a [`CouncilReporting`](crate::CouncilReporting).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReportingEvent {
    /// An ordinary session was put on the calendar.
    OrdinarySessionScheduled {
        /// The local authority.
        local_authority: OrganisationId,
        /// The session.
        session: CouncilSessionId,
        /// Its date.
        date: NaiveDate,
        /// The committee's report is due by the end of the day before (art. 14).
        report_due: ComputedDeadline,
        /// The council secretary.
        by: ActorId,
        /// When.
        at: DateTime<Utc>,
    },
    /// A session not yet held moved to another date; the report deadline follows it.
    OrdinarySessionRescheduled {
        /// The session.
        session: CouncilSessionId,
        /// Its former date.
        from: NaiveDate,
        /// Its new date.
        to: NaiveDate,
        /// The report deadline for the new date.
        report_due: ComputedDeadline,
        /// The council secretary.
        by: ActorId,
        /// When.
        at: DateTime<Utc>,
    },
    /// The committee filed its report for the session, and the summary to post; the member
    /// who filed attested that neither holds personal data.
    CommitteeReportFiled {
        /// The session.
        session: CouncilSessionId,
        /// The report (art. 14).
        report: Text,
        /// The public summary (art. 15).
        public_summary: Text,
        /// The committee member, who attested.
        by: ActorId,
        /// When.
        filed_at: DateTime<Utc>,
    },
    /// The council met for the session.
    CouncilMeetingHeld {
        /// The session.
        session: CouncilSessionId,
        /// The date of the meeting.
        held_on: NaiveDate,
        /// The summary must be posted by then (art. 15); `None` when no report was filed,
        /// so there is nothing to summarise (the missed report deadline shows it).
        posting_due: Option<ComputedDeadline>,
        /// The council secretary.
        by: ActorId,
        /// When it was recorded.
        recorded_at: DateTime<Utc>,
    },
    /// The summary was posted at the premises and on the website (art. 15).
    SummaryPosted {
        /// The session.
        session: CouncilSessionId,
        /// Whether the posting deadline had passed.
        late: bool,
        /// It must stay up until then (art. 15: at least 15 days).
        display: ComputedDeadline,
        /// The council secretary.
        by: ActorId,
        /// When.
        posted_at: DateTime<Utc>,
    },
    /// The summary was taken down after its display period.
    SummaryTakenDown {
        /// The session.
        session: CouncilSessionId,
        /// The council secretary.
        by: ActorId,
        /// When.
        at: DateTime<Utc>,
    },
}

impl DomainEvent for ReportingEvent {
    fn event_type(&self) -> String {
        match self {
            Self::OrdinarySessionScheduled { .. } => "OrdinarySessionScheduled",
            Self::OrdinarySessionRescheduled { .. } => "OrdinarySessionRescheduled",
            Self::CommitteeReportFiled { .. } => "CommitteeReportFiled",
            Self::CouncilMeetingHeld { .. } => "CouncilMeetingHeld",
            Self::SummaryPosted { .. } => "SummaryPosted",
            Self::SummaryTakenDown { .. } => "SummaryTakenDown",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}
