//! The Citizen Watcher's read models, obligations and semester activity report, all
//! projected from the global log (issue 6).
//!
//! # Read models
//!
//! Each is a [`Projection`] with its own tables (migration `0005_watcher_read_models`),
//! rebuilt from position zero to identical rows, and queried by the gateway with filters
//! and [`Page`](crate::Page)s:
//!
//! | projection | tables | queries | for |
//! |---|---|---|---|
//! | `watcher.visits` ([`VisitsProjection`]) | `watcher_visits` | [`visits_by_campaign`] | the department |
//! | `watcher.body` ([`BodyProjection`]) | `watcher_body_reports`, `watcher_body_findings` | [`reports_for_body`], [`open_findings_for_body`] | the inspected body (and the department) |
//! | `watcher.referrals` ([`ReferralsProjection`]) | `watcher_referrals` | [`referrals()`] | the department only |
//! | `watcher.coverage` ([`CoverageProjection`]) | `watcher_service_points`, `watcher_coverage_visits` | [`service_points`], [`coverage()`] | the department |
//! | `watcher.satisfaction` ([`SatisfactionProjection`]) | `watcher_satisfaction` | [`satisfaction_index`] | the department |
//!
//! Any of them can be rebuilt "as of" a global position or a date into a scratch store with
//! [`event_store::replay_into`] (and `GlobalLog::cursor_as_of` for a date): the queries
//! take a pool, so they read the scratch store's pool alike.
//!
//! # The inspected body never sees who visited
//!
//! The department's view and the body's view are separate tables fed by separate
//! projections. The body's projection only reads the events the domain addresses to the
//! body ([`watcher::VisitEvent::audience`]) and its tables have no column for the member,
//! the time of day, the service asked or the waiting time (see [`body`] for
//! the details). Referrals never reach a body's view at all.
//!
//! # Conventions
//!
//! Instants are stored as Unix milliseconds; local dates (Africa/Tunis, from the same
//! [`HolidayCalendar`] the domain uses) as ISO text; scores and indices in basis points;
//! identifiers and enumerations as the strings serde writes. No free text is kept in clear:
//! the only texts are the sealed envelopes the body needs (findings, corrective actions),
//! a service point's public name and an authority's case reference.
//!
//! # Obligations and report
//!
//! [`WatcherObligations`] tells the reminder engine about corrective actions' promised
//! dates; [`semester_report`] computes the semester activity report from the log up to a
//! cursor, as a typed [`SemesterReport`] and a [`ReportDocument`](crate::ReportDocument).

use std::sync::Arc;

use event_store::Projection;
use kernel::calendar::HolidayCalendar;

pub mod body;
pub mod coverage;
mod events;
mod labels;
pub mod obligations;
pub mod referrals;
pub mod satisfaction;
pub mod semester;
mod semester_document;
mod sql;
pub mod visits;

pub use body::{
    BodyFindingRow, BodyProjection, BodyReportRow, open_findings_for_body, reports_for_body,
};
pub use coverage::{
    CoverageProjection, ServicePointFilter, ServicePointRow, coverage, service_points,
};
pub use obligations::{CORRECTIVE_ACTION, WatcherObligations};
pub use referrals::{ReferralFilter, ReferralRow, ReferralsProjection, referrals};
pub use satisfaction::{Average, SatisfactionProjection, satisfaction_index};
pub use semester::{
    FindingClass, FindingCounts, Language, ReferralCounts, ReferralLine, ReportError, Semester,
    SemesterParams, SemesterReport, ServicePointSatisfaction, VisitCounts, semester_report,
};
pub use sql::QueryError;
pub use visits::{ReviewState, VisitFilter, VisitRow, VisitsProjection, visits_by_campaign};

/// Every watcher read model, to register with the projection runner. `calendar` is the
/// platform's (the domain's services hold the same): it gives local dates.
pub fn projections(calendar: &HolidayCalendar) -> Vec<Arc<dyn Projection>> {
    vec![
        Arc::new(VisitsProjection),
        Arc::new(BodyProjection::new(calendar.clone())),
        Arc::new(ReferralsProjection),
        Arc::new(CoverageProjection::new(calendar.clone())),
        Arc::new(SatisfactionProjection),
    ]
}
