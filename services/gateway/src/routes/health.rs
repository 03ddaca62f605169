//! `GET /health`: is the store reachable, and how far behind is each projection.
//!
//! 200 with `"status": "ok"` when the store answers and every projection runs; 200 with
//! `"degraded"` when a projection has stopped (commands still work, some read models lag);
//! 503 with `"unavailable"` when the store does not answer.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use event_store::{ProjectionState, ProjectionStatus};
use serde::Serialize;

use crate::startup::AppState;

/// Counting stops here: a lag figure must stay cheap however far behind a projection is.
const LAG_COUNT_CAP: u32 = 100_000;

#[derive(Debug, Serialize)]
struct Health {
    status: &'static str,
    store: StoreHealth,
    projections: Vec<ProjectionHealth>,
}

#[derive(Debug, Serialize)]
struct StoreHealth {
    backend: &'static str,
    reachable: bool,
}

#[derive(Debug, Serialize)]
struct ProjectionHealth {
    #[serde(flatten)]
    status: ProjectionStatus,
    /// Events still to apply, counted up to the cap; absent when the store is unreachable.
    lag: Option<u64>,
}

/// The handler.
pub async fn health(State(state): State<AppState>) -> Response {
    let reachable = match state.store.ping().await {
        Ok(()) => true,
        Err(error) => {
            tracing::warn!(%error, "health check: store unreachable");
            false
        }
    };
    let lags = if reachable {
        state
            .runner
            .lag(LAG_COUNT_CAP)
            .await
            .unwrap_or_else(|error| {
                tracing::warn!(%error, "health check: cannot measure projection lag");
                Vec::new()
            })
    } else {
        Vec::new()
    };
    let projections: Vec<ProjectionHealth> = state
        .runner
        .statuses()
        .into_iter()
        .map(|status| ProjectionHealth {
            lag: lags
                .iter()
                .find(|(name, _)| *name == status.name)
                .map(|(_, lag)| *lag),
            status,
        })
        .collect();
    let failed = projections
        .iter()
        .any(|p| matches!(p.status.state, ProjectionState::Failed { .. }));
    let (code, status) = match (reachable, failed) {
        (false, _) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
        (true, true) => (StatusCode::OK, "degraded"),
        (true, false) => (StatusCode::OK, "ok"),
    };
    let body = Health {
        status,
        store: StoreHealth {
            backend: match state.store.kind() {
                event_store::BackendKind::Postgres => "postgres",
                event_store::BackendKind::Sqlite => "sqlite",
            },
            reachable,
        },
        projections,
    };
    (code, Json(body)).into_response()
}
