//! The gateway's error type: every failure a client can see, as RFC 9457 problem details.
//!
//! Each variant documents its status. Internal failures are logged with their context where
//! they happen (see [`ApiError::internal`]) and reach the client only as a generic problem
//! pointing at the request id, never with their text.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An RFC 9457 problem details document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
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
    /// The request field at fault (validation problems).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// A stable code of the business rule that refused the request (`wrong_state`,
    /// `not_referred_to_your_structure`...), for clients and translations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Whether repeating the same request later may succeed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry: Option<bool>,
}

/// What a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the request cannot be understood (malformed JSON, bad header, bad token).
    #[error("bad request: {detail}")]
    BadRequest {
        /// What is wrong.
        detail: String,
    },
    /// 422: well-formed but invalid (a field breaks a rule).
    #[error("invalid: {detail}")]
    Validation {
        /// The field at fault, when one is.
        field: Option<String>,
        /// The rule's code.
        code: String,
        /// What is wrong.
        detail: String,
    },
    /// 401: no valid session or token.
    #[error("authentication required")]
    Unauthenticated,
    /// 403: authenticated, but not allowed to do this.
    #[error("forbidden: {detail}")]
    Forbidden {
        /// Why.
        detail: String,
    },
    /// 403: the routing table does not admit the caller's role on this route (code
    /// `role_not_allowed`).
    #[error("role not allowed")]
    RoleNotAllowed,
    /// 404: no such resource or route (also what is hidden from the caller).
    #[error("not found")]
    NotFound,
    /// 405: the route exists, not with this method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// 409: the resource is not in a state that allows this.
    #[error("conflict: {detail}")]
    Conflict {
        /// The rule's code.
        code: String,
        /// Why.
        detail: String,
    },
    /// 409: someone changed the resource at the same moment; retrying may succeed.
    #[error("concurrent change")]
    ConcurrencyConflict,
    /// 413: the body or an attachment is too large.
    #[error("payload too large: {detail}")]
    PayloadTooLarge {
        /// The limit.
        detail: String,
    },
    /// 415: the content type is not accepted.
    #[error("unsupported media type: {detail}")]
    UnsupportedMediaType {
        /// What is accepted.
        detail: String,
    },
    /// 429: too many requests (or too many failed logins); retry after the given seconds.
    #[error("too many requests")]
    TooManyRequests {
        /// Seconds to wait.
        retry_after_seconds: u64,
    },
    /// 503: the store cannot be reached; the client may retry later.
    #[error("service unavailable")]
    Unavailable,
    /// 503: the signing service (the signatories' keys, the certification authority's
    /// revocation list) cannot be reached; the signatory may retry later.
    #[error("signing service unavailable")]
    SigningUnavailable,
    /// 500: a failure of ours, already logged with its context.
    #[error("internal error")]
    Internal,
}

