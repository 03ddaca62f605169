//! Visits from the member's record to the report the body receives, findings and their
//! corrective actions, corruption referrals, and what an inspected body reads: its
//! reports and open findings, never who visited.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use kernel::OrganisationId;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use watcher::{
    Answer, CancellationReason, CorruptionCategory, CorruptionReferral, CriterionId, Evidence,
    FindingId, FindingKind, ReferralCommand, ReferralId, ReferralOutcome, VerificationOutcome,
    Visit, VisitCommand, VisitId,
};

use super::path_id;
use super::planning::CreatedId;
use crate::api::json::ApiJson;
use crate::api::paging::{PageQuery, PageView, query};
use crate::api::{created, run};
use crate::auth::Acting;
use crate::auth::principal::RequestContext;
use crate::error::{ApiError, Problem};
use crate::startup::AppState;

async fn on_visit(
    state: &AppState,
    raw: &str,
    command: VisitCommand,
    acting: &Acting,
    context: &RequestContext,
) -> Result<StatusCode, ApiError> {
    let visit: VisitId = path_id(raw)?;
    run::<Visit>(
        state,
        &state.domains.visits,
        &visit.to_string(),
        command,
        acting,
        context,
    )
    .await
}

/// What the member saw.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordBody {
    /// When the visit happened (recorded offline, uploaded later: this time, not the upload's).
    pub occurred_at: DateTime<Utc>,
    /// The service asked, as an ordinary citizen.
    pub service_asked: String,
    /// Minutes waited, when there was a wait.
    pub waiting_minutes: Option<u32>,
    /// Observations.
    pub observations: String,
    /// Criterion → `"yes"`, `"no"`, `{"level": n}` or `"not_applicable"`.
    #[schema(value_type = Object)]
    pub answers: BTreeMap<CriterionId, Answer>,
}

/// Records the visit: observations and scores against its checklist version.
#[utoipa::path(
    post, path = "/watcher/visits/{visit}/record", tag = "watcher",
    params(("visit" = String, Path, description = "The visit")),
    request_body = RecordBody,
    responses(
        (status = 204, description = "Recorded"),
        (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, description = "Not the member assigned", body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, description = "A field or an answer breaks a rule (named)", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn record_visit(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(visit): Path<String>,
    ApiJson(body): ApiJson<RecordBody>,
) -> Result<StatusCode, ApiError> {
    let command = VisitCommand::RecordVisit {
        actor: acting.actor,
        occurred_at: body.occurred_at,
        service_asked: body.service_asked,
        waiting_minutes: body.waiting_minutes,
        observations: body.observations,
        answers: body.answers,
    };
    on_visit(&state, &visit, command, &acting, &context).await
}

/// A photo or document uploaded first.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceBody {
    /// SHA-256, hexadecimal.
    pub content_hash: String,
    /// Media type.
    pub media_type: String,
    /// Size in bytes.
    pub size_bytes: u64,
}

/// Attaches evidence to the visit.
#[utoipa::path(
    post, path = "/watcher/visits/{visit}/evidence", tag = "watcher",
    params(("visit" = String, Path, description = "The visit")),
    request_body = EvidenceBody,
    responses(
        (status = 204, description = "Attached"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn attach_evidence(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(visit): Path<String>,
    ApiJson(body): ApiJson<EvidenceBody>,
) -> Result<StatusCode, ApiError> {
    let hash = body.content_hash.to_ascii_lowercase();
    if !crate::api::attachments::exists(&state, &hash).await? {
        return Err(ApiError::invalid(
            "content_hash",
            "unknown_attachment",
            "upload the evidence first",
        ));
    }
    let command = VisitCommand::AttachEvidence {
        actor: acting.actor,
        evidence: Evidence {
            content_hash: hash.clone(),
            media_type: body.media_type,
            size_bytes: body.size_bytes,
        },
    };
    let status = on_visit(&state, &visit, command, &acting, &context).await?;
    crate::api::attachments::link(&state, &hash, "Visit", &visit).await?;
    Ok(status)
}

/// A finding.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FindingBody {
    /// `{"kind": "shortcoming", "severity": ...}` or `{"kind": "recommendation"}`.
    #[schema(value_type = Object)]
    pub kind: FindingKind,
    /// The criterion it is about, when one.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub criterion: Option<CriterionId>,
    /// What was found or is recommended.
    pub description: String,
}

/// Records a finding of the visit.
#[utoipa::path(
    post, path = "/watcher/visits/{visit}/findings", tag = "watcher",
    params(("visit" = String, Path, description = "The visit")),
    request_body = FindingBody,
    responses(
        (status = 201, description = "The finding", body = CreatedId),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn record_finding(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(visit): Path<String>,
    ApiJson(body): ApiJson<FindingBody>,
) -> Result<Response, ApiError> {
    let finding = FindingId::new_v7();
    let command = VisitCommand::RecordFinding {
        actor: acting.actor,
        finding,
        kind: body.kind,
        criterion: body.criterion,
        description: body.description,
    };
    on_visit(&state, &visit, command, &acting, &context).await?;
    Ok(created(
        format!("/api/v1/watcher/visits/{visit}/findings/{finding}"),
        CreatedId {
            id: finding.to_string(),
        },
    ))
}

macro_rules! no_body_step {
    ($name:ident, $path:literal, $variant:ident, $what:literal, $done:literal) => {
        #[doc = $what]
        #[utoipa::path(
                            post, path = $path, tag = "watcher",
                            params(("visit" = String, Path, description = "The visit")),
                            responses(
                                (status = 204, description = $done),
                                (status = 401, body = Problem), (status = 403, body = Problem),
                                (status = 404, body = Problem), (status = 409, body = Problem),
                            ),
                            security(("bearer" = []), ("cookie" = []))
                        )]
        pub async fn $name(
            State(state): State<AppState>,
            acting: Acting,
            context: RequestContext,
            Path(visit): Path<String>,
        ) -> Result<StatusCode, ApiError> {
            let command = VisitCommand::$variant {
                actor: acting.actor,
            };
            on_visit(&state, &visit, command, &acting, &context).await
        }
    };
}

no_body_step!(
    submit_visit,
    "/watcher/visits/{visit}/submission",
    SubmitVisit,
    "The member submits the recorded visit for review.",
    "Submitted"
);
no_body_step!(
    accept_visit,
    "/watcher/visits/{visit}/acceptance",
    AcceptVisit,
    "A supervisor (not the member) accepts the visit.",
    "Accepted"
);
no_body_step!(
    send_report,
    "/watcher/visits/{visit}/report",
    SendReport,
    "Sends the accepted visit's report to the inspected body, without who visited.",
    "Sent"
);

/// Remarks for the member.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemarksBody {
    /// What to correct.
    pub remarks: String,
}

