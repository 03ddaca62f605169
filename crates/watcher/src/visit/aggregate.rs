//! The `Visit` aggregate: plan, record, review, report, findings and their follow-up.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use cqrs_es::Aggregate;
use cqrs_es::event_sink::EventSink;
use serde::{Deserialize, Serialize};

use kernel::personal_data::{Sealed, SubjectId};
use kernel::{Actor, Text};

use crate::campaign::Assignment;
use crate::checklist::ChecklistVersion;
use crate::error::InvalidText;
use crate::ids::{CriterionId, FindingId};
use crate::scoring::{ScoreCard, score_visit};
use crate::services::{SUPERVISING, TEAM, WatcherServices};
use crate::visit::{
    Evidence, FindingKind, ReportedFinding, VerificationOutcome, VisitCommand, VisitError,
    VisitEvent, VisitReport,
};

/// Where a visit stands. See the lifecycle in the [module docs](crate::visit).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitStatus {
    /// Assigned, not yet carried out.
    Planned,
    /// Recorded by the member, not yet submitted.
    CarriedOut,
    /// Awaiting review.
    Submitted,
    /// Returned to the member with remarks.
    SentBack,
    /// Accepted by a supervisor.
    Accepted,
    /// Reported to the inspected body; findings follow their own course.
    ReportSent,
    /// Cancelled before being carried out.
    Cancelled,
}

/// Where a finding stands. It is open until verified as implemented.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum FindingStatus {
    /// Awaiting a corrective action (or a new one after a failed verification).
    Open,
    /// The body proposed a corrective action due on this date.
    ActionProposed {
        /// By when.
        due_on: NaiveDate,
    },
    /// A follow-up visit found it implemented: closed.
    Verified,
}

/// What the plan fixed.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Plan {
    assignment: Assignment,
    checklist: ChecklistVersion,
    subject: SubjectId,
    planned_at: DateTime<Utc>,
}

/// The latest record's facts the later steps need.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Record {
    occurred_at: DateTime<Utc>,
    score: ScoreCard,
}

/// A finding as the report will carry it, and where it stands.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Finding {
    kind: FindingKind,
    criterion: Option<CriterionId>,
    description: Sealed<Text>,
    status: FindingStatus,
}

/// A visit. See the [module docs](crate::visit).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Visit {
    plan: Option<Plan>,
    status: Option<VisitStatus>,
    record: Option<Record>,
    evidence: BTreeSet<String>,
    findings: BTreeMap<FindingId, Finding>,
    revision: u32,
}

/// Where the member may still change the record.
const EDITABLE: &[VisitStatus] = &[VisitStatus::CarriedOut, VisitStatus::SentBack];

impl Visit {
    /// Its status, once planned.
    pub fn status(&self) -> Option<VisitStatus> {
        self.status
    }

    /// The score of the latest record.
    pub fn score(&self) -> Option<&ScoreCard> {
        self.record.as_ref().map(|r| &r.score)
    }

    /// The status of `finding`, if the visit has it.
    pub fn finding_status(&self, finding: FindingId) -> Option<FindingStatus> {
        self.findings.get(&finding).map(|f| f.status)
    }

