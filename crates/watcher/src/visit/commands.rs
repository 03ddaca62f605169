//! Commands of a visit.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use kernel::Actor;
use kernel::personal_data::SubjectId;

use crate::campaign::Assignment;
use crate::checklist::ChecklistVersion;
use crate::ids::{CriterionId, FindingId, VisitId};
use crate::scoring::Answer;
use crate::visit::{CancellationReason, Evidence, FindingKind, VerificationOutcome};

/// What can be asked of a visit, and by whom.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum VisitCommand {
    /// Plans the visit as assigned in its campaign. Supervisor or head of department.
    PlanVisit {
        /// Who acts.
        actor: Actor,
        /// The campaign's `VisitAssigned` assignment, as recorded.
        assignment: Assignment,
        /// The published checklist version the visit is scored against.
        checklist: ChecklistVersion,
        /// The data subject the visit's free texts are sealed under (new, one per visit).
        subject: SubjectId,
    },
    /// Records what happened (first time, or a correction before review). Assigned member.
    RecordVisit {
        /// Who acts.
        actor: Actor,
        /// When the visit happened (from the phone; may be well before the upload).
        occurred_at: DateTime<Utc>,
        /// The real service the member asked for ("extrait de naissance").
        service_asked: String,
        /// Minutes until served; `None` if never served or answered.
        waiting_minutes: Option<u32>,
        /// What the member saw and heard.
        observations: String,
        /// One answer per criterion of the checklist version.
        answers: BTreeMap<CriterionId, Answer>,
    },
    /// References an evidence file (photo, document, recording). Assigned member.
    AttachEvidence {
        /// Who acts.
        actor: Actor,
        /// The file's reference.
        evidence: Evidence,
    },
    /// Records a finding of the visit. Assigned member.
    RecordFinding {
        /// Who acts.
        actor: Actor,
        /// The new finding's identifier.
        finding: FindingId,
        /// Shortcoming (with severity) or recommendation.
        kind: FindingKind,
        /// The criterion it relates to, if any.
        criterion: Option<CriterionId>,
        /// What was found, or what is recommended.
        description: String,
    },
    /// Submits the record for review. Assigned member.
    SubmitVisit {
        /// Who acts.
        actor: Actor,
    },
    /// Accepts the submitted record. Supervisor or head, not the member who visited.
    AcceptVisit {
        /// Who acts.
        actor: Actor,
    },
    /// Sends the record back to the member. Supervisor or head, not the member who visited.
    SendBackVisit {
        /// Who acts.
        actor: Actor,
        /// What to correct.
        remarks: String,
    },
    /// Sends the accepted visit's report to the inspected body. Supervisor or head.
    SendReport {
        /// Who acts.
        actor: Actor,
    },
    /// Answers a finding with a corrective action. An agent of the inspected body.
    ProposeCorrectiveAction {
        /// Who acts.
        actor: Actor,
        /// The finding.
        finding: FindingId,
        /// What the body will do.
        action: String,
        /// By when (local date; today or later).
        due_on: NaiveDate,
    },
    /// Records what a follow-up visit found about a finding. Supervisor or head.
    VerifyFinding {
        /// Who acts.
        actor: Actor,
        /// The finding.
        finding: FindingId,
        /// The follow-up visit that checked it.
        follow_up: VisitId,
        /// Implemented or not.
        outcome: VerificationOutcome,
        /// What was seen.
        notes: String,
    },
    /// Cancels a visit not yet carried out. Supervisor or head.
    CancelVisit {
        /// Who acts.
        actor: Actor,
        /// Why.
        reason: CancellationReason,
    },
}
