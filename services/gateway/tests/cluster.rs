//! Two gateway processes on one PostgreSQL: both serve, each projection runs in exactly one
//! of them, and when that one is killed (SIGKILL) the other takes every projection over and
//! goes on from the checkpoints, applying each event exactly once.

#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use event_store::{Store, StoreConfig};
use support::{Gateway, all_applied_once, eventually};
use test_support::ledger::{Ledger, LedgerCommand};

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
