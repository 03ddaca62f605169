//! Attachments (photos of a hazard, documents of an organisation): stored once by content
//! hash, referenced from events by that hash, served only to whom may see them.
//!
//! An upload is the raw body with its `Content-Type`. The type is checked against the
//! bytes themselves (magic numbers) and the configured list; the size against the
//! configured maximum. The file is written under `<directory>/<first two hex>/<sha-256>`
//! through a temporary file and a rename, so a crash never leaves half a file under a
//! valid name. Reading is for the uploader, and for whoever may read an aggregate the
//! attachment is linked to (`attachment_links`, written when a command references it).

use std::path::PathBuf;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::access::{Audience, RouteAccess};
use crate::auth::Acting;
use crate::error::{ApiError, Problem};
use crate::startup::AppState;

/// Where and what.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AttachmentSettings {
    /// Folder of the stored files.
    pub directory: PathBuf,
    /// Largest attachment, in bytes.
    pub max_bytes: usize,
    /// Accepted media types (checked against the content).
    pub media_types: Vec<String>,
}

impl Default for AttachmentSettings {
    fn default() -> Self {
        Self {
            directory: PathBuf::from("data/attachments"),
            max_bytes: 10 * 1024 * 1024,
            media_types: ["image/jpeg", "image/png", "image/webp", "application/pdf"]
                .map(str::to_owned)
                .to_vec(),
        }
    }
}

/// Who may call the attachment routes.
pub const ACCESS: &[RouteAccess] = &[
    RouteAccess {
        method: "POST",
        path: "/api/v1/attachments",
        audience: Audience::CitizenOrRoles(super::access::WRITERS),
    },
    RouteAccess {
        method: "GET",
        path: "/api/v1/attachments/{hash}",
        audience: Audience::Authenticated,
    },
];

/// The routes, mounted under `/api/v1`.
pub fn router(settings: &AttachmentSettings) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload))
        // Uploads may be larger than other bodies.
        .layer(DefaultBodyLimit::max(settings.max_bytes.saturating_add(1)))
        .routes(routes!(download))
}

/// A stored attachment, as commands reference it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StoredAttachment {
    /// SHA-256 of the content, hexadecimal.
    pub hash: String,
    /// Its media type, as checked.
    pub media_type: String,
    /// Its size in bytes.
    pub size: u64,
}

fn path_of(settings: &AttachmentSettings, hash: &str) -> PathBuf {
    settings.directory.join(&hash[..2]).join(hash)
}

fn is_hash(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// Stores an attachment.
#[utoipa::path(
    post, path = "/attachments", tag = "attachments",
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file, with its Content-Type"),
    responses(
        (status = 201, body = StoredAttachment),
        (status = 401, body = Problem),
        (status = 413, description = "Larger than allowed", body = Problem),
        (status = 415, description = "Type not accepted, or not what the content is", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
async fn upload(
    State(state): State<AppState>,
    acting: Acting,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<StoredAttachment>), ApiError> {
    let settings = &state.attachments;
    if body.len() > settings.max_bytes {
        return Err(ApiError::PayloadTooLarge {
            detail: format!("at most {} bytes", settings.max_bytes),
        });
    }
    if body.is_empty() {
        return Err(ApiError::invalid("body", "empty", "the file is empty"));
    }
    let declared = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or(v).trim().to_ascii_lowercase());
    let detected = infer::get(&body).map(|kind| kind.mime_type().to_owned());
    let accepted = settings.media_types.join(", ");
    let media_type = match (detected, declared) {
        (Some(detected), Some(declared)) if detected != declared => {
            return Err(ApiError::UnsupportedMediaType {
                detail: format!("the content is {detected}, not {declared}"),
            });
        }
        (Some(detected), _) if settings.media_types.contains(&detected) => detected,
        _ => {
            return Err(ApiError::UnsupportedMediaType {
                detail: format!("accepted: {accepted}"),
            });
        }
    };
    let hash = hex::encode(Sha256::digest(&body));
    let path = path_of(settings, &hash);
    if !path.exists() {
        let folder = path.parent().map(PathBuf::from).unwrap_or_default();
        let temporary = folder.join(format!(".{hash}.{}", uuid::Uuid::new_v4()));
        let write = async {
            tokio::fs::create_dir_all(&folder).await?;
            tokio::fs::write(&temporary, &body).await?;
            tokio::fs::rename(&temporary, &path).await
        };
        write
            .await
            .map_err(|e| ApiError::internal("storing an attachment", &e))?;
    }
    let size = body.len() as u64;
    sqlx::query(
        "INSERT INTO attachments (hash, media_type, size, uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (hash) DO NOTHING",
    )
    .bind(&hash)
    .bind(&media_type)
    .bind(i64::try_from(size).unwrap_or(i64::MAX))
    .bind(acting.actor.id.to_string())
    .bind(state.clock.now().timestamp_millis())
    .execute(state.store.any_pool())
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(StoredAttachment {
            hash,
            media_type,
            size,
        }),
    ))
}

