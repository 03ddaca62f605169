//! Receiving files: submission by a registered citizen (art. 2), registration by an office
//! of a file brought by counter, mail, phone, fax or e-mail, the author's list of files, and
//! tracking by code and secret without an account.

use axum::Json;
use axum::extract::{Query, State};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use citizen_file::{
    AttachmentRef, AuthorDetails, Channel, CitizenFileCommand, FileId, FileKind, KindDetails,
    Location, NewFile, Urgency,
};
use kernel::personal_data::SubjectId;
use kernel::tracking::TrackingCode;
use kernel::{AccessChannel, ActorId, OrganisationId};
use rand::RngCore;
use rand::rngs::OsRng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::{Reader, reveal};
use crate::api::json::ApiJson;
use crate::api::paging::{PageQuery, PageView, query};
use crate::auth::Acting;
use crate::auth::principal::RequestContext;
use crate::error::{ApiError, Problem};
use crate::startup::AppState;

/// A new file, as its author or the registering office describes it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FileBody {
    /// `petition`, `guidance_request`, `suggestion` or `notification`.
    #[schema(value_type = String, example = "petition")]
    pub kind: FileKind,
    /// A notification's urgency: `low`, `normal`, `high`, `life_threatening` (required for
    /// notifications, refused otherwise).
    #[schema(value_type = Option<String>)]
    pub urgency: Option<Urgency>,
    /// The organisation that studies it: a Citizen Relations Office for petitions and
    /// guidance requests, the Central Bureau for suggestions and notifications.
    #[schema(value_type = String, format = Uuid)]
    pub handled_by: OrganisationId,
    /// Who the author is and how to reach them (`person`: `natural` or `legal`, `name`,
    /// `national_id`, `email`, `phone`, `postal_address`).
    #[schema(value_type = Object)]
    pub author: AuthorDetails,
    /// Title.
    pub title: String,
    /// Body.
    pub body: String,
    /// Where (`coordinates` {`latitude`, `longitude`}, `address`); required for
    /// notifications (art. 10).
    #[schema(value_type = Option<Object>)]
    pub location: Option<Location>,
    /// Photos and documents uploaded first (`sha256`, `media_type`, `size_bytes`).
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub attachments: Vec<AttachmentRef>,
}

/// A file brought to an office.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistrationBody {
    /// The file.
    pub file: FileBody,
    /// How it came: `counter`, `mail`, `phone`, `fax` or `email`.
    #[schema(value_type = String, example = "counter")]
    pub channel: Channel,
    /// When it reached the administration (an e-mail's arrival); now if absent.
    pub received_at: Option<DateTime<Utc>>,
    /// The author's platform account, when they have one.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub account: Option<ActorId>,
}

/// The receipt: what the author needs to follow the file. The secret is shown once.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceiptView {
    /// The file's identifier.
    #[schema(value_type = String, format = Uuid)]
    pub file: FileId,
    /// The tracking code printed on the receipt.
    #[schema(value_type = String, example = "7K3M-Q9TX-2B4RZ")]
    pub tracking_code: String,
    /// The secret that, with the code, reads the file without an account. Never shown
    /// again.
    pub secret: String,
}

fn kind_details(body: &FileBody) -> Result<KindDetails, ApiError> {
    match (body.kind, body.urgency) {
        (FileKind::Notification, Some(urgency)) => Ok(KindDetails::Notification { urgency }),
        (FileKind::Notification, None) => Err(ApiError::invalid(
            "urgency",
            "urgency_required",
            "a notification says how urgent it is",
        )),
        (_, Some(_)) => Err(ApiError::invalid(
            "urgency",
            "urgency_not_applicable",
            "only notifications carry an urgency",
        )),
        (FileKind::Petition, None) => Ok(KindDetails::Petition),
        (FileKind::GuidanceRequest, None) => Ok(KindDetails::GuidanceRequest),
        (FileKind::Suggestion, None) => Ok(KindDetails::Suggestion),
    }
}

/// Every attachment must have been uploaded: a command references only what exists.
pub(super) async fn check_attachments(
    state: &AppState,
    attachments: &[AttachmentRef],
) -> Result<(), ApiError> {
    for (index, attachment) in attachments.iter().enumerate() {
        let hash = attachment.sha256.to_ascii_lowercase();
        if !crate::api::attachments::exists(state, &hash).await? {
            return Err(ApiError::invalid(
                format!("attachments[{index}]"),
                "unknown_attachment",
                "upload the attachment first",
            ));
        }
    }
    Ok(())
}

/// Links the attachments to the file, so that its readers may download them.
pub(super) async fn link_attachments(
    state: &AppState,
    file: FileId,
    attachments: &[AttachmentRef],
) -> Result<(), ApiError> {
    for attachment in attachments {
        crate::api::attachments::link(
            state,
            &attachment.sha256.to_ascii_lowercase(),
            "CitizenFile",
            &file.to_string(),
        )
        .await?;
    }
    Ok(())
}

