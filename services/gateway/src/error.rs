//! The gateway's error type: every failure a client can see, as RFC 9457 problem details.
//!
//! Each variant documents its status. Internal failures are logged with their context where
//! they happen and reach the client only as a generic problem with the request id, never
//! with their text.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An RFC 9457 problem details document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// A URI naming the problem type (`about:blank` when the status says it all).
    #[serde(rename = "type")]
    pub kind: String,
    /// A short, stable summary of the problem type.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What happened this time, for the person reading it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// What a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 404: no such resource or route.
    #[error("not found")]
    NotFound,
    /// 503: the store cannot be reached; the client may retry later.
    #[error("service unavailable")]
    Unavailable,
    /// 500: a failure of ours, already logged with its context.
    #[error("internal error")]
    Internal,
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn problem(&self) -> Problem {
        let status = self.status();
        let (kind, detail) = match self {
            Self::NotFound => ("about:blank", None),
            Self::Unavailable => (
                "/problems/unavailable",
                Some("The service cannot reach its database; try again in a moment.".into()),
            ),
            Self::Internal => (
                "about:blank",
                Some(
                    "An internal error occurred; quote the x-request-id header to support.".into(),
                ),
            ),
        };
        Problem {
            kind: kind.into(),
            title: status.canonical_reason().unwrap_or("Error").into(),
            status: status.as_u16(),
            detail,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status(), Json(self.problem())).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if matches!(self, Self::Unavailable) {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_carry_their_status_and_never_internal_text() {
        let problem = ApiError::Internal.problem();
        assert_eq!(problem.status, 500);
        assert_eq!(problem.title, "Internal Server Error");
        let response = ApiError::Unavailable.into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "application/problem+json"
        );
        assert_eq!(response.headers()[header::RETRY_AFTER], "5");
    }
}
