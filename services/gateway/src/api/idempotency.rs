//! `Idempotency-Key`: a `POST` sent again with the same key gets the first answer again and
//! creates nothing twice (a citizen's phone retrying on a weak connection, a client library
//! retrying after a timeout).
//!
//! The key is scoped to the caller (its account, or its address when anonymous) and bound
//! to the request: the same key with another body is refused (422). While the first request
//! runs, a second one with its key is refused (409, retry later). Answers 2xx and 4xx are
//! kept for 24 hours and replayed with `Idempotent-Replayed: true`; a 5xx is not kept, so
//! the client's retry really runs again.

use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::auth::Acting;
use crate::error::ApiError;
use crate::startup::AppState;

/// What is kept of a key: the request's fingerprint and, once answered, the answer.
type StoredKey = (String, Option<i64>, Option<String>, Option<String>);

/// The request header.
pub const HEADER: &str = "idempotency-key";
/// Kept this long.
const RETENTION_MS: i64 = 24 * 3_600_000;

/// A key the client chose: 16 to 255 printable ASCII characters (a UUID fits; shorter
/// keys would collide between anonymous callers).
fn valid(key: &str) -> bool {
    (16..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic())
}

/// The middleware (on routes, after authorization).
pub async fn idempotent(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let Some(key) = request.headers().get(HEADER).cloned() else {
        return next.run(request).await;
    };
    match run(state, key, request, next).await {
        Ok(response) | Err(response) => response,
    }
}

async fn run(
    state: AppState,
    key: HeaderValue,
    request: Request,
    next: Next,
) -> Result<Response, Response> {
    let key = key
        .to_str()
        .ok()
        .filter(|k| valid(k))
        .ok_or_else(|| {
            ApiError::BadRequest {
                detail: "Idempotency-Key must be 16 to 255 printable ASCII characters".into(),
            }
            .into_response()
        })?
        .to_owned();
    let scope = match request.extensions().get::<Acting>() {
        Some(acting) => format!("account:{}", acting.actor.id),
        None => request
            .extensions()
            .get::<ConnectInfo<std::net::SocketAddr>>()
            .map_or_else(
                || "anonymous".to_owned(),
                |c| format!("address:{}", c.0.ip()),
            ),
    };
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, state.body_limit).await.map_err(|_| {
        ApiError::PayloadTooLarge {
            detail: "request body too large".into(),
        }
        .into_response()
    })?;
    let mut hasher = Sha256::new();
    hasher.update(parts.method.as_str());
    hasher.update(b"\0");
    hasher.update(parts.uri.path());
    hasher.update(b"\0");
    hasher.update(&bytes);
    let fingerprint = hex::encode(hasher.finalize());

    let pool = state.store.any_pool();
    let now = state.clock.now().timestamp_millis();
    let fail = |e: sqlx::Error| ApiError::from(e).into_response();
    sqlx::query("DELETE FROM idempotency_keys WHERE scope = $1 AND created_at < $2")
        .bind(&scope)
        .bind(now - RETENTION_MS)
        .execute(pool)
        .await
        .map_err(fail)?;
    let claimed = sqlx::query(
        "INSERT INTO idempotency_keys (scope, key, request_hash, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (scope, key) DO NOTHING",
    )
    .bind(&scope)
    .bind(&key)
    .bind(&fingerprint)
    .bind(now)
    .execute(pool)
    .await
    .map_err(fail)?;
    if claimed.rows_affected() == 0 {
        let stored: Option<StoredKey> = sqlx::query_as(
            "SELECT request_hash, status, content_type, body FROM idempotency_keys WHERE scope = $1 AND key = $2",
        )
        .bind(&scope)
        .bind(&key)
        .fetch_optional(pool)
        .await
        .map_err(fail)?;
        return Err(match stored {
            Some((hash, _, _, _)) if hash != fingerprint => ApiError::invalid(
                "Idempotency-Key",
                "key_reused",
                "this key was used for another request",
            )
            .into_response(),
            Some((_, Some(status), content_type, body)) => replay(status, content_type, body),
            _ => ApiError::Conflict {
                code: "in_progress".into(),
                detail: "a request with this key is still being handled; retry shortly".into(),
            }
            .into_response(),
        });
    }

    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let status = response.status();
    if status.is_server_error() {
        let _ = sqlx::query("DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2")
            .bind(&scope)
            .bind(&key)
            .execute(pool)
            .await;
        return Ok(response);
    }
    let (parts, body) = response.into_parts();
    let bytes = to_bytes(body, usize::MAX)
        .await
        .map_err(|e| ApiError::internal("buffering a response", &e).into_response())?;
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    sqlx::query(
        "UPDATE idempotency_keys SET status = $3, content_type = $4, body = $5 WHERE scope = $1 AND key = $2",
    )
    .bind(&scope)
    .bind(&key)
    .bind(i64::from(status.as_u16()))
    .bind(content_type)
    .bind(String::from_utf8_lossy(&bytes).into_owned())
    .execute(pool)
    .await
    .map_err(fail)?;
    Ok(Response::from_parts(parts, Body::from(bytes)))
}

fn replay(status: i64, content_type: Option<String>, body: Option<String>) -> Response {
    let status = u16::try_from(status)
        .ok()
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::OK);
    let mut response = (status, body.unwrap_or_default()).into_response();
    if let Some(value) = content_type.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
        .headers_mut()
        .insert("idempotent-replayed", HeaderValue::from_static("true"));
    response
}

#[cfg(test)]
mod tests {
    use super::valid;

    #[test]
    fn keys_must_be_long_enough_not_to_collide_and_printable() {
        assert!(valid("0190f3a0-aaaa-7bbb-8ccc-123456789abc"));
        assert!(!valid("short"));
        assert!(!valid("has spaces in it, sadly"));
        assert!(!valid(&"x".repeat(256)));
    }
}
