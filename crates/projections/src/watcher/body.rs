//! The inspected body's view: the reports sent to it and its findings, with their
//! corrective actions, until a follow-up visit verifies them implemented.
//!
//! # Why a body can never learn who visited
//!
//! - This projection reads **only** the visit events whose [`VisitEvent::audience`] is
//!   [`Audience::DepartmentAndInspectedBody`] (the report, the corrective actions, the
//!   verifications): the events that name the member, give the time of day, the service
//!   asked or the waiting time are dropped before any field is looked at.
//! - Its tables (`watcher_body_reports`, `watcher_body_findings`) have no column that could
//!   hold them, so no query of this module can return them whatever its `WHERE`.
//! - A verification keeps its outcome and its local date only: its notes are written by
//!   whoever made the follow-up visit, itself unannounced, and its instant would date that
//!   visit to the minute. The follow-up visit's identifier is not kept either.
//!
//! Findings are matched to the organisation the report was sent to (the service point's
//! body); a body above it (a ministry over its structures) asks for each of them.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use event_store::{Projection, ProjectionError, RecordedEvent};
use kernel::calendar::HolidayCalendar;
use kernel::personal_data::Sealed;
use kernel::{OrganisationId, Text};
use serde::Serialize;
use sqlx::{AnyConnection, AnyPool};
use watcher::{
    Audience, Channel, CriterionId, FindingId, FindingKind, FindingStatus, ScoreCard,
    ServicePointId, Severity, VerificationOutcome, VisitEvent, VisitId, VisitReport,
};

use super::events::{WatcherEvent, stream_id};
use super::sql::{
    Filter, QueryError, Reader, date, fetch_page, json, millis, one_row, optional_text, text,
};
use crate::query::{Page, Paged};

/// A report as the inspected body received it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BodyReportRow {
    /// The visit reported on.
    pub visit: VisitId,
    /// The body it was sent to.
    pub organisation: OrganisationId,
    /// The service point.
    pub service_point: ServicePointId,
    /// How the point was reached.
    pub channel: Channel,
    /// The local date of the visit (never its time).
    pub occurred_on: NaiveDate,
    /// The accepted score, with its themes.
    pub score: ScoreCard,
    /// How many findings it holds.
    pub findings: u32,
    /// When the department sent it.
    pub sent_at: DateTime<Utc>,
}

/// A finding as the inspected body follows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BodyFindingRow {
    /// The finding.
    pub finding: FindingId,
    /// The visit it comes from.
    pub visit: VisitId,
    /// The body that must act on it.
    pub organisation: OrganisationId,
    /// The service point.
    pub service_point: ServicePointId,
    /// Shortcoming (with its severity) or recommendation.
    pub kind: FindingKind,
    /// The criterion it relates to.
    pub criterion: Option<CriterionId>,
    /// What was found (sealed; the gateway opens it for the body's agents).
    pub description: Sealed<Text>,
    /// Open, answered with an action due on a date, or verified implemented (closed).
    pub status: FindingStatus,
    /// The latest corrective action proposed (sealed).
    pub corrective_action: Option<Sealed<Text>>,
    /// Its promised date.
    pub due_on: Option<NaiveDate>,
    /// What the latest follow-up visit found.
    pub last_verification: Option<VerificationOutcome>,
    /// The local date of that verification.
    pub verified_on: Option<NaiveDate>,
    /// When the report holding it was sent.
    pub reported_at: DateTime<Utc>,
}

const REPORTS: &str = "watcher_body_reports";
const FINDINGS: &str = "watcher_body_findings";
const REPORT_COLUMNS: &str = "visit_id, organisation_id, service_point_id, channel, \
     occurred_on, score_card, findings, sent_at";
const FINDING_COLUMNS: &str = "finding_id, visit_id, organisation_id, service_point_id, kind, \
     severity, criterion_id, description, status, corrective_action, due_on, \
     last_verification, verified_on, reported_at";

// The `status` column holds the tag of `watcher::FindingStatus`; an action's due date is in
// `due_on`.
const OPEN: &str = "open";
const ACTION_PROPOSED: &str = "action_proposed";
const VERIFIED: &str = "verified";
const SHORTCOMING: &str = "shortcoming";
const RECOMMENDATION: &str = "recommendation";

