//! The JSON API under `/api/v1`, grouped by bounded context, documented as OpenAPI 3.1
//! (`/api/v1/openapi.json`, and an interactive page at `/api/v1/docs`).
//!
//! Handlers only translate requests into commands and queries. Commands go through
//! [`execute`], which records the request in the event's metadata (actor, role,
//! organisation, channel, request and correlation ids, client) and maps every failure to a
//! problem document.

pub mod access;
pub mod attachments;
pub mod citizen_files;
pub mod forum;
pub mod idempotency;
pub mod json;
pub mod limits;
pub mod local_democracy;
pub mod open311;
pub mod paging;
pub mod personal_data;
pub mod transparency;
pub mod visibility;
pub mod watcher;

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::routing::get;
use cqrs_es::Aggregate;
use event_store::Cqrs;
use kernel::AccessChannel;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_scalar::{Scalar, Servable};

use self::access::{Audience, RouteAccess};
use crate::auth::Acting;
use crate::auth::principal::RequestContext;
use crate::error::{ApiError, DomainProblem};
use crate::startup::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "e-Moatinet API",
        version = "1",
        description = "Citizen files (decree 2019-1242), local registers (decree 2019-401) and \
                       Citizen Watcher inspections. Errors are RFC 9457 problem details. Agents \
                       holding several roles name the one they act under in `X-Acting-As: \
                       <role>@<organisation id>`."
    ),
    tags(
        (name = "accounts", description = "Accounts, sessions, roles"),
        (name = "attachments", description = "Photos and documents, by content hash"),
        (name = "citizen-files", description = "Petitions, guidance requests, suggestions, notifications (decree 2019-1242)"),
        (name = "forum", description = "The forum (decree 2019-1242 art. 11)"),
        (name = "civil-society", description = "The civil-society register (decree 2019-401 ch. 1)"),
        (name = "opinions", description = "The register of opinions and questions (decree 2019-401 ch. 2)"),
        (name = "watcher", description = "Citizen Watcher inspections"),
        (name = "open311", description = "Open311 GeoReport v2 for notifications"),
        (name = "signatures", description = "Verifying signed answers and the log's signed tree heads (ADR 0008)"),
    ),
    modifiers(&SecuritySchemes)
)]
struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::auth::principal::SESSION_COOKIE,
            ))),
        );
    }
}

/// The documentation routes, open to anyone.
const DOCS: &[RouteAccess] = &[
    RouteAccess {
        method: "GET",
        path: "/api/v1/openapi.json",
        audience: Audience::Anyone,
    },
    RouteAccess {
        method: "GET",
        path: "/api/v1/docs",
        audience: Audience::Anyone,
    },
];

/// Every route's audience: the platform's, the documentation's, and each context's.
pub fn routes_table() -> Arc<Vec<RouteAccess>> {
    Arc::new(
        [
            access::PLATFORM,
            DOCS,
            crate::auth::routes::ACCESS,
            personal_data::ACCESS,
            attachments::ACCESS,
            citizen_files::ACCESS,
            forum::ACCESS,
            open311::ACCESS,
            local_democracy::ACCESS,
            watcher::ACCESS,
            transparency::ACCESS,
        ]
        .concat(),
    )
}

/// The API router and its OpenAPI document.
pub fn router(settings: &crate::config::Settings) -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let api = crate::auth::routes::router()
        .merge(personal_data::router())
        .merge(attachments::router(&settings.attachments))
        .merge(citizen_files::router())
        .merge(forum::router())
        .merge(local_democracy::router())
        .merge(watcher::router())
        .merge(transparency::router());
    let (router, openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", api)
        .nest("/open311/v2", open311::router())
        .split_for_parts();
    let document = openapi.clone();
    let router = router
        .route(
            "/api/v1/openapi.json",
            get(move || async move { Json(document) }),
        )
        .merge(Scalar::with_url("/api/v1/docs", openapi.clone()));
    (router, openapi)
}

/// Runs `command` on aggregate `id` as `acting` through the API: 204 when accepted.
pub async fn run<A>(
    state: &AppState,
    cqrs: &Cqrs<A>,
    id: &str,
    command: A::Command,
    acting: &Acting,
    context: &RequestContext,
) -> Result<axum::http::StatusCode, ApiError>
where
    A: Aggregate + Send + Sync,
    A::Error: DomainProblem,
{
    execute(
        state,
        cqrs,
        id,
        command,
        acting,
        context,
        AccessChannel::Api,
    )
    .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// The answer to a creation: 201, `Location` naming where to read it, and `body`.
pub fn created<T: serde::Serialize>(location: String, body: T) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut response = (axum::http::StatusCode::CREATED, Json(body)).into_response();
    if let Ok(value) = axum::http::HeaderValue::from_str(&location) {
        response
            .headers_mut()
            .insert(axum::http::header::LOCATION, value);
    }
    response
}

/// Runs `command` on aggregate `id` as `acting`, recording the request in the event
/// metadata.
pub async fn execute<A>(
    state: &AppState,
    cqrs: &Cqrs<A>,
    id: &str,
    command: A::Command,
    acting: &Acting,
    context: &RequestContext,
    channel: AccessChannel,
) -> Result<(), ApiError>
where
    A: Aggregate + Send + Sync,
    A::Error: DomainProblem,
{
    execute_as(state, cqrs, id, command, &acting.actor, context, channel).await
}

/// Runs `command` on aggregate `id` as `actor`, who need not hold an account (anonymous
/// intake acts as a system actor), recording the request in the event metadata.
pub async fn execute_as<A>(
    state: &AppState,
    cqrs: &Cqrs<A>,
    id: &str,
    command: A::Command,
    actor: &kernel::Actor,
    context: &RequestContext,
    channel: AccessChannel,
) -> Result<(), ApiError>
where
    A: Aggregate + Send + Sync,
    A::Error: DomainProblem,
{
    let metadata = context.metadata(actor, channel, state.clock.now());
    cqrs.execute_with_metadata(id, command, metadata)
        .await
        .map_err(ApiError::from)
}
