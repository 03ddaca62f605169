//! The local registers over HTTP (decree 2019-401): the civil-society register
//! ([`civil_society`]) and the register of opinions and questions with the council's
//! reporting on it ([`opinions`]).
//!
//! # Who sees what
//!
//! The public registers (entries' names, fields and standing; entries with their answers by
//! section; sessions and posted summaries) are open to anyone without an account and hold
//! no personal data. The bureau's views, with the data and procedure of each entry, are for
//! the local authority's own register bureau, council secretary and committee, and for
//! auditors; an agent of another local authority is refused (403). Which role may take
//! which step is the aggregates' rule; the routing table admits the same roles so that the
//! others are refused before any work.

pub mod civil_society;
pub mod opinions;
mod problems;

use axum::Json;
use kernel::personal_data::{RevealScope, reveal_json};
use kernel::{OrganisationId, Role};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::access::{Audience, RouteAccess, route};
use super::paging::PageView;
use super::{created, run};
use crate::auth::Acting;
use crate::error::ApiError;
use crate::startup::AppState;

/// The platform administrator of a local authority (opens the register, records the
/// bureau's appointment, sets the art. 8 items).
const ADMINISTRATION: &[Role] = &[Role::PlatformAdmin];
/// The register bureau (art. 3-4).
const BUREAU: &[Role] = &[Role::RegisterBureauAgent, Role::RegisterBureauHead];
/// The council's decisions are recorded by its secretary.
const SECRETARY: &[Role] = &[Role::CouncilSecretary];
/// The committee for participatory democracy and open governance (art. 13).
const COMMITTEE: &[Role] = &[Role::CommitteeMember];
/// Who answers entries (the bureau, or the signatory for the president).
const ANSWERING: &[Role] = ::opinions::ANSWERING_ROLES;
/// Who reads the civil-society register's bureau view.
const BUREAU_READERS: &[Role] = &[
    Role::RegisterBureauAgent,
    Role::RegisterBureauHead,
    Role::CouncilSecretary,
    Role::Auditor,
];
/// Who reads the opinions register with its authors and committee acts.
const ENTRY_READERS: &[Role] = &[
    Role::RegisterBureauAgent,
    Role::RegisterBureauHead,
    Role::Signatory,
    Role::CommitteeMember,
    Role::CouncilSecretary,
    Role::Auditor,
];
/// Who reads the figures of a session's report.
const REPORT_READERS: &[Role] = &[Role::CommitteeMember, Role::CouncilSecretary, Role::Auditor];

