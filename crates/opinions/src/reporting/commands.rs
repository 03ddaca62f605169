//! Commands on a local authority's council reporting. Each carries the actor.

use chrono::NaiveDate;
use kernel::{Actor, OrganisationId};
use serde::{Deserialize, Serialize};

use crate::ids::CouncilSessionId;

/// A command on a [`CouncilReporting`](crate::CouncilReporting).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReportingCommand {
    /// Puts an ordinary session of the council on the calendar (art. 14; domain notes: the
    /// session calendar is data). The first one opens the local authority's calendar.
    ScheduleOrdinarySession {
        /// The local authority whose council sits.
        local_authority: OrganisationId,
        /// The session's identifier.
        session: CouncilSessionId,
        /// Its (local) date.
        date: NaiveDate,
        /// The council secretary.
        actor: Actor,
    },
    /// Moves a session not yet held to another date (postponement, lack of quorum).
    RescheduleOrdinarySession {
        /// The session.
        session: CouncilSessionId,
        /// Its new date.
        date: NaiveDate,
        /// The council secretary.
        actor: Actor,
    },
    /// The committee files its periodic report on the register bureau's work for a session,
    /// with the summary to post afterwards (art. 14-15). Both are public texts: the member
    /// attests that they hold no personal data.
    FileCommitteeReport {
        /// The session it is for.
        session: CouncilSessionId,
        /// The report.
        report: String,
        /// Its summary for the public (art. 15).
        public_summary: String,
        /// The member's attestation that neither text holds personal data.
        attests_no_personal_data: bool,
        /// A committee member.
        actor: Actor,
    },
    /// Records that the council met for the session: starts the posting deadline (art. 15).
    RecordCouncilMeeting {
        /// The session.
        session: CouncilSessionId,
        /// The (local) date of the meeting.
        held_on: NaiveDate,
        /// The council secretary.
        actor: Actor,
    },
    /// The local authority posts the summary at its premises and, in parallel, on its
    /// website (art. 15).
    PostSummary {
        /// The session.
        session: CouncilSessionId,
        /// The council secretary.
        actor: Actor,
    },
    /// Takes the summary down, once its minimum display period is over (art. 15).
    TakeDownSummary {
        /// The session.
        session: CouncilSessionId,
        /// The council secretary.
        actor: Actor,
    },
}
