//! The Citizen Watcher over HTTP (decree 93-147 as amended): service points, checklists,
//! campaigns and their team, visits from assignment to report, findings and corrective
//! actions, corruption referrals, satisfaction surveys, and the department's and bodies'
//! views.
//!
//! # Who sees what
//!
//! The department (members, supervisors, its head) works on everything of its own; the
//! aggregates check which of its roles may take each step (a member records only the visit
//! assigned to them, a supervisor never reviews their own). Referrals are the department's
//! alone. **An inspected body never sees who visited**: its agents read the reports sent to
//! their organisation and its open findings, built from events that carry no member, and
//! answer findings with corrective actions; any other visit answers 404. Satisfaction
//! surveys are answered anonymously, by anyone, without an account.

pub mod planning;
mod problems;
pub mod visits;

use cqrs_es::{AggregateContext, EventStore};
use kernel::Role;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::access::{Audience, RouteAccess, route};
use crate::error::{ApiError, DomainProblem};
use crate::startup::AppState;

/// Who directs the team's work: plans, reviews, refers.
const SUPERVISING: &[Role] = &[Role::WatcherSupervisor, Role::DepartmentHead];
/// The whole department.
const TEAM: &[Role] = &[
    Role::WatcherMember,
    Role::WatcherSupervisor,
    Role::DepartmentHead,
];
/// The department and auditors, who read its work.
const TEAM_READERS: &[Role] = &[
    Role::WatcherMember,
    Role::WatcherSupervisor,
    Role::DepartmentHead,
    Role::Auditor,
];
/// Who reads referrals: the department's direction and auditors.
const REFERRAL_READERS: &[Role] = &[Role::WatcherSupervisor, Role::DepartmentHead, Role::Auditor];
/// Agents of inspected bodies: they read their reports and findings and answer them.
const BODY: &[Role] = &[
    Role::OfficeAgent,
    Role::OfficeHead,
    Role::Signatory,
    Role::StructureAgent,
    Role::CentralBureauAgent,
];

/// Who may call this context's routes.
pub const ACCESS: &[RouteAccess] = &[
    route(
        "POST",
        "/api/v1/watcher/service-points",
        Audience::Roles(SUPERVISING),
    ),
    route(
        "GET",
        "/api/v1/watcher/service-points",
        Audience::Roles(TEAM_READERS),
    ),
    route(
        "POST",
        "/api/v1/watcher/service-points/{point}/retirement",
        Audience::Roles(SUPERVISING),
    ),
    route(
        "POST",
        "/api/v1/watcher/checklists",
        Audience::Roles(SUPERVISING),
    ),
    route(
        "GET",
        "/api/v1/watcher/checklists/{checklist}",
        Audience::Roles(TEAM_READERS),
    ),
    route(
        "POST",
        "/api/v1/watcher/checklists/{checklist}/versions",
        Audience::Roles(SUPERVISING),
    ),
    route(
        "POST",
        "/api/v1/watcher/campaigns",
        Audience::Roles(SUPERVISING),
    ),
    route(
        "POST",
        "/api/v1/watcher/campaigns/{campaign}/service-points",
        Audience::Roles(SUPERVISING),
    ),
    route(
        "POST",
        "/api/v1/watcher/campaigns/{campaign}/team",
        Audience::Roles(SUPERVISING),
    ),
    route(
        "POST",
        "/api/v1/watcher/campaigns/{campaign}/conflicts",
        Audience::Roles(TEAM),
    ),
    route(
        "POST",
        "/api/v1/watcher/campaigns/{campaign}/assignments",
        Audience::Roles(SUPERVISING),
    ),
    route(
        "POST",
        "/api/v1/watcher/campaigns/{campaign}/closure",
        Audience::Roles(SUPERVISING),
    ),
    route(
        "GET",
        "/api/v1/watcher/campaigns/{campaign}/visits",
        Audience::Roles(TEAM_READERS),
    ),
    route(
        "POST",
        "/api/v1/watcher/surveys",
        Audience::Roles(SUPERVISING),
    ),
    route(
        "POST",
        "/api/v1/watcher/surveys/{survey}/questionnaire",
        Audience::Roles(SUPERVISING),
    ),
    route(
        "POST",
        "/api/v1/watcher/surveys/{survey}/responses",
        Audience::Anyone,
    ),
    route(
        "POST",
        "/api/v1/watcher/surveys/{survey}/closure",
        Audience::Roles(SUPERVISING),
    ),
    route(
        "GET",
        "/api/v1/watcher/satisfaction",
        Audience::Roles(TEAM_READERS),
    ),
    route(
        "GET",
        "/api/v1/watcher/coverage",
        Audience::Roles(TEAM_READERS),
    ),
    route(
        "POST",
        "/api/v1/watcher/visits/{visit}/record",
        Audience::Roles(TEAM),
    ),
    route(
        "POST",
        "/api/v1/watcher/visits/{visit}/evidence",
        Audience::Roles(TEAM),
    ),
    route(
        "POST",
        "/api/v1/watcher/visits/{visit}/findings",
        Audience::Roles(TEAM),
    ),
    route(
        "POST",
        "/api/v1/watcher/visits/{visit}/submission",
        Audience::Roles(TEAM),
    ),
    route(
        "POST",
        "/api/v1/watcher/visits/{visit}/acceptance",
        Audience::Roles(SUPERVISING),
    ),
    route(
        "POST",
        "/api/v1/watcher/visits/{visit}/send-back",
        Audience::Roles(SUPERVISING),
    ),
    route(
        "POST",
        "/api/v1/watcher/visits/{visit}/report",
        Audience::Roles(SUPERVISING),
    ),
    route(
        "POST",
        "/api/v1/watcher/visits/{visit}/cancellation",
        Audience::Roles(SUPERVISING),
    ),
    route(
        "POST",
        "/api/v1/watcher/visits/{visit}/findings/{finding}/corrective-action",
        Audience::Roles(BODY),
    ),
    route(
        "POST",
        "/api/v1/watcher/visits/{visit}/findings/{finding}/verification",
        Audience::Roles(SUPERVISING),
    ),
    route(
        "POST",
        "/api/v1/watcher/referrals",
        Audience::Roles(SUPERVISING),
    ),
    route(
        "GET",
        "/api/v1/watcher/referrals",
        Audience::Roles(REFERRAL_READERS),
    ),
    route(
        "POST",
        "/api/v1/watcher/referrals/{referral}/acknowledgement",
        Audience::Roles(SUPERVISING),
    ),
    route(
        "POST",
        "/api/v1/watcher/referrals/{referral}/outcome",
        Audience::Roles(SUPERVISING),
    ),
    route("GET", "/api/v1/watcher/body/reports", Audience::Roles(BODY)),
    route(
        "GET",
        "/api/v1/watcher/body/findings",
        Audience::Roles(BODY),
    ),
];