/// Who may call this context's routes.
pub const ACCESS: &[RouteAccess] = &[
    // The civil-society register.
    route(
        "POST",
        "/api/v1/local-authorities/{la}/civil-society-register",
        Audience::Roles(ADMINISTRATION),
    ),
    route(
        "GET",
        "/api/v1/local-authorities/{la}/civil-society-register",
        Audience::Anyone,
    ),
    route(
        "POST",
        "/api/v1/local-authorities/{la}/civil-society-register/bureau",
        Audience::Roles(ADMINISTRATION),
    ),
    route(
        "POST",
        "/api/v1/local-authorities/{la}/civil-society-register/requirements",
        Audience::Roles(ADMINISTRATION),
    ),
    route(
        "GET",
        "/api/v1/local-authorities/{la}/civil-society-register/bureau-view",
        Audience::Roles(BUREAU_READERS),
    ),
    route(
        "POST",
        "/api/v1/local-authorities/{la}/civil-society-register/organisations",
        Audience::Roles(BUREAU),
    ),
    route(
        "POST",
        "/api/v1/local-authorities/{la}/civil-society-register/paper-entries",
        Audience::Roles(BUREAU),
    ),
    route(
        "GET",
        "/api/v1/civil-society/organisations/{org}",
        Audience::Anyone,
    ),
    route(
        "GET",
        "/api/v1/civil-society/organisations/{org}/detail",
        Audience::Roles(BUREAU_READERS),
    ),
    route(
        "POST",
        "/api/v1/civil-society/organisations/{org}/entry",
        Audience::Roles(BUREAU),
    ),
    route(
        "POST",
        "/api/v1/civil-society/organisations/{org}/withdrawal",
        Audience::Roles(BUREAU),
    ),
    route(
        "POST",
        "/api/v1/civil-society/organisations/{org}/irregularity",
        Audience::Roles(SECRETARY),
    ),
    route(
        "POST",
        "/api/v1/civil-society/organisations/{org}/formal-notice",
        Audience::Roles(BUREAU),
    ),
    route(
        "POST",
        "/api/v1/civil-society/organisations/{org}/acknowledgement",
        Audience::Roles(BUREAU),
    ),
    route(
        "POST",
        "/api/v1/civil-society/organisations/{org}/regularisation",
        Audience::Roles(BUREAU),
    ),
    route(
        "POST",
        "/api/v1/civil-society/organisations/{org}/hearing-invitation",
        Audience::Roles(BUREAU),
    ),
    route(
        "POST",
        "/api/v1/civil-society/organisations/{org}/hearing",
        Audience::Roles(BUREAU),
    ),
    route(
        "POST",
        "/api/v1/civil-society/organisations/{org}/suspension",
        Audience::Roles(SECRETARY),
    ),
    route(
        "POST",
        "/api/v1/civil-society/organisations/{org}/suspension-lifting",
        Audience::Roles(SECRETARY),
    ),
    route(
        "POST",
        "/api/v1/civil-society/organisations/{org}/striking-off",
        Audience::Roles(SECRETARY),
    ),
    // The register of opinions and questions.
    route(
        "POST",
        "/api/v1/local-authorities/{la}/opinions",
        Audience::Citizen,
    ),
    route(
        "GET",
        "/api/v1/local-authorities/{la}/opinions",
        Audience::Anyone,
    ),
    route(
        "GET",
        "/api/v1/local-authorities/{la}/opinions/bureau-view",
        Audience::Roles(ENTRY_READERS),
    ),
    route(
        "POST",
        "/api/v1/opinions/{entry}/answers",
        Audience::Roles(ANSWERING),
    ),
    route(
        "POST",
        "/api/v1/opinions/{entry}/committee-consultation",
        Audience::Roles(COMMITTEE),
    ),
    route(
        "POST",
        "/api/v1/opinions/{entry}/proposals",
        Audience::Roles(COMMITTEE),
    ),
    route(
        "POST",
        "/api/v1/opinions/{entry}/proposals/{n}/correspondence",
        Audience::Roles(ANSWERING),
    ),
    route(
        "POST",
        "/api/v1/opinions/{entry}/follow-up-meetings",
        Audience::Roles(COMMITTEE),
    ),
    route(
        "POST",
        "/api/v1/opinions/{entry}/follow-up-meetings/{n}/minutes",
        Audience::Roles(COMMITTEE),
    ),
    route(
        "POST",
        "/api/v1/local-authorities/{la}/draft-bylaws",
        Audience::Roles(SECRETARY),
    ),
    // The council's sessions and the committee's reports.
    route(
        "POST",
        "/api/v1/local-authorities/{la}/council-sessions",
        Audience::Roles(SECRETARY),
    ),
    route(
        "GET",
        "/api/v1/local-authorities/{la}/council-sessions",
        Audience::Anyone,
    ),
    route(
        "GET",
        "/api/v1/council-sessions/{session}",
        Audience::Anyone,
    ),
    route(
        "POST",
        "/api/v1/local-authorities/{la}/council-sessions/{session}/rescheduling",
        Audience::Roles(SECRETARY),
    ),
    route(
        "POST",
        "/api/v1/local-authorities/{la}/council-sessions/{session}/committee-report",
        Audience::Roles(COMMITTEE),
    ),
    route(
        "POST",
        "/api/v1/local-authorities/{la}/council-sessions/{session}/meeting",
        Audience::Roles(SECRETARY),
    ),
    route(
        "POST",
        "/api/v1/local-authorities/{la}/council-sessions/{session}/summary-posting",
        Audience::Roles(SECRETARY),
    ),
    route(
        "POST",
        "/api/v1/local-authorities/{la}/council-sessions/{session}/summary-takedown",
        Audience::Roles(SECRETARY),
    ),
    route(
        "GET",
        "/api/v1/local-authorities/{la}/council-sessions/{session}/figures",
        Audience::Roles(REPORT_READERS),
    ),
];