    /// The findings not yet verified as implemented.
    pub fn open_findings(&self) -> impl Iterator<Item = FindingId> + '_ {
        self.findings
            .iter()
            .filter(|(_, f)| f.status != FindingStatus::Verified)
            .map(|(id, _)| *id)
    }

    fn plan(&self) -> Result<&Plan, VisitError> {
        self.plan.as_ref().ok_or(VisitError::NotPlanned)
    }

    /// Refuses unless the visit is in one of `allowed`.
    fn require_status(&self, allowed: &[VisitStatus]) -> Result<(), VisitError> {
        match self.status {
            None => Err(VisitError::NotPlanned),
            Some(status) if allowed.contains(&status) => Ok(()),
            Some(status) => Err(VisitError::WrongStatus { status }),
        }
    }

    /// The latest record; every status after `CarriedOut` has one.
    fn record(&self) -> Result<&Record, VisitError> {
        match (&self.record, self.status) {
            (Some(record), _) => Ok(record),
            (None, Some(status)) => Err(VisitError::WrongStatus { status }),
            (None, None) => Err(VisitError::NotPlanned),
        }
    }

    /// The plan, if `actor` is its member acting for the department.
    fn by_member(&self, actor: &Actor, services: &WatcherServices) -> Result<&Plan, VisitError> {
        let plan = self.plan()?;
        if actor.id == plan.assignment.member && services.is_department(actor, TEAM) {
            Ok(plan)
        } else {
            Err(VisitError::NotTheAssignedMember)
        }
    }

    /// The plan, if `actor` may review it: a supervisor other than the member who visited.
    fn by_reviewer(&self, actor: &Actor, services: &WatcherServices) -> Result<&Plan, VisitError> {
        services.authorize(actor, SUPERVISING, VisitError::NotDepartmentSupervisor)?;
        let plan = self.plan()?;
        if actor.id == plan.assignment.member {
            return Err(VisitError::OwnVisit);
        }
        Ok(plan)
    }

    /// The finding, unless it is unknown or closed.
    fn open_finding(&self, id: FindingId) -> Result<&Finding, VisitError> {
        match self.findings.get(&id) {
            None => Err(VisitError::UnknownFinding(id)),
            Some(f) if f.status == FindingStatus::Verified => Err(VisitError::FindingClosed(id)),
            Some(f) => Ok(f),
        }
    }
}

