//! Preparing and measuring inspections: the service points that can be inspected, the
//! versioned checklists, campaigns with their points, team, conflicts of interest and
//! assignments (each assignment plans its visit with the checklist version it is scored
//! against), satisfaction surveys answered anonymously, and the coverage and satisfaction
//! figures.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use kernel::organisation::Governorate;
use kernel::personal_data::SubjectId;
use kernel::{Actor, ActorId, OrganisationId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use watcher::{
    Campaign, CampaignCommand, CampaignId, Channel, Checklist, ChecklistCommand, ChecklistId,
    CriterionDraft, Period, QuestionDraft, QuestionId, ResponseId, SatisfactionSurvey,
    ServicePoint, ServicePointCommand, ServicePointId, SurveyCommand, SurveyId, Visit,
    VisitCommand, VisitId,
};

use super::{path_id, read_aggregate};
use crate::api::json::ApiJson;
use crate::api::paging::{PageQuery, PageView, query};
use crate::api::{created, run};
use crate::auth::Acting;
use crate::auth::principal::RequestContext;
use crate::error::{ApiError, Problem};
use crate::startup::AppState;

/// The identifier of what was created.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedId {
    /// Its identifier.
    pub id: String,
}

fn created_id(location: String, id: impl ToString) -> Response {
    created(location, CreatedId { id: id.to_string() })
}

/// A new service point.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServicePointBody {
    /// The public body it belongs to.
    #[schema(value_type = String, format = Uuid)]
    pub organisation: OrganisationId,
    /// Its governorate (`tunis`, `sfax`...).
    #[schema(value_type = String)]
    pub governorate: Governorate,
    /// `counter`, `phone`, `website` or `email`.
    #[schema(value_type = String)]
    pub channel: Channel,
    /// Its name.
    pub name: String,
    /// Where to find it: an address, a number, a URL or an e-mail address, as the channel
    /// calls for.
    pub locator: String,
}

/// Registers a service point that can be inspected.
#[utoipa::path(
    post, path = "/watcher/service-points", tag = "watcher",
    request_body = ServicePointBody,
    responses(
        (status = 201, body = CreatedId),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn register_service_point(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    ApiJson(body): ApiJson<ServicePointBody>,
) -> Result<Response, ApiError> {
    let point = ServicePointId::new_v7();
    let command = ServicePointCommand::RegisterServicePoint {
        actor: acting.actor,
        point,
        organisation: body.organisation,
        governorate: body.governorate,
        channel: body.channel,
        name: body.name,
        locator: body.locator,
    };
    run::<ServicePoint>(
        &state,
        &state.domains.service_points,
        &point.to_string(),
        command,
        &acting,
        &context,
    )
    .await?;
    Ok(created_id(
        format!("/api/v1/watcher/service-points/{point}"),
        point,
    ))
}

/// Filters of the service points.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ServicePointsQuery {
    /// Of this body.
    #[param(value_type = Option<String>, format = Uuid)]
    pub organisation: Option<OrganisationId>,
    /// In this governorate.
    #[param(value_type = Option<String>)]
    pub governorate: Option<Governorate>,
    /// Rows per page (1 to 200; 50 by default).
    pub limit: Option<u32>,
    /// Rows to skip.
    pub offset: Option<u32>,
}

/// The service points, with when they were last visited.
#[utoipa::path(
    get, path = "/watcher/service-points", tag = "watcher",
    params(ServicePointsQuery),
    responses(
        (status = 200, body = PageView),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn service_points(
    State(state): State<AppState>,
    params: Result<Query<ServicePointsQuery>, QueryRejection>,
) -> Result<Json<PageView>, ApiError> {
    let params = query(params)?;
    let page = PageQuery {
        limit: params.limit,
        offset: params.offset,
    }
    .page();
    let filter = projections::watcher::ServicePointFilter {
        organisation: params.organisation,
        governorate: params.governorate,
        status: None,
    };
    let rows = projections::watcher::service_points(state.store.any_pool(), filter, page)
        .await
        .map_err(|e| ApiError::internal("service points", &e))?;
    Ok(Json(PageView::of(rows)?))
}

/// Why a service point is retired.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonBody {
    /// Why.
    pub reason: String,
}

