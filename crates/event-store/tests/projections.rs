//! The projection runner: checkpoints in the read model's transaction, restart, rebuild,
//! and a failing projection that stops alone.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use common::{Ledger, LedgerCommand, LedgerEvent};
use event_store::{
    Projection, ProjectionError, ProjectionRunner, ProjectionState, RecordedEvent, RunnerError,
    RunnerSettings, Store,
};
use sqlx::AnyConnection;
use tokio_util::sync::CancellationToken;

/// Totals per ledger, in table `<table>`; fails on an amount of `poison` if set.
struct Totals {
    name: &'static str,
    table: [&'static str; 1],
    poison: Option<i64>,
}

#[async_trait]
impl Projection for Totals {
    fn name(&self) -> &str {
        self.name
    }

    async fn apply(
        &self,
        tx: &mut AnyConnection,
        event: &RecordedEvent,
    ) -> Result<(), ProjectionError> {
        if event.aggregate_type != "Ledger" {
            return Ok(());
        }
        let amount = match event.decode::<LedgerEvent>()? {
            LedgerEvent::Opened => 0,
            LedgerEvent::Recorded { amount } => amount,
        };
        if Some(amount) == self.poison {
            return Err(ProjectionError::Invalid(format!(
                "cannot project amount {amount}"
            )));
        }
        sqlx::query(&format!(
            "INSERT INTO {} (ledger, total, events) VALUES ($1, $2, 1) \
             ON CONFLICT (ledger) DO UPDATE SET total = {0}.total + excluded.total, \
             events = {0}.events + 1",
            self.table[0]
        ))
        .bind(&event.aggregate_id)
        .bind(amount)
        .execute(tx)
        .await?;
        Ok(())
    }