/// This context's routes, mounted under `/api/v1`.
pub fn router() -> OpenApiRouter<AppState> {
    use civil_society as cs;
    use opinions as op;
    OpenApiRouter::new()
        .routes(routes!(cs::open_register, cs::public_register))
        .routes(routes!(cs::appoint_bureau))
        .routes(routes!(cs::configure_requirements))
        .routes(routes!(cs::bureau_register))
        .routes(routes!(cs::register_organisation))
        .routes(routes!(cs::import_paper_entry))
        .routes(routes!(cs::public_organisation))
        .routes(routes!(cs::organisation_detail))
        .routes(routes!(cs::update_entry))
        .routes(routes!(cs::record_withdrawal))
        .routes(routes!(cs::find_irregularity))
        .routes(routes!(cs::send_formal_notice))
        .routes(routes!(cs::record_acknowledgement))
        .routes(routes!(cs::record_regularisation))
        .routes(routes!(cs::convene_hearing))
        .routes(routes!(cs::record_hearing))
        .routes(routes!(cs::decide_suspension))
        .routes(routes!(cs::lift_suspension))
        .routes(routes!(cs::strike_off))
        .routes(routes!(op::file_entry, op::public_register))
        .routes(routes!(op::bureau_register))
        .routes(routes!(op::answer_entry))
        .routes(routes!(op::note_consultation))
        .routes(routes!(op::propose))
        .routes(routes!(op::send_correspondence))
        .routes(routes!(op::invite_to_meeting))
        .routes(routes!(op::record_minutes))
        .routes(routes!(op::publish_draft))
        .routes(routes!(op::schedule_session, op::sessions))
        .routes(routes!(op::session))
        .routes(routes!(op::reschedule_session))
        .routes(routes!(op::file_committee_report))
        .routes(routes!(op::record_meeting))
        .routes(routes!(op::post_summary))
        .routes(routes!(op::take_down_summary))
        .routes(routes!(op::session_figures))
}

/// The local authority of a path, or 404.
fn la_id(raw: &str) -> Result<OrganisationId, ApiError> {
    raw.parse().map_err(|_| ApiError::NotFound)
}

/// Auditors, and agents acting for `local_authority` under one of `roles`, pass; others are
/// refused.
fn scoped(
    acting: &Acting,
    local_authority: OrganisationId,
    roles: &[Role],
) -> Result<(), ApiError> {
    let auditor = acting
        .actor
        .acting_as
        .is_some_and(|grant| grant.role == Role::Auditor);
    if auditor || acting.actor.acts_for(local_authority, roles) {
        Ok(())
    } else {
        Err(ApiError::Forbidden {
            detail: "this register belongs to another local authority".into(),
        })
    }
}

/// Brings the civil-society register's read model up to date: the aggregates consult it (is
/// the register open, is this register number taken, is this organisation in good
/// standing) and a step taken an instant ago must count.
async fn fresh_register_index(state: &AppState) -> Result<(), ApiError> {
    state
        .runner
        .catch_up(projections::local_democracy::CIVIL_SOCIETY_REGISTER)
        .await
        .map_err(|e| ApiError::internal("catching up the civil-society register", &e))?;
    Ok(())
}

/// `view` with its sealed values opened, for the local authority's agents and auditors.
async fn revealed(state: &AppState, mut view: PageView) -> Result<Json<PageView>, ApiError> {
    for item in &mut view.items {
        let row = std::mem::take(item);
        *item = reveal_json(row, Some(&state.cipher), RevealScope::Everyone).await;
    }
    Ok(Json(view))
}
