//! The council's reporting on the register of opinions (decree 2019-401 art. 14-15) as a read
//! model, fed by the `CouncilReporting` events: each ordinary session with its date, the
//! committee's report and its deadline, the council's meeting, and the posting and display
//! of the public summary.
//!
//! One table, `ld_council_sessions`. Everything in it is public: sessions and meetings are
//! public acts, and the report and its summary are public texts the committee member
//! attested free of personal data (screened by the opinions crate) when filing them. Dates
//! of the legal calendar (`*_on`) are local dates; instants (`*_at`) are UTC.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use event_store::{Projection, ProjectionError, RecordedEvent};
use kernel::OrganisationId;
use kernel::calendar::{ComputedDeadline, DueStatus};
use opinions::{CouncilSessionId, ReportingEvent, SessionStatus};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, Row};

use super::sql::{
    Conditions, QueryError, day, flag, from_label, instant, label, millis, parse, parse_day,
};
use crate::query::{Page, Paged};

/// The projection's name (its checkpoint key).
pub const COUNCIL_REPORTING: &str = "local_democracy.council_reporting";

/// `Aggregate::TYPE` of a local authority's council reporting (a stored contract of the
/// domain crate).
pub(crate) const REPORTING_TYPE: &str = "CouncilReporting";

/// One ordinary session and what was done for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CouncilSession {
    /// The session.
    pub session: CouncilSessionId,
    /// The local authority.
    pub local_authority: OrganisationId,
    /// Its date (after any rescheduling).
    pub date: NaiveDate,
    /// The date it was first scheduled for.
    pub first_scheduled_for: NaiveDate,
    /// Where it stands.
    pub status: SessionStatus,
    /// Last day to file the committee's report (the eve of the session, art. 14).
    pub report_due_on: Option<NaiveDate>,
    /// The instant that deadline expires.
    pub report_due_at: Option<DateTime<Utc>>,
    /// When the committee filed its report.
    pub report_filed_at: Option<DateTime<Utc>>,
    /// The report (public text).
    pub report: Option<String>,
    /// Its public summary (public text, art. 15).
    pub public_summary: Option<String>,
    /// When the council met.
    pub held_on: Option<NaiveDate>,
    /// Last day to post the summary (5 days after the meeting, art. 15).
    pub posting_due_on: Option<NaiveDate>,
    /// The instant that deadline expires.
    pub posting_due_at: Option<DateTime<Utc>>,
    /// When the summary was posted.
    pub posted_at: Option<DateTime<Utc>>,
    /// Whether it was posted after its deadline.
    pub posted_late: Option<bool>,
    /// Last day the summary must stay up (at least 15 days, art. 15).
    pub display_until_on: Option<NaiveDate>,
    /// The instant it may come down.
    pub display_until_at: Option<DateTime<Utc>>,
    /// When it was taken down.
    pub taken_down_at: Option<DateTime<Utc>>,
}

/// Filters of the session calendar (optional, combined).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SessionFilter {
    /// Only sessions in this state.
    pub status: Option<SessionStatus>,
    /// Only sessions (dated) in this year.
    pub year: Option<i32>,
}

/// The council reporting read model.
#[derive(Clone, Copy, Debug, Default)]
pub struct CouncilReportingProjection;

/// The last day and expiry instant of a computed deadline (none while suspended, which the
/// reporting's deadlines never are: they have no pauses).
pub(crate) fn due(deadline: &ComputedDeadline) -> (Option<NaiveDate>, Option<DateTime<Utc>>) {
    match deadline.due {
        DueStatus::Due { due_date, due_at } => (Some(due_date), Some(due_at)),
        DueStatus::Suspended { .. } => (None, None),
    }
}

#[async_trait]
impl Projection for CouncilReportingProjection {
    fn name(&self) -> &str {
        COUNCIL_REPORTING
    }

