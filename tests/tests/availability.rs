//! PostgreSQL restarted under the gateway (issue 11): while the server is down every call
//! answers 503 with the retry advice (never a 500, never a hang), `/health` says so, and once
//! the server is back the gateway serves again by itself, commands included, with nothing
//! acknowledged lost.

#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use e2e::{Backend, TestApp, spawn_unthrottled_with};
use kernel::{ActorKind, OrganisationKind, Role};
use serde_json::json;
use sqlx::{Connection, Executor};

fn petition(office: kernel::OrganisationId) -> serde_json::Value {
    json!({
        "kind": "petition",
        "handled_by": office,
        "author": {"person": "natural", "name": "Rim Saidi", "email": "rim@example.tn"},
        "title": "Bornes-fontaines",
        "body": "La borne-fontaine du quartier fuit depuis un mois.",
    })
}

async fn status_of(app: &TestApp, path: &str, token: &str) -> u16 {
    app.get_json(path, token).await.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_gateway_answers_503_while_postgresql_restarts_and_recovers_by_itself() {
    let cluster = tokio::task::spawn_blocking(test_support::OwnPostgres::start)
        .await
        .unwrap();
    let mut admin = sqlx::PgConnection::connect(cluster.url()).await.unwrap();
    admin.execute("CREATE DATABASE restarted").await.unwrap();
    admin.close().await.unwrap();
    let url = format!("{}/restarted", cluster.url().rsplit_once('/').unwrap().0);
    let app = spawn_unthrottled_with(Backend::Postgres, |s| {
        s.store.url = url.clone();
        s.store.acquire_timeout_seconds = 1;
    })
    .await;
    let ministry = app.organisation(OrganisationKind::Ministry, None).await;
    let office = app
        .organisation(OrganisationKind::CitizenRelationsOffice, Some(ministry))
        .await;
    let citizen = app
        .account_with(ActorKind::Citizen, "rim@example.tn", &[])
        .await;
    let _agent = app
        .agent("agent@office.tn", Role::OfficeAgent, office)
        .await;
    assert_eq!(
        app.post_json("/api/v1/files", &citizen, &petition(office))
            .await
            .0,
        201
    );

    // The server goes down: clear, retryable 503s, quickly.
    let cluster = std::sync::Arc::new(cluster);
    let stopping = cluster.clone();
    tokio::task::spawn_blocking(move || stopping.stop())
        .await
        .unwrap();
    let started = Instant::now();
    let (status, problem) = app.get_json("/api/v1/files", &citizen).await;
    assert_eq!(status, 503, "{problem}");
    assert_eq!(problem["type"], "/problems/unavailable");
    assert_eq!(problem["retry"], true);
    let (status, problem) = app
        .post_json("/api/v1/files", &citizen, &petition(office))
        .await;
    assert_eq!(status, 503, "{problem}");
    assert_eq!(status_of(&app, "/health", "").await, 503);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );

    // Back up: the gateway recovers on its own.
    let resuming = cluster.clone();
    tokio::task::spawn_blocking(move || resuming.resume())
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while status_of(&app, "/api/v1/files", &citizen).await != 200
        || status_of(&app, "/health", "").await != 200
    {
        assert!(Instant::now() < deadline, "the gateway did not recover");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(
        app.post_json("/api/v1/files", &citizen, &petition(office))
            .await
            .0,
        201
    );
    app.settle().await;
    let (_, mine) = app.get_json("/api/v1/files", &citizen).await;
    assert_eq!(mine["total"], 2, "{mine}");
    app.stop().await;
}
