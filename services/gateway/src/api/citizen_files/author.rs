//! What the author does on their own file, signed in with the account it was filed under:
//! provide the information asked, rate the signed answer, contest it once. Another
//! citizen's file answers 404 (the aggregate's author check).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use citizen_file::{AttachmentRef, AuthorProof, CitizenFileCommand};
use serde::Deserialize;
use utoipa::ToSchema;

use super::file_id;
use super::handling::{execute, run};
use super::intake::{check_attachments, link_attachments};
use crate::api::json::ApiJson;
use crate::auth::Acting;
use crate::auth::principal::RequestContext;
use crate::error::{ApiError, Problem};
use crate::startup::AppState;

/// The information asked.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InformationBody {
    /// The information.
    pub answer: String,
    /// Documents uploaded first (`sha256`, `media_type`, `size_bytes`).
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub attachments: Vec<AttachmentRef>,
}

/// Provides the information the office asked; the reply deadline runs again.
#[utoipa::path(
    post, path = "/files/{id}/information", tag = "citizen-files",
    params(("id" = String, Path, description = "The file")),
    request_body = InformationBody,
    responses(
        (status = 204, description = "Provided"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, description = "Unknown, or not your file", body = Problem),
        (status = 409, description = "No information was asked (`wrong_state`), or the period is over", body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn provide_information(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<InformationBody>,
) -> Result<StatusCode, ApiError> {
    let file = file_id(&id)?;
    check_attachments(&state, &body.attachments).await?;
    let attachments = body.attachments.clone();
    let command = CitizenFileCommand::ProvideInformation {
        actor: acting.actor,
        proof: AuthorProof::Account,
        answer: body.answer,
        attachments: body.attachments,
    };
    let status = run(&state, &acting, &context, file, command).await?;
    link_attachments(&state, file, &attachments).await?;
    Ok(status)
}

/// A rating of the answer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingBody {
    /// From 1 to 5.
    pub stars: u8,
    /// A comment.
    pub comment: Option<String>,
}

/// Rates the signed answer, once, while it can be contested.
#[utoipa::path(
    post, path = "/files/{id}/rating", tag = "citizen-files",
    params(("id" = String, Path, description = "The file")),
    request_body = RatingBody,
    responses(
        (status = 204, description = "Rated"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, description = "Unknown, or not your file", body = Problem),
        (status = 409, description = "Not answered (`wrong_state`), already rated, or the period is over", body = Problem),
        (status = 422, description = "`stars` outside 1..5, or the comment invalid", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn rate(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RatingBody>,
) -> Result<StatusCode, ApiError> {
    let file = file_id(&id)?;
    let command = CitizenFileCommand::RateAnswer {
        actor: acting.actor,
        proof: AuthorProof::Account,
        stars: body.stars,
        comment: body.comment,
    };
    run(&state, &acting, &context, file, command).await
}

/// Why the answer is contested.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContestBody {
    /// The grounds.
    pub grounds: String,
}

/// Contests the signed answer, once, within the contest period: the file is studied again.
#[utoipa::path(
    post, path = "/files/{id}/contest", tag = "citizen-files",
    params(("id" = String, Path, description = "The file")),
    request_body = ContestBody,
    responses(
        (status = 204, description = "Contested; the file reopens"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, description = "Unknown, or not your file", body = Problem),
        (status = 409, description = "Not answered (`wrong_state`), already contested, or the period is over", body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn contest(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ContestBody>,
) -> Result<StatusCode, ApiError> {
    let file = file_id(&id)?;
    let command = CitizenFileCommand::ContestAnswer {
        actor: acting.actor,
        proof: AuthorProof::Account,
        grounds: body.grounds,
    };
    run(&state, &acting, &context, file, command).await
}

/// The holder of a file's tracking code, acting without an account: a citizen whose id is
/// the file's own (the same for every act on that file, so that its history reads as one
/// author's), proving authorship with the code whose secret was checked here.
async fn holder(
    state: &AppState,
    code: &str,
    secret: &str,
) -> Result<(citizen_file::FileId, Acting, AuthorProof), ApiError> {
    let (file, code) = super::intake::verify_secret(state, code, secret)
        .await?
        .ok_or(ApiError::NotFound)?;
    let id = kernel::ActorId::from(*file.as_uuid());
    // No account stands behind the holder: the principal is a stand-in of which only the
    // actor reaches the command and its metadata.
    let acting = Acting {
        principal: crate::auth::Principal {
            account: crate::auth::Account {
                id,
                kind: kernel::ActorKind::Citizen,
                email: String::new(),
                status: crate::auth::AccountStatus::Active,
                language: "ar".into(),
                subject: kernel::personal_data::SubjectId::from(*file.as_uuid()),
            },
            grants: Vec::new(),
            token: String::new(),
        },
        actor: kernel::Actor::citizen(id),
    };
    Ok((file, acting, AuthorProof::TrackingCode(code)))
}

/// The information asked, from the holder of the tracking code.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrackedInformationBody {
    /// The code on the receipt.
    pub tracking_code: String,
    /// Its secret.
    pub secret: String,
    /// The information.
    pub answer: String,
}

/// Provides the information asked, without an account, with the tracking code and secret.
#[utoipa::path(
    post, path = "/tracking/information", tag = "citizen-files",
    request_body = TrackedInformationBody,
    responses(
        (status = 204, description = "Provided"),
        (status = 400, body = Problem),
        (status = 404, description = "Unknown code, or wrong secret", body = Problem),
        (status = 409, description = "No information was asked (`wrong_state`), or the period is over", body = Problem),
        (status = 422, body = Problem),
    )
)]
pub async fn provide_information_by_code(
    State(state): State<AppState>,
    context: RequestContext,
    ApiJson(body): ApiJson<TrackedInformationBody>,
) -> Result<StatusCode, ApiError> {
    let (file, acting, proof) = holder(&state, &body.tracking_code, &body.secret).await?;
    let command = CitizenFileCommand::ProvideInformation {
        actor: acting.actor,
        proof,
        answer: body.answer,
        attachments: Vec::new(),
    };
    execute(&state, &acting, &context, file, command).await
}

/// A rating, from the holder of the tracking code.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrackedRatingBody {
    /// The code on the receipt.
    pub tracking_code: String,
    /// Its secret.
    pub secret: String,
    /// From 1 to 5.
    pub stars: u8,
    /// A comment.
    pub comment: Option<String>,
}

