//! Reading the global log from zero and verifying every hash chain.

use std::time::Instant;

use event_store::{Cursor, Store, StoreConfig};
use test_support::ledger::{Ledger, LedgerCommand};

use crate::BenchResult;

/// Events per aggregate, recorded in commands of this many events.
const PER_LEDGER: u64 = 100;
/// Concurrent writers while filling.
const WRITERS: u64 = 8;

/// The `log` benchmark.
pub(crate) async fn run(url: &str, events: u64) -> BenchResult<()> {
    let store = Store::connect(&StoreConfig {
        url: url.to_owned(),
        max_connections: 16,
        snapshot_every: 0,
        ..StoreConfig::default()
    })
    .await?;
    let filling = Instant::now();
    let ledgers = events.div_ceil(PER_LEDGER);
    let mut writers = Vec::new();
    for writer in 0..WRITERS {
        let store = store.clone();
        writers.push(tokio::spawn(async move {
            let cqrs = store.cqrs::<Ledger>(vec![], ());
            let mut ledger = writer;
            while ledger < ledgers {
                let id = format!("ledger-{ledger}");
                cqrs.execute(&id, LedgerCommand::Open).await?;
                let amounts = (1..PER_LEDGER).map(|a| a as i64).collect();
                cqrs.execute(&id, LedgerCommand::RecordMany { amounts })
                    .await?;
                ledger += WRITERS;
            }
            BenchResult::Ok(())
        }));
    }
    for writer in writers {
        writer.await??;
    }
    let stored = store.log().count().await?;
    eprintln!(
        "filled {stored} events in {:.1}s",
        filling.elapsed().as_secs_f64()
    );

    let log = store.log();
    let reading = Instant::now();
    let mut cursor = Cursor::START;
    let mut read = 0_u64;
    loop {
        let batch = log.read(cursor, None, 5_000).await?;
        let Some(last) = batch.last() else { break };
        cursor = last.cursor();
        read += batch.len() as u64;
    }
    let read_seconds = reading.elapsed().as_secs_f64();

    let verifying = Instant::now();
    let report = event_store::verify(&store).await?;
    let verify_seconds = verifying.elapsed().as_secs_f64();
    if !report.is_intact() {
        return Err("the fresh store's chains do not verify".into());
    }

    // The log's Merkle tree (ADR 0008), as a process builds it on its first proof request.
    let hashing = Instant::now();
    let mut tree = signing::LogTree::new();
    let leaves = tree.catch_up(&store.log()).await?;
    let tree_seconds = hashing.elapsed().as_secs_f64();

    println!("| operation | events | seconds | events/s |");
    println!("|---|---:|---:|---:|");
    println!(
        "| read the global log from zero (batches of 5000) | {read} | {read_seconds:.2} | {:.0} |",
        read as f64 / read_seconds
    );
    println!(
        "| verify every hash chain | {} | {verify_seconds:.2} | {:.0} |",
        report.events,
        report.events as f64 / verify_seconds
    );
    println!(
        "| build the log's Merkle tree (read and hash) | {leaves} | {tree_seconds:.2} | {:.0} |",
        leaves as f64 / tree_seconds
    );
    Ok(())
}