impl Aggregate for Visit {
    const TYPE: &'static str = "Visit";
    type Command = VisitCommand;
    type Event = VisitEvent;
    type Error = VisitError;
    type Services = WatcherServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let config = &services.config;
        let event = match command {
            VisitCommand::PlanVisit {
                actor,
                assignment,
                checklist,
                subject,
            } => {
                services.authorize(&actor, SUPERVISING, VisitError::NotDepartmentSupervisor)?;
                if self.status.is_some() {
                    return Err(VisitError::AlreadyPlanned);
                }
                VisitEvent::VisitPlanned {
                    assignment,
                    checklist,
                    subject,
                    by: actor.id,
                    planned_at: services.now(),
                }
            }
            VisitCommand::RecordVisit {
                actor,
                occurred_at,
                service_asked,
                waiting_minutes,
                observations,
                answers,
            } => {
                let plan = self.by_member(&actor, services)?;
                self.require_status(&[
                    VisitStatus::Planned,
                    VisitStatus::CarriedOut,
                    VisitStatus::SentBack,
                ])?;
                let now = services.now();
                let tolerance = Duration::seconds(i64::from(config.clock_skew_tolerance_seconds));
                if occurred_at > now + tolerance {
                    return Err(VisitError::OccurredInFuture { occurred_at, now });
                }
                if occurred_at < plan.planned_at {
                    return Err(VisitError::OccurredBeforePlan {
                        occurred_at,
                        planned_at: plan.planned_at,
                    });
                }
                let service_asked =
                    InvalidText::check("service_asked", &service_asked, config.line())?;
                if let Some(minutes) = waiting_minutes
                    && minutes > config.max_waiting_minutes
                {
                    return Err(VisitError::WaitingTooLong {
                        minutes,
                        max: config.max_waiting_minutes,
                    });
                }
                let score = score_visit(&plan.checklist, &answers)?;
                VisitEvent::VisitRecorded {
                    occurred_at,
                    recorded_at: now,
                    channel: plan.assignment.service_point.channel,
                    service_asked,
                    waiting_minutes,
                    observations: services
                        .seal_body::<VisitError>(plan.subject, "observations", &observations)
                        .await?,
                    answers,
                    score,
                }
            }
            VisitCommand::AttachEvidence { actor, evidence } => {
                self.by_member(&actor, services)?;
                self.require_status(EDITABLE)?;
                VisitEvent::EvidenceAttached {
                    evidence: self.check_evidence(evidence, services)?,
                    attached_at: services.now(),
                }
            }
            VisitCommand::RecordFinding {
                actor,
                finding,
                kind,
                criterion,
                description,
            } => {
                let plan = self.by_member(&actor, services)?;
                self.require_status(EDITABLE)?;
                if self.findings.contains_key(&finding) {
                    return Err(VisitError::FindingAlreadyRecorded(finding));
                }
                if self.findings.len() >= config.max_findings_per_visit {
                    return Err(VisitError::TooManyFindings {
                        max: config.max_findings_per_visit,
                    });
                }
                if let Some(criterion) = criterion
                    && !plan.checklist.criteria.iter().any(|c| c.id == criterion)
                {
                    return Err(VisitError::UnknownCriterion(criterion));
                }
                VisitEvent::FindingRecorded {
                    finding,
                    kind,
                    criterion,
                    description: services
                        .seal_body::<VisitError>(plan.subject, "description", &description)
                        .await?,
                    recorded_at: services.now(),
                }
            }
            VisitCommand::SubmitVisit { actor } => {
                self.by_member(&actor, services)?;
                self.require_status(EDITABLE)?;
                VisitEvent::VisitSubmitted {
                    revision: self.revision.saturating_add(1),
                    submitted_at: services.now(),
                }
            }
            VisitCommand::AcceptVisit { actor } => {
                self.by_reviewer(&actor, services)?;
                self.require_status(&[VisitStatus::Submitted])?;
                VisitEvent::VisitAccepted {
                    score: self.record()?.score.clone(),
                    by: actor.id,
                    accepted_at: services.now(),
                }
            }
            VisitCommand::SendBackVisit { actor, remarks } => {
                let plan = self.by_reviewer(&actor, services)?;
                self.require_status(&[VisitStatus::Submitted])?;
                VisitEvent::VisitSentBack {
                    remarks: services
                        .seal_body::<VisitError>(plan.subject, "remarks", &remarks)
                        .await?,
                    by: actor.id,
                    sent_back_at: services.now(),
                }
            }
            VisitCommand::SendReport { actor } => {
                services.authorize(&actor, SUPERVISING, VisitError::NotDepartmentSupervisor)?;
                let plan = self.plan()?;
                self.require_status(&[VisitStatus::Accepted])?;
                let record = self.record()?;
                let point = plan.assignment.service_point;
                VisitEvent::ReportSent {
                    report: VisitReport {
                        visit: plan.assignment.visit,
                        organisation: point.organisation,
                        service_point: point.id,
                        channel: point.channel,
                        occurred_on: services.calendar.local_date(record.occurred_at),
                        score: record.score.clone(),
                        findings: self
                            .findings
                            .iter()
                            .map(|(id, f)| ReportedFinding {
                                finding: *id,
                                kind: f.kind,
                                criterion: f.criterion,
                                description: f.description.clone(),
                            })
                            .collect(),
                        sent_at: services.now(),
                    },
                }
            }
            VisitCommand::ProposeCorrectiveAction {
                actor,
                finding,
                action,
                due_on,
            } => {
                let plan = self.plan()?;
                let body = plan.assignment.service_point.organisation;
                // The body's own units answer, and so do the bodies above it, which answer
                // for their structures.
                let Some(organisation) = actor.organisation().filter(|o| {
                    services.directory.is_within(*o, body) || services.directory.is_within(body, *o)
                }) else {
                    return Err(VisitError::NotTheInspectedBody);
                };
                self.require_status(&[VisitStatus::ReportSent])?;
                self.open_finding(finding)?;
                let today = services.today();
                if due_on < today {
                    return Err(VisitError::DueDateInPast { due_on, today });
                }
                let latest = today
                    .checked_add_signed(Duration::days(i64::from(
                        config.max_corrective_action_days,
                    )))
                    .unwrap_or(NaiveDate::MAX);
                if due_on > latest {
                    return Err(VisitError::DueDateTooFar { due_on, latest });
                }
                VisitEvent::CorrectiveActionProposed {
                    finding,
                    action: services
                        .seal_body::<VisitError>(plan.subject, "action", &action)
                        .await?,
                    due_on,
                    by: actor.id,
                    organisation,
                    proposed_at: services.now(),
                }
            }
            VisitCommand::VerifyFinding {
                actor,
                finding,
                follow_up,
                outcome,
                notes,
            } => {
                services.authorize(&actor, SUPERVISING, VisitError::NotDepartmentSupervisor)?;
                let plan = self.plan()?;
                self.require_status(&[VisitStatus::ReportSent])?;
                self.open_finding(finding)?;
                if follow_up == plan.assignment.visit {
                    return Err(VisitError::FollowUpIsThisVisit);
                }
                VisitEvent::FindingVerified {
                    finding,
                    follow_up,
                    outcome,
                    notes: services
                        .seal_body::<VisitError>(plan.subject, "notes", &notes)
                        .await?,
                    verified_at: services.now(),
                }
            }
            VisitCommand::CancelVisit { actor, reason } => {
                services.authorize(&actor, SUPERVISING, VisitError::NotDepartmentSupervisor)?;
                self.require_status(&[VisitStatus::Planned])?;
                VisitEvent::VisitCancelled {
                    reason,
                    by: actor.id,
                    cancelled_at: services.now(),
                }
            }
        };
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            VisitEvent::VisitPlanned {
                assignment,
                checklist,
                subject,
                planned_at,
                ..
            } => {
                self.plan = Some(Plan {
                    assignment,
                    checklist,
                    subject,
                    planned_at,
                });
                self.status = Some(VisitStatus::Planned);
            }
            VisitEvent::VisitRecorded {
                occurred_at, score, ..
            } => {
                self.record = Some(Record { occurred_at, score });
                self.status = Some(VisitStatus::CarriedOut);
            }
            VisitEvent::EvidenceAttached { evidence, .. } => {
                self.evidence.insert(evidence.content_hash);
            }
            VisitEvent::FindingRecorded {
                finding,
                kind,
                criterion,
                description,
                ..
            } => {
                self.findings.insert(
                    finding,
                    Finding {
                        kind,
                        criterion,
                        description,
                        status: FindingStatus::Open,
                    },
                );
            }
            VisitEvent::VisitSubmitted { revision, .. } => {
                self.revision = revision;
                self.status = Some(VisitStatus::Submitted);
            }
            VisitEvent::VisitSentBack { .. } => self.status = Some(VisitStatus::SentBack),
            VisitEvent::VisitAccepted { .. } => self.status = Some(VisitStatus::Accepted),
            VisitEvent::ReportSent { .. } => self.status = Some(VisitStatus::ReportSent),
            VisitEvent::CorrectiveActionProposed {
                finding, due_on, ..
            } => self.set_finding_status(finding, FindingStatus::ActionProposed { due_on }),
            VisitEvent::FindingVerified {
                finding, outcome, ..
            } => self.set_finding_status(
                finding,
                match outcome {
                    VerificationOutcome::Implemented => FindingStatus::Verified,
                    VerificationOutcome::NotImplemented => FindingStatus::Open,
                },
            ),
            VisitEvent::VisitCancelled { .. } => self.status = Some(VisitStatus::Cancelled),
        }
    }
}