/// Retires a service point (closed, merged, no longer offered).
#[utoipa::path(
    post, path = "/watcher/service-points/{point}/retirement", tag = "watcher",
    params(("point" = String, Path, description = "The service point")),
    request_body = ReasonBody,
    responses(
        (status = 204, description = "Retired"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn retire_service_point(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(point): Path<String>,
    ApiJson(body): ApiJson<ReasonBody>,
) -> Result<StatusCode, ApiError> {
    let point: ServicePointId = path_id(&point)?;
    let command = ServicePointCommand::RetireServicePoint {
        actor: acting.actor,
        reason: body.reason,
    };
    run::<ServicePoint>(
        &state,
        &state.domains.service_points,
        &point.to_string(),
        command,
        &acting,
        &context,
    )
    .await
}

/// A new checklist.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TitleBody {
    /// Its title.
    pub title: String,
}

/// Creates a checklist (its criteria come with its first version).
#[utoipa::path(
    post, path = "/watcher/checklists", tag = "watcher",
    request_body = TitleBody,
    responses(
        (status = 201, body = CreatedId),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn create_checklist(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    ApiJson(body): ApiJson<TitleBody>,
) -> Result<Response, ApiError> {
    let checklist = ChecklistId::new_v7();
    let command = ChecklistCommand::CreateChecklist {
        actor: acting.actor,
        checklist,
        title: body.title,
    };
    run::<Checklist>(
        &state,
        &state.domains.checklists,
        &checklist.to_string(),
        command,
        &acting,
        &context,
    )
    .await?;
    Ok(created_id(
        format!("/api/v1/watcher/checklists/{checklist}"),
        checklist,
    ))
}

/// The criteria of a new version.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionBody {
    /// Each with `id`, `theme`, `label`, `weight`, `scale` and `critical`.
    #[schema(value_type = Vec<Object>)]
    pub criteria: Vec<CriterionDraft>,
}

/// Publishes a new version of a checklist; visits planned earlier keep theirs.
#[utoipa::path(
    post, path = "/watcher/checklists/{checklist}/versions", tag = "watcher",
    params(("checklist" = String, Path, description = "The checklist")),
    request_body = VersionBody,
    responses(
        (status = 204, description = "Published"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn publish_checklist_version(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(checklist): Path<String>,
    ApiJson(body): ApiJson<VersionBody>,
) -> Result<StatusCode, ApiError> {
    let checklist: ChecklistId = path_id(&checklist)?;
    let command = ChecklistCommand::PublishChecklistVersion {
        actor: acting.actor,
        criteria: body.criteria,
    };
    run::<Checklist>(
        &state,
        &state.domains.checklists,
        &checklist.to_string(),
        command,
        &acting,
        &context,
    )
    .await
}

/// A checklist's latest version, with its criteria.
#[utoipa::path(
    get, path = "/watcher/checklists/{checklist}", tag = "watcher",
    params(("checklist" = String, Path, description = "The checklist")),
    responses(
        (status = 200, description = "`{checklist, number, title, criteria, critical_cap, published_at}`", body = Object),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, description = "Unknown, or no version published", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn checklist(
    State(state): State<AppState>,
    Path(checklist): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let checklist: ChecklistId = path_id(&checklist)?;
    let latest = read_aggregate::<Checklist, _>(&state, &checklist.to_string(), |c| {
        c.latest().map(serde_json::to_value)
    })
    .await?
    .ok_or(ApiError::NotFound)?
    .map_err(|e| ApiError::internal("serializing a checklist", &e))?;
    Ok(Json(latest))
}

/// A new campaign.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignBody {
    /// Its title.
    pub title: String,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
}

/// Plans a campaign of visits.
#[utoipa::path(
    post, path = "/watcher/campaigns", tag = "watcher",
    request_body = CampaignBody,
    responses(
        (status = 201, body = CreatedId),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn plan_campaign(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    ApiJson(body): ApiJson<CampaignBody>,
) -> Result<Response, ApiError> {
    let campaign = CampaignId::new_v7();
    let command = CampaignCommand::PlanCampaign {
        actor: acting.actor,
        campaign,
        title: body.title,
        starts_on: body.starts_on,
        ends_on: body.ends_on,
    };
    run::<Campaign>(
        &state,
        &state.domains.campaigns,
        &campaign.to_string(),
        command,
        &acting,
        &context,
    )
    .await?;
    Ok(created_id(
        format!("/api/v1/watcher/campaigns/{campaign}/visits"),
        campaign,
    ))
}

async fn on_campaign(
    state: &AppState,
    raw: &str,
    command: CampaignCommand,
    acting: &Acting,
    context: &RequestContext,
) -> Result<StatusCode, ApiError> {
    let campaign: CampaignId = path_id(raw)?;
    run::<Campaign>(
        state,
        &state.domains.campaigns,
        &campaign.to_string(),
        command,
        acting,
        context,
    )
    .await
}

/// Service points to include.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PointsBody {
    /// The service points.
    #[schema(value_type = Vec<String>)]
    pub points: Vec<ServicePointId>,
}

/// Includes service points in a campaign.
#[utoipa::path(
    post, path = "/watcher/campaigns/{campaign}/service-points", tag = "watcher",
    params(("campaign" = String, Path, description = "The campaign")),
    request_body = PointsBody,
    responses(
        (status = 204, description = "Included"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, description = "An unknown or retired service point (named)", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn include_service_points(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(campaign): Path<String>,
    ApiJson(body): ApiJson<PointsBody>,
) -> Result<StatusCode, ApiError> {
    let mut points = Vec::with_capacity(body.points.len());
    for (index, point) in body.points.iter().enumerate() {
        let found = read_aggregate::<ServicePoint, _>(&state, &point.to_string(), |p| {
            p.point()
                .filter(|_| p.status() == Some(watcher::ServicePointStatus::Active))
        })
        .await?;
        points.push(found.ok_or_else(|| {
            ApiError::invalid(
                format!("points[{index}]"),
                "unknown_service_point",
                "no active service point has this identifier",
            )
        })?);
    }
    let command = CampaignCommand::IncludeServicePoints {
        actor: acting.actor,
        points,
    };
    on_campaign(&state, &campaign, command, &acting, &context).await
}

/// A department member.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberBody {
    /// The member's account.
    #[schema(value_type = String, format = Uuid)]
    pub member: ActorId,
}

/// Adds a member to the campaign's team.
#[utoipa::path(
    post, path = "/watcher/campaigns/{campaign}/team", tag = "watcher",
    params(("campaign" = String, Path, description = "The campaign")),
    request_body = MemberBody,
    responses(
        (status = 204, description = "Added"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn add_team_member(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(campaign): Path<String>,
    ApiJson(body): ApiJson<MemberBody>,
) -> Result<StatusCode, ApiError> {
    let command = CampaignCommand::AddTeamMember {
        actor: acting.actor,
        member: body.member,
    };
    on_campaign(&state, &campaign, command, &acting, &context).await
}

/// A declared conflict of interest.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConflictBody {
    /// The member.
    #[schema(value_type = String, format = Uuid)]
    pub member: ActorId,
    /// The body they must not inspect.
    #[schema(value_type = String, format = Uuid)]
    pub organisation: OrganisationId,
}

/// Declares a member's conflict of interest with a body (by the member or a supervisor).
#[utoipa::path(
    post, path = "/watcher/campaigns/{campaign}/conflicts", tag = "watcher",
    params(("campaign" = String, Path, description = "The campaign")),
    request_body = ConflictBody,
    responses(
        (status = 204, description = "Declared"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn declare_conflict(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(campaign): Path<String>,
    ApiJson(body): ApiJson<ConflictBody>,
) -> Result<StatusCode, ApiError> {
    let command = CampaignCommand::DeclareConflictOfInterest {
        actor: acting.actor,
        member: body.member,
        organisation: body.organisation,
    };
    on_campaign(&state, &campaign, command, &acting, &context).await
}

/// A visit to assign.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignmentBody {
    /// The service point to visit (included in the campaign).
    #[schema(value_type = String, format = Uuid)]
    pub service_point: ServicePointId,
    /// The member who visits.
    #[schema(value_type = String, format = Uuid)]
    pub member: ActorId,
    /// The checklist the visit is scored against (its latest version, unless `version`).
    #[schema(value_type = String, format = Uuid)]
    pub checklist: ChecklistId,
    /// A published version of it.
    pub version: Option<u32>,
}

/// Assigns a visit to a member, refusing a declared conflict of interest, and plans it with
/// the checklist version it will be scored against.
#[utoipa::path(
    post, path = "/watcher/campaigns/{campaign}/assignments", tag = "watcher",
    params(("campaign" = String, Path, description = "The campaign")),
    request_body = AssignmentBody,
    responses(
        (status = 201, description = "The visit", body = CreatedId),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "A conflict of interest, or the campaign is closed", body = Problem),
        (status = 422, description = "Not a team member, the point not included, no such checklist version", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn assign_visit(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(campaign): Path<String>,
    ApiJson(body): ApiJson<AssignmentBody>,
) -> Result<Response, ApiError> {
    let campaign: CampaignId = path_id(&campaign)?;
    let checklist = read_aggregate::<Checklist, _>(&state, &body.checklist.to_string(), |c| {
        match body.version {
            Some(number) => c.version(number).cloned(),
            None => c.latest().cloned(),
        }
    })
    .await?
    .ok_or_else(|| {
        ApiError::invalid(
            "checklist",
            "no_such_version",
            "no published version of this checklist",
        )
    })?;
    let visit = VisitId::new_v7();
    let command = CampaignCommand::AssignVisit {
        actor: acting.actor,
        visit,
        service_point: body.service_point,
        member: body.member,
    };
    run::<Campaign>(
        &state,
        &state.domains.campaigns,
        &campaign.to_string(),
        command,
        &acting,
        &context,
    )
    .await?;
    let assignment = read_aggregate::<Campaign, _>(&state, &campaign.to_string(), |c| {
        c.assignment(visit).cloned()
    })
    .await?
    .ok_or_else(|| ApiError::bug("reading an assignment just made", "missing"))?;
    let command = VisitCommand::PlanVisit {
        actor: acting.actor,
        assignment,
        checklist,
        // The visit's texts (observations, findings) are sealed under a subject of its own.
        subject: SubjectId::new_v7(),
    };
    run::<Visit>(
        &state,
        &state.domains.visits,
        &visit.to_string(),
        command,
        &acting,
        &context,
    )
    .await?;
    Ok(created_id(
        format!("/api/v1/watcher/campaigns/{campaign}/visits"),
        visit,
    ))
}

/// Closes a campaign.
#[utoipa::path(
    post, path = "/watcher/campaigns/{campaign}/closure", tag = "watcher",
    params(("campaign" = String, Path, description = "The campaign")),
    responses(
        (status = 204, description = "Closed"),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn close_campaign(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(campaign): Path<String>,
) -> Result<StatusCode, ApiError> {
    let command = CampaignCommand::CloseCampaign {
        actor: acting.actor,
    };
    on_campaign(&state, &campaign, command, &acting, &context).await
}

/// Filters of a campaign's visits.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VisitsQuery {
    /// `planned`, `recorded`, `submitted`, `accepted`, `reported`, `cancelled`...
    #[param(value_type = Option<String>)]
    pub status: Option<watcher::VisitStatus>,
    /// Of this service point.
    #[param(value_type = Option<String>, format = Uuid)]
    pub service_point: Option<ServicePointId>,
    /// In this governorate.
    #[param(value_type = Option<String>)]
    pub governorate: Option<Governorate>,
    /// Rows per page (1 to 200; 50 by default).
    pub limit: Option<u32>,
    /// Rows to skip.
    pub offset: Option<u32>,
}

/// A campaign's visits, in planning order, with their scores and review.
#[utoipa::path(
    get, path = "/watcher/campaigns/{campaign}/visits", tag = "watcher",
    params(("campaign" = String, Path, description = "The campaign"), VisitsQuery),
    responses(
        (status = 200, body = PageView),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn campaign_visits(
    State(state): State<AppState>,
    Path(campaign): Path<String>,
    params: Result<Query<VisitsQuery>, QueryRejection>,
) -> Result<Json<PageView>, ApiError> {
    let campaign: CampaignId = path_id(&campaign)?;
    let params = query(params)?;
    let page = PageQuery {
        limit: params.limit,
        offset: params.offset,
    }
    .page();
    let filter = projections::watcher::VisitFilter {
        status: params.status,
        service_point: params.service_point,
        governorate: params.governorate,
    };
    let rows =
        projections::watcher::visits_by_campaign(state.store.any_pool(), campaign, filter, page)
            .await
            .map_err(|e| ApiError::internal("visits of a campaign", &e))?;
    Ok(Json(PageView::of(rows)?))
}

/// A new satisfaction survey.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyBody {
    /// Its title.
    pub title: String,
    /// First day responses are taken.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// The service points it asks about.
    #[schema(value_type = Vec<String>)]
    pub service_points: Vec<ServicePointId>,
}

/// Creates a satisfaction survey (its questions come with its questionnaire).
#[utoipa::path(
    post, path = "/watcher/surveys", tag = "watcher",
    request_body = SurveyBody,
    responses(
        (status = 201, body = CreatedId),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn create_survey(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    ApiJson(body): ApiJson<SurveyBody>,
) -> Result<Response, ApiError> {
    let survey = SurveyId::new_v7();
    let command = SurveyCommand::CreateSurvey {
        actor: acting.actor,
        survey,
        title: body.title,
        starts_on: body.starts_on,
        ends_on: body.ends_on,
        service_points: body.service_points,
    };
    run::<SatisfactionSurvey>(
        &state,
        &state.domains.surveys,
        &survey.to_string(),
        command,
        &acting,
        &context,
    )
    .await?;
    Ok(created_id(
        format!("/api/v1/watcher/surveys/{survey}"),
        survey,
    ))
}

async fn on_survey(
    state: &AppState,
    raw: &str,
    command: SurveyCommand,
    acting: &Acting,
    context: &RequestContext,
) -> Result<StatusCode, ApiError> {
    let survey: SurveyId = path_id(raw)?;
    run::<SatisfactionSurvey>(
        state,
        &state.domains.surveys,
        &survey.to_string(),
        command,
        acting,
        context,
    )
    .await
}

/// A questionnaire.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionnaireBody {
    /// Each with `id`, `label`, `weight` and `levels`.
    #[schema(value_type = Vec<Object>)]
    pub questions: Vec<QuestionDraft>,
}

/// Publishes a version of the survey's questionnaire.
#[utoipa::path(
    post, path = "/watcher/surveys/{survey}/questionnaire", tag = "watcher",
    params(("survey" = String, Path, description = "The survey")),
    request_body = QuestionnaireBody,
    responses(
        (status = 204, description = "Published"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn publish_questionnaire(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(survey): Path<String>,
    ApiJson(body): ApiJson<QuestionnaireBody>,
) -> Result<StatusCode, ApiError> {
    let command = SurveyCommand::PublishQuestionnaire {
        actor: acting.actor,
        questions: body.questions,
    };
    on_survey(&state, &survey, command, &acting, &context).await
}

/// An anonymous response.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseBody {
    /// The service point the respondent used.
    #[schema(value_type = String, format = Uuid)]
    pub service_point: ServicePointId,
    /// The questionnaire version answered.
    pub questionnaire_version: u32,
    /// Question → level (1 to the question's levels).
    #[schema(value_type = Object)]
    pub answers: BTreeMap<QuestionId, u8>,
}

/// Records an anonymous response to an open survey: no account, no respondent recorded.
#[utoipa::path(
    post, path = "/watcher/surveys/{survey}/responses", tag = "watcher",
    params(("survey" = String, Path, description = "The survey")),
    request_body = ResponseBody,
    responses(
        (status = 204, description = "Recorded"),
        (status = 400, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "Outside the survey's period, or closed", body = Problem),
        (status = 422, body = Problem),
    )
)]
pub async fn record_response(
    State(state): State<AppState>,
    context: RequestContext,
    Path(survey): Path<String>,
    ApiJson(body): ApiJson<ResponseBody>,
) -> Result<StatusCode, ApiError> {
    let survey: SurveyId = path_id(&survey)?;
    // Anonymous intake: a system actor of its own for each response, so that responses
    // cannot be linked to one another or to anyone.
    let actor = Actor::system(ActorId::new_v7());
    let command = SurveyCommand::RecordResponse {
        actor,
        response: ResponseId::new_v7(),
        service_point: body.service_point,
        questionnaire_version: body.questionnaire_version,
        responded_on: state.calendar.local_date(state.clock.now()),
        answers: body.answers,
    };
    crate::api::execute_as::<SatisfactionSurvey>(
        &state,
        &state.domains.surveys,
        &survey.to_string(),
        command,
        &actor,
        &context,
        kernel::AccessChannel::Web,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Closes a survey.
#[utoipa::path(
    post, path = "/watcher/surveys/{survey}/closure", tag = "watcher",
    params(("survey" = String, Path, description = "The survey")),
    responses(
        (status = 204, description = "Closed"),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn close_survey(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(survey): Path<String>,
) -> Result<StatusCode, ApiError> {
    let command = SurveyCommand::CloseSurvey {
        actor: acting.actor,
    };
    on_survey(&state, &survey, command, &acting, &context).await
}

/// A period, and optionally one service point.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Only this service point (satisfaction).
    #[param(value_type = Option<String>, format = Uuid)]
    pub service_point: Option<ServicePointId>,
}

impl PeriodQuery {
    fn period(&self) -> Result<Period, ApiError> {
        if self.to < self.from {
            return Err(ApiError::invalid(
                "to",
                "ends_before_start",
                "the period ends before it starts",
            ));
        }
        Ok(Period {
            starts_on: self.from,
            ends_on: self.to,
        })
    }
}

/// The satisfaction index over a period, of one service point or all.
#[utoipa::path(
    get, path = "/watcher/satisfaction", tag = "watcher",
    params(PeriodQuery),
    responses(
        (status = 200, description = "`{responses, average}`", body = Object),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn satisfaction(
    State(state): State<AppState>,
    params: Result<Query<PeriodQuery>, QueryRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let params = query(params)?;
    let average = projections::watcher::satisfaction_index(
        state.store.any_pool(),
        params.service_point,
        params.period()?,
    )
    .await
    .map_err(|e| ApiError::internal("satisfaction index", &e))?;
    Ok(Json(serde_json::to_value(average).map_err(|e| {
        ApiError::internal("serializing an index", &e)
    })?))
}

/// Coverage over a period: the share of active service points visited, by body,
/// governorate and channel.
#[utoipa::path(
    get, path = "/watcher/coverage", tag = "watcher",
    params(PeriodQuery),
    responses(
        (status = 200, body = Object),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn coverage(
    State(state): State<AppState>,
    params: Result<Query<PeriodQuery>, QueryRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let params = query(params)?;
    let coverage = projections::watcher::coverage(state.store.any_pool(), params.period()?)
        .await
        .map_err(|e| ApiError::internal("coverage", &e))?;
    Ok(Json(serde_json::to_value(coverage).map_err(|e| {
        ApiError::internal("serializing coverage", &e)
    })?))
}
