//! Shared fixtures of the lead's projection tests: stores on both backends.
#![allow(dead_code, unreachable_pub)]

use event_store::{Store, StoreConfig};

/// A store on a fresh SQLite file (kept alive by the returned folder).
pub async fn sqlite_store() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let config = StoreConfig {
        url: format!("sqlite://{}/store.db", dir.path().display()),
        ..StoreConfig::default()
    };
    (Store::connect(&config).await.unwrap(), dir)
}

/// A store on a fresh PostgreSQL database.
pub async fn postgres_store() -> Store {
    let config = StoreConfig {
        url: test_support::fresh_postgres_database().await,
        ..StoreConfig::default()
    };
    Store::connect(&config).await.unwrap()
}

/// Declares `async fn $name(store: Store)` once and runs it as a test on each backend.
#[macro_export]
macro_rules! on_both_backends {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let (store, _dir) = support::sqlite_store().await;
                ($body)(store).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let store = support::postgres_store().await;
                ($body)(store).await;
            }
        }
    };
}
