//! Command throughput and latency of three stacks under the same workload.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use cqrs_es::CqrsFramework;
use cqrs_es::persist::PersistedEventStore;
use event_store::{Cqrs, Store, StoreConfig};
use postgres_es::PostgresEventRepository;
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;
use test_support::ledger::{Ledger, LedgerCommand, LedgerEvent};

use crate::BenchResult;
use crate::report::{Measured, print_commands};

type BareCqrs = CqrsFramework<Ledger, PersistedEventStore<PostgresEventRepository, Ledger>>;

/// postgres-es's own schema, beside this project's tables.
const BARE_SCHEMA: &[&str] = &[
    "CREATE TABLE bare_events (aggregate_type text NOT NULL, aggregate_id text NOT NULL, \
     sequence bigint CHECK (sequence >= 0) NOT NULL, event_type text NOT NULL, \
     event_version text NOT NULL, payload json NOT NULL, metadata json NOT NULL, \
     PRIMARY KEY (aggregate_type, aggregate_id, sequence))",
    "CREATE TABLE bare_snapshots (aggregate_type text NOT NULL, aggregate_id text NOT NULL, \
     last_sequence bigint CHECK (last_sequence >= 0) NOT NULL, \
     current_snapshot bigint CHECK (current_snapshot >= 0) NOT NULL, payload json NOT NULL, \
     PRIMARY KEY (aggregate_type, aggregate_id, last_sequence))",
    "CREATE TABLE raw_events (id bigserial PRIMARY KEY, aggregate_id text NOT NULL, \
     payload json NOT NULL, metadata json NOT NULL, recorded_at timestamptz NOT NULL)",
];

/// One of the stacks compared.
enum Stack {
    /// One row per transaction: the database's ceiling for one event per command.
    Raw(PgPool),
    /// cqrs-es over postgres-es, no snapshots, no chain, no global order.
    Bare(BareCqrs),
    /// This project's store.
    Ours(Cqrs<Ledger>),
}

impl Stack {
    fn name(&self) -> &'static str {
        match self {
            Self::Raw(_) => "raw insert",
            Self::Bare(_) => "bare cqrs-es",
            Self::Ours(_) => "this store",
        }
    }

    async fn command(
        &self,
        ledger: &str,
        command: LedgerCommand,
        metadata: &HashMap<String, String>,
    ) -> BenchResult<()> {
        match self {
            Self::Raw(pool) => {
                let event = match command {
                    LedgerCommand::Open => LedgerEvent::Opened,
                    LedgerCommand::Record { amount } => LedgerEvent::Recorded { amount },
                    LedgerCommand::RecordMany { .. } => return Err("not in the workload".into()),
                };
                sqlx::query(
                    "INSERT INTO raw_events (aggregate_id, payload, metadata, recorded_at) \
                     VALUES ($1, $2::json, $3::json, now())",
                )
                .bind(ledger)
                .bind(serde_json::to_string(&event)?)
                .bind(serde_json::to_string(metadata)?)
                .execute(pool)
                .await?;
            }
            Self::Bare(cqrs) => {
                cqrs.execute_with_metadata(ledger, command, metadata.clone())
                    .await?;
            }
            Self::Ours(cqrs) => {
                cqrs.execute_with_metadata(ledger, command, metadata.clone())
                    .await?;
            }
        }
        Ok(())
    }
}

/// The metadata the gateway records with every command.
fn metadata(client: usize) -> HashMap<String, String> {
    [
        (
            "actor_id",
            "0190f3a0-aaaa-7bbb-8ccc-123456789abc".to_owned(),
        ),
        ("actor_kind", "agent".to_owned()),
        ("role", "office_agent".to_owned()),
        (
            "organisation",
            "0190f3a0-bbbb-7bbb-8ccc-123456789abc".to_owned(),
        ),
        ("channel", "api".to_owned()),
        (
            "request_id",
            format!("0190f3a0-cccc-7bbb-8ccc-{client:012}"),
        ),
        (
            "correlation_id",
            format!("0190f3a0-dddd-7bbb-8ccc-{client:012}"),
        ),
        ("client", "192.0.2.10".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// Numbers runs, so that each works on ledgers of its own.
static RUNS: AtomicU64 = AtomicU64::new(0);

/// Runs `stack` with `clients` concurrent clients for `length`.
async fn measure(stack: Arc<Stack>, clients: usize, length: Duration) -> BenchResult<Measured> {
    let run = RUNS.fetch_add(1, Ordering::Relaxed);
    let started = Instant::now();
    let deadline = started + length;
    let mut tasks = Vec::with_capacity(clients);
    for client in 0..clients {
        let stack = stack.clone();
        tasks.push(tokio::spawn(async move {
            let metadata = metadata(client);
            let mut latencies = Vec::new();
            let mut done = 0_u64;
            while Instant::now() < deadline {
                // A new ledger every ten commands: aggregates stay small, as files do.
                let ledger = format!("{}-{run}-{client}-{}", stack.name(), done / 10);
                let command = if done.is_multiple_of(10) {
                    LedgerCommand::Open
                } else {
                    LedgerCommand::Record {
                        amount: i64::try_from(done).unwrap_or(0),
                    }
                };
                let sent = Instant::now();
                stack.command(&ledger, command, &metadata).await?;
                latencies.push(sent.elapsed());
                done += 1;
            }
            BenchResult::Ok(latencies)
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await??);
    }
    let elapsed = started.elapsed();
    latencies.sort_unstable();
    Ok(Measured {
        stack: stack.name(),
        clients,
        commands: latencies.len(),
        elapsed,
        latencies,
    })
}

/// The `commands` benchmark.
pub(crate) async fn run(url: &str, clients: &[usize], seconds: u64) -> BenchResult<()> {
    // Two pools of this size (the references' and the store's) must fit under
    // PostgreSQL's default max_connections (100) beside the store's projection pool; more
    // clients than connections queue for one, as they would in the gateway.
    let connections = u32::try_from((clients.iter().copied().max().unwrap_or(1) + 2).min(40))?;
    let store = Store::connect(&StoreConfig {
        url: url.to_owned(),
        max_connections: connections,
        ..StoreConfig::default()
    })
    .await?;
    let pool = PgPoolOptions::new()
        .max_connections(connections)
        .connect(url)
        .await?;
    for statement in BARE_SCHEMA {
        sqlx::query(statement).execute(&pool).await?;
    }
    let bare = CqrsFramework::new(
        PersistedEventStore::new_event_store(
            PostgresEventRepository::new(pool.clone()).with_tables("bare_events", "bare_snapshots"),
        ),
        vec![],
        (),
    );
    let stacks = [
        Arc::new(Stack::Raw(pool)),
        Arc::new(Stack::Bare(bare)),
        Arc::new(Stack::Ours(store.cqrs::<Ledger>(vec![], ()))),
    ];
    let length = Duration::from_secs(seconds);
    let mut runs = Vec::new();
    for &count in clients {
        // Interleaved per client count, so that a noisy moment of the machine hits all three.
        for stack in &stacks {
            measure(stack.clone(), count, Duration::from_millis(300)).await?;
            let run = measure(stack.clone(), count, length).await?;
            eprintln!(
                "{} with {count} clients: {:.0} commands/s",
                run.stack,
                run.per_second()
            );
            runs.push(run);
        }
    }
    print_commands(&runs);
    Ok(())
}
