//! What the process tests share: a gateway started as its own process on a given store,
//! its projections' states from `/health`, waiting for a condition, and counting how many
//! events each projection applied.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use event_store::Store;

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub(crate) struct Gateway {
    child: Child,
    /// Where it listens.
    pub(crate) port: u16,
}

impl Gateway {
    pub(crate) async fn start(store_url: &str, master_key: &str, data: &std::path::Path) -> Self {
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
    pub(crate) async fn projection_states(&self) -> Option<BTreeMap<String, String>> {
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

    /// SIGKILL: no shutdown, no goodbye.
    pub(crate) fn kill(&mut self) {
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
pub(crate) async fn eventually<F, Fut>(what: &str, seconds: u64, mut check: F)
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
pub(crate) async fn applied(store: &Store) -> (BTreeMap<String, i64>, i64) {
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

/// Whether every one of `projections` has applied all `events`, and none more.
pub(crate) async fn all_applied_once(store: &Store, projections: usize) -> bool {
    let (applied, events) = applied(store).await;
    assert!(
        applied.values().all(|&n| n <= events),
        "an event was applied twice: {applied:?} for {events} events"
    );
    applied.len() == projections && applied.values().all(|&n| n == events)
}