/// This context's routes, mounted under `/api/v1`.
pub fn router() -> OpenApiRouter<AppState> {
    use planning as p;
    use visits as v;
    OpenApiRouter::new()
        .routes(routes!(p::register_service_point, p::service_points))
        .routes(routes!(p::retire_service_point))
        .routes(routes!(p::create_checklist))
        .routes(routes!(p::checklist))
        .routes(routes!(p::publish_checklist_version))
        .routes(routes!(p::plan_campaign))
        .routes(routes!(p::include_service_points))
        .routes(routes!(p::add_team_member))
        .routes(routes!(p::declare_conflict))
        .routes(routes!(p::assign_visit))
        .routes(routes!(p::close_campaign))
        .routes(routes!(p::campaign_visits))
        .routes(routes!(p::create_survey))
        .routes(routes!(p::publish_questionnaire))
        .routes(routes!(p::record_response))
        .routes(routes!(p::close_survey))
        .routes(routes!(p::satisfaction))
        .routes(routes!(p::coverage))
        .routes(routes!(v::record_visit))
        .routes(routes!(v::attach_evidence))
        .routes(routes!(v::record_finding))
        .routes(routes!(v::submit_visit))
        .routes(routes!(v::accept_visit))
        .routes(routes!(v::send_back_visit))
        .routes(routes!(v::send_report))
        .routes(routes!(v::cancel_visit))
        .routes(routes!(v::propose_corrective_action))
        .routes(routes!(v::verify_finding))
        .routes(routes!(v::refer_finding, v::referrals))
        .routes(routes!(v::acknowledge_referral))
        .routes(routes!(v::record_referral_outcome))
        .routes(routes!(v::body_reports))
        .routes(routes!(v::body_findings))
}

/// An identifier of a path, or 404.
fn path_id<T: std::str::FromStr>(raw: &str) -> Result<T, ApiError> {
    raw.parse().map_err(|_| ApiError::NotFound)
}

/// What `read` takes from aggregate `id` as its events make it now (a watcher command
/// carries data another aggregate recorded: the assignment, the checklist version).
async fn read_aggregate<A, T>(
    state: &AppState,
    id: &str,
    read: impl FnOnce(&A) -> T,
) -> Result<T, ApiError>
where
    A: cqrs_es::Aggregate + Send + Sync,
    A::Error: DomainProblem,
{
    let mut context = state
        .store
        .event_store::<A>()
        .load_aggregate(id)
        .await
        .map_err(ApiError::from)?;
    Ok(read(context.aggregate()))
}
