//! Events of a visit, the value types they carry, and who may read each.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};

use kernel::personal_data::{Sealed, SubjectId};
use kernel::{ActorId, OrganisationId, Text};

use crate::campaign::Assignment;
use crate::checklist::ChecklistVersion;
use crate::ids::{CriterionId, FindingId, ServicePointId, VisitId};
use crate::scoring::{Answer, ScoreCard};
use crate::service_point::Channel;

/// A reference to an evidence file kept in the attachment store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// SHA-256 of the file's bytes, 64 lowercase hexadecimal digits: names the file in the
    /// store and proves it unchanged.
    pub content_hash: String,
    /// Its media type (`image/jpeg`), among the configured ones.
    pub media_type: String,
    /// Its size in bytes (1 to the configured maximum).
    pub size_bytes: u64,
}

/// How serious a shortcoming is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// An inconvenience (signage missing).
    Minor,
    /// A real obstacle to the service (information refused, excessive waiting).
    Moderate,
    /// A breach of the citizen's rights or of integrity (unequal treatment, undue request).
    Serious,
}

/// What a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum FindingKind {
    /// Something wrong.
    Shortcoming {
        /// How serious.
        severity: Severity,
    },
    /// Something to improve.
    Recommendation,
}

/// What a follow-up visit found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerificationOutcome {
    /// The corrective action is in place: the finding is closed.
    Implemented,
    /// It is not: the finding stays open for a new action.
    NotImplemented,
}

/// Why a planned visit was cancelled. A closed list, so that no free text about the member
/// ends up in the record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CancellationReason {
    /// The member declared a conflict of interest with the body after assignment.
    ConflictOfInterest,
    /// The member cannot make the visit; it is reassigned under a new visit.
    MemberUnavailable,
    /// The service point closed or no longer offers the service.
    ServicePointUnavailable,
    /// The campaign's plan changed.
    PlanChanged,
}

/// A finding as the inspected body receives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportedFinding {
    /// The finding.
    pub finding: FindingId,
    /// Shortcoming or recommendation.
    pub kind: FindingKind,
    /// The criterion it relates to, if any.
    pub criterion: Option<CriterionId>,
    /// Its description (sealed under the visit's subject).
    pub description: Sealed<Text>,
}

/// The report sent to the inspected body: everything it needs to act, nothing that tells who
/// visited (no member, no time of day, no service asked).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitReport {
    /// The visit.
    pub visit: VisitId,
    /// The inspected body.
    pub organisation: OrganisationId,
    /// The service point.
    pub service_point: ServicePointId,
    /// How the point was reached.
    pub channel: Channel,
    /// The local date of the visit.
    pub occurred_on: NaiveDate,
    /// The accepted score.
    pub score: ScoreCard,
    /// The findings, to be answered with corrective actions.
    pub findings: Vec<ReportedFinding>,
    /// When the report was sent.
    pub sent_at: DateTime<Utc>,
}

/// Who may read an event: projections enforce it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// The Public Service Quality Department only (and auditors).
    Department,
    /// The department and the inspected body.
    DepartmentAndInspectedBody,
}