/// A supervisor sends the visit back to its member with remarks.
#[utoipa::path(
    post, path = "/watcher/visits/{visit}/send-back", tag = "watcher",
    params(("visit" = String, Path, description = "The visit")),
    request_body = RemarksBody,
    responses(
        (status = 204, description = "Sent back"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn send_back_visit(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(visit): Path<String>,
    ApiJson(body): ApiJson<RemarksBody>,
) -> Result<StatusCode, ApiError> {
    let command = VisitCommand::SendBackVisit {
        actor: acting.actor,
        remarks: body.remarks,
    };
    on_visit(&state, &visit, command, &acting, &context).await
}

/// Why a visit is cancelled.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancellationBody {
    /// `conflict_of_interest`, `member_unavailable`, `service_point_unavailable`,
    /// `plan_changed`.
    #[schema(value_type = String)]
    pub reason: CancellationReason,
}

/// Cancels a visit not yet reported.
#[utoipa::path(
    post, path = "/watcher/visits/{visit}/cancellation", tag = "watcher",
    params(("visit" = String, Path, description = "The visit")),
    request_body = CancellationBody,
    responses(
        (status = 204, description = "Cancelled"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn cancel_visit(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(visit): Path<String>,
    ApiJson(body): ApiJson<CancellationBody>,
) -> Result<StatusCode, ApiError> {
    let command = VisitCommand::CancelVisit {
        actor: acting.actor,
        reason: body.reason,
    };
    on_visit(&state, &visit, command, &acting, &context).await
}

/// The body's corrective action.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectiveActionBody {
    /// What the body will do.
    pub action: String,
    /// By when.
    pub due_on: NaiveDate,
}

/// The inspected body answers a finding with a corrective action and its date.
#[utoipa::path(
    post, path = "/watcher/visits/{visit}/findings/{finding}/corrective-action", tag = "watcher",
    params(("visit" = String, Path, description = "The visit"), ("finding" = String, Path, description = "The finding")),
    request_body = CorrectiveActionBody,
    responses(
        (status = 204, description = "Proposed"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, description = "Unknown, or not about your body", body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn propose_corrective_action(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path((visit, finding)): Path<(String, String)>,
    ApiJson(body): ApiJson<CorrectiveActionBody>,
) -> Result<StatusCode, ApiError> {
    let command = VisitCommand::ProposeCorrectiveAction {
        actor: acting.actor,
        finding: path_id(&finding)?,
        action: body.action,
        due_on: body.due_on,
    };
    on_visit(&state, &visit, command, &acting, &context).await
}

/// What a follow-up visit found.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerificationBody {
    /// The follow-up visit.
    #[schema(value_type = String, format = Uuid)]
    pub follow_up: VisitId,
    /// `implemented`, `partly_implemented` or `not_implemented`.
    #[schema(value_type = String)]
    pub outcome: VerificationOutcome,
    /// Notes.
    pub notes: String,
}

/// Records what a follow-up visit found of a corrective action; a finding stays open until
/// verified.
#[utoipa::path(
    post, path = "/watcher/visits/{visit}/findings/{finding}/verification", tag = "watcher",
    params(("visit" = String, Path, description = "The visit"), ("finding" = String, Path, description = "The finding")),
    request_body = VerificationBody,
    responses(
        (status = 204, description = "Recorded"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn verify_finding(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path((visit, finding)): Path<(String, String)>,
    ApiJson(body): ApiJson<VerificationBody>,
) -> Result<StatusCode, ApiError> {
    let command = VisitCommand::VerifyFinding {
        actor: acting.actor,
        finding: path_id(&finding)?,
        follow_up: body.follow_up,
        outcome: body.outcome,
        notes: body.notes,
    };
    on_visit(&state, &visit, command, &acting, &context).await
}

/// A finding referred to a competent authority.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferralBody {
    /// The visit.
    #[schema(value_type = String, format = Uuid)]
    pub visit: VisitId,
    /// Its finding.
    #[schema(value_type = String, format = Uuid)]
    pub finding: FindingId,
    /// The body concerned.
    #[schema(value_type = String, format = Uuid)]
    pub organisation: OrganisationId,
    /// `extortion`, `unfairness`, `abuse_of_influence`, `breach_of_equality`...
    #[schema(value_type = String)]
    pub category: CorruptionCategory,
    /// The competent authority.
    #[schema(value_type = String, format = Uuid)]
    pub authority: OrganisationId,
    /// What is referred (sealed: it may name people).
    pub summary: String,
}

/// Refers a finding of corruption to a competent authority (department only).
#[utoipa::path(
    post, path = "/watcher/referrals", tag = "watcher",
    request_body = ReferralBody,
    responses(
        (status = 201, body = CreatedId),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn refer_finding(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    ApiJson(body): ApiJson<ReferralBody>,
) -> Result<Response, ApiError> {
    let referral = ReferralId::new_v7();
    let command = ReferralCommand::ReferFinding {
        actor: acting.actor,
        referral,
        visit: body.visit,
        finding: body.finding,
        organisation: body.organisation,
        category: body.category,
        authority: body.authority,
        // The summary may name agents: sealed under a subject of the referral's own.
        subject: kernel::personal_data::SubjectId::new_v7(),
        summary: body.summary,
    };
    run::<CorruptionReferral>(
        &state,
        &state.domains.referrals,
        &referral.to_string(),
        command,
        &acting,
        &context,
    )
    .await?;
    Ok(created(
        format!("/api/v1/watcher/referrals/{referral}"),
        CreatedId {
            id: referral.to_string(),
        },
    ))
}

async fn on_referral(
    state: &AppState,
    raw: &str,
    command: ReferralCommand,
    acting: &Acting,
    context: &RequestContext,
) -> Result<StatusCode, ApiError> {
    let referral: ReferralId = path_id(raw)?;
    run::<CorruptionReferral>(
        state,
        &state.domains.referrals,
        &referral.to_string(),
        command,
        acting,
        context,
    )
    .await
}

/// The authority's acknowledgement.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferralAcknowledgementBody {
    /// When it acknowledged.
    pub acknowledged_on: NaiveDate,
    /// Its reference.
    pub authority_reference: Option<String>,
}

/// Records the authority's acknowledgement of a referral.
#[utoipa::path(
    post, path = "/watcher/referrals/{referral}/acknowledgement", tag = "watcher",
    params(("referral" = String, Path, description = "The referral")),
    request_body = ReferralAcknowledgementBody,
    responses(
        (status = 204, description = "Recorded"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn acknowledge_referral(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(referral): Path<String>,
    ApiJson(body): ApiJson<ReferralAcknowledgementBody>,
) -> Result<StatusCode, ApiError> {
    let command = ReferralCommand::RecordAcknowledgement {
        actor: acting.actor,
        acknowledged_on: body.acknowledged_on,
        authority_reference: body.authority_reference,
    };
    on_referral(&state, &referral, command, &acting, &context).await
}

/// The authority's decision.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeBody {
    /// `proceedings_opened`, `sanction_imposed`, `no_further_action`,
    /// `declined_jurisdiction`.
    #[schema(value_type = String)]
    pub outcome: ReferralOutcome,
    /// When it decided.
    pub decided_on: NaiveDate,
    /// Its decision, summarised.
    pub summary: String,
}

/// Records the outcome of a referral.
#[utoipa::path(
    post, path = "/watcher/referrals/{referral}/outcome", tag = "watcher",
    params(("referral" = String, Path, description = "The referral")),
    request_body = OutcomeBody,
    responses(
        (status = 204, description = "Recorded"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn record_referral_outcome(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(referral): Path<String>,
    ApiJson(body): ApiJson<OutcomeBody>,
) -> Result<StatusCode, ApiError> {
    let command = ReferralCommand::RecordOutcome {
        actor: acting.actor,
        outcome: body.outcome,
        decided_on: body.decided_on,
        summary: body.summary,
    };
    on_referral(&state, &referral, command, &acting, &context).await
}

/// Filters of the referrals.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReferralsQuery {
    /// `referred`, `acknowledged` or `decided`.
    #[param(value_type = Option<String>)]
    pub status: Option<watcher::ReferralStatus>,
    /// To this authority.
    #[param(value_type = Option<String>, format = Uuid)]
    pub authority: Option<OrganisationId>,
    /// Of this category.
    #[param(value_type = Option<String>)]
    pub category: Option<CorruptionCategory>,
    /// Rows per page (1 to 200; 50 by default).
    pub limit: Option<u32>,
    /// Rows to skip.
    pub offset: Option<u32>,
}

/// The referrals (department only), the most recent first.
#[utoipa::path(
    get, path = "/watcher/referrals", tag = "watcher",
    params(ReferralsQuery),
    responses(
        (status = 200, body = PageView),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn referrals(
    State(state): State<AppState>,
    params: Result<Query<ReferralsQuery>, QueryRejection>,
) -> Result<Json<PageView>, ApiError> {
    let params = query(params)?;
    let page = PageQuery {
        limit: params.limit,
        offset: params.offset,
    }
    .page();
    let filter = projections::watcher::ReferralFilter {
        status: params.status,
        authority: params.authority,
        category: params.category,
    };
    let rows = projections::watcher::referrals(state.store.any_pool(), filter, page)
        .await
        .map_err(|e| ApiError::internal("referrals", &e))?;
    Ok(Json(PageView::of(rows)?))
}

/// The organisation the body agent acts for.
fn body_of(acting: &Acting) -> Result<OrganisationId, ApiError> {
    acting
        .actor
        .organisation()
        .ok_or_else(|| ApiError::Forbidden {
            detail: "act for the inspected body".into(),
        })
}

/// The reports of visits sent to the caller's organisation: scores and findings, without
/// who visited or at what time of day.
#[utoipa::path(
    get, path = "/watcher/body/reports", tag = "watcher",
    params(PageQuery),
    responses(
        (status = 200, body = PageView),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn body_reports(
    State(state): State<AppState>,
    acting: Acting,
    page: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Json<PageView>, ApiError> {
    let page = query(page)?.page();
    let rows =
        projections::watcher::reports_for_body(state.store.any_pool(), body_of(&acting)?, page)
            .await
            .map_err(|e| ApiError::internal("reports for a body", &e))?;
    Ok(Json(PageView::of(rows)?))
}

/// The caller's organisation's findings still open (until a follow-up verifies them).
#[utoipa::path(
    get, path = "/watcher/body/findings", tag = "watcher",
    params(PageQuery),
    responses(
        (status = 200, body = PageView),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn body_findings(
    State(state): State<AppState>,
    acting: Acting,
    page: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Json<PageView>, ApiError> {
    let page = query(page)?.page();
    let rows = projections::watcher::open_findings_for_body(
        state.store.any_pool(),
        body_of(&acting)?,
        page,
    )
    .await
    .map_err(|e| ApiError::internal("open findings of a body", &e))?;
    Ok(Json(PageView::of(rows)?))
}
