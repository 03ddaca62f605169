//! Many clients at once on the same files (issue 11): for each file, agents race to admit it
//! and to declare it inadmissible. Exactly one command per file is accepted; every other
//! answers 409 (the state forbids it, or the file changed at the same moment, with the retry
//! advice); every accepted command is in the log exactly once (by its request id) and no
//! refused one is; no file holds both decisions; and every read model equals a rebuild from
//! the log.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use e2e::{Backend, TestApp, spawn_unthrottled};
use kernel::{ActorKind, OrganisationKind, Role};
use serde_json::{Value, json};

const FILES: usize = 6;
const RACERS: usize = 8;

async fn submit(app: &TestApp, citizen: &str, office: kernel::OrganisationId) -> String {
    let (status, receipt) = app
        .post_json(
            "/api/v1/files",
            citizen,
            &json!({
                "kind": "petition",
                "handled_by": office,
                "author": {"person": "natural", "name": "Hatem Bouzid", "email": "hatem@example.tn"},
                "title": "Trottoir défoncé",
                "body": "Le trottoir devant l'école est défoncé depuis un an.",
            }),
        )
        .await;
    assert_eq!(status, 201, "{receipt}");
    receipt["file"].as_str().unwrap().to_owned()
}

/// `POST` with a request id of our own: (request id, status, problem).
async fn race(app: &TestApp, path: String, token: String, body: Value) -> (String, u16, Value) {
    let request_id = uuid::Uuid::now_v7().to_string();
    let response = app
        .client
        .post(format!("{}{path}", app.address))
        .bearer_auth(token)
        .header("x-request-id", &request_id)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (
        request_id,
        status,
        response.json().await.unwrap_or_default(),
    )
}

async fn conflicting_commands_leave_one_decision_per_file(backend: Backend) {
    let app = spawn_unthrottled(backend).await;
    let ministry = app.organisation(OrganisationKind::Ministry, None).await;
    let office = app
        .organisation(OrganisationKind::CitizenRelationsOffice, Some(ministry))
        .await;
    let citizen = app
        .account_with(ActorKind::Citizen, "hatem@example.tn", &[])
        .await;
    let mut agents = Vec::new();
    for n in 0..RACERS {
        agents.push(
            app.agent(&format!("agent{n}@office.tn"), Role::OfficeAgent, office)
                .await,
        );
    }
    let mut files = Vec::new();
    for _ in 0..FILES {
        files.push(submit(&app, &citizen, office).await);
    }
    app.settle().await;

    // Every racer fires at every file at once, half admitting, half refusing.
    let mut calls = Vec::new();
    for file in &files {
        for (n, agent) in agents.iter().enumerate() {
            let (path, body) = if n % 2 == 0 {
                (format!("/api/v1/files/{file}/admission"), json!({}))
            } else {
                (
                    format!("/api/v1/files/{file}/inadmissibility"),
                    json!({"reason": "aid_request"}),
                )
            };
            calls.push(race(&app, path, agent.clone(), body));
        }
    }
    let results = futures::future::join_all(calls).await;

    let mut accepted = Vec::new();
    for (request_id, status, problem) in &results {
        match status {
            204 => accepted.push(request_id.clone()),
            409 => {
                let concurrent = problem["type"] == "/problems/concurrent-change";
                assert!(concurrent || problem["code"] == "wrong_state", "{problem}");
                if concurrent {
                    assert_eq!(problem["retry"], true, "{problem}");
                }
            }
            other => panic!("{other}: {problem}"),
        }
    }
    assert_eq!(accepted.len(), FILES, "one accepted decision per file");

    // The log: each accepted request exactly once, no refused one, one decision per file.
    // (Read from the table: the global log shows an event only once every transaction
    // older than it ended, a moment later on PostgreSQL.)
    let events: Vec<(String, String, String)> =
        sqlx::query_as("SELECT aggregate_id, event_type, CAST(metadata AS TEXT) FROM events")
            .fetch_all(app.state.store.any_pool())
            .await
            .unwrap();
    let mut by_request: BTreeMap<String, usize> = BTreeMap::new();
    let mut decisions: BTreeMap<String, usize> = BTreeMap::new();
    for (aggregate_id, event_type, metadata) in &events {
        let metadata: Value = serde_json::from_str(metadata).unwrap();
        if let Some(id) = metadata["request_id"].as_str() {
            *by_request.entry(id.to_owned()).or_default() += 1;
        }
        if matches!(
            event_type.as_str(),
            "FileAdmitted" | "FileDeclaredInadmissible"
        ) {
            *decisions.entry(aggregate_id.clone()).or_default() += 1;
        }
    }
    for (request_id, _, _) in &results {
        let expected = usize::from(accepted.contains(request_id));
        assert_eq!(by_request.get(request_id).copied().unwrap_or(0), expected);
    }
    assert_eq!(decisions.len(), FILES);
    assert!(decisions.values().all(|n| *n == 1), "{decisions:?}");
    assert!(
        event_store::verify(&app.state.store)
            .await
            .unwrap()
            .is_intact()
    );

    // Every read model equals a rebuild from the log.
    app.settle().await;
    for projection in auditor::rebuild::projections().unwrap() {
        let comparison = auditor::rebuild::rebuild(&app.state.store, projection.as_ref())
            .await
            .unwrap();
        assert!(comparison.identical(), "{comparison:?}");
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn conflicting_commands_leave_one_decision_per_file_on_sqlite() {
    conflicting_commands_leave_one_decision_per_file(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn conflicting_commands_leave_one_decision_per_file_on_postgres() {
    conflicting_commands_leave_one_decision_per_file(Backend::Postgres).await;
}
