//! Aggregates on both backends: commands, conflicts, snapshots, hash chain, migrations.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashMap;

use common::{Ledger, LedgerCommand, LedgerError, LedgerEvent};
use cqrs_es::AggregateError;
use event_store::{BackendKind, Cursor, LinkFault, Store, StoreConfig, StoreError, verify};
use kernel::{AccessChannel, Actor, ActorId, EventMetadata};

fn metadata() -> HashMap<String, String> {
    let actor = Actor::citizen(ActorId::new_v7());
    EventMetadata::new(&actor, AccessChannel::Api, chrono::Utc::now()).to_map()
}

on_both_backends!(
    commands_append_events_that_replay_into_state,
    0,
    |store: Store| async move {
        let cqrs = store.cqrs::<Ledger>(vec![], ());
        cqrs.execute_with_metadata("l-1", LedgerCommand::Open, metadata())
            .await
            .unwrap();
        cqrs.execute("l-1", LedgerCommand::Record { amount: 5 })
            .await
            .unwrap();
        cqrs.execute(
            "l-1",
            LedgerCommand::RecordMany {
                amounts: vec![1, 2],
            },
        )
        .await
        .unwrap();

        let err = cqrs.execute("l-1", LedgerCommand::Open).await.unwrap_err();
        assert!(matches!(
            err,
            AggregateError::UserError(LedgerError::AlreadyOpen)
        ));

        let events = common::read_all(&store, 4).await;
        assert_eq!(events.len(), 4);
        assert_eq!(
            events.iter().map(|e| e.sequence).collect::<Vec<_>>(),
            [1, 2, 3, 4]
        );
        assert_eq!(events[0].event_type, "Opened");
        assert_eq!(events[0].metadata["channel"], "api");
        let decoded: LedgerEvent = events[1].decode().unwrap();
        assert_eq!(decoded, LedgerEvent::Recorded { amount: 5 });
        assert!(verify(&store).await.unwrap().is_intact());
    }
);

on_both_backends!(
    a_rejected_command_appends_nothing,
    0,
    |store: Store| async move {
        let cqrs = store.cqrs::<Ledger>(vec![], ());
        let err = cqrs
            .execute("l-2", LedgerCommand::Record { amount: 1 })
            .await
            .unwrap_err();
        assert!(matches!(
            err,
            AggregateError::UserError(LedgerError::NotOpen)
        ));
        assert!(
            store
                .log()
                .read(Cursor::START, None, 10)
                .await
                .unwrap()
                .is_empty()
        );
    }
);

on_both_backends!(
    concurrent_writers_to_one_stream_conflict_and_lose_nothing,
    0,
    |store: Store| async move {
        let cqrs = std::sync::Arc::new(store.cqrs::<Ledger>(vec![], ()));
        cqrs.execute("shared", LedgerCommand::Open).await.unwrap();
        let mut tasks = Vec::new();
        for amount in 0..40 {
            let cqrs = cqrs.clone();
            tasks.push(tokio::spawn(async move {
                cqrs.execute("shared", LedgerCommand::Record { amount })
                    .await
            }));
        }
        let mut accepted = 0;
        let mut conflicts = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(()) => accepted += 1,
                Err(AggregateError::AggregateConflict) => conflicts += 1,
                Err(other) => panic!("unexpected error: {other}"),
            }
        }
        assert_eq!(accepted + conflicts, 40);
        let events = common::read_all(&store, 1 + accepted).await;
        // Every accepted command is in the log exactly once, and nothing else is.
        assert_eq!(events.len(), 1 + accepted);
        let sequences: Vec<i64> = events.iter().map(|e| e.sequence).collect();
        assert_eq!(sequences, (1..=(1 + accepted as i64)).collect::<Vec<_>>());
        assert!(verify(&store).await.unwrap().is_intact());
    }
);

