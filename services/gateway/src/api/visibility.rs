//! Who may read what, for the checks the routing table cannot express: an attachment is
//! readable by whoever may read an aggregate it is linked to. Each context answers for
//! its own aggregates; an aggregate type no context claims is readable by nobody.

use crate::auth::Acting;
use crate::error::ApiError;
use crate::startup::AppState;

/// Whether `acting` may read aggregate `aggregate_id` of `aggregate_type`.
pub async fn can_read(
    state: &AppState,
    acting: &Acting,
    aggregate_type: &str,
    aggregate_id: &str,
) -> Result<bool, ApiError> {
    match aggregate_type {
        "CitizenFile" => super::citizen_files::can_read_file(state, acting, aggregate_id).await,
        _ => Ok(false),
    }
}