    fn tables(&self) -> &[&'static str] {
        &self.table
    }
}

async fn create_table(store: &Store, table: &str) {
    sqlx::query(&format!(
        "CREATE TABLE {table} (ledger TEXT PRIMARY KEY, total BIGINT NOT NULL, events BIGINT NOT NULL)"
    ))
    .execute(store.any_pool())
    .await
    .unwrap();
}

async fn rows(store: &Store, table: &str) -> Vec<(String, i64, i64)> {
    sqlx::query_as(&format!(
        "SELECT ledger, total, events FROM {table} ORDER BY ledger"
    ))
    .fetch_all(store.any_pool())
    .await
    .unwrap()
}

fn totals(table: &'static str) -> Arc<dyn Projection> {
    Arc::new(Totals {
        name: table,
        table: [table],
        poison: None,
    })
}

async fn record(store: &Store, ledger: &str, amounts: &[i64]) {
    let cqrs = store.cqrs::<Ledger>(vec![], ());
    if cqrs.execute(ledger, LedgerCommand::Open).await.is_err() {
        // Already open: fine for these tests.
    }
    for amount in amounts {
        cqrs.execute(ledger, LedgerCommand::Record { amount: *amount })
            .await
            .unwrap();
    }
}

/// Catches up until `expected` events were applied in all (late commits of other
/// transactions of the cluster may hold a few back for a moment on PostgreSQL).
async fn catch_up_to(runner: &ProjectionRunner, name: &str, expected: u64) -> u64 {
    let mut applied = 0;
    for _ in 0..500 {
        applied += runner.catch_up(name).await.unwrap();
        if applied >= expected {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    applied
}

on_both_backends!(
    checkpoints_survive_a_restart_and_rebuild_gives_the_same_rows,
    0,
    |store: Store| async move {
        create_table(&store, "totals").await;
        record(&store, "a", &[1, 2, 3]).await;
        record(&store, "b", &[10]).await;

        let runner = ProjectionRunner::new(
            store.clone(),
            RunnerSettings::default(),
            vec![totals("totals")],
        )
        .unwrap();
        assert_eq!(catch_up_to(&runner, "totals", 6).await, 6);
        assert_eq!(
            rows(&store, "totals").await,
            [("a".into(), 6, 4), ("b".into(), 10, 2)]
        );

        // A new runner (a restarted process) resumes at the checkpoint: only new events apply.
        record(&store, "a", &[100]).await;
        let restarted = ProjectionRunner::new(
            store.clone(),
            RunnerSettings::default(),
            vec![totals("totals")],
        )
        .unwrap();
        assert_eq!(catch_up_to(&restarted, "totals", 1).await, 1);
        let live = rows(&store, "totals").await;
        assert_eq!(live, [("a".into(), 106, 5), ("b".into(), 10, 2)]);
        let status = &restarted.statuses()[0];
        assert_eq!(status.events_applied, 7);

        // Rebuild from zero: same rows.
        assert_eq!(restarted.rebuild("totals").await.unwrap(), 7);
        assert_eq!(rows(&store, "totals").await, live);
        assert_eq!(
            restarted.lag(1000).await.unwrap(),
            [("totals".to_owned(), 0)]
        );
    }
);

on_both_backends!(
    a_failing_projection_stops_alone_and_keeps_nothing_of_its_failed_batch,
    0,
    |store: Store| async move {
        create_table(&store, "healthy").await;
        create_table(&store, "fragile").await;
        record(&store, "a", &[1, 13, 2]).await;
        let fragile: Arc<dyn Projection> = Arc::new(Totals {
            name: "fragile",
            table: ["fragile"],
            poison: Some(13),
        });
        let settings = RunnerSettings {
            idle_poll: Duration::from_millis(20),
            ..RunnerSettings::default()
        };
        let runner =
            ProjectionRunner::new(store.clone(), settings, vec![totals("healthy"), fragile])
                .unwrap();
        let shutdown = CancellationToken::new();
        let tasks = runner.spawn(shutdown.clone());

        // The healthy one follows the log, including events appended while it runs.
        record(&store, "b", &[5]).await;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            let done = rows(&store, "healthy").await == [("a".into(), 16, 4), ("b".into(), 5, 2)];
            let failed = matches!(runner.statuses()[0].state, ProjectionState::Failed { .. });
            if done && failed {
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "statuses: {:?}",
                runner.statuses()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let fragile_status = runner
            .statuses()
            .into_iter()
            .find(|s| s.name == "fragile")
            .unwrap();
        // The poisoned amount is the log's third event (a fresh database numbers from 1).
        assert_eq!(
            fragile_status.state,
            ProjectionState::Failed {
                position: 3,
                error: "projection `fragile` failed at position 3: cannot project amount 13".into()
            }
        );
        // Its batch was rolled back with its checkpoint: no row of it remains.
        assert!(rows(&store, "fragile").await.is_empty());
        assert_eq!(fragile_status.events_applied, 0);

        shutdown.cancel();
        for task in tasks {
            tokio::time::timeout(Duration::from_secs(5), task)
                .await
                .unwrap()
                .unwrap();
        }
        let healthy = runner
            .statuses()
            .into_iter()
            .find(|s| s.name == "healthy")
            .unwrap();
        assert_eq!(healthy.state, ProjectionState::Stopped);
    }
);

#[tokio::test]
async fn two_projections_cannot_share_a_name_and_unknown_names_are_refused() {
    let (store, _dir) = common::sqlite_store(0).await;
    let err = ProjectionRunner::new(
        store.clone(),
        RunnerSettings::default(),
        vec![totals("t"), totals("t")],
    )
    .unwrap_err();
    assert!(matches!(err, RunnerError::DuplicateName(ref n) if n == "t"));
    let runner =
        ProjectionRunner::new(store, RunnerSettings::default(), vec![totals("t")]).unwrap();
    assert!(matches!(
        runner.catch_up("nope").await,
        Err(RunnerError::UnknownProjection(_))
    ));
}

on_both_backends!(
    a_read_model_can_be_rebuilt_as_of_a_position_or_a_date_into_a_scratch_store,
    0,
    |store: Store| async move {
        record(&store, "a", &[1, 2]).await;
        let before_b = common::read_all(&store, 3).await.last().unwrap().cursor();
        let between = chrono::Utc::now();
        tokio::time::sleep(Duration::from_millis(20)).await;
        record(&store, "b", &[10]).await;
        let all = common::read_all(&store, 5).await;
        assert_eq!(all.len(), 5);

        // As of the position before "b": only "a" in the scratch read model; the live store is
        // untouched.
        let (scratch, _dir) = common::sqlite_store(0).await;
        create_table(&scratch, "totals").await;
        let projection = Totals {
            name: "totals",
            table: ["totals"],
            poison: None,
        };
        let applied =
            event_store::replay_into(&store.log(), &scratch, &projection, Some(before_b), 2)
                .await
                .unwrap();
        assert_eq!(applied, 3);
        assert_eq!(rows(&scratch, "totals").await, [("a".into(), 3, 3)]);

        // As of a date: the same cut.
        assert_eq!(store.log().cursor_as_of(between).await.unwrap(), before_b);
        assert_eq!(
            store
                .log()
                .cursor_as_of(chrono::Utc::now() - chrono::Duration::days(1))
                .await
                .unwrap(),
            event_store::Cursor::START
        );
    }
);

on_both_backends!(
    reads_can_keep_only_some_aggregate_types,
    0,
    |store: Store| async move {
        record(&store, "a", &[1]).await;
        common::read_all(&store, 2).await;
        let log = store.log();
        let start = event_store::Cursor::START;
        assert_eq!(
            log.read_types(start, None, &["Ledger"], 10)
                .await
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            log.read_types(start, None, &["Other", "Ledger"], 10)
                .await
                .unwrap()
                .len(),
            2
        );
        assert!(
            log.read_types(start, None, &["Other"], 10)
                .await
                .unwrap()
                .is_empty()
        );
    }
);

/// A second process's store on the same PostgreSQL database as `store`.
async fn second_process(store: &Store) -> Store {
    let url = match store.backend() {
        event_store::Backend::Postgres(pool) => {
            let options = pool.connect_options();
            format!(
                "postgres://{}@{}:{}/{}",
                options.get_username(),
                options.get_host(),
                options.get_port(),
                options.get_database().unwrap()
            )
        }
        event_store::Backend::Sqlite(_) => unreachable!("a PostgreSQL test"),
    };
    Store::connect(&event_store::StoreConfig {
        url,
        ..event_store::StoreConfig::default()
    })
    .await
    .unwrap()
}

fn state_of(runner: &ProjectionRunner) -> ProjectionState {
    runner.statuses()[0].state.clone()
}

#[tokio::test]
async fn two_runners_catching_up_at_once_apply_each_event_once() {
    let store = common::postgres_store(0).await;
    let other = second_process(&store).await;
    create_table(&store, "raced").await;
    for ledger in ["a", "b", "c", "d"] {
        record(&store, ledger, &[1, 2, 3, 4, 5]).await;
    }
    let settings = RunnerSettings {
        batch_size: 3,
        ..RunnerSettings::default()
    };
    let one = ProjectionRunner::new(store.clone(), settings, vec![totals("raced")]).unwrap();
    let two = ProjectionRunner::new(other, settings, vec![totals("raced")]).unwrap();
    // Small batches, both at once: without the checkpoint's row lock they would apply the
    // same batches twice.
    let (a, b) = tokio::join!(one.catch_up("raced"), two.catch_up("raced"));
    assert_eq!(a.unwrap() + b.unwrap(), 24);
    let expected: Vec<(String, i64, i64)> = ["a", "b", "c", "d"]
        .iter()
        .map(|l| ((*l).to_owned(), 15, 6))
        .collect();
    assert_eq!(rows(&store, "raced").await, expected);
}

#[tokio::test]
async fn one_process_leads_each_projection_and_another_takes_over_when_it_stops() {
    let store = common::postgres_store(0).await;
    let other = second_process(&store).await;
    create_table(&store, "led").await;
    record(&store, "a", &[1]).await;
    let settings = RunnerSettings {
        idle_poll: Duration::from_millis(50),
        ..RunnerSettings::default()
    };
    let first = ProjectionRunner::new(store.clone(), settings, vec![totals("led")]).unwrap();
    let second = ProjectionRunner::new(other, settings, vec![totals("led")]).unwrap();
    let stop_first = CancellationToken::new();
    let stop_second = CancellationToken::new();
    let first_tasks = first.spawn(stop_first.clone());
    let wait_for = |what: &'static str, done: Box<dyn Fn() -> bool + Send>| async move {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while !done() {
            assert!(tokio::time::Instant::now() < deadline, "waiting for {what}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    let probe = first.clone();
    wait_for(
        "the first to lead",
        Box::new(move || state_of(&probe) == ProjectionState::Running),
    )
    .await;
    let second_tasks = second.spawn(stop_second.clone());
    let probe = second.clone();
    wait_for(
        "the second to stand by",
        Box::new(move || state_of(&probe) == ProjectionState::Standby),
    )
    .await;

    record(&store, "a", &[2, 3]).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while rows(&store, "led").await != [("a".to_owned(), 6, 4)] {
        assert!(tokio::time::Instant::now() < deadline);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(state_of(&second), ProjectionState::Standby);

    // The leader stops: the standby takes over and goes on from the checkpoint.
    stop_first.cancel();
    for task in first_tasks {
        task.await.unwrap();
    }
    let probe = second.clone();
    wait_for(
        "the second to take over",
        Box::new(move || state_of(&probe) == ProjectionState::Running),
    )
    .await;
    record(&store, "a", &[10]).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while rows(&store, "led").await != [("a".to_owned(), 16, 5)] {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{:?}",
            rows(&store, "led").await
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    stop_second.cancel();
    for task in second_tasks {
        task.await.unwrap();
    }
}
