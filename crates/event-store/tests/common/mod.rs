//! Shared fixtures of the event-store tests: a small aggregate and a store on each backend.
#![allow(dead_code, unreachable_pub, unused_imports)]

use event_store::{Store, StoreConfig};

pub use test_support::ledger::{Ledger, LedgerCommand, LedgerError, LedgerEvent};

/// Every event of the log once at least `expected` are readable. On PostgreSQL an event
/// becomes readable once every transaction older than it (in the whole cluster, and tests
/// share one) has ended, so a read right after a write may briefly see less.
pub async fn read_all(store: &Store, expected: usize) -> Vec<event_store::RecordedEvent> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let events = store
            .log()
            .read(event_store::Cursor::START, None, 1_000_000)
            .await
            .unwrap();
        if events.len() >= expected || std::time::Instant::now() > deadline {
            return events;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// A store on a fresh SQLite file (kept alive by the returned folder).
pub async fn sqlite_store(snapshot_every: usize) -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let config = StoreConfig {
        url: format!("sqlite://{}/nested/store.db", dir.path().display()),
        snapshot_every,
        ..StoreConfig::default()
    };
    (Store::connect(&config).await.unwrap(), dir)
}

/// A store on a fresh PostgreSQL database.
pub async fn postgres_store(snapshot_every: usize) -> Store {
    let config = StoreConfig {
        url: test_support::fresh_postgres_database().await,
        snapshot_every,
        max_connections: 20,
        ..StoreConfig::default()
    };
    Store::connect(&config).await.unwrap()
}

/// Declares `async fn $name(store: Store)` once and runs it as a test on each backend.
#[macro_export]
macro_rules! on_both_backends {
    ($name:ident, $snapshot_every:expr, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                let (store, _dir) = common::sqlite_store($snapshot_every).await;
                ($body)(store).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                let store = common::postgres_store($snapshot_every).await;
                ($body)(store).await;
            }
        }
    };
}
