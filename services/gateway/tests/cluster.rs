//! Two gateway processes on one PostgreSQL: both serve, each projection runs in exactly one
//! of them, and when that one is killed (SIGKILL) the other takes every projection over and
//! goes on from the checkpoints, applying each event exactly once.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use event_store::{Store, StoreConfig};
use test_support::ledger::{Ledger, LedgerCommand};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Gateway {
    child: Child,
    port: u16,
}

impl Gateway {
    async fn start(store_url: &str, master_key: &str, data: &std::path::Path) -> Self {
        let port = free_port();
        let child = Command::new(env!("CARGO_BIN_EXE_gateway"))
            .current_dir(data)
            .env_remove("DATABASE_URL")
            .env_remove("APP_CONFIG_FILE")
            .env("APP__SERVER__PORT", port.to_string())
            .env("APP__STORE__URL", store_url)
            .env("APP__VAULT__MASTER_KEY", master_key)
            .env("APP__PROJECTIONS__IDLE_POLL_MS", "100")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let gateway = Self { child, port };
        let deadline = Instant::now() + Duration::from_secs(60);
        while gateway.projection_states().await.is_none() {
            assert!(Instant::now() < deadline, "the gateway did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        gateway
    }

    /// Each projection's state as `/health` reports it; `None` while it does not answer.
    async fn projection_states(&self) -> Option<BTreeMap<String, String>> {
        let response = reqwest::get(format!("http://127.0.0.1:{}/health", self.port))
            .await
            .ok()?;
        let body: serde_json::Value = response.json().await.ok()?;
        Some(
            body["projections"]
                .as_array()?
                .iter()
                .map(|p| {
                    (
                        p["name"].as_str().unwrap_or_default().to_owned(),
                        p["state"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect(),
        )
    }

    fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits until `check` holds, for at most `seconds`.
async fn eventually<F, Fut>(what: &str, seconds: u64, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while !check().await {
        assert!(Instant::now() < deadline, "waited {seconds}s for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Every projection's events applied as its checkpoint counts them, and the log's size.
async fn applied(store: &Store) -> (BTreeMap<String, i64>, i64) {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT name, events_applied FROM projection_checkpoints")
            .fetch_all(store.any_pool())
            .await
            .unwrap();
    let events: i64 = sqlx::query_scalar("SELECT count(*) FROM events")
        .fetch_one(store.any_pool())
        .await
        .unwrap();
    (rows.into_iter().collect(), events)
}

async fn record(store: &Store, ledgers: std::ops::Range<u32>) {
    let cqrs = store.cqrs::<Ledger>(vec![], ());
    for ledger in ledgers {
        let id = format!("ledger-{ledger}");
        cqrs.execute(&id, LedgerCommand::Open).await.unwrap();
        for amount in 1..=9 {
            cqrs.execute(&id, LedgerCommand::Record { amount })
                .await
                .unwrap();
        }
    }
}

/// Whether every one of `projections` has applied all `events`, and none more.
async fn all_applied_once(store: &Store, projections: usize) -> bool {
    let (applied, events) = applied(store).await;
    assert!(
        applied.values().all(|&n| n <= events),
        "an event was applied twice: {applied:?} for {events} events"
    );
    applied.len() == projections && applied.values().all(|&n| n == events)
}

#[tokio::test]
async fn a_standby_process_takes_over_the_projections_of_a_killed_one() {
    let url = test_support::fresh_postgres_database().await;
    let master_key = event_store::MasterKey::generate().unwrap().to_base64();
    let data = tempfile::tempdir().unwrap();
    let mut first = Gateway::start(&url, &master_key, data.path()).await;
    eventually("the first process to lead every projection", 30, || async {
        first
            .projection_states()
            .await
            .is_some_and(|states| states.values().all(|s| s == "running"))
    })
    .await;
    let second = Gateway::start(&url, &master_key, data.path()).await;
    let projections = second.projection_states().await.unwrap().len();
    assert!(projections > 5);
    eventually("the second process to stand by", 30, || async {
        second
            .projection_states()
            .await
            .is_some_and(|states| states.values().all(|s| s == "standby"))
    })
    .await;

    let store = Store::connect(&StoreConfig {
        url: url.clone(),
        ..StoreConfig::default()
    })
    .await
    .unwrap();
    record(&store, 0..5).await;
    eventually("the leader to apply every event", 30, || {
        all_applied_once(&store, projections)
    })
    .await;

    // The leader dies without a word: its sessions close and their locks go with them.
    first.kill();
    eventually("the standby to take every projection over", 30, || async {
        second
            .projection_states()
            .await
            .is_some_and(|states| states.values().all(|s| s == "running"))
    })
    .await;
    record(&store, 5..10).await;
    eventually("the new leader to apply every event", 30, || {
        all_applied_once(&store, projections)
    })
    .await;
    // And nothing more afterwards.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(all_applied_once(&store, projections).await);
}
