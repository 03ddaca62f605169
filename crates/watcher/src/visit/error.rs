//! Why a visit command was refused.

use chrono::{DateTime, NaiveDate, Utc};

use kernel::personal_data::EnvelopeError;

use crate::error::InvalidText;
use crate::ids::{CriterionId, FindingId};
use crate::scoring::ScoringError;
use crate::visit::VisitStatus;

/// Business rules of a visit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VisitError {
    /// Only a supervisor or the head of the department does this.
    #[error("only a supervisor or the head of the Public Service Quality Department may do this")]
    NotDepartmentSupervisor,
    /// Only the member the visit is assigned to records it.
    #[error("only the member this visit is assigned to may do this")]
    NotTheAssignedMember,
    /// The member who visited cannot review their own visit.
    #[error("a member cannot review their own visit")]
    OwnVisit,
    /// Only an agent of the inspected body answers its findings: of the body itself, of a
    /// structure within it, or of a body it sits within.
    #[error("only an agent of the inspected body may answer its findings")]
    NotTheInspectedBody,
    /// The visit exists already.
    #[error("this visit is already planned")]
    AlreadyPlanned,
    /// The visit does not exist.
    #[error("this visit is not planned")]
    NotPlanned,
    /// The visit's state does not allow this.
    #[error("not possible while the visit is {status:?}")]
    WrongStatus {
        /// The state it is in.
        status: VisitStatus,
    },
    /// The stated time of the visit is in the future.
    #[error("the visit cannot have happened at {occurred_at}, after now ({now})")]
    OccurredInFuture {
        /// The stated time.
        occurred_at: DateTime<Utc>,
        /// Now.
        now: DateTime<Utc>,
    },
    /// The stated time of the visit is before it was planned.
    #[error(
        "the visit cannot have happened at {occurred_at}, before it was planned ({planned_at})"
    )]
    OccurredBeforePlan {
        /// The stated time.
        occurred_at: DateTime<Utc>,
        /// When it was planned.
        planned_at: DateTime<Utc>,
    },
    /// A waiting time longer than can be recorded.
    #[error("a waiting time of {minutes} minutes is more than the {max} that can be recorded")]
    WaitingTooLong {
        /// Given.
        minutes: u32,
        /// The maximum.
        max: u32,
    },
    /// The answers cannot be scored against the planned version.
    #[error(transparent)]
    Answers(#[from] ScoringError),
    /// A text field was refused.
    #[error(transparent)]
    InvalidText(#[from] InvalidText),
    /// A free text could not be sealed.
    #[error(transparent)]
    PersonalData(#[from] EnvelopeError),
    /// The content hash is not 64 lowercase hexadecimal digits.
    #[error("an evidence content hash is a SHA-256 in 64 lowercase hexadecimal digits")]
    InvalidContentHash,
    /// The media type is not among the configured ones.
    #[error("evidence of type {media_type} is not accepted")]
    MediaTypeNotAccepted {
        /// Given.
        media_type: String,
    },
    /// An empty file, or larger than allowed.
    #[error("evidence of {size_bytes} bytes; from 1 to {max} bytes are accepted")]
    EvidenceSizeOutOfRange {
        /// Given.
        size_bytes: u64,
        /// The maximum.
        max: u64,
    },
    /// The same file twice.
    #[error("this evidence is already attached")]
    EvidenceAlreadyAttached,
    /// More evidence than allowed.
    #[error("a visit has at most {max} evidence attachments")]
    TooMuchEvidence {
        /// The maximum.
        max: usize,
    },
    /// The finding identifier was used before.
    #[error("finding {0} is already recorded")]
    FindingAlreadyRecorded(FindingId),
    /// More findings than allowed.
    #[error("a visit has at most {max} findings")]
    TooManyFindings {
        /// The maximum.
        max: usize,
    },
    /// A finding names a criterion the planned version does not have.
    #[error("criterion {0} is not in the visit's checklist version")]
    UnknownCriterion(CriterionId),
    /// The visit has no such finding.
    #[error("the visit has no finding {0}")]
    UnknownFinding(FindingId),
    /// The finding was verified as implemented: it is closed.
    #[error("finding {0} is closed")]
    FindingClosed(FindingId),
    /// A corrective action due before today.
    #[error("a corrective action cannot be due on {due_on}, before today ({today})")]
    DueDateInPast {
        /// Given.
        due_on: NaiveDate,
        /// Today.
        today: NaiveDate,
    },
    /// A corrective action due later than allowed.
    #[error("a corrective action cannot be due on {due_on}, after {latest}")]
    DueDateTooFar {
        /// Given.
        due_on: NaiveDate,
        /// The latest date allowed.
        latest: NaiveDate,
    },
    /// A visit cannot be its own follow-up.
    #[error("a follow-up visit is another visit")]
    FollowUpIsThisVisit,
}
