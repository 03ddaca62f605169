//! Corruption referrals, for the department only: what was referred to which competent
//! authority, acknowledged and decided.
//!
//! Every referral event is department-only (the domain's `referral` module): the inspected
//! body never learns a referral exists. This table is never read for a body, and it keeps
//! neither summary (sealed free text) nor who referred.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use event_store::{Projection, ProjectionError, RecordedEvent};
use kernel::OrganisationId;
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, AnyPool};
use watcher::{
    CorruptionCategory, FindingId, ReferralEvent, ReferralId, ReferralOutcome, ReferralStatus,
    VisitId,
};

use super::events::{WatcherEvent, stream_id};
use super::sql::{Filter, QueryError, date, fetch_page, millis, one_row, text};
use crate::query::{Page, Paged};

/// A referral as the department follows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReferralRow {
    /// The referral.
    pub referral: ReferralId,
    /// The visit the finding comes from.
    pub visit: VisitId,
    /// The finding referred.
    pub finding: FindingId,
    /// The inspected body concerned.
    pub organisation: OrganisationId,
    /// What kind of behaviour.
    pub category: CorruptionCategory,
    /// The competent authority.
    pub authority: OrganisationId,
    /// Sent, acknowledged or closed.
    pub status: ReferralStatus,
    /// When it was sent.
    pub referred_at: DateTime<Utc>,
    /// The date of the authority's acknowledgement.
    pub acknowledged_on: Option<NaiveDate>,
    /// The authority's reference for the case.
    pub authority_reference: Option<String>,
    /// The authority's decision.
    pub outcome: Option<ReferralOutcome>,
    /// Its date.
    pub decided_on: Option<NaiveDate>,
}

/// Which referrals (the filters given are combined).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReferralFilter {
    /// In this state.
    pub status: Option<ReferralStatus>,
    /// Sent to this authority.
    pub authority: Option<OrganisationId>,
    /// Of this category.
    pub category: Option<CorruptionCategory>,
}

const TABLE: &str = "watcher_referrals";
const COLUMNS: &str = "referral_id, visit_id, finding_id, organisation_id, category, \
     authority_id, status, referred_at, acknowledged_on, authority_reference, outcome, decided_on";

/// The referrals matching `filter`, oldest first.
pub async fn referrals(
    pool: &AnyPool,
    filter: ReferralFilter,
    page: Page,
) -> Result<Paged<ReferralRow>, QueryError> {
    let filter = Filter::default()
        .equals("status", filter.status)?
        .equals("authority_id", filter.authority)?
        .equals("category", filter.category)?;
    fetch_page(
        pool,
        TABLE,
        COLUMNS,
        filter,
        "referred_at, referral_id",
        page,
        |row| {
            Ok(ReferralRow {
                referral: row.get("referral_id")?,
                visit: row.get("visit_id")?,
                finding: row.get("finding_id")?,
                organisation: row.get("organisation_id")?,
                category: row.get("category")?,
                authority: row.get("authority_id")?,
                status: row.get("status")?,
                referred_at: row.instant("referred_at")?,
                acknowledged_on: row.optional("acknowledged_on")?,
                authority_reference: row.optional("authority_reference")?,
                outcome: row.optional("outcome")?,
                decided_on: row.optional("decided_on")?,
            })
        },
    )
    .await
}

/// Projection `watcher.referrals` (table `watcher_referrals`).
#[derive(Clone, Copy, Debug, Default)]
pub struct ReferralsProjection;

#[async_trait]
impl Projection for ReferralsProjection {
    fn name(&self) -> &str {
        "watcher.referrals"
    }

    async fn apply(
        &self,
        tx: &mut AnyConnection,
        event: &RecordedEvent,
    ) -> Result<(), ProjectionError> {
        let Some(WatcherEvent::Referral(referral_event)) = WatcherEvent::decode(event)? else {
            return Ok(());
        };
        let referral: ReferralId = stream_id(event)?;
        let done = match referral_event {
            ReferralEvent::FindingReferred {
                visit,
                finding,
                organisation,
                category,
                authority,
                referred_at,
                ..
            } => {
                sqlx::query(
                    "INSERT INTO watcher_referrals (referral_id, visit_id, finding_id, \
                     organisation_id, category, authority_id, status, referred_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                     ON CONFLICT (referral_id) DO UPDATE SET visit_id = excluded.visit_id, \
                     finding_id = excluded.finding_id, organisation_id = excluded.organisation_id, \
                     category = excluded.category, authority_id = excluded.authority_id, \
                     status = excluded.status, referred_at = excluded.referred_at",
                )
                .bind(referral.to_string())
                .bind(visit.to_string())
                .bind(finding.to_string())
                .bind(organisation.to_string())
                .bind(text(&category)?)
                .bind(authority.to_string())
                .bind(text(&ReferralStatus::Sent)?)
                .bind(millis(referred_at))
                .execute(&mut *tx)
                .await?
            }
            ReferralEvent::ReferralAcknowledged {
                acknowledged_on,
                authority_reference,
                ..
            } => {
                sqlx::query(
                    "UPDATE watcher_referrals SET status = $2, acknowledged_on = $3, \
                     authority_reference = $4 WHERE referral_id = $1",
                )
                .bind(referral.to_string())
                .bind(text(&ReferralStatus::Acknowledged)?)
                .bind(date(acknowledged_on))
                .bind(authority_reference.map(|r| r.as_str().to_owned()))
                .execute(&mut *tx)
                .await?
            }
            ReferralEvent::ReferralOutcomeRecorded {
                outcome,
                decided_on,
                ..
            } => {
                sqlx::query(
                    "UPDATE watcher_referrals SET status = $2, outcome = $3, decided_on = $4 \
                     WHERE referral_id = $1",
                )
                .bind(referral.to_string())
                .bind(text(&ReferralStatus::Closed)?)
                .bind(text(&outcome)?)
                .bind(date(decided_on))
                .execute(&mut *tx)
                .await?
            }
        };
        one_row(done, &format!("referral {referral}"))
    }

    fn tables(&self) -> &[&'static str] {
        &["watcher_referrals"]
    }
}
