//! Visits: a member of the team asks a real service as an ordinary citizen, records what they
//! saw, a supervisor reviews it, the report goes to the inspected body, which answers the
//! findings with corrective actions that follow-up visits verify (aggregate `Visit`).
//!
//! # Lifecycle
//!
//! ```text
//! from                  command (by)                                          to
//! -                     PlanVisit (supervisor)                                Planned
//! Planned               RecordVisit (member)                                  CarriedOut
//! Planned               CancelVisit (supervisor)                              Cancelled
//! CarriedOut, SentBack  RecordVisit (member)                                  CarriedOut
//! CarriedOut, SentBack  AttachEvidence, RecordFinding (member)                unchanged
//! CarriedOut, SentBack  SubmitVisit (member)                                  Submitted
//! Submitted             AcceptVisit (another supervisor)                      Accepted
//! Submitted             SendBackVisit (another supervisor)                    SentBack
//! Accepted              SendReport (supervisor)                               ReportSent
//! ReportSent            ProposeCorrectiveAction (body), VerifyFinding (sup.)  unchanged
//! ```
//!
//! "Supervisor" is a `WatcherSupervisor` or the `DepartmentHead`, acting for the department;
//! "member" is the member the visit is assigned to, acting for the department; "body" is an
//! agent of the inspected body.
//!
//! - **Planned** from a campaign's [`Assignment`](crate::campaign::Assignment) and a whole
//!   [`ChecklistVersion`](crate::checklist::ChecklistVersion): the visit is scored against
//!   that copy only, so later versions never change its score.
//! - **Recorded** by the assigned member only, possibly from a phone that was offline:
//!   `occurred_at` is when the visit happened, stated by the member, and `recorded_at` is when
//!   the platform received it. `occurred_at` may be long before the upload, but not before the
//!   plan and not in the future (beyond a small allowance for the phone's clock,
//!   [`crate::WatcherConfig::clock_skew_tolerance_seconds`]). The channel is the service
//!   point's: a counter is visited in person, a phone line called. Recording again before
//!   submission (or after a send-back) replaces the facts and the score.
//! - **Scored** when recorded: the [`ScoreCard`](crate::scoring::ScoreCard) is computed by
//!   [`crate::scoring::score_visit`] and carried in `VisitRecorded`, then in `VisitAccepted`
//!   and in the report. Every criterion needs an answer ("not applicable" is one).
//! - **Reviewed** by a supervisor or the head of the department, never by the member who
//!   visited: accepted, or sent back with remarks, corrected and submitted again (`revision`
//!   counts submissions).
//! - **Reported** to the inspected body once accepted.
//! - **Findings** (shortcomings with a severity, recommendations) are recorded by the member
//!   with the visit and reviewed with it. After the report, an agent of the inspected body
//!   (of the body, a structure within it, or a body above it) answers each with a corrective action and a date; a
//!   supervisor records the verification from a follow-up visit. A finding stays open until a
//!   verification finds it implemented; "not implemented" reopens it for a new action.
//!
//! # The inspected body never sees who visited
//!
//! [`VisitEvent::audience`] says who may read each event. Only [`VisitEvent::ReportSent`],
//! [`VisitEvent::CorrectiveActionProposed`] and [`VisitEvent::FindingVerified`] reach the
//! inspected body, and they are built to carry no member nor department agent: the report
//! has the service point, the channel, the **local date** (not the time, which with the
//! service asked could single out the visitor at the counter), the score card and the
//! findings. The member's identity is only in department-only events (`VisitPlanned`) and in
//! metadata, which projections restrict to the department; the events only the assigned
//! member can cause (`VisitRecorded`, `EvidenceAttached`, `FindingRecorded`,
//! `VisitSubmitted`) do not repeat it, since the plan names them. As an exception to the rule that
//! the author of a decision is in its event, `FindingVerified` leaves the verifying
//! supervisor to the metadata: they may have made the follow-up visit themselves.
//!
//! # Personal data
//!
//! The member's observations, the review's remarks, the findings, the body's corrective
//! actions and the verification notes are free text that may name agents: each is sealed
//! under the visit's data subject, a [`SubjectId`](kernel::personal_data::SubjectId) minted
//! with the plan (one per visit). Erasing it (end of retention, or an agent's request) erases
//! every free text of the visit while scores, dates and statuses remain. The service asked,
//! the waiting time and the answers are facts about the service, not about a person. Evidence
//! is referenced only (content hash, media type, size); the files live in a separate store.

mod aggregate;
mod commands;
mod error;
mod events;

pub use aggregate::{FindingStatus, Visit, VisitStatus};
pub use commands::VisitCommand;
pub use error::VisitError;
pub use events::{
    Audience, CancellationReason, Evidence, FindingKind, ReportedFinding, Severity,
    VerificationOutcome, VisitEvent, VisitReport,
};