impl Visit {
    fn set_finding_status(&mut self, finding: FindingId, status: FindingStatus) {
        if let Some(f) = self.findings.get_mut(&finding) {
            f.status = status;
        }
    }

    /// Checks an evidence reference against the configuration and what is attached already;
    /// returns it with its media type in lower case (media types ignore case).
    fn check_evidence(
        &self,
        evidence: Evidence,
        services: &WatcherServices,
    ) -> Result<Evidence, VisitError> {
        let config = &services.config;
        let hash = &evidence.content_hash;
        if hash.len() != 64 || !hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(VisitError::InvalidContentHash);
        }
        let media_type = evidence.media_type.to_ascii_lowercase();
        if !config
            .evidence_media_types
            .iter()
            .any(|accepted| accepted.eq_ignore_ascii_case(&media_type))
        {
            return Err(VisitError::MediaTypeNotAccepted {
                media_type: evidence.media_type,
            });
        }
        if !(1..=config.max_evidence_bytes).contains(&evidence.size_bytes) {
            return Err(VisitError::EvidenceSizeOutOfRange {
                size_bytes: evidence.size_bytes,
                max: config.max_evidence_bytes,
            });
        }
        if self.evidence.contains(hash) {
            return Err(VisitError::EvidenceAlreadyAttached);
        }
        if self.evidence.len() >= config.max_evidence_per_visit {
            return Err(VisitError::TooMuchEvidence {
                max: config.max_evidence_per_visit,
            });
        }
        Ok(Evidence {
            media_type,
            ..evidence
        })
    }
}