impl ApiError {
    /// Logs `error` with its context and returns the generic 500 (the client never sees
    /// the text), or 503 when what failed underneath is the database being out of reach (a
    /// read model's query as much as the store's).
    pub fn internal(context: &str, error: &(dyn std::error::Error + 'static)) -> Self {
        let mut cause = Some(error);
        while let Some(current) = cause {
            if let Some(database) = current.downcast_ref::<sqlx::Error>()
                && database_unavailable(database)
            {
                tracing::warn!(%error, "{context}: database unavailable");
                return Self::Unavailable;
            }
            cause = current.source();
        }
        tracing::error!(%error, "{context}");
        Self::Internal
    }

    /// Logs a broken expectation of ours and returns the generic 500.
    pub fn bug(context: &str, what: &str) -> Self {
        tracing::error!(what, "{context}");
        Self::Internal
    }

    /// A 422 on `field`.
    pub fn invalid(
        field: impl Into<String>,
        code: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        Self::Validation {
            field: Some(field.into()),
            code: code.into(),
            detail: detail.into(),
        }
    }

    /// A 422 on `field`, explained by the domain's `error`.
    pub fn rejected(field: &str, code: &str, error: &impl std::fmt::Display) -> Self {
        Self::invalid(field, code, error.to_string())
    }

    /// A 409 with the rule's `code`, explained by the domain's `error`.
    pub fn conflict(code: &str, error: &impl std::fmt::Display) -> Self {
        Self::Conflict {
            code: code.into(),
            detail: error.to_string(),
        }
    }

    /// A 403 explained by the domain's `error`.
    pub fn forbidden(error: &impl std::fmt::Display) -> Self {
        Self::Forbidden {
            detail: error.to_string(),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unauthenticated => StatusCode::UNAUTHORIZED,
            Self::Forbidden { .. } | Self::RoleNotAllowed => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict { .. } | Self::ConcurrencyConflict => StatusCode::CONFLICT,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable | Self::SigningUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The problem document.
    pub fn problem(&self) -> Problem {
        let status = self.status();
        let mut problem = Problem {
            kind: "about:blank".into(),
            title: status.canonical_reason().unwrap_or("Error").into(),
            status: status.as_u16(),
            detail: None,
            field: None,
            code: None,
            retry: None,
        };
        match self {
            Self::BadRequest { detail }
            | Self::Forbidden { detail }
            | Self::PayloadTooLarge { detail }
            | Self::UnsupportedMediaType { detail } => problem.detail = Some(detail.clone()),
            Self::Validation {
                field,
                code,
                detail,
            } => {
                problem.kind = "/problems/validation".into();
                problem.field.clone_from(field);
                problem.code = Some(code.clone());
                problem.detail = Some(detail.clone());
            }
            Self::Conflict { code, detail } => {
                problem.kind = "/problems/wrong-state".into();
                problem.code = Some(code.clone());
                problem.detail = Some(detail.clone());
            }
            Self::RoleNotAllowed => {
                problem.code = Some("role_not_allowed".into());
                problem.detail = Some("your role does not allow this".into());
            }
            Self::ConcurrencyConflict => {
                problem.kind = "/problems/concurrent-change".into();
                problem.detail = Some(
                    "The resource changed while this request was handled: read it again and retry."
                        .into(),
                );
                problem.retry = Some(true);
            }
            Self::TooManyRequests {
                retry_after_seconds,
            } => {
                problem.detail = Some(format!("Try again in {retry_after_seconds} seconds."));
                problem.retry = Some(true);
            }
            Self::Unavailable => {
                problem.kind = "/problems/unavailable".into();
                problem.detail =
                    Some("The service cannot reach its database; try again in a moment.".into());
                problem.retry = Some(true);
            }
            Self::SigningUnavailable => {
                problem.kind = "/problems/signing-unavailable".into();
                problem.detail = Some(
                    "The signing service cannot be reached; nothing was signed, try again later."
                        .into(),
                );
                problem.retry = Some(true);
            }
            Self::Internal => {
                problem.detail = Some(
                    "An internal error occurred; quote the x-request-id header to support.".into(),
                );
            }
            Self::Unauthenticated | Self::NotFound | Self::MethodNotAllowed => {}
        }
        problem
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status(), Json(self.problem())).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        match self {
            Self::Unavailable => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            }
            Self::SigningUnavailable => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
            }
            Self::TooManyRequests {
                retry_after_seconds,
            } => {
                if let Ok(value) = HeaderValue::from_str(&retry_after_seconds.to_string()) {
                    headers.insert(header::RETRY_AFTER, value);
                }
            }
            Self::Unauthenticated => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            _ => {}
        }
        response
    }
}

/// Whether `error` says the database cannot be reached now (down, restarting, refusing
/// connections, out of connections) rather than that a query is wrong: a client may retry.
fn database_unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        // SQLSTATE classes 08 (connection exception), 53 (insufficient resources) and 57
        // (operator intervention: shutting down, starting up, connection terminated).
        sqlx::Error::Database(database) => database.code().is_some_and(|code| {
            ["08", "53", "57"]
                .iter()
                .any(|class| code.starts_with(class))
        }),
        _ => false,
    }
}

impl From<event_store::StoreError> for ApiError {
    fn from(error: event_store::StoreError) -> Self {
        Self::internal("store failure", &error)
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        event_store::StoreError::Database(error).into()
    }
}

impl From<crate::auth::IdentityError> for ApiError {
    fn from(error: crate::auth::IdentityError) -> Self {
        match error {
            crate::auth::IdentityError::Database(e) => e.into(),
            crate::auth::IdentityError::NotFound => Self::NotFound,
            other => Self::internal("identity store", &other),
        }
    }
}

/// How a domain's business error reads over HTTP: its status class and stable code.
pub trait DomainProblem: std::error::Error {
    /// The problem for this error.
    fn to_api_error(&self) -> ApiError;
}

impl<E: DomainProblem> From<cqrs_es::AggregateError<E>> for ApiError {
    fn from(error: cqrs_es::AggregateError<E>) -> Self {
        match error {
            cqrs_es::AggregateError::UserError(e) => e.to_api_error(),
            cqrs_es::AggregateError::AggregateConflict => Self::ConcurrencyConflict,
            cqrs_es::AggregateError::DatabaseConnectionError(e) => {
                tracing::warn!(error = %e, "store unavailable");
                Self::Unavailable
            }
            cqrs_es::AggregateError::DeserializationError(e) => {
                Self::internal("stored event unreadable", e.as_ref())
            }
            cqrs_es::AggregateError::UnexpectedError(e) => {
                Self::internal("store failure", e.as_ref())
            }
        }
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

    #[test]
    fn validation_names_the_field_and_concurrency_advises_a_retry() {
        let problem = ApiError::invalid("title", "too_long", "at most 200 characters").problem();
        assert_eq!(problem.status, 422);
        assert_eq!(problem.field.as_deref(), Some("title"));
        let problem = ApiError::ConcurrencyConflict.problem();
        assert_eq!((problem.status, problem.retry), (409, Some(true)));
        let limited = ApiError::TooManyRequests {
            retry_after_seconds: 30,
        }
        .into_response();
        assert_eq!(limited.headers()[header::RETRY_AFTER], "30");
    }
}
