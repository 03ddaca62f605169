//! A person's rights over their data (organic law 2004-63): to know everything held about
//! them, and to have it erased.
//!
//! The access request gathers the account and every event whose payload holds a value
//! sealed under the person's key (found through the `subject_streams` index), with their
//! own values opened and anyone else's withheld. Erasure destroys the person's key in the
//! vault, which makes every copy of their data unreadable (read models, exports, replays,
//! backups of the log) without touching the log, whose hash chains still verify; and it
//! closes the account, removing the address and credentials kept beside the log.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use kernel::personal_data::{RevealScope, reveal_json};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::access::{Audience, RouteAccess};
use super::json::ApiJson;
use crate::auth::Acting;
use crate::auth::principal::RequestContext;
use crate::error::{ApiError, Problem};
use crate::startup::AppState;

/// Who may call these routes: the person themself.
pub const ACCESS: &[RouteAccess] = &[
    RouteAccess {
        method: "GET",
        path: "/api/v1/me/personal-data",
        audience: Audience::Authenticated,
    },
    RouteAccess {
        method: "POST",
        path: "/api/v1/me/erasure",
        audience: Audience::Citizen,
    },
];

/// The routes, mounted under `/api/v1`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(personal_data))
        .routes(routes!(erase))
}

/// Everything held about the caller.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonalData {
    /// The account.
    pub account: AccountData,
    /// The records holding their data, each with its events.
    pub records: Vec<Record>,
}

/// The account as stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountData {
    /// Its id (also the actor id in the log's metadata).
    pub id: String,
    /// The e-mail address.
    pub email: String,
    /// The preferred language.
    pub language: String,
}

/// One record (a citizen file, a forum topic, an entry of a register...).
#[derive(Debug, Serialize, ToSchema)]
pub struct Record {
    /// Its kind (`CitizenFile`...).
    pub record_type: String,
    /// Its id.
    pub record_id: String,
    /// Its events, oldest first.
    pub events: Vec<RecordEvent>,
}

/// One event of a record, with the person's own values opened.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordEvent {
    /// Position in the log.
    pub position: i64,
    /// What happened.
    pub event_type: String,
    /// When.
    pub recorded_at: DateTime<Utc>,
    /// The event; sealed values read `{"status": "clear", "value": ...}` when the person's,
    /// `{"status": "withheld"}` when someone else's.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

#[utoipa::path(
    get, path = "/me/personal-data", tag = "accounts",
    summary = "Everything held about me (law 2004-63, right of access)",
    responses(
        (status = 200, body = PersonalData),
        (status = 401, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
async fn personal_data(
    State(state): State<AppState>,
    acting: Acting,
) -> Result<Json<PersonalData>, ApiError> {
    let account = &acting.principal.account;
    let streams =
        projections::personal_data::streams_of_subject(state.store.any_pool(), account.subject)
            .await?;
    let log = state.store.log();
    let mut records = Vec::with_capacity(streams.len());
    for (record_type, record_id) in streams {
        let mut events = Vec::new();
        for event in log.stream(&record_type, &record_id, None).await? {
            events.push(RecordEvent {
                position: event.position,
                event_type: event.event_type,
                recorded_at: event.recorded_at,
                data: reveal_json(
                    event.payload,
                    Some(&state.cipher),
                    RevealScope::Subject(account.subject),
                )
                .await,
            });
        }
        records.push(Record {
            record_type,
            record_id,
            events,
        });
    }
    Ok(Json(PersonalData {
        account: AccountData {
            id: account.id.to_string(),
            email: account.email.clone(),
            language: account.language.clone(),
        },
        records,
    }))
}

/// The erasure request: the password again, since nothing can undo it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ErasureRequest {
    /// The account's password.
    pub password: String,
}

#[utoipa::path(
    post, path = "/me/erasure", tag = "accounts",
    summary = "Erase my data and close my account (law 2004-63); cannot be undone",
    request_body = ErasureRequest,
    responses(
        (status = 204, description = "Erased: the account is closed"),
        (status = 401, body = Problem),
        (status = 403, description = "Wrong password", body = Problem),
        (status = 422, body = Problem),
    ),
    security(("bearer" = []), ("cookie" = []))
)]
async fn erase(
    State(state): State<AppState>,
    acting: Acting,
    context: RequestContext,
    ApiJson(body): ApiJson<ErasureRequest>,
) -> Result<StatusCode, ApiError> {
    let account = &acting.principal.account;
    let confirmed = match state.identity.credentials(account.id).await? {
        Some((stored, _, _)) => crate::auth::password::verify(&body.password, &stored),
        None => false,
    };
    if !confirmed {
        return Err(ApiError::Forbidden {
            detail: "the password does not match".into(),
        });
    }
    // The key first: once it is gone the data is, whatever happens next; a failure after
    // it leaves an account to close again, never data left readable.
    state
        .cipher
        .vault()
        .erase(account.subject)
        .await
        .map_err(|e| ApiError::internal("erasing a subject key", &e))?;
    let now = state.clock.now().timestamp_millis();
    state.identity.erase_account(account, now).await?;
    state
        .identity
        .audit(
            now,
            Some(account.id),
            "erasure",
            None,
            context.request_id.as_deref(),
        )
        .await?;
    tracing::info!(account = %account.id, "personal data erased at its holder's request");
    Ok(StatusCode::NO_CONTENT)
}