/// Records that `aggregate` references attachment `hash` (its readers may then read it).
pub async fn link(
    state: &AppState,
    hash: &str,
    aggregate_type: &str,
    aggregate_id: &str,
) -> Result<(), ApiError> {
    sqlx::query(
        "INSERT INTO attachment_links (hash, aggregate_type, aggregate_id) VALUES ($1, $2, $3) \
         ON CONFLICT (hash, aggregate_type, aggregate_id) DO NOTHING",
    )
    .bind(hash)
    .bind(aggregate_type)
    .bind(aggregate_id)
    .execute(state.store.any_pool())
    .await?;
    Ok(())
}

/// Whether the attachment `hash` was uploaded by someone (a command may only reference
/// what exists).
pub async fn exists(state: &AppState, hash: &str) -> Result<bool, ApiError> {
    let found: Option<(String,)> = sqlx::query_as("SELECT hash FROM attachments WHERE hash = $1")
        .bind(hash)
        .fetch_optional(state.store.any_pool())
        .await?;
    Ok(found.is_some())
}

/// The reference a command carries for the uploaded attachment `hash`, if it exists.
pub async fn reference(
    state: &AppState,
    hash: &str,
) -> Result<Option<citizen_file::AttachmentRef>, ApiError> {
    let found: Option<(String, i64)> =
        sqlx::query_as("SELECT media_type, size FROM attachments WHERE hash = $1")
            .bind(hash)
            .fetch_optional(state.store.any_pool())
            .await?;
    Ok(found.map(|(media_type, size)| citizen_file::AttachmentRef {
        sha256: hash.to_owned(),
        media_type,
        size_bytes: u64::try_from(size).unwrap_or(0),
    }))
}

/// Serves an attachment to its uploader or to a reader of an aggregate it is linked to.
#[utoipa::path(
    get, path = "/attachments/{hash}", tag = "attachments",
    params(("hash" = String, Path, description = "SHA-256, hexadecimal")),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream"),
        (status = 401, body = Problem),
        (status = 404, description = "Unknown, or not for this caller", body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
async fn download(
    State(state): State<AppState>,
    acting: Acting,
    Path(hash): Path<String>,
) -> Result<Response, ApiError> {
    if !is_hash(&hash) {
        return Err(ApiError::NotFound);
    }
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT media_type, uploaded_by FROM attachments WHERE hash = $1")
            .bind(&hash)
            .fetch_optional(state.store.any_pool())
            .await?;
    let Some((media_type, uploaded_by)) = row else {
        return Err(ApiError::NotFound);
    };
    let mut allowed = uploaded_by == acting.actor.id.to_string();
    if !allowed {
        let links: Vec<(String, String)> = sqlx::query_as(
            "SELECT aggregate_type, aggregate_id FROM attachment_links WHERE hash = $1",
        )
        .bind(&hash)
        .fetch_all(state.store.any_pool())
        .await?;
        for (aggregate_type, aggregate_id) in links {
            if super::visibility::can_read(&state, &acting, &aggregate_type, &aggregate_id).await? {
                allowed = true;
                break;
            }
        }
    }
    // Someone who may not see it learns nothing, not even that it exists.
    if !allowed {
        return Err(ApiError::NotFound);
    }
    let bytes = tokio::fs::read(path_of(&state.attachments, &hash))
        .await
        .map_err(|e| ApiError::internal("reading an attachment", &e))?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&media_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600"),
    );
    Ok(response)
}
