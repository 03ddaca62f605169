//! Visits by campaign: the department's view of every visit (who visits, where, where it
//! stands, its score and review), for the campaign screens of supervisors.
//!
//! Department only: it names the member. Nothing here is ever read for an inspected body
//! (see [`super::body`]).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use event_store::{Projection, ProjectionError, RecordedEvent};
use kernel::organisation::Governorate;
use kernel::{ActorId, OrganisationId};
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, AnyPool};
use watcher::{
    CampaignId, CancellationReason, Channel, Percentage, ScoreCard, ServicePointId, VisitEvent,
    VisitId, VisitStatus,
};

use super::events::{WatcherEvent, stream_id};
use super::sql::{Filter, QueryError, fetch_page, flag, millis, one_row, text};
use crate::query::{Page, Paged};

/// Where the review of a visit stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    /// Submitted, awaiting a supervisor.
    Pending,
    /// Returned to the member with remarks.
    SentBack,
    /// Accepted by a supervisor.
    Accepted,
}

/// A visit as the department sees it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VisitRow {
    /// The visit.
    pub visit: VisitId,
    /// Its campaign.
    pub campaign: CampaignId,
    /// The service point visited.
    pub service_point: ServicePointId,
    /// The inspected body.
    pub organisation: OrganisationId,
    /// Where.
    pub governorate: Governorate,
    /// How the point is reached.
    pub channel: Channel,
    /// The member who visits (department only).
    pub member: ActorId,
    /// Where it stands.
    pub status: VisitStatus,
    /// When it was planned.
    pub planned_at: DateTime<Utc>,
    /// When it happened, as last recorded.
    pub occurred_at: Option<DateTime<Utc>>,
    /// The latest recorded (or accepted) score.
    pub score: Option<Percentage>,
    /// Whether a critical criterion failed (the score is capped).
    pub critical_failed: bool,
    /// Findings recorded.
    pub findings: u32,
    /// Submissions so far.
    pub revision: u32,
    /// The review, once submitted.
    pub review: Option<ReviewState>,
    /// The supervisor who last reviewed it.
    pub reviewed_by: Option<ActorId>,
    /// When.
    pub reviewed_at: Option<DateTime<Utc>>,
    /// When the report went to the body.
    pub report_sent_at: Option<DateTime<Utc>>,
    /// Why it was cancelled.
    pub cancellation_reason: Option<CancellationReason>,
}

/// Which visits of a campaign (the filters given are combined).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VisitFilter {
    /// In this state.
    pub status: Option<VisitStatus>,
    /// Of this service point.
    pub service_point: Option<ServicePointId>,
    /// In this governorate.
    pub governorate: Option<Governorate>,
}

const TABLE: &str = "watcher_visits";
const COLUMNS: &str = "visit_id, campaign_id, service_point_id, organisation_id, governorate, \
     channel, member_id, status, planned_at, occurred_at, score_bp, critical_failed, findings, \
     revision, review, reviewed_by, reviewed_at, report_sent_at, cancellation_reason";

/// The visits of `campaign` matching `filter`, in planning order.
pub async fn visits_by_campaign(
    pool: &AnyPool,
    campaign: CampaignId,
    filter: VisitFilter,
    page: Page,
) -> Result<Paged<VisitRow>, QueryError> {
    let filter = Filter::default()
        .equals("campaign_id", Some(campaign))?
        .equals("status", filter.status)?
        .equals("service_point_id", filter.service_point)?
        .equals("governorate", filter.governorate)?;
    fetch_page(
        pool,
        TABLE,
        COLUMNS,
        filter,
        "planned_at, visit_id",
        page,
        |row| {
            Ok(VisitRow {
                visit: row.get("visit_id")?,
                campaign: row.get("campaign_id")?,
                service_point: row.get("service_point_id")?,
                organisation: row.get("organisation_id")?,
                governorate: row.get("governorate")?,
                channel: row.get("channel")?,
                member: row.get("member_id")?,
                status: row.get("status")?,
                planned_at: row.instant("planned_at")?,
                occurred_at: row.optional_instant("occurred_at")?,
                score: row.optional_percentage("score_bp")?,
                critical_failed: row.flag("critical_failed")?,
                findings: row.number("findings")?,
                revision: row.number("revision")?,
                review: row.optional("review")?,
                reviewed_by: row.optional("reviewed_by")?,
                reviewed_at: row.optional_instant("reviewed_at")?,
                report_sent_at: row.optional_instant("report_sent_at")?,
                cancellation_reason: row.optional("cancellation_reason")?,
            })
        },
    )
    .await
}

/// Projection `watcher.visits` (table `watcher_visits`).
#[derive(Clone, Copy, Debug, Default)]
pub struct VisitsProjection;

#[async_trait]
impl Projection for VisitsProjection {
    fn name(&self) -> &str {
        "watcher.visits"
    }

