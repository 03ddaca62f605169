//! Routes of the forum (being written).

use utoipa_axum::router::OpenApiRouter;

use super::access::RouteAccess;
use crate::startup::AppState;

/// Who may call this context's routes.
pub const ACCESS: &[RouteAccess] = &[];

/// This context's routes, mounted under `/api/v1`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