/// Rates the signed answer, without an account, with the tracking code and secret.
#[utoipa::path(
    post, path = "/tracking/rating", tag = "citizen-files",
    request_body = TrackedRatingBody,
    responses(
        (status = 204, description = "Rated"),
        (status = 400, body = Problem),
        (status = 404, description = "Unknown code, or wrong secret", body = Problem),
        (status = 409, description = "Not answered (`wrong_state`), already rated, or the period is over", body = Problem),
        (status = 422, body = Problem),
    )
)]
pub async fn rate_by_code(
    State(state): State<AppState>,
    context: RequestContext,
    ApiJson(body): ApiJson<TrackedRatingBody>,
) -> Result<StatusCode, ApiError> {
    let (file, acting, proof) = holder(&state, &body.tracking_code, &body.secret).await?;
    let command = CitizenFileCommand::RateAnswer {
        actor: acting.actor,
        proof,
        stars: body.stars,
        comment: body.comment,
    };
    execute(&state, &acting, &context, file, command).await
}

/// A contest, from the holder of the tracking code.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrackedContestBody {
    /// The code on the receipt.
    pub tracking_code: String,
    /// Its secret.
    pub secret: String,
    /// The grounds.
    pub grounds: String,
}

/// Contests the signed answer, without an account, with the tracking code and secret.
#[utoipa::path(
    post, path = "/tracking/contest", tag = "citizen-files",
    request_body = TrackedContestBody,
    responses(
        (status = 204, description = "Contested; the file reopens"),
        (status = 400, body = Problem),
        (status = 404, description = "Unknown code, or wrong secret", body = Problem),
        (status = 409, description = "Not answered (`wrong_state`), already contested, or the period is over", body = Problem),
        (status = 422, body = Problem),
    )
)]
pub async fn contest_by_code(
    State(state): State<AppState>,
    context: RequestContext,
    ApiJson(body): ApiJson<TrackedContestBody>,
) -> Result<StatusCode, ApiError> {
    let (file, acting, proof) = holder(&state, &body.tracking_code, &body.secret).await?;
    let command = CitizenFileCommand::ContestAnswer {
        actor: acting.actor,
        proof,
        grounds: body.grounds,
    };
    execute(&state, &acting, &context, file, command).await
}