/// The reports sent to `organisation`, newest first.
pub async fn reports_for_body(
    pool: &AnyPool,
    organisation: OrganisationId,
    page: Page,
) -> Result<Paged<BodyReportRow>, QueryError> {
    let filter = Filter::default().equals("organisation_id", Some(organisation))?;
    fetch_page(
        pool,
        REPORTS,
        REPORT_COLUMNS,
        filter,
        "sent_at DESC, visit_id DESC",
        page,
        |row| {
            Ok(BodyReportRow {
                visit: row.get("visit_id")?,
                organisation: row.get("organisation_id")?,
                service_point: row.get("service_point_id")?,
                channel: row.get("channel")?,
                occurred_on: row.get("occurred_on")?,
                score: row.json("score_card")?,
                findings: row.number("findings")?,
                sent_at: row.instant("sent_at")?,
            })
        },
    )
    .await
}

/// The findings of `organisation` not yet verified as implemented, oldest report first.
pub async fn open_findings_for_body(
    pool: &AnyPool,
    organisation: OrganisationId,
    page: Page,
) -> Result<Paged<BodyFindingRow>, QueryError> {
    let filter = Filter::default()
        .equals("organisation_id", Some(organisation))?
        .condition("status <> 'verified'");
    fetch_page(
        pool,
        FINDINGS,
        FINDING_COLUMNS,
        filter,
        "reported_at, finding_id",
        page,
        finding_row,
    )
    .await
}

fn finding_row(row: Reader<'_>) -> Result<BodyFindingRow, QueryError> {
    let corrupt = |reason: String| QueryError::Corrupt {
        table: FINDINGS,
        reason,
    };
    let kind: String = row.get("kind")?;
    let severity: Option<Severity> = row.optional("severity")?;
    let kind = match (kind.as_str(), severity) {
        (SHORTCOMING, Some(severity)) => FindingKind::Shortcoming { severity },
        (RECOMMENDATION, None) => FindingKind::Recommendation,
        (kind, severity) => return Err(corrupt(format!("kind {kind} with {severity:?}"))),
    };
    let due_on: Option<NaiveDate> = row.optional("due_on")?;
    let status: String = row.get("status")?;
    let status = match (status.as_str(), due_on) {
        (OPEN, _) => FindingStatus::Open,
        (ACTION_PROPOSED, Some(due_on)) => FindingStatus::ActionProposed { due_on },
        (VERIFIED, _) => FindingStatus::Verified,
        (status, _) => return Err(corrupt(format!("status {status} with due date {due_on:?}"))),
    };
    Ok(BodyFindingRow {
        finding: row.get("finding_id")?,
        visit: row.get("visit_id")?,
        organisation: row.get("organisation_id")?,
        service_point: row.get("service_point_id")?,
        kind,
        criterion: row.optional("criterion_id")?,
        description: row.json("description")?,
        status,
        corrective_action: row.optional_json("corrective_action")?,
        due_on,
        last_verification: row.optional("last_verification")?,
        verified_on: row.optional("verified_on")?,
        reported_at: row.instant("reported_at")?,
    })
}

/// Projection `watcher.body` (tables `watcher_body_reports` and `watcher_body_findings`).
#[derive(Clone, Debug)]
pub struct BodyProjection {
    calendar: HolidayCalendar,
}

impl BodyProjection {
    /// The projection; `calendar` gives the local date of a verification.
    pub fn new(calendar: HolidayCalendar) -> Self {
        Self { calendar }
    }
}

#[async_trait]
impl Projection for BodyProjection {
    fn name(&self) -> &str {
        "watcher.body"
    }

