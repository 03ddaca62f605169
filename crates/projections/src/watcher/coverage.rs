//! Coverage: the register of service points (by body and governorate, active or retired)
//! and which of them accepted visits covered over a period, counted by the domain's pure
//! [`watcher::coverage()`] so that every screen and the semester report count alike.
//!
//! # What counts
//!
//! - A point counts for a period when it is active on the period's last day: registered on
//!   or before it and not retired by then. A period in the past is thus counted with the
//!   points of that time, not with today's.
//! - A point is covered when a visit of it **accepted** by a supervisor took place (local
//!   date of the visit as last recorded) within the period: a visit being corrected or
//!   awaiting review does not count yet, a cancelled one never.

use std::collections::BTreeSet;

use async_trait::async_trait;
use chrono::NaiveDate;
use event_store::{Projection, ProjectionError, RecordedEvent};
use kernel::OrganisationId;
use kernel::calendar::HolidayCalendar;
use kernel::organisation::Governorate;
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, AnyPool, Row};
use watcher::{
    Coverage, Period, ServicePointEvent, ServicePointId, ServicePointRef, ServicePointStatus,
    VisitEvent, VisitId,
};

use super::events::{WatcherEvent, stream_id};
use super::sql::{Filter, QueryError, Reader, date, fetch_page, one_row, text};
use crate::query::{Page, Paged};

/// A registered service point.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServicePointRow {
    /// The point, with its body, governorate and channel.
    pub point: ServicePointRef,
    /// Its public name.
    pub name: String,
    /// Active or retired.
    pub status: ServicePointStatus,
    /// The local date it was registered.
    pub registered_on: NaiveDate,
    /// The local date it was retired.
    pub retired_on: Option<NaiveDate>,
}

/// Which service points (the filters given are combined).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServicePointFilter {
    /// Of this body.
    pub organisation: Option<OrganisationId>,
    /// In this governorate.
    pub governorate: Option<Governorate>,
    /// Active or retired.
    pub status: Option<ServicePointStatus>,
}

const POINTS: &str = "watcher_service_points";
const POINT_COLUMNS: &str = "service_point_id, organisation_id, governorate, channel, name, \
     status, registered_on, retired_on";

/// The service points matching `filter`, in registration order.
pub async fn service_points(
    pool: &AnyPool,
    filter: ServicePointFilter,
    page: Page,
) -> Result<Paged<ServicePointRow>, QueryError> {
    let filter = Filter::default()
        .equals("organisation_id", filter.organisation)?
        .equals("governorate", filter.governorate)?
        .equals("status", filter.status)?;
    fetch_page(
        pool,
        POINTS,
        POINT_COLUMNS,
        filter,
        "registered_on, service_point_id",
        page,
        |row| {
            Ok(ServicePointRow {
                point: point_ref(&row)?,
                name: row.get("name")?,
                status: row.get("status")?,
                registered_on: row.get("registered_on")?,
                retired_on: row.optional("retired_on")?,
            })
        },
    )
    .await
}

fn point_ref(row: &Reader<'_>) -> Result<ServicePointRef, QueryError> {
    Ok(ServicePointRef {
        id: row.get("service_point_id")?,
        organisation: row.get("organisation_id")?,
        governorate: row.get("governorate")?,
        channel: row.get("channel")?,
    })
}

/// The coverage of the points active at the end of `period` by the accepted visits that
/// took place within it (see the [module docs](self)).
pub async fn coverage(pool: &AnyPool, period: Period) -> Result<Coverage, QueryError> {
    let end = date(period.ends_on);
    let rows = sqlx::query(
        "SELECT service_point_id, organisation_id, governorate, channel \
         FROM watcher_service_points \
         WHERE registered_on <= $1 AND (retired_on IS NULL OR retired_on > $1)",
    )
    .bind(&end)
    .fetch_all(pool)
    .await?;
    let points = rows
        .iter()
        .map(|row| point_ref(&Reader::new(row, POINTS)))
        .collect::<Result<Vec<_>, _>>()?;
    let visited = sqlx::query(
        "SELECT DISTINCT service_point_id FROM watcher_coverage_visits \
         WHERE accepted = 1 AND occurred_on >= $1 AND occurred_on <= $2",
    )
    .bind(date(period.starts_on))
    .bind(&end)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|row| {
        let id: String = row.try_get("service_point_id")?;
        id.parse().map_err(|_| QueryError::Corrupt {
            table: "watcher_coverage_visits",
            reason: format!("service_point_id {id}"),
        })
    })
    .collect::<Result<BTreeSet<ServicePointId>, QueryError>>()?;
    Ok(watcher::coverage(&points, &visited))
}

