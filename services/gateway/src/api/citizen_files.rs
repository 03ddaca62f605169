//! Routes of this context (being written).

use utoipa_axum::router::OpenApiRouter;

use super::access::RouteAccess;
use crate::startup::AppState;

/// Who may call this context's routes.
pub const ACCESS: &[RouteAccess] = &[];

/// This context's routes, mounted under `/api/v1`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}

/// Whether `acting` may read citizen file `file` (its author, the organisations handling it
/// or referred it, auditors). Until this context's routes exist, nobody.
pub async fn can_read_file(
    _state: &AppState,
    _acting: &crate::auth::Acting,
    _file: &str,
) -> Result<bool, crate::error::ApiError> {
    Ok(false)
}