    async fn apply(
        &self,
        tx: &mut AnyConnection,
        event: &RecordedEvent,
    ) -> Result<(), ProjectionError> {
        let Some(WatcherEvent::Visit(visit_event)) = WatcherEvent::decode(event)? else {
            return Ok(());
        };
        // The guard this view rests on: what the body may not read never gets in.
        if visit_event.audience() != Audience::DepartmentAndInspectedBody {
            return Ok(());
        }
        let visit: VisitId = stream_id(event)?;
        match visit_event {
            VisitEvent::ReportSent { report } => insert_report(tx, &report).await,
            VisitEvent::CorrectiveActionProposed {
                finding,
                action,
                due_on,
                ..
            } => {
                let done = sqlx::query(
                    "UPDATE watcher_body_findings SET status = $2, corrective_action = $3, \
                     due_on = $4 WHERE finding_id = $1 AND visit_id = $5",
                )
                .bind(finding.to_string())
                .bind(ACTION_PROPOSED)
                .bind(json(&action)?)
                .bind(date(due_on))
                .bind(visit.to_string())
                .execute(&mut *tx)
                .await?;
                one_row(done, &format!("finding {finding}"))
            }
            VisitEvent::FindingVerified {
                finding,
                outcome,
                verified_at,
                ..
            } => {
                let status = match outcome {
                    VerificationOutcome::Implemented => VERIFIED,
                    VerificationOutcome::NotImplemented => OPEN,
                };
                let done = sqlx::query(
                    "UPDATE watcher_body_findings SET status = $2, last_verification = $3, \
                     verified_on = $4 WHERE finding_id = $1 AND visit_id = $5",
                )
                .bind(finding.to_string())
                .bind(status)
                .bind(text(&outcome)?)
                .bind(date(self.calendar.local_date(verified_at)))
                .bind(visit.to_string())
                .execute(&mut *tx)
                .await?;
                one_row(done, &format!("finding {finding}"))
            }
            // Department-only: dropped above already.
            VisitEvent::VisitPlanned { .. }
            | VisitEvent::VisitRecorded { .. }
            | VisitEvent::EvidenceAttached { .. }
            | VisitEvent::FindingRecorded { .. }
            | VisitEvent::VisitSubmitted { .. }
            | VisitEvent::VisitSentBack { .. }
            | VisitEvent::VisitAccepted { .. }
            | VisitEvent::VisitCancelled { .. } => Ok(()),
        }
    }

    fn tables(&self) -> &[&'static str] {
        &["watcher_body_findings", "watcher_body_reports"]
    }
}

async fn insert_report(
    tx: &mut AnyConnection,
    report: &VisitReport,
) -> Result<(), ProjectionError> {
    let findings = i64::try_from(report.findings.len()).unwrap_or(i64::MAX);
    sqlx::query(
        "INSERT INTO watcher_body_reports (visit_id, organisation_id, service_point_id, channel, \
         occurred_on, score_bp, score_card, findings, sent_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (visit_id) DO UPDATE SET organisation_id = excluded.organisation_id, \
         service_point_id = excluded.service_point_id, channel = excluded.channel, \
         occurred_on = excluded.occurred_on, score_bp = excluded.score_bp, \
         score_card = excluded.score_card, findings = excluded.findings, \
         sent_at = excluded.sent_at",
    )
    .bind(report.visit.to_string())
    .bind(report.organisation.to_string())
    .bind(report.service_point.to_string())
    .bind(text(&report.channel)?)
    .bind(date(report.occurred_on))
    .bind(i64::from(report.score.score.basis_points()))
    .bind(json(&report.score)?)
    .bind(findings)
    .bind(millis(report.sent_at))
    .execute(&mut *tx)
    .await?;
    for finding in &report.findings {
        let (kind, severity) = match finding.kind {
            FindingKind::Shortcoming { severity } => (SHORTCOMING, Some(severity)),
            FindingKind::Recommendation => (RECOMMENDATION, None),
        };
        sqlx::query(
            "INSERT INTO watcher_body_findings (finding_id, visit_id, organisation_id, \
             service_point_id, kind, severity, criterion_id, description, status, reported_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (finding_id) DO UPDATE SET visit_id = excluded.visit_id, \
             organisation_id = excluded.organisation_id, \
             service_point_id = excluded.service_point_id, kind = excluded.kind, \
             severity = excluded.severity, criterion_id = excluded.criterion_id, \
             description = excluded.description, reported_at = excluded.reported_at",
        )
        .bind(finding.finding.to_string())
        .bind(report.visit.to_string())
        .bind(report.organisation.to_string())
        .bind(report.service_point.to_string())
        .bind(kind)
        .bind(optional_text(severity.as_ref())?)
        .bind(finding.criterion.map(|c| c.to_string()))
        .bind(json(&finding.description)?)
        .bind(OPEN)
        .bind(millis(report.sent_at))
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}