    async fn apply(
        &self,
        tx: &mut AnyConnection,
        event: &RecordedEvent,
    ) -> Result<(), ProjectionError> {
        if event.aggregate_type != REPORTING_TYPE {
            return Ok(());
        }
        match event.decode::<ReportingEvent>()? {
            ReportingEvent::OrdinarySessionScheduled {
                local_authority,
                session,
                date,
                report_due,
                ..
            } => {
                let (due_on, due_at) = due(&report_due);
                sqlx::query(
                    "INSERT INTO ld_council_sessions (session_id, local_authority, session_date, \
                     first_scheduled_for, status, report_due_on, report_due_at) \
                     VALUES ($1, $2, $3, $3, $4, $5, $6) ON CONFLICT (session_id) DO UPDATE \
                     SET local_authority = excluded.local_authority, \
                     session_date = excluded.session_date, \
                     first_scheduled_for = excluded.first_scheduled_for, \
                     status = excluded.status, report_due_on = excluded.report_due_on, \
                     report_due_at = excluded.report_due_at",
                )
                .bind(session.to_string())
                .bind(local_authority.to_string())
                .bind(day(date))
                .bind(label(&SessionStatus::Scheduled)?)
                .bind(due_on.map(day))
                .bind(due_at.map(millis))
                .execute(tx)
                .await?;
            }
            ReportingEvent::OrdinarySessionRescheduled {
                session,
                to,
                report_due,
                ..
            } => {
                let (due_on, due_at) = due(&report_due);
                sqlx::query(&update_sql(
                    "session_date = $2, report_due_on = $3, report_due_at = $4",
                ))
                .bind(session.to_string())
                .bind(day(to))
                .bind(due_on.map(day))
                .bind(due_at.map(millis))
                .execute(tx)
                .await?;
            }
            ReportingEvent::CommitteeReportFiled {
                session,
                report,
                public_summary,
                filed_at,
                ..
            } => {
                sqlx::query(&update_sql(
                    "report = $2, public_summary = $3, report_filed_at = $4",
                ))
                .bind(session.to_string())
                .bind(report.into_string())
                .bind(public_summary.into_string())
                .bind(millis(filed_at))
                .execute(tx)
                .await?;
            }
            ReportingEvent::CouncilMeetingHeld {
                session,
                held_on,
                posting_due,
                ..
            } => {
                let (due_on, due_at) = posting_due.as_ref().map_or((None, None), due);
                sqlx::query(&update_sql(
                    "status = $2, held_on = $3, posting_due_on = $4, posting_due_at = $5",
                ))
                .bind(session.to_string())
                .bind(label(&SessionStatus::Held)?)
                .bind(day(held_on))
                .bind(due_on.map(day))
                .bind(due_at.map(millis))
                .execute(tx)
                .await?;
            }
            ReportingEvent::SummaryPosted {
                session,
                late,
                display,
                posted_at,
                ..
            } => {
                let (until_on, until_at) = due(&display);
                sqlx::query(&update_sql(
                    "status = $2, posted_at = $3, posted_late = $4, display_until_on = $5, \
                     display_until_at = $6",
                ))
                .bind(session.to_string())
                .bind(label(&SessionStatus::SummaryPosted)?)
                .bind(millis(posted_at))
                .bind(flag(late))
                .bind(until_on.map(day))
                .bind(until_at.map(millis))
                .execute(tx)
                .await?;
            }
            ReportingEvent::SummaryTakenDown { session, at, .. } => {
                sqlx::query(&update_sql("status = $2, taken_down_at = $3"))
                    .bind(session.to_string())
                    .bind(label(&SessionStatus::SummaryTakenDown)?)
                    .bind(millis(at))
                    .execute(tx)
                    .await?;
            }
        }
        Ok(())
    }

    fn tables(&self) -> &[&'static str] {
        &["ld_council_sessions"]
    }
}

