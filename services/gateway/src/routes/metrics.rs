//! `GET /metrics`: Prometheus text exposition. Projection lag is measured at scrape time.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

use crate::startup::AppState;

/// The handler.
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    if let Ok(lags) = state.runner.lag(100_000).await {
        for (name, lag) in lags {
            #[allow(clippy::cast_precision_loss)]
            metrics::gauge!("projection_lag_events", "projection" => name).set(lag as f64);
        }
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
}
