//! The API's platform layers: idempotent POSTs, rate limits, attachments.

#![allow(clippy::unwrap_used)]

use e2e::{Backend, spawn_app, spawn_app_with};
use kernel::ActorKind;
use serde_json::json;

/// The smallest valid PNG (a 1x1 transparent pixel).
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

#[tokio::test]
async fn a_repeated_post_with_its_idempotency_key_creates_nothing_twice() {
    let app = spawn_app(Backend::Sqlite).await;
    let send = |body: serde_json::Value| {
        app.client
            .post(format!("{}/api/v1/auth/register", app.address))
            .header("idempotency-key", "0190f3a0-aaaa-7bbb-8ccc-123456789abc")
            .json(&body)
            .send()
    };
    let body = json!({"email": "once@example.tn", "password": "a long enough passphrase"});
    let first = send(body.clone()).await.unwrap();
    assert_eq!(first.status(), 202);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let second = send(body).await.unwrap();
    assert_eq!(second.status(), 202);
    assert_eq!(second.headers()["idempotent-replayed"], "true");
    // One confirmation link, not two.
    assert_eq!(app.emails_to("once@example.tn").await.len(), 1);

    let other = send(json!({"email": "other@example.tn", "password": "a long enough passphrase"}))
        .await
        .unwrap();
    assert_eq!(other.status(), 422);
    let short_key = app
        .client
        .post(format!("{}/api/v1/auth/register", app.address))
        .header("idempotency-key", "short")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(short_key.status(), 400);
    app.stop().await;
}

#[tokio::test]
async fn login_attempts_beyond_the_budget_get_429_with_retry_after() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.limits.sensitive_per_minute = 3).await;
    let guess = json!({"email": "x@example.tn", "password": "guess"});
    let attempt = || app.post("/api/v1/auth/login", None, &guess);
    for _ in 0..3 {
        assert_eq!(attempt().await.status(), 401);
    }
    let limited = attempt().await;
    assert_eq!(limited.status(), 429);
    assert!(limited.headers().contains_key("retry-after"));
    let problem: serde_json::Value = limited.json().await.unwrap();
    assert_eq!(problem["retry"], true);
    // Other routes keep their own, larger budget.
    assert_eq!(app.get("/health").await.status(), 200);
    app.stop().await;
}

async fn attachments_are_checked_stored_and_served_to_their_uploader(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.attachments.max_bytes = 1024).await;
    let owner = app
        .account_with(ActorKind::Citizen, "owner@example.tn", &[])
        .await;
    let stranger = app
        .account_with(ActorKind::Citizen, "stranger@example.tn", &[])
        .await;
    let upload = |token: String, content_type: &'static str, body: Vec<u8>| {
        app.client
            .post(format!("{}/api/v1/attachments", app.address))
            .bearer_auth(token)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let stored = upload(owner.clone(), "image/png", PNG.to_vec())
        .await
        .unwrap();
    assert_eq!(stored.status(), 201);
    let stored: serde_json::Value = stored.json().await.unwrap();
    assert_eq!(stored["media_type"], "image/png");
    assert_eq!(stored["size"], PNG.len());
    let hash = stored["hash"].as_str().unwrap();

    let served = app
        .get_as(&format!("/api/v1/attachments/{hash}"), &owner)
        .await;
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(served.headers()["x-content-type-options"], "nosniff");
    assert_eq!(served.bytes().await.unwrap().as_ref(), PNG);
    // Someone else learns nothing, not even that it exists.
    assert_eq!(
        app.get_as(&format!("/api/v1/attachments/{hash}"), &stranger)
            .await
            .status(),
        404
    );
    assert_eq!(
        app.get_as("/api/v1/attachments/not-a-hash", &owner)
            .await
            .status(),
        404
    );

    // A type not accepted, a content that lies about its type, too large, anonymous.
    assert_eq!(
        upload(owner.clone(), "text/plain", b"hello".to_vec())
            .await
            .unwrap()
            .status(),
        415
    );
    assert_eq!(
        upload(owner.clone(), "application/pdf", PNG.to_vec())
            .await
            .unwrap()
            .status(),
        415
    );
    assert_eq!(
        upload(owner.clone(), "image/png", vec![0; 4096])
            .await
            .unwrap()
            .status(),
        413
    );
    let anonymous = app
        .client
        .post(format!("{}/api/v1/attachments", app.address))
        .header("content-type", "image/png")
        .body(PNG.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    app.stop().await;
}

#[tokio::test]
async fn attachments_on_sqlite() {
    attachments_are_checked_stored_and_served_to_their_uploader(Backend::Sqlite).await;
}

#[tokio::test]
async fn attachments_on_postgres() {
    attachments_are_checked_stored_and_served_to_their_uploader(Backend::Postgres).await;
}
