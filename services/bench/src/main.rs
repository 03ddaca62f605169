//! Benchmarks of the event store (issue 10), run as `cargo run --release -p bench -- <bench>`.
//!
//! - `commands`: command throughput and latency at several client counts on PostgreSQL,
//!   for three stacks measured in the same run, so that the machine's noise cancels out in
//!   the ratios: the raw ceiling (one event-sized row inserted per transaction, as pgbench
//!   does), a bare cqrs-es + postgres-es aggregate (one event per command), and this
//!   project's store (hash chain, global order, metadata). Each stack gets the same
//!   workload: each client records amounts on ledgers of its own, opening a new one every
//!   ten commands, as citizen files get a handful of events each.
//! - `log`: events per second for reading the global log from zero and for verifying every
//!   hash chain, on a store filled with the requested number of events.
//!
//! Results and how to reproduce them: `docs/benchmarks.md`.

// Its tables on stdout and its progress on stderr are what this program is for.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod commands;
mod http;
mod log;
mod report;

use clap::{Parser, Subcommand};

type BenchResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

#[derive(Parser)]
#[command(about = "Benchmarks of the event store")]
struct Cli {
    /// A PostgreSQL server URL (a fresh database is created on it), or `sqlite://<new
    /// file>` for the embedded store (`log` only); by default the PostgreSQL the tests use
    /// (DATABASE_URL, else a throwaway cluster).
    #[arg(long, env = "BENCH_DATABASE_URL")]
    database_url: Option<String>,
    #[command(subcommand)]
    bench: Bench,
}

#[derive(Subcommand)]
enum Bench {
    /// Command throughput and latency: raw ceiling, bare cqrs-es, this store.
    Commands {
        /// Concurrent clients, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "1,4,16,64")]
        clients: Vec<usize>,
        /// Seconds each (stack, client count) runs.
        #[arg(long, default_value_t = 5)]
        seconds: u64,
    },
    /// Prepares a store for the HTTP benchmark (`scripts/bench-http`): an office and a
    /// citizen who may sign in; prints the store's URL and the office's id.
    SeedHttp,
    /// Reading the global log and verifying the hash chains.
    Log {
        /// Events in the store.
        #[arg(long, default_value_t = 1_000_000)]
        events: u64,
    },
}

#[tokio::main]
async fn main() -> BenchResult<()> {
    let cli = Cli::parse();
    let url = match cli.database_url {
        Some(file) if file.starts_with("sqlite:") => file,
        Some(server) => fresh_database(&server).await?,
        None => test_support::fresh_postgres_database().await,
    };
    match cli.bench {
        Bench::Commands { .. } if url.starts_with("sqlite:") => {
            Err("`commands` compares against postgres-es and a raw PostgreSQL insert: give it a PostgreSQL URL".into())
        }
        Bench::Commands { clients, seconds } => commands::run(&url, &clients, seconds).await,
        Bench::SeedHttp => http::seed(&url).await,
        Bench::Log { events } => log::run(&url, events).await,
    }
}

/// A new database on `server`, so that runs never see each other's rows.
async fn fresh_database(server: &str) -> BenchResult<String> {
    use sqlx::Connection;
    let mut connection = sqlx::PgConnection::connect(server).await?;
    let name = format!(
        "bench_{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_millis()
    );
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut connection)
        .await?;
    let (base, _) = server.rsplit_once('/').ok_or("the URL names no database")?;
    Ok(format!("{base}/{name}"))
}
