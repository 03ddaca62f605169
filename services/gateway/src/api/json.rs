//! The JSON body extractor of every route: axum's `Json`, with its rejections turned into
//! problem documents (400 malformed, 415 not JSON, 413 too large, 422 a field of the wrong
//! type or missing, named) instead of axum's plain text.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A JSON request body of type `T`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(rejection_problem(&rejection)),
        }
    }
}

fn rejection_problem(rejection: &JsonRejection) -> ApiError {
    match rejection {
        JsonRejection::JsonDataError(error) => {
            // axum reports `<path>: <serde message>`; the path names the field.
            let text = error.body_text();
            let detail = text
                .split_once("target type: ")
                .map_or(text.as_str(), |(_, rest)| rest)
                .to_owned();
            let field = detail
                .split_once(": ")
                .map(|(path, _)| path.to_owned())
                .filter(|path| !path.contains(' '));
            ApiError::Validation {
                field,
                code: "invalid_body".into(),
                detail,
            }
        }
        JsonRejection::MissingJsonContentType(_) => ApiError::UnsupportedMediaType {
            detail: "send the body as application/json".into(),
        },
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge {
            detail: "the request body is larger than allowed".into(),
        },
        other => ApiError::BadRequest {
            detail: other.body_text(),
        },
    }
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::header::CONTENT_TYPE;

    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Body1 {
        title: String,
    }

    async fn extract(content_type: Option<&str>, body: &str) -> Result<ApiJson<Body1>, ApiError> {
        let mut request = Request::builder().method("POST").uri("/");
        if let Some(content_type) = content_type {
            request = request.header(CONTENT_TYPE, content_type);
        }
        let request = request
            .body(Body::from(body.to_owned()))
            .unwrap_or_else(|e| panic!("{e}"));
        ApiJson::<Body1>::from_request(request, &()).await
    }

    #[tokio::test]
    async fn a_missing_or_mistyped_field_is_a_422_naming_it() {
        let missing = extract(Some("application/json"), "{}").await;
        assert!(
            matches!(&missing, Err(ApiError::Validation { detail, .. }) if detail.contains("title")),
            "{missing:?}"
        );
        let mistyped = extract(Some("application/json"), r#"{"title": 3}"#).await;
        assert!(
            matches!(&mistyped, Err(ApiError::Validation { field: Some(f), .. }) if f == "title"),
            "{mistyped:?}"
        );
    }

    #[tokio::test]
    async fn malformed_json_is_400_and_another_type_415() {
        let malformed = extract(Some("application/json"), "{").await;
        assert!(matches!(malformed, Err(ApiError::BadRequest { .. })));
        let text = extract(Some("text/plain"), "{}").await;
        assert!(matches!(text, Err(ApiError::UnsupportedMediaType { .. })));
        let fine = extract(Some("application/json"), r#"{"title": "x"}"#).await;
        assert_eq!(fine.ok().map(|b| b.0.title).as_deref(), Some("x"));
    }
}