/// `UPDATE ... SET {sets} WHERE session_id = $1`: the caller binds the session, then `$2`
/// onwards.
fn update_sql(sets: &str) -> String {
    format!("UPDATE ld_council_sessions SET {sets} WHERE session_id = $1")
}

// ------------------------------------------------------------------------------ queries

const COLUMNS: &str = "s.session_id, s.local_authority, s.session_date, s.first_scheduled_for, \
     s.status, s.report_due_on, s.report_due_at, s.report_filed_at, s.report, s.public_summary, \
     s.held_on, s.posting_due_on, s.posting_due_at, s.posted_at, s.posted_late, \
     s.display_until_on, s.display_until_at, s.taken_down_at";

const SESSIONS: &str = "ld_council_sessions s";

const CALENDAR_ORDER: &str = "s.session_date, s.session_id";

fn read_session(row: &AnyRow) -> Result<CouncilSession, QueryError> {
    let optional_day = |column: &str| -> Result<Option<NaiveDate>, QueryError> {
        row.try_get::<Option<String>, _>(column)?
            .as_deref()
            .map(parse_day)
            .transpose()
    };
    let optional_instant = |column: &str| -> Result<Option<DateTime<Utc>>, QueryError> {
        row.try_get::<Option<i64>, _>(column)?
            .map(instant)
            .transpose()
    };
    Ok(CouncilSession {
        session: parse(&row.try_get::<String, _>("session_id")?)?,
        local_authority: parse(&row.try_get::<String, _>("local_authority")?)?,
        date: parse_day(&row.try_get::<String, _>("session_date")?)?,
        first_scheduled_for: parse_day(&row.try_get::<String, _>("first_scheduled_for")?)?,
        status: from_label(row.try_get("status")?)?,
        report_due_on: optional_day("report_due_on")?,
        report_due_at: optional_instant("report_due_at")?,
        report_filed_at: optional_instant("report_filed_at")?,
        report: row.try_get("report")?,
        public_summary: row.try_get("public_summary")?,
        held_on: optional_day("held_on")?,
        posting_due_on: optional_day("posting_due_on")?,
        posting_due_at: optional_instant("posting_due_at")?,
        posted_at: optional_instant("posted_at")?,
        posted_late: row
            .try_get::<Option<i64>, _>("posted_late")?
            .map(|late| late != 0),
        display_until_on: optional_day("display_until_on")?,
        display_until_at: optional_instant("display_until_at")?,
        taken_down_at: optional_instant("taken_down_at")?,
    })
}

/// The sessions of `local_authority`, in date order.
pub async fn council_sessions(
    pool: &AnyPool,
    local_authority: OrganisationId,
    filter: &SessionFilter,
    page: Page,
) -> Result<Paged<CouncilSession>, QueryError> {
    let mut conditions = Conditions::default();
    let la = conditions.text(local_authority.to_string());
    conditions.clause(format!("s.local_authority = {la}"));
    if let Some(status) = filter.status {
        let status = conditions.text(label(&status)?);
        conditions.clause(format!("s.status = {status}"));
    }
    if let Some(year) = filter.year {
        // ISO dates compare as text.
        let first = conditions.text(format!("{year:04}-01-01"));
        let last = conditions.text(format!("{year:04}-12-31"));
        conditions.clause(format!(
            "s.session_date >= {first} AND s.session_date <= {last}"
        ));
    }
    conditions
        .page(pool, COLUMNS, SESSIONS, CALENDAR_ORDER, page, read_session)
        .await
}

/// One session.
pub async fn council_session(
    pool: &AnyPool,
    session: CouncilSessionId,
) -> Result<Option<CouncilSession>, QueryError> {
    let mut conditions = Conditions::default();
    let id = conditions.text(session.to_string());
    conditions.clause(format!("s.session_id = {id}"));
    let rows = conditions
        .rows(pool, COLUMNS, SESSIONS, CALENDAR_ORDER, read_session)
        .await?;
    Ok(rows.into_iter().next())
}