// A command appending several events across a snapshot boundary: the snapshot covers only
// the events up to the boundary, and the state loads right afterwards.
on_both_backends!(
    snapshots_across_a_multi_event_command_keep_every_event,
    3,
    |store: Store| async move {
        let cqrs = store.cqrs::<Ledger>(vec![], ());
        cqrs.execute("snap", LedgerCommand::Open).await.unwrap();
        cqrs.execute(
            "snap",
            LedgerCommand::RecordMany {
                amounts: vec![1, 2, 3, 4, 5, 6],
            },
        )
        .await
        .unwrap();
        cqrs.execute("snap", LedgerCommand::Record { amount: 10 })
            .await
            .unwrap();
        cqrs.execute(
            "snap",
            LedgerCommand::RecordMany {
                amounts: vec![100, 200],
            },
        )
        .await
        .unwrap();
        // Reload through a fresh framework: snapshot plus the events after it.
        let events = common::read_all(&store, 10).await;
        assert_eq!(events.len(), 10);
        let replayed = events.iter().fold(Ledger::default(), |mut ledger, e| {
            cqrs_es::Aggregate::apply(&mut ledger, e.decode().unwrap());
            ledger
        });
        assert_eq!(replayed.total, 331);
        let fresh = store.cqrs::<Ledger>(vec![], ());
        // A command that depends on the loaded state: it succeeds only if the state is right.
        fresh
            .execute("snap", LedgerCommand::Record { amount: 1 })
            .await
            .unwrap();
        let err = fresh
            .execute("snap", LedgerCommand::Open)
            .await
            .unwrap_err();
        assert!(matches!(
            err,
            AggregateError::UserError(LedgerError::AlreadyOpen)
        ));
        let loaded = load(&store, "snap").await;
        assert_eq!(
            loaded,
            Ledger {
                opened: true,
                total: 332,
                entries: 10
            }
        );
    }
);

/// The state cqrs-es loads (snapshot and following events).
async fn load(store: &Store, id: &str) -> Ledger {
    use cqrs_es::{AggregateContext, EventStore};
    let mut context = store
        .event_store::<Ledger>()
        .load_aggregate(id)
        .await
        .unwrap();
    std::mem::take(context.aggregate())
}

on_both_backends!(
    events_cannot_be_updated_or_deleted_through_sql,
    0,
    |store: Store| async move {
        let cqrs = store.cqrs::<Ledger>(vec![], ());
        cqrs.execute("ro", LedgerCommand::Open).await.unwrap();
        let pool = store.any_pool();
        assert!(
            sqlx::query("UPDATE events SET event_type = 'Forged'")
                .execute(pool)
                .await
                .is_err()
        );
        assert!(
            sqlx::query("DELETE FROM events")
                .execute(pool)
                .await
                .is_err()
        );
        assert_eq!(common::read_all(&store, 1).await.len(), 1);
    }
);

