//! Health, metrics, request ids and problem details, on both backends.

#![allow(clippy::unwrap_used)]

use e2e::{Backend, spawn_app};

async fn health_reports_the_store_and_projections(backend: Backend, name: &str) {
    let app = spawn_app(backend).await;
    let response = app.get("/health").await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["store"]["backend"], name);
    assert_eq!(body["store"]["reachable"], true);
    let names: Vec<&str> = body["projections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"obligations"), "{names:?}");
    assert!(names.contains(&"notifications.authors"), "{names:?}");
    app.stop().await;
}

#[tokio::test]
async fn health_on_sqlite() {
    health_reports_the_store_and_projections(Backend::Sqlite, "sqlite").await;
}

#[tokio::test]
async fn health_on_postgres() {
    health_reports_the_store_and_projections(Backend::Postgres, "postgres").await;
}

#[tokio::test]
async fn an_unknown_route_is_a_404_problem_document() {
    let app = spawn_app(Backend::Sqlite).await;
    let response = app.get("/no/such/thing").await;
    assert_eq!(response.status(), 404);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let problem: serde_json::Value = response.json().await.unwrap();
    assert_eq!(problem["status"], 404);
    assert_eq!(problem["title"], "Not Found");
    assert_eq!(problem["type"], "about:blank");
    app.stop().await;
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_a_given_one_is_kept() {
    let app = spawn_app(Backend::Sqlite).await;
    let generated = app.get("/health").await;
    let id = generated.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let given = app
        .client
        .get(format!("{}/health", app.address))
        .header("x-request-id", "caller-chosen-42")
        .send()
        .await
        .unwrap();
    assert_eq!(given.headers()["x-request-id"], "caller-chosen-42");
    app.stop().await;
}

#[tokio::test]
async fn metrics_count_requests_by_route_template() {
    let app = spawn_app(Backend::Sqlite).await;
    app.get("/health").await;
    app.get("/nowhere/123").await;
    let response = app.get("/metrics").await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert!(text.contains("http_requests_total"), "{text}");
    assert!(text.contains("route=\"/health\""), "{text}");
    assert!(text.contains("route=\"unmatched\""), "{text}");
    assert!(
        !text.contains("/nowhere/123"),
        "raw paths must not become labels"
    );
    app.stop().await;
}

#[tokio::test]
async fn health_answers_503_when_the_database_refuses_connections_and_recovers() {
    let app = spawn_app(Backend::Postgres).await;
    let database = app.store_url.rsplit('/').next().unwrap().to_owned();
    let admin = test_support::postgres_server().await;
    let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&admin)
        .await
        .unwrap();
    let allow =
        |allowed: bool| format!("ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS {allowed}");
    sqlx::raw_sql(&allow(false))
        .execute(&mut admin)
        .await
        .unwrap();
    sqlx::raw_sql(&format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'"
    ))
    .execute(&mut admin)
    .await
    .unwrap();

    let response = app.get("/health").await;
    assert_eq!(response.status(), 503);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "unavailable");
    assert_eq!(body["store"]["reachable"], false);

    sqlx::raw_sql(&allow(true))
        .execute(&mut admin)
        .await
        .unwrap();
    let mut recovered = false;
    for _ in 0..50 {
        if app.get("/health").await.status() == 200 {
            recovered = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(recovered, "the gateway did not recover by itself");
    app.stop().await;
}