/// Projection `watcher.coverage` (tables `watcher_service_points` and
/// `watcher_coverage_visits`).
#[derive(Clone, Debug)]
pub struct CoverageProjection {
    calendar: HolidayCalendar,
}

impl CoverageProjection {
    /// The projection; `calendar` gives the local dates of registrations and visits.
    pub fn new(calendar: HolidayCalendar) -> Self {
        Self { calendar }
    }
}

#[async_trait]
impl Projection for CoverageProjection {
    fn name(&self) -> &str {
        "watcher.coverage"
    }

    async fn apply(
        &self,
        tx: &mut AnyConnection,
        event: &RecordedEvent,
    ) -> Result<(), ProjectionError> {
        match WatcherEvent::decode(event)? {
            Some(WatcherEvent::ServicePoint(point_event)) => {
                self.apply_point(tx, stream_id(event)?, point_event).await
            }
            Some(WatcherEvent::Visit(visit_event)) => {
                self.apply_visit(tx, stream_id(event)?, visit_event).await
            }
            _ => Ok(()),
        }
    }

    fn tables(&self) -> &[&'static str] {
        &["watcher_coverage_visits", "watcher_service_points"]
    }
}

impl CoverageProjection {
    async fn apply_point(
        &self,
        tx: &mut AnyConnection,
        id: ServicePointId,
        event: ServicePointEvent,
    ) -> Result<(), ProjectionError> {
        let done = match event {
            ServicePointEvent::ServicePointRegistered {
                point,
                name,
                registered_at,
                ..
            } => {
                sqlx::query(
                    "INSERT INTO watcher_service_points (service_point_id, organisation_id, \
                     governorate, channel, name, status, registered_on) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) \
                     ON CONFLICT (service_point_id) DO UPDATE SET \
                     organisation_id = excluded.organisation_id, \
                     governorate = excluded.governorate, channel = excluded.channel, \
                     name = excluded.name, status = excluded.status, \
                     registered_on = excluded.registered_on, retired_on = NULL",
                )
                .bind(id.to_string())
                .bind(point.organisation.to_string())
                .bind(text(&point.governorate)?)
                .bind(text(&point.channel)?)
                .bind(name.as_str().to_owned())
                .bind(text(&ServicePointStatus::Active)?)
                .bind(date(self.calendar.local_date(registered_at)))
                .execute(&mut *tx)
                .await?
            }
            ServicePointEvent::ServicePointRetired { retired_at, .. } => {
                sqlx::query(
                    "UPDATE watcher_service_points SET status = $2, retired_on = $3 \
                     WHERE service_point_id = $1",
                )
                .bind(id.to_string())
                .bind(text(&ServicePointStatus::Retired)?)
                .bind(date(self.calendar.local_date(retired_at)))
                .execute(&mut *tx)
                .await?
            }
        };
        one_row(done, &format!("service point {id}"))
    }

    async fn apply_visit(
        &self,
        tx: &mut AnyConnection,
        visit: VisitId,
        event: VisitEvent,
    ) -> Result<(), ProjectionError> {
        let done = match event {
            VisitEvent::VisitPlanned { assignment, .. } => {
                sqlx::query(
                    "INSERT INTO watcher_coverage_visits (visit_id, service_point_id) \
                     VALUES ($1, $2) ON CONFLICT (visit_id) DO UPDATE SET \
                     service_point_id = excluded.service_point_id",
                )
                .bind(visit.to_string())
                .bind(assignment.service_point.id.to_string())
                .execute(&mut *tx)
                .await?
            }
            VisitEvent::VisitRecorded { occurred_at, .. } => {
                sqlx::query(
                    "UPDATE watcher_coverage_visits SET occurred_on = $2 WHERE visit_id = $1",
                )
                .bind(visit.to_string())
                .bind(date(self.calendar.local_date(occurred_at)))
                .execute(&mut *tx)
                .await?
            }
            VisitEvent::VisitAccepted { .. } => {
                sqlx::query("UPDATE watcher_coverage_visits SET accepted = 1 WHERE visit_id = $1")
                    .bind(visit.to_string())
                    .execute(&mut *tx)
                    .await?
            }
            // Coverage counts accepted visits by the date they took place: nothing else
            // of a visit matters to it.
            VisitEvent::EvidenceAttached { .. }
            | VisitEvent::FindingRecorded { .. }
            | VisitEvent::VisitSubmitted { .. }
            | VisitEvent::VisitSentBack { .. }
            | VisitEvent::ReportSent { .. }
            | VisitEvent::CorrectiveActionProposed { .. }
            | VisitEvent::FindingVerified { .. }
            | VisitEvent::VisitCancelled { .. } => return Ok(()),
        };
        one_row(done, &format!("visit {visit}"))
    }
}
