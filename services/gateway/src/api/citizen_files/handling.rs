//! What the administration does with a file: the handling organisation studies, routes and
//! answers it (art. 7-10), structures acknowledge, answer or return what was referred to
//! them (art. 4), a signatory signs the answer (circular 001), the Central Bureau decides on
//! suggestions and follows their implementation (art. 9). Each route is one command; the
//! aggregate checks who may do it on this file and when.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use citizen_file::{
    CitizenFileCommand, DeadlineTarget, FileId, InadmissibilityReason, MoreTimeReason, ReferralId,
    ReplyOutcome,
};
use kernel::{AccessChannel, OrganisationId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::file_id;
use crate::api::json::ApiJson;
use crate::auth::Acting;
use crate::auth::principal::RequestContext;
use crate::error::{ApiError, Problem};
use crate::startup::AppState;

/// Runs `command` on file `file` for a caller who may read it. Some rules of the aggregate
/// (the file's kind, its state) come before its check of the actor; refusing here first
/// whoever may not read the file keeps them from learning anything about it (404). A file
/// the read models do not show yet is left to the aggregate's own checks.
pub(super) async fn run(
    state: &AppState,
    acting: &Acting,
    context: &RequestContext,
    file: FileId,
    command: CitizenFileCommand,
) -> Result<StatusCode, ApiError> {
    // An outsider learns nothing from the aggregate's refusals: the file must be theirs
    // to read, unless the read model does not know it yet (the aggregate then decides).
    if let Some(detail) = super::load(state, file).await?
        && super::reader(acting, &detail).is_none()
    {
        // Perhaps only a step behind (a referral an instant ago): look again once caught up.
        super::readable(state, acting, &file.to_string()).await?;
    }
    execute(state, acting, context, file, command).await
}

/// Runs `command` on file `file`, the aggregate alone checking who may.
pub(super) async fn execute(
    state: &AppState,
    acting: &Acting,
    context: &RequestContext,
    file: FileId,
    command: CitizenFileCommand,
) -> Result<StatusCode, ApiError> {
    crate::api::execute(
        state,
        &state.domains.files,
        &file.to_string(),
        command,
        acting,
        context,
        AccessChannel::Api,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

fn referral_id(raw: &str) -> Result<ReferralId, ApiError> {
    raw.parse().map_err(|_| ApiError::NotFound)
}

/// Why more time is needed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoreTimeBody {
    /// `documents_to_consult`, `coordination_with_other_structures` or `field_work`.
    #[schema(value_type = String)]
    pub reason: MoreTimeReason,
}

/// Tells the sender of an e-mail that more time is needed (within 48 hours, circular 2 of
/// 2020).
#[utoipa::path(
    post, path = "/files/{id}/more-time-notice", tag = "citizen-files",
    params(("id" = String, Path, description = "The file")),
    request_body = MoreTimeBody,
    responses(
        (status = 204, description = "Sent"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, description = "Unknown, or not handled by your organisation", body = Problem),
        (status = 409, description = "Not an e-mail file, already answered, or wrong state", body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn more_time_notice(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MoreTimeBody>,
) -> Result<StatusCode, ApiError> {
    let file = file_id(&id)?;
    let command = CitizenFileCommand::TellSenderMoreTimeNeeded {
        actor: acting.actor,
        reason: body.reason,
    };
    run(&state, &acting, &context, file, command).await
}

/// Admits the file for study.
#[utoipa::path(
    post, path = "/files/{id}/admission", tag = "citizen-files",
    params(("id" = String, Path, description = "The file")),
    responses(
        (status = 204, description = "Admitted"),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, description = "Unknown, or not handled by your organisation", body = Problem),
        (status = 409, description = "Wrong state (`wrong_state`)", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn admit(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let file = file_id(&id)?;
    let command = CitizenFileCommand::AdmitFile {
        actor: acting.actor,
    };
    run(&state, &acting, &context, file, command).await
}

/// Why the file is not admissible.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InadmissibilityBody {
    /// `before_the_courts`, `agent_career_dispute`, `aid_request`, `job_request`,
    /// `outside_competence` or `abusive` (decree 98-1152).
    #[schema(value_type = String)]
    pub reason: InadmissibilityReason,
    /// A note to the author (e.g. who is competent).
    pub note: Option<String>,
}

/// Declares the file inadmissible, which closes it.
#[utoipa::path(
    post, path = "/files/{id}/inadmissibility", tag = "citizen-files",
    params(("id" = String, Path, description = "The file")),
    request_body = InadmissibilityBody,
    responses(
        (status = 204, description = "Declared inadmissible; closed"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, description = "Unknown, or not handled by your organisation", body = Problem),
        (status = 409, description = "Wrong state (`wrong_state`)", body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn declare_inadmissible(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<InadmissibilityBody>,
) -> Result<StatusCode, ApiError> {
    let file = file_id(&id)?;
    let command = CitizenFileCommand::DeclareInadmissible {
        actor: acting.actor,
        reason: body.reason,
        note: body.note,
    };
    run(&state, &acting, &context, file, command).await
}

/// What is missing.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionBody {
    /// The question to the author.
    pub question: String,
}

/// Asks the author for missing information; the reply deadline pauses.
#[utoipa::path(
    post, path = "/files/{id}/information-requests", tag = "citizen-files",
    params(("id" = String, Path, description = "The file")),
    request_body = QuestionBody,
    responses(
        (status = 204, description = "Asked"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, description = "Unknown, or not handled by your organisation", body = Problem),
        (status = 409, description = "Wrong state (`wrong_state`)", body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn request_information(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<QuestionBody>,
) -> Result<StatusCode, ApiError> {
    let file = file_id(&id)?;
    let command = CitizenFileCommand::RequestInformation {
        actor: acting.actor,
        question: body.question,
    };
    run(&state, &acting, &context, file, command).await
}

/// Where the file goes, and why.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferralBody {
    /// The structure.
    #[schema(value_type = String, format = Uuid)]
    pub to: OrganisationId,
    /// Why this structure (an internal routing note).
    pub reason: String,
}

/// A referral made.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralView {
    /// The referral's identifier, for the structure's acknowledgement, reply or return.
    #[schema(value_type = String, format = Uuid)]
    pub referral: ReferralId,
}

/// Refers the file to a structure: one link of the chain of custody (art. 4, 7).
#[utoipa::path(
    post, path = "/files/{id}/referrals", tag = "citizen-files",
    params(("id" = String, Path, description = "The file")),
    request_body = ReferralBody,
    responses(
        (status = 201, description = "Referred", body = ReferralView),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, description = "Unknown, or not handled by your organisation", body = Problem),
        (status = 409, description = "Wrong state, or already referred to this structure", body = Problem),
        (status = 422, description = "`to` is unknown or not a structure", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn refer(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReferralBody>,
) -> Result<(StatusCode, Json<ReferralView>), ApiError> {
    let file = file_id(&id)?;
    let referral = ReferralId::new_v7();
    let command = CitizenFileCommand::ReferFile {
        actor: acting.actor,
        referral,
        to: body.to,
        reason: body.reason,
    };
    run(&state, &acting, &context, file, command).await?;
    Ok((StatusCode::CREATED, Json(ReferralView { referral })))
}

/// The structure acknowledges a referral made to it.
#[utoipa::path(
    post, path = "/files/{id}/referrals/{referral}/acknowledgement", tag = "citizen-files",
    params(
        ("id" = String, Path, description = "The file"),
        ("referral" = String, Path, description = "The referral"),
    ),
    responses(
        (status = 204, description = "Acknowledged"),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, description = "Unknown, or not referred to your structure", body = Problem),
        (status = 409, description = "The referral is not pending (`wrong_referral_state`)", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn acknowledge_referral(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path((id, referral)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let file = file_id(&id)?;
    let command = CitizenFileCommand::AcknowledgeReferral {
        actor: acting.actor,
        referral: referral_id(&referral)?,
    };
    run(&state, &acting, &context, file, command).await
}

/// A structure's reply: its outcome fits the file's kind.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReplyBody {
    /// `answer` (petitions, guidance requests); `feasibility_assessment` with
    /// `feasibility` (`feasible`, `partly_feasible`, `not_feasible`) for suggestions;
    /// `intervention_report` with `intervened_at` and `harm_removed` for notifications.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub outcome: ReplyOutcome,
    /// The answer, the assessment's reasons, or the intervention report.
    pub text: String,
}

/// The structure replies to a referral made to it.
#[utoipa::path(
    post, path = "/files/{id}/referrals/{referral}/reply", tag = "citizen-files",
    params(
        ("id" = String, Path, description = "The file"),
        ("referral" = String, Path, description = "The referral"),
    ),
    request_body = ReplyBody,
    responses(
        (status = 204, description = "Replied"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, description = "Unknown, or not referred to your structure", body = Problem),
        (status = 409, description = "The referral was already answered or returned", body = Problem),
        (status = 422, description = "The outcome does not fit the kind, or the text is invalid", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn reply_to_referral(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path((id, referral)): Path<(String, String)>,
    ApiJson(body): ApiJson<ReplyBody>,
) -> Result<StatusCode, ApiError> {
    let file = file_id(&id)?;
    let command = CitizenFileCommand::ReplyToReferral {
        actor: acting.actor,
        referral: referral_id(&referral)?,
        outcome: body.outcome,
        text: body.text,
    };
    run(&state, &acting, &context, file, command).await
}

/// Why.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonBody {
    /// The reason.
    pub reason: String,
}

/// The structure returns a referral as not competent; the office re-routes the file.
#[utoipa::path(
    post, path = "/files/{id}/referrals/{referral}/return", tag = "citizen-files",
    params(
        ("id" = String, Path, description = "The file"),
        ("referral" = String, Path, description = "The referral"),
    ),
    request_body = ReasonBody,
    responses(
        (status = 204, description = "Returned"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, description = "Unknown, or not referred to your structure", body = Problem),
        (status = 409, description = "The referral was already answered or returned", body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn return_referral(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path((id, referral)): Path<(String, String)>,
    ApiJson(body): ApiJson<ReasonBody>,
) -> Result<StatusCode, ApiError> {
    let file = file_id(&id)?;
    let command = CitizenFileCommand::ReturnReferral {
        actor: acting.actor,
        referral: referral_id(&referral)?,
        reason: body.reason,
    };
    run(&state, &acting, &context, file, command).await
}

/// Which deadline, by how much, why.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtensionBody {
    /// `"reply"`, or `{"referral": "<id>"}`.
    #[schema(value_type = Object)]
    pub target: DeadlineTarget,
    /// How much, in the deadline's unit.
    pub amount: u32,
    /// `documents_to_consult`, `coordination_with_other_structures` or `field_work`
    /// (circular 2 of 2020).
    #[schema(value_type = String)]
    pub reason: MoreTimeReason,
}

/// Extends the reply deadline or a referral's deadline, within its limit.
#[utoipa::path(
    post, path = "/files/{id}/extensions", tag = "citizen-files",
    params(("id" = String, Path, description = "The file")),
    request_body = ExtensionBody,
    responses(
        (status = 204, description = "Extended"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, description = "Unknown file or referral, or not handled by your organisation", body = Problem),
        (status = 409, description = "Wrong state, or the extension limit is reached", body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn extend_deadline(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ExtensionBody>,
) -> Result<StatusCode, ApiError> {
    let file = file_id(&id)?;
    let command = CitizenFileCommand::ExtendDeadline {
        actor: acting.actor,
        target: body.target,
        amount: body.amount,
        reason: body.reason,
    };
    run(&state, &acting, &context, file, command).await
}

/// The Central Bureau's decision on an assessed suggestion.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    /// Adopted or not.
    pub adopted: bool,
    /// Why.
    pub reasons: String,
}

/// The Central Bureau decides whether to adopt an assessed suggestion (art. 9).
#[utoipa::path(
    post, path = "/files/{id}/suggestion-decision", tag = "citizen-files",
    params(("id" = String, Path, description = "The file")),
    request_body = DecisionBody,
    responses(
        (status = 204, description = "Decided"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, description = "Unknown, or not handled by your organisation", body = Problem),
        (status = 409, description = "Not a suggestion, not assessed (feasible), or wrong state", body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn decide_on_suggestion(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<DecisionBody>,
) -> Result<StatusCode, ApiError> {
    let file = file_id(&id)?;
    let command = CitizenFileCommand::DecideOnSuggestion {
        actor: acting.actor,
        adopted: body.adopted,
        reasons: body.reasons,
    };
    run(&state, &acting, &context, file, command).await
}

/// A text.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TextBody {
    /// The text.
    pub text: String,
}

/// Drafts (or redrafts) the final answer, for the signatory.
#[utoipa::path(
    post, path = "/files/{id}/answer-draft", tag = "citizen-files",
    params(("id" = String, Path, description = "The file")),
    request_body = TextBody,
    responses(
        (status = 204, description = "Drafted"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, description = "Unknown, or not handled by your organisation", body = Problem),
        (status = 409, description = "Wrong state, or a structure must reply first (art. 7, 10)", body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn draft_answer(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<TextBody>,
) -> Result<StatusCode, ApiError> {
    let file = file_id(&id)?;
    let command = CitizenFileCommand::DraftAnswer {
        actor: acting.actor,
        text: body.text,
    };
    run(&state, &acting, &context, file, command).await
}

/// Signs the drafted answer with the signatory's certificate (circular 001), which sends it
/// to the author and opens the contest period.
#[utoipa::path(
    post, path = "/files/{id}/answer-signature", tag = "citizen-files",
    params(("id" = String, Path, description = "The file")),
    responses(
        (status = 204, description = "Signed and sent"),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, description = "Unknown, or not drafted by your organisation", body = Problem),
        (status = 409, description = "No draft (`wrong_state`), no valid certificate, signing refused, or the author's data erased", body = Problem),
        (status = 503, description = "The signing service is unavailable; retry later", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn sign_answer(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let file = file_id(&id)?;
    let command = CitizenFileCommand::SignAnswer {
        actor: acting.actor,
    };
    run(&state, &acting, &context, file, command).await
}

/// What was done.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportBody {
    /// The report.
    pub report: String,
}

/// Reports progress on implementing an adopted suggestion (art. 9).
#[utoipa::path(
    post, path = "/files/{id}/implementation-progress", tag = "citizen-files",
    params(("id" = String, Path, description = "The file")),
    request_body = ReportBody,
    responses(
        (status = 204, description = "Reported"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, description = "Unknown, or not following this suggestion", body = Problem),
        (status = 409, description = "Not an adopted, answered suggestion", body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn report_progress(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReportBody>,
) -> Result<StatusCode, ApiError> {
    let file = file_id(&id)?;
    let command = CitizenFileCommand::ReportImplementationProgress {
        actor: acting.actor,
        report: body.report,
    };
    run(&state, &acting, &context, file, command).await
}

/// Records that an adopted suggestion is implemented, which closes the file (art. 9).
#[utoipa::path(
    post, path = "/files/{id}/implementation", tag = "citizen-files",
    params(("id" = String, Path, description = "The file")),
    request_body = ReportBody,
    responses(
        (status = 204, description = "Implemented; closed"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, description = "Unknown, or not handled by your organisation", body = Problem),
        (status = 409, description = "Not an adopted, answered suggestion", body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn record_implemented(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReportBody>,
) -> Result<StatusCode, ApiError> {
    let file = file_id(&id)?;
    let command = CitizenFileCommand::RecordSuggestionImplemented {
        actor: acting.actor,
        report: body.report,
    };
    run(&state, &acting, &context, file, command).await
}

/// The open file a duplicate merges into.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeBody {
    /// The surviving file, handled by the same organisation.
    #[schema(value_type = String, format = Uuid)]
    pub into: FileId,
}

/// Merges this file, a duplicate of an open file, into it: its author follows the surviving
/// file, which is answered once.
#[utoipa::path(
    post, path = "/files/{id}/merge", tag = "citizen-files",
    params(("id" = String, Path, description = "The duplicate")),
    request_body = MergeBody,
    responses(
        (status = 204, description = "Merged"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, description = "Either file unknown, or not handled by your organisation", body = Problem),
        (status = 409, description = "Either file in a wrong state, or already attached", body = Problem),
        (status = 422, description = "`into` is the file itself", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn merge(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MergeBody>,
) -> Result<StatusCode, ApiError> {
    let (duplicate, _) = super::readable(&state, &acting, &id).await?;
    if body.into == duplicate.file {
        return Err(ApiError::invalid(
            "into",
            "cannot_merge_with_itself",
            "a file cannot be merged with itself",
        ));
    }
    // The surviving file first (it checks it is open), then the duplicate: see the
    // domain's notes on merging.
    let attach = CitizenFileCommand::AttachDuplicate {
        actor: acting.actor,
        duplicate: duplicate.file,
        follower: duplicate.author,
    };
    run(&state, &acting, &context, body.into, attach).await?;
    let merge = CitizenFileCommand::MergeIntoFile {
        actor: acting.actor,
        surviving: body.into,
    };
    run(&state, &acting, &context, duplicate.file, merge).await
}
