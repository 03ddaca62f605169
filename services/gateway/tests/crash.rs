//! The gateway killed (SIGKILL) in the middle of a load and started again, on both
//! backends (issue 11): every submission it acknowledged is in the log, the projections
//! catch up to what a rebuild from the log gives, and each author's receipt e-mail is in the
//! outbox exactly once: none lost, none queued twice.

#![allow(clippy::unwrap_used)]

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use event_store::{Store, StoreConfig};
use gateway::auth::{AccountStatus, IdentityStore};
use kernel::organisation::LocalizedName;
use kernel::{ActorKind, Organisation, OrganisationId, OrganisationKind};
use serde_json::json;
use support::{Gateway, all_applied_once, eventually};
use tokio::sync::Mutex;

const PASSWORD: &str = "correct horse battery";

/// An office in the directory and a citizen who may sign in, seeded before the process
/// starts.
async fn seed(store: &Store) -> OrganisationId {
    let identity = IdentityStore::new(store.any_pool().clone());
    let office = Organisation {
        id: OrganisationId::new_v7(),
        kind: OrganisationKind::CitizenRelationsOffice,
        name: LocalizedName {
            ar: "مكتب العلاقات مع المواطن".into(),
            fr: "Bureau des relations avec le citoyen".into(),
        },
        parent: None,
        governorate: None,
    };
    identity.save_organisation(&office).await.unwrap();
    let account = identity
        .create_account(
            ActorKind::Citizen,
            "nour@example.tn",
            "fr",
            AccountStatus::Active,
            0,
        )
        .await
        .unwrap();
    let hash = gateway::auth::password::hash(
        PASSWORD,
        &gateway::auth::password::PasswordSettings::default(),
    )
    .unwrap();
    identity.set_password(account.id, &hash, 0).await.unwrap();
    office.id
}

async fn login(client: &reqwest::Client, port: u16) -> String {
    let body: serde_json::Value = client
        .post(format!("http://127.0.0.1:{port}/api/v1/auth/login"))
        .json(&json!({"email": "nour@example.tn", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["token"].as_str().unwrap().to_owned()
}

/// Submits files until `stop`, from one client; the ids of those acknowledged with 201.
async fn load(
    port: u16,
    token: String,
    office: OrganisationId,
    stop: Arc<AtomicBool>,
    acknowledged: Arc<Mutex<Vec<String>>>,
) {
    let client = reqwest::Client::new();
    while !stop.load(Ordering::Relaxed) {
        let sent = client
            .post(format!("http://127.0.0.1:{port}/api/v1/files"))
            .bearer_auth(&token)
            .json(&json!({
                "kind": "petition",
                "handled_by": office,
                "author": {"person": "natural", "name": "Nour Hammami", "email": "nour@example.tn"},
                "title": "Éclairage public",
                "body": "Les lampadaires de la rue sont éteints depuis une semaine.",
            }))
            .send()
            .await;
        let Ok(response) = sent else {
            // The process is gone: what was not acknowledged does not count.
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        };
        if response.status() == 201
            && let Ok(receipt) = response.json::<serde_json::Value>().await
            && let Some(file) = receipt["file"].as_str()
        {
            acknowledged.lock().await.push(file.to_owned());
        }
    }
}

async fn submissions_survive_a_kill(store_url: String) {
    let master_key = event_store::MasterKey::generate().unwrap().to_base64();
    let data = tempfile::tempdir().unwrap();
    let store = Store::connect(&StoreConfig {
        url: store_url.clone(),
        ..StoreConfig::default()
    })
    .await
    .unwrap();
    let office = seed(&store).await;
    let mut first = Gateway::start(&store_url, &master_key, data.path()).await;
    let token = login(&reqwest::Client::new(), first.port).await;

    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let clients: Vec<_> = (0..4)
        .map(|_| {
            tokio::spawn(load(
                first.port,
                token.clone(),
                office,
                stop.clone(),
                acknowledged.clone(),
            ))
        })
        .collect();
    eventually("some submissions to be acknowledged", 60, || async {
        acknowledged.lock().await.len() >= 20
    })
    .await;
    // Killed under load: requests in flight get no answer.
    first.kill();
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        client.await.unwrap();
    }
    let acknowledged = acknowledged.lock().await.clone();

    let second = Gateway::start(&store_url, &master_key, data.path()).await;
    let projections = second.projection_states().await.unwrap().len();
    eventually("the projections to catch up", 60, || {
        all_applied_once(&store, projections)
    })
    .await;

    // Every acknowledged submission is in the log.
    let submitted: Vec<(String,)> =
        sqlx::query_as("SELECT aggregate_id FROM events WHERE event_type = 'FileSubmitted'")
            .fetch_all(store.any_pool())
            .await
            .unwrap();
    let submitted: std::collections::BTreeSet<String> =
        submitted.into_iter().map(|(id,)| id).collect();
    for file in &acknowledged {
        assert!(
            submitted.contains(file),
            "acknowledged {file} is not in the log"
        );
    }
    // One receipt e-mail per submission in the log (an unacknowledged one may have been
    // recorded just before the kill: it is in the log, and gets its receipt too).
    let receipts: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM outbox WHERE channel = 'email' AND destination = 'nour@example.tn'",
    )
    .fetch_one(store.any_pool())
    .await
    .unwrap();
    assert_eq!(usize::try_from(receipts).unwrap(), submitted.len());
    // The read models are what a rebuild from the log gives.
    for projection in auditor::rebuild::projections().unwrap() {
        let comparison = auditor::rebuild::rebuild(&store, projection.as_ref())
            .await
            .unwrap();
        assert!(comparison.identical(), "{comparison:?}");
    }
    drop(second);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_submissions_survive_a_kill_on_postgres() {
    submissions_survive_a_kill(test_support::fresh_postgres_database().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_submissions_survive_a_kill_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    submissions_survive_a_kill(format!("sqlite://{}/store.db", dir.path().display())).await;
}