/// What happened to a visit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum VisitEvent {
    /// The visit was planned with its assignment and checklist version.
    VisitPlanned {
        /// From the campaign (names the member).
        assignment: Assignment,
        /// The whole version the visit is scored against.
        checklist: ChecklistVersion,
        /// The data subject of the visit's free texts.
        subject: SubjectId,
        /// Who planned it.
        by: ActorId,
        /// When.
        planned_at: DateTime<Utc>,
    },
    /// The member recorded the visit (again, when correcting).
    VisitRecorded {
        /// When the visit happened, as stated by the member.
        occurred_at: DateTime<Utc>,
        /// When the platform received the record.
        recorded_at: DateTime<Utc>,
        /// How the point was reached (the point's channel).
        channel: Channel,
        /// The service asked.
        service_asked: Text,
        /// Minutes until served; `None` if never served.
        waiting_minutes: Option<u32>,
        /// The member's observations.
        observations: Sealed<Text>,
        /// The answers, by criterion.
        answers: BTreeMap<CriterionId, Answer>,
        /// The score they give against the planned version.
        score: ScoreCard,
    },
    /// An evidence file was attached.
    EvidenceAttached {
        /// Its reference.
        evidence: Evidence,
        /// When.
        attached_at: DateTime<Utc>,
    },
    /// The member recorded a finding.
    FindingRecorded {
        /// The finding.
        finding: FindingId,
        /// Shortcoming or recommendation.
        kind: FindingKind,
        /// The criterion it relates to, if any.
        criterion: Option<CriterionId>,
        /// What was found or recommended.
        description: Sealed<Text>,
        /// When.
        recorded_at: DateTime<Utc>,
    },
    /// The member submitted the record for review.
    VisitSubmitted {
        /// 1 for the first submission, then one more each time.
        revision: u32,
        /// When.
        submitted_at: DateTime<Utc>,
    },
    /// A supervisor sent the record back.
    VisitSentBack {
        /// What to correct.
        remarks: Sealed<Text>,
        /// Who.
        by: ActorId,
        /// When.
        sent_back_at: DateTime<Utc>,
    },
    /// A supervisor accepted the record.
    VisitAccepted {
        /// The accepted score.
        score: ScoreCard,
        /// Who.
        by: ActorId,
        /// When.
        accepted_at: DateTime<Utc>,
    },
    /// The report was sent to the inspected body.
    ReportSent {
        /// The report.
        report: VisitReport,
    },
    /// The inspected body answered a finding.
    CorrectiveActionProposed {
        /// The finding.
        finding: FindingId,
        /// What it will do.
        action: Sealed<Text>,
        /// By when.
        due_on: NaiveDate,
        /// The body's agent.
        by: ActorId,
        /// The organisation the agent acted for (the body or a structure within it).
        organisation: OrganisationId,
        /// When.
        proposed_at: DateTime<Utc>,
    },
    /// A follow-up visit's verification of a finding was recorded.
    FindingVerified {
        /// The finding.
        finding: FindingId,
        /// The follow-up visit.
        follow_up: VisitId,
        /// What it found.
        outcome: VerificationOutcome,
        /// What was seen.
        notes: Sealed<Text>,
        /// When.
        verified_at: DateTime<Utc>,
    },
    /// The visit was cancelled before being carried out.
    VisitCancelled {
        /// Why.
        reason: CancellationReason,
        /// Who.
        by: ActorId,
        /// When.
        cancelled_at: DateTime<Utc>,
    },
}

impl VisitEvent {
    /// Who may read this event. Only the report and what follows it reach the inspected body.
    pub fn audience(&self) -> Audience {
        match self {
            Self::ReportSent { .. }
            | Self::CorrectiveActionProposed { .. }
            | Self::FindingVerified { .. } => Audience::DepartmentAndInspectedBody,
            Self::VisitPlanned { .. }
            | Self::VisitRecorded { .. }
            | Self::EvidenceAttached { .. }
            | Self::FindingRecorded { .. }
            | Self::VisitSubmitted { .. }
            | Self::VisitSentBack { .. }
            | Self::VisitAccepted { .. }
            | Self::VisitCancelled { .. } => Audience::Department,
        }
    }
}

impl DomainEvent for VisitEvent {
    fn event_type(&self) -> String {
        match self {
            Self::VisitPlanned { .. } => "VisitPlanned",
            Self::VisitRecorded { .. } => "VisitRecorded",
            Self::EvidenceAttached { .. } => "EvidenceAttached",
            Self::FindingRecorded { .. } => "FindingRecorded",
            Self::VisitSubmitted { .. } => "VisitSubmitted",
            Self::VisitSentBack { .. } => "VisitSentBack",
            Self::VisitAccepted { .. } => "VisitAccepted",
            Self::ReportSent { .. } => "ReportSent",
            Self::CorrectiveActionProposed { .. } => "CorrectiveActionProposed",
            Self::FindingVerified { .. } => "FindingVerified",
            Self::VisitCancelled { .. } => "VisitCancelled",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}