fn new_file(body: FileBody, subject: SubjectId) -> Result<NewFile, ApiError> {
    let kind = kind_details(&body)?;
    Ok(NewFile {
        file: FileId::new_v7(),
        tracking_code: TrackingCode::generate(&mut OsRng),
        handled_by: body.handled_by,
        subject,
        author: body.author,
        kind,
        title: body.title,
        body: body.body,
        location: body.location,
        attachments: body.attachments,
    })
}

fn digest(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

/// Stores the hash of a fresh secret for `code` and returns the secret.
async fn issue_secret(
    state: &AppState,
    file: FileId,
    code: &TrackingCode,
) -> Result<String, ApiError> {
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    let secret = URL_SAFE_NO_PAD.encode(bytes);
    sqlx::query(
        "INSERT INTO tracking_secrets (tracking_code, file_id, secret_hash, created_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(code.as_str())
    .bind(file.to_string())
    .bind(hex::encode(digest(&secret)))
    .bind(state.clock.now().timestamp_millis())
    .execute(state.store.any_pool())
    .await?;
    Ok(secret)
}

/// Equality of two digests in time independent of where they differ.
fn same_digest(a: &[u8; 32], b: &[u8; 32]) -> bool {
    a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

/// The file whose tracking code is `code` if `secret` is its secret; `None` for an unknown
/// code and for a wrong secret alike.
pub(super) async fn verify_secret(
    state: &AppState,
    code: &str,
    secret: &str,
) -> Result<Option<(FileId, TrackingCode)>, ApiError> {
    let Ok(code) = TrackingCode::parse(code) else {
        return Ok(None);
    };
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT file_id, secret_hash FROM tracking_secrets WHERE tracking_code = $1",
    )
    .bind(code.as_str())
    .fetch_optional(state.store.any_pool())
    .await?;
    let given = digest(secret);
    // An unknown code is compared against a dummy digest, so both paths cost the same.
    let (file, stored) = match row {
        Some((file, stored)) => (Some(file), stored),
        None => (None, hex::encode([0u8; 32])),
    };
    let mut expected = [0u8; 32];
    let decoded = hex::decode_to_slice(&stored, &mut expected).is_ok();
    if !(same_digest(&given, &expected) && decoded) {
        return Ok(None);
    }
    Ok(file
        .and_then(|f| f.parse::<FileId>().ok())
        .map(|f| (f, code)))
}

fn created(receipt: ReceiptView) -> Response {
    crate::api::created(format!("/api/v1/files/{}", receipt.file), receipt)
}

/// Submits a file online (art. 2): the receipt, with its tracking code and secret, is
/// immediate (decree 93-982 art. 7).
#[utoipa::path(
    post, path = "/files", tag = "citizen-files",
    request_body = FileBody,
    responses(
        (status = 201, description = "Received; `Location` names the file", body = ReceiptView),
        (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem),
        (status = 422, description = "A field breaks a rule (named in `field`)", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn submit(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    ApiJson(body): ApiJson<FileBody>,
) -> Result<Response, ApiError> {
    let receipt = receive(&state, &acting, &context, body, AccessChannel::Api).await?;
    Ok(created(receipt))
}

/// Submits `body` as the signed-in citizen `acting` through `channel`: the receipt, with
/// the secret issued for it.
pub(crate) async fn receive(
    state: &AppState,
    acting: &Acting,
    context: &RequestContext,
    body: FileBody,
    channel: AccessChannel,
) -> Result<ReceiptView, ApiError> {
    check_attachments(state, &body.attachments).await?;
    let file = new_file(body, acting.principal.account.subject)?;
    let (id, code, attachments) = (
        file.file,
        file.tracking_code.clone(),
        file.attachments.clone(),
    );
    let command = CitizenFileCommand::SubmitFile {
        actor: acting.actor,
        file,
    };
    crate::api::execute(
        state,
        &state.domains.files,
        &id.to_string(),
        command,
        acting,
        context,
        channel,
    )
    .await?;
    issue_receipt(state, id, code, &attachments).await
}

async fn issue_receipt(
    state: &AppState,
    id: FileId,
    code: TrackingCode,
    attachments: &[AttachmentRef],
) -> Result<ReceiptView, ApiError> {
    link_attachments(state, id, attachments).await?;
    let secret = issue_secret(state, id, &code).await?;
    Ok(ReceiptView {
        file: id,
        tracking_code: code.to_string(),
        secret,
    })
}

/// Registers a file an office received by counter, mail, phone, fax or e-mail, on behalf of
/// its author (who may have no account). Suggestions and notifications registered at an
/// office go to the Central Bureau (art. 9, 10).
#[utoipa::path(
    post, path = "/files/registrations", tag = "citizen-files",
    request_body = RegistrationBody,
    responses(
        (status = 201, description = "Received; `Location` names the file", body = ReceiptView),
        (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem),
        (status = 422, description = "A field breaks a rule (named in `field`)", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn register(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    ApiJson(body): ApiJson<RegistrationBody>,
) -> Result<Response, ApiError> {
    registration(&state, &acting, &context, body)
        .await
        .map_err(|error| match error {
            // The file's own fields are nested under `file` in this body.
            ApiError::Validation {
                field: Some(field),
                code,
                detail,
            } if !["channel", "received_at", "account"].contains(&field.as_str()) => {
                ApiError::Validation {
                    field: Some(format!("file.{field}")),
                    code,
                    detail,
                }
            }
            // Registering for an organisation one does not work for is a wrong field here,
            // not a hidden file.
            ApiError::NotFound => ApiError::invalid(
                "file.handled_by",
                "not_your_organisation",
                "register files for the organisation you act for (or the Central Bureau)",
            ),
            other => other,
        })
}

async fn registration(
    state: &AppState,
    acting: &Acting,
    context: &RequestContext,
    body: RegistrationBody,
) -> Result<Response, ApiError> {
    check_attachments(state, &body.file.attachments).await?;
    // The author's own account keeps their data under their subject; otherwise the file
    // opens a subject of its own.
    let subject = match body.account {
        Some(account) => match state.identity.account(account).await {
            Ok(found) if found.kind == kernel::ActorKind::Citizen => found.subject,
            Ok(_) | Err(crate::auth::IdentityError::NotFound) => {
                return Err(ApiError::invalid(
                    "account",
                    "unknown_account",
                    "no citizen account has this identifier",
                ));
            }
            Err(other) => return Err(other.into()),
        },
        None => SubjectId::new_v7(),
    };
    let file = new_file(body.file, subject)?;
    let (id, code, attachments) = (
        file.file,
        file.tracking_code.clone(),
        file.attachments.clone(),
    );
    let command = CitizenFileCommand::RegisterFile {
        actor: acting.actor,
        file,
        channel: body.channel,
        received_at: body.received_at.unwrap_or_else(|| state.clock.now()),
        account: body.account,
    };
    crate::api::execute(
        state,
        &state.domains.files,
        &id.to_string(),
        command,
        acting,
        context,
        AccessChannel::Api,
    )
    .await?;
    Ok(created(issue_receipt(state, id, code, &attachments).await?))
}

/// A page of a list.
/// The files of the signed-in citizen: written by them, or followed after a merge; the most
/// recently received first.
#[utoipa::path(
    get, path = "/files", tag = "citizen-files",
    params(PageQuery),
    responses(
        (status = 200, description = "Rows `{file, relation}`", body = PageView),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn my_files(
    State(state): State<AppState>,
    acting: Acting,
    page: Result<Query<PageQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<PageView>, ApiError> {
    let page = query(page)?.page();
    let rows =
        projections::citizen_file::files_of_author(state.store.any_pool(), acting.actor.id, page)
            .await
            .map_err(|e| ApiError::internal("files of an author", &e))?;
    Ok(Json(PageView::of(rows)?))
}

/// A tracking code and its secret.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrackingBody {
    /// The code on the receipt (case, spaces and hyphens do not matter).
    pub tracking_code: String,
    /// The secret given with it.
    pub secret: String,
}

/// A file as its tracking code's holder reads it.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrackedFile {
    /// Where it stands (`status`, `reply_due_at`, `answered_at`...).
    #[schema(value_type = Object)]
    pub file: serde_json::Value,
    /// Its course as the author sees it, the signed answer included, opened.
    #[schema(value_type = Vec<Object>)]
    pub timeline: serde_json::Value,
}

/// Reads a file's status and answer with its tracking code and secret, without an account.
/// A wrong secret answers like an unknown code.
#[utoipa::path(
    post, path = "/tracking", tag = "citizen-files",
    request_body = TrackingBody,
    responses(
        (status = 200, body = TrackedFile),
        (status = 400, body = Problem),
        (status = 404, description = "Unknown code, or wrong secret", body = Problem),
        (status = 422, body = Problem),
    )
)]
pub async fn track(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<TrackingBody>,
) -> Result<Json<TrackedFile>, ApiError> {
    let (file, code) = verify_secret(&state, &body.tracking_code, &body.secret)
        .await?
        .ok_or(ApiError::NotFound)?;
    let pool = state.store.any_pool();
    let summary = projections::citizen_file::file_by_tracking_code(pool, &code)
        .await
        .map_err(|e| ApiError::internal("file by tracking code", &e))?
        .ok_or(ApiError::NotFound)?;
    let detail = super::load(&state, file).await?.ok_or(ApiError::NotFound)?;
    let timeline = projections::citizen_file::timeline(pool, file)
        .await
        .map_err(|e| ApiError::internal("timeline", &e))?;
    let reader = Reader::Author(detail.author.subject);
    Ok(Json(TrackedFile {
        file: reveal(&state, &summary, reader).await?,
        timeline: reveal(&state, &timeline, reader).await?,
    }))
}
