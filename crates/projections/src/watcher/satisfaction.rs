//! Satisfaction: survey responses tallied per service point and local day, so that the
//! index of any point (or of all) over any period is a sum of tallies, turned into an index
//! by the domain's [`Tally::index`] (the same rule the survey applies when it closes).
//!
//! Responses are anonymous in the log already (no respondent, no time of day); the tallies
//! keep even less: a count and a sum per point and day.

use async_trait::async_trait;
use event_store::{Projection, ProjectionError, RecordedEvent};
use serde::Serialize;
use sqlx::{AnyConnection, AnyPool};
use watcher::{Percentage, Period, ServicePointId, SurveyEvent, Tally};

use super::events::WatcherEvent;
use super::sql::{QueryError, date};

/// How many values an average is made of, and their mean (rounded down to the basis
/// point, `None` without values): a satisfaction index, an average score.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Average {
    /// How many responses (or visits).
    pub count: u64,
    /// Their mean.
    pub mean: Option<Percentage>,
}

impl From<Tally> for Average {
    fn from(tally: Tally) -> Self {
        Self {
            count: tally.responses,
            mean: tally.index(),
        }
    }
}

/// The satisfaction index of `service_point` (of every point when `None`) over `period`.
pub async fn satisfaction_index(
    pool: &AnyPool,
    service_point: Option<ServicePointId>,
    period: Period,
) -> Result<Average, QueryError> {
    // SUM of a bigint is numeric on PostgreSQL: cast back so both backends return integers.
    let mut sql = String::from(
        "SELECT CAST(COALESCE(SUM(responses), 0) AS BIGINT), \
         CAST(COALESCE(SUM(total_basis_points), 0) AS BIGINT) FROM watcher_satisfaction \
         WHERE responded_on >= $1 AND responded_on <= $2",
    );
    if service_point.is_some() {
        sql.push_str(" AND service_point_id = $3");
    }
    let query = sqlx::query_as::<_, (i64, i64)>(&sql)
        .bind(date(period.starts_on))
        .bind(date(period.ends_on));
    let query = match service_point {
        Some(point) => query.bind(point.to_string()),
        None => query,
    };
    let (responses, total) = query.fetch_one(pool).await?;
    let corrupt = |value: i64| QueryError::Corrupt {
        table: "watcher_satisfaction",
        reason: format!("negative sum {value}"),
    };
    Ok(Tally {
        responses: u64::try_from(responses).map_err(|_| corrupt(responses))?,
        total_basis_points: u64::try_from(total).map_err(|_| corrupt(total))?,
    }
    .into())
}

/// Projection `watcher.satisfaction` (table `watcher_satisfaction`).
#[derive(Clone, Copy, Debug, Default)]
pub struct SatisfactionProjection;

#[async_trait]
impl Projection for SatisfactionProjection {
    fn name(&self) -> &str {
        "watcher.satisfaction"
    }

    async fn apply(
        &self,
        tx: &mut AnyConnection,
        event: &RecordedEvent,
    ) -> Result<(), ProjectionError> {
        let Some(WatcherEvent::Survey(SurveyEvent::ResponseRecorded {
            service_point,
            responded_on,
            satisfaction,
            ..
        })) = WatcherEvent::decode(event)?
        else {
            return Ok(());
        };
        sqlx::query(
            "INSERT INTO watcher_satisfaction (service_point_id, responded_on, responses, \
             total_basis_points) VALUES ($1, $2, 1, $3) \
             ON CONFLICT (service_point_id, responded_on) DO UPDATE SET \
             responses = watcher_satisfaction.responses + 1, \
             total_basis_points = watcher_satisfaction.total_basis_points \
             + excluded.total_basis_points",
        )
        .bind(service_point.to_string())
        .bind(date(responded_on))
        .bind(i64::from(satisfaction.basis_points()))
        .execute(&mut *tx)
        .await?;
        Ok(())
    }

    fn tables(&self) -> &[&'static str] {
        &["watcher_satisfaction"]
    }
}