#[tokio::test]
async fn the_sqlite_file_and_its_folder_are_created_on_first_start_and_reopened() {
    let dir = tempfile::tempdir().unwrap();
    let config = StoreConfig {
        url: format!("sqlite://{}/a/b/store.db", dir.path().display()),
        ..StoreConfig::default()
    };
    let store = Store::connect(&config).await.unwrap();
    assert_eq!(store.kind(), BackendKind::Sqlite);
    store
        .cqrs::<Ledger>(vec![], ())
        .execute("x", LedgerCommand::Open)
        .await
        .unwrap();
    store.close().await;
    assert!(dir.path().join("a/b/store.db").is_file());
    // Reopening applies no migration twice and finds the event.
    let reopened = Store::connect(&config).await.unwrap();
    assert_eq!(
        reopened
            .log()
            .read(Cursor::START, None, 10)
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn an_unknown_url_scheme_is_refused_clearly() {
    let config = StoreConfig {
        url: "mysql://localhost/db".into(),
        ..StoreConfig::default()
    };
    let err = Store::connect(&config).await.unwrap_err();
    assert!(matches!(err, StoreError::UnsupportedUrl(ref s) if s == "mysql"));
}

on_both_backends!(
    the_chain_verifier_reports_the_first_broken_link,
    0,
    |store: Store| async move {
        let cqrs = store.cqrs::<Ledger>(vec![], ());
        for id in ["a", "b"] {
            cqrs.execute(id, LedgerCommand::Open).await.unwrap();
            cqrs.execute(
                id,
                LedgerCommand::RecordMany {
                    amounts: vec![1, 2, 3],
                },
            )
            .await
            .unwrap();
        }
        let report = verify(&store).await.unwrap();
        assert_eq!((report.streams, report.events), (2, 8));
        assert!(report.is_intact());

        // An attacker with database rights lifts the append-only guard and edits one event.
        tamper(
            &store,
            "UPDATE events SET payload = '{\"Recorded\":{\"amount\":999}}' \
                    WHERE aggregate_id = 'b' AND sequence = 3",
        )
        .await;
        let broken = verify(&store).await.unwrap().first_break.unwrap();
        assert_eq!((broken.aggregate_id.as_str(), broken.sequence), ("b", 3));
        assert_eq!(broken.fault, LinkFault::ContentChanged);
    }
);

on_both_backends!(
    a_removed_event_breaks_the_sequence,
    0,
    |store: Store| async move {
        let cqrs = store.cqrs::<Ledger>(vec![], ());
        cqrs.execute("c", LedgerCommand::Open).await.unwrap();
        cqrs.execute(
            "c",
            LedgerCommand::RecordMany {
                amounts: vec![1, 2, 3],
            },
        )
        .await
        .unwrap();
        tamper(
            &store,
            "DELETE FROM events WHERE aggregate_id = 'c' AND sequence = 2",
        )
        .await;
        let broken = verify(&store).await.unwrap().first_break.unwrap();
        assert_eq!(broken.sequence, 3);
        assert_eq!(broken.fault, LinkFault::SequenceGap { expected: 2 });
    }
);

/// Runs `sql` with the append-only triggers lifted, as a database administrator could.
async fn tamper(store: &Store, sql: &str) {
    let pool = store.any_pool();
    let mut tx = pool.begin().await.unwrap();
    match store.kind() {
        BackendKind::Postgres => {
            sqlx::query("ALTER TABLE events DISABLE TRIGGER USER")
                .execute(&mut *tx)
                .await
                .unwrap();
            sqlx::query(sql).execute(&mut *tx).await.unwrap();
            sqlx::query("ALTER TABLE events ENABLE TRIGGER USER")
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        BackendKind::Sqlite => {
            for trigger in ["events_no_update", "events_no_delete"] {
                sqlx::query(&format!("DROP TRIGGER {trigger}"))
                    .execute(&mut *tx)
                    .await
                    .unwrap();
            }
            sqlx::query(sql).execute(&mut *tx).await.unwrap();
        }
    }
    tx.commit().await.unwrap();
}

on_both_backends!(
    a_read_only_store_reads_the_log_and_refuses_writes,
    0,
    |store: Store| async move {
        store
            .cqrs::<Ledger>(vec![], ())
            .execute("ro-1", LedgerCommand::Open)
            .await
            .unwrap();
        common::read_all(&store, 1).await;
        let url = match store.kind() {
            BackendKind::Postgres => {
                let event_store::Backend::Postgres(pool) = store.backend() else {
                    unreachable!()
                };
                let options = pool.connect_options();
                format!(
                    "postgres://{}@{}:{}/{}",
                    options.get_username(),
                    options.get_host(),
                    options.get_port(),
                    options.get_database().unwrap()
                )
            }
            BackendKind::Sqlite => {
                let event_store::Backend::Sqlite(pool) = store.backend() else {
                    unreachable!()
                };
                format!(
                    "sqlite://{}",
                    pool.connect_options().get_filename().display()
                )
            }
        };
        let reader = Store::open_read_only(&StoreConfig {
            url,
            ..StoreConfig::default()
        })
        .await
        .unwrap();
        assert_eq!(
            reader
                .log()
                .read(Cursor::START, None, 10)
                .await
                .unwrap()
                .len(),
            1
        );
        assert!(verify(&reader).await.unwrap().is_intact());
        let refused = reader
            .cqrs::<Ledger>(vec![], ())
            .execute("ro-2", LedgerCommand::Open)
            .await;
        assert!(refused.is_err(), "a read-only store accepted a write");
        assert!(
            sqlx::query("DELETE FROM projection_checkpoints")
                .execute(reader.any_pool())
                .await
                .is_err()
        );
    }
);