    async fn apply(
        &self,
        tx: &mut AnyConnection,
        event: &RecordedEvent,
    ) -> Result<(), ProjectionError> {
        let Some(WatcherEvent::Visit(visit_event)) = WatcherEvent::decode(event)? else {
            return Ok(());
        };
        let visit: VisitId = stream_id(event)?;
        let what = format!("visit {visit}");
        match visit_event {
            VisitEvent::VisitPlanned {
                assignment,
                planned_at,
                ..
            } => {
                let point = assignment.service_point;
                sqlx::query(
                    "INSERT INTO watcher_visits (visit_id, campaign_id, service_point_id, \
                     organisation_id, governorate, channel, member_id, status, planned_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                     ON CONFLICT (visit_id) DO UPDATE SET campaign_id = excluded.campaign_id, \
                     service_point_id = excluded.service_point_id, \
                     organisation_id = excluded.organisation_id, \
                     governorate = excluded.governorate, channel = excluded.channel, \
                     member_id = excluded.member_id, status = excluded.status, \
                     planned_at = excluded.planned_at",
                )
                .bind(visit.to_string())
                .bind(assignment.campaign.to_string())
                .bind(point.id.to_string())
                .bind(point.organisation.to_string())
                .bind(text(&point.governorate)?)
                .bind(text(&point.channel)?)
                .bind(assignment.member.to_string())
                .bind(text(&VisitStatus::Planned)?)
                .bind(millis(planned_at))
                .execute(&mut *tx)
                .await?;
            }
            VisitEvent::VisitRecorded {
                occurred_at, score, ..
            } => {
                let done = sqlx::query(
                    "UPDATE watcher_visits SET status = $2, occurred_at = $3, score_bp = $4, \
                     critical_failed = $5 WHERE visit_id = $1",
                )
                .bind(visit.to_string())
                .bind(text(&VisitStatus::CarriedOut)?)
                .bind(millis(occurred_at))
                .bind(i64::from(score.score.basis_points()))
                .bind(critical(&score))
                .execute(&mut *tx)
                .await?;
                one_row(done, &what)?;
            }
            VisitEvent::FindingRecorded { .. } => {
                let done = sqlx::query(
                    "UPDATE watcher_visits SET findings = findings + 1 WHERE visit_id = $1",
                )
                .bind(visit.to_string())
                .execute(&mut *tx)
                .await?;
                one_row(done, &what)?;
            }
            VisitEvent::VisitSubmitted { revision, .. } => {
                let done = sqlx::query(
                    "UPDATE watcher_visits SET status = $2, revision = $3, review = $4 \
                     WHERE visit_id = $1",
                )
                .bind(visit.to_string())
                .bind(text(&VisitStatus::Submitted)?)
                .bind(i64::from(revision))
                .bind(text(&ReviewState::Pending)?)
                .execute(&mut *tx)
                .await?;
                one_row(done, &what)?;
            }
            VisitEvent::VisitSentBack {
                by, sent_back_at, ..
            } => {
                review(
                    tx,
                    visit,
                    VisitStatus::SentBack,
                    ReviewState::SentBack,
                    by,
                    sent_back_at,
                )
                .await?;
            }
            VisitEvent::VisitAccepted {
                score,
                by,
                accepted_at,
            } => {
                review(
                    tx,
                    visit,
                    VisitStatus::Accepted,
                    ReviewState::Accepted,
                    by,
                    accepted_at,
                )
                .await?;
                // The accepted score is the latest record's; kept in step all the same.
                let done = sqlx::query(
                    "UPDATE watcher_visits SET score_bp = $2, critical_failed = $3 \
                     WHERE visit_id = $1",
                )
                .bind(visit.to_string())
                .bind(i64::from(score.score.basis_points()))
                .bind(critical(&score))
                .execute(&mut *tx)
                .await?;
                one_row(done, &what)?;
            }
            VisitEvent::ReportSent { report } => {
                let done = sqlx::query(
                    "UPDATE watcher_visits SET status = $2, report_sent_at = $3 \
                     WHERE visit_id = $1",
                )
                .bind(visit.to_string())
                .bind(text(&VisitStatus::ReportSent)?)
                .bind(millis(report.sent_at))
                .execute(&mut *tx)
                .await?;
                one_row(done, &what)?;
            }
            VisitEvent::VisitCancelled { reason, .. } => {
                let done = sqlx::query(
                    "UPDATE watcher_visits SET status = $2, cancellation_reason = $3 \
                     WHERE visit_id = $1",
                )
                .bind(visit.to_string())
                .bind(text(&VisitStatus::Cancelled)?)
                .bind(text(&reason)?)
                .execute(&mut *tx)
                .await?;
                one_row(done, &what)?;
            }
            // Evidence is the member's working material; corrective actions and their
            // verification are the findings' course, followed in the body's view.
            VisitEvent::EvidenceAttached { .. }
            | VisitEvent::CorrectiveActionProposed { .. }
            | VisitEvent::FindingVerified { .. } => {}
        }
        Ok(())
    }

    fn tables(&self) -> &[&'static str] {
        &["watcher_visits"]
    }
}

fn critical(score: &ScoreCard) -> i64 {
    flag(score.cap_applied.is_some())
}

/// Records a supervisor's review.
async fn review(
    tx: &mut AnyConnection,
    visit: VisitId,
    status: VisitStatus,
    review: ReviewState,
    by: ActorId,
    at: DateTime<Utc>,
) -> Result<(), ProjectionError> {
    let done = sqlx::query(
        "UPDATE watcher_visits SET status = $2, review = $3, reviewed_by = $4, reviewed_at = $5 \
         WHERE visit_id = $1",
    )
    .bind(visit.to_string())
    .bind(text(&status)?)
    .bind(text(&review)?)
    .bind(by.to_string())
    .bind(millis(at))
    .execute(&mut *tx)
    .await?;
    one_row(done, &format!("visit {visit}"))
}
