//! `rebuild`: replays a named projection from position zero into a scratch store, up to
//! where the live projection stands, and compares its tables with the live ones row by row.
//!
//! The scratch store is an SQLite file in a temporary folder, whatever the live backend:
//! read models use only portable column types, so the rows compare across backends. A
//! difference means the live read model does not say what the log says (a bug, a manual
//! edit, a lost write): the report names the table and shows a few rows of each side.

use std::collections::BTreeMap;
use std::sync::Arc;

use event_store::{Cursor, Projection, Store, StoreConfig};
use kernel::calendar::HolidayCalendar;
use serde::Serialize;
use sqlx::{AnyPool, Column, Row};

use crate::error::AuditorError;

/// Rows shown of each side of a difference.
const EXAMPLES: usize = 3;

/// The read-model projections the auditor can rebuild (those that need no configuration
/// of the platform: the obligations' escalation chains and the notifications depend on
/// it, and are checked by the runner's own rebuild).
pub fn projections() -> Result<Vec<Arc<dyn Projection>>, AuditorError> {
    let calendar =
        HolidayCalendar::tunisia().map_err(|e| AuditorError::Usage(format!("calendar: {e}")))?;
    let mut all = projections::citizen_file::projections();
    all.extend(projections::local_democracy::projections());
    all.extend(projections::watcher::projections(&calendar));
    all.push(Arc::new(projections::SubjectStreams));
    Ok(all)
}

/// One table compared.
#[derive(Debug, Serialize)]
pub struct TableComparison {
    /// The table.
    pub table: String,
    /// Rows in the live read model.
    pub live_rows: usize,
    /// Rows in the rebuilt one.
    pub rebuilt_rows: usize,
    /// Rows only the live read model has (up to a few).
    pub only_live: Vec<String>,
    /// Rows only the rebuilt one has (up to a few).
    pub only_rebuilt: Vec<String>,
}

/// The outcome of a rebuild.
#[derive(Debug, Serialize)]
pub struct Comparison {
    /// The projection.
    pub projection: String,
    /// Where the live projection stood (the rebuild stopped there too).
    pub as_of: Cursor,
    /// Events replayed.
    pub events: u64,
    /// Every table.
    pub tables: Vec<TableComparison>,
}

impl Comparison {
    /// Whether every table is identical.
    pub fn identical(&self) -> bool {
        self.tables
            .iter()
            .all(|t| t.only_live.is_empty() && t.only_rebuilt.is_empty())
    }
}

/// Every row of `table`, each as a JSON object with sorted keys, counted.
async fn rows(pool: &AnyPool, table: &str) -> Result<BTreeMap<String, usize>, AuditorError> {
    let rows = sqlx::query(&format!("SELECT * FROM {table}"))
        .fetch_all(pool)
        .await?;
    let mut counted = BTreeMap::new();
    for row in rows {
        let mut object = BTreeMap::new();
        for column in row.columns() {
            let index = column.ordinal();
            let value = if let Ok(v) = row.try_get::<Option<i64>, _>(index) {
                serde_json::json!(v)
            } else if let Ok(v) = row.try_get::<Option<f64>, _>(index) {
                serde_json::json!(v)
            } else if let Ok(v) = row.try_get::<Option<String>, _>(index) {
                serde_json::json!(v)
            } else if let Ok(v) = row.try_get::<Option<Vec<u8>>, _>(index) {
                serde_json::json!(v)
            } else {
                return Err(AuditorError::Corrupt(format!(
                    "{table}.{}: unreadable type",
                    column.name()
                )));
            };
            object.insert(column.name().to_owned(), value);
        }
        *counted.entry(serde_json::to_string(&object)?).or_insert(0) += 1;
    }
    Ok(counted)
}

fn difference(a: &BTreeMap<String, usize>, b: &BTreeMap<String, usize>) -> Vec<String> {
    a.iter()
        .filter(|(row, n)| b.get(*row).copied().unwrap_or(0) < **n)
        .map(|(row, _)| row.clone())
        .take(EXAMPLES)
        .collect()
}

/// Rebuilds `projection` from `live`'s log and compares.
pub async fn rebuild(
    live: &Store,
    projection: &dyn Projection,
) -> Result<Comparison, AuditorError> {
    let checkpoint: Option<(i64, i64)> = sqlx::query_as(
        "SELECT transaction_id, position FROM projection_checkpoints WHERE name = $1",
    )
    .bind(projection.name())
    .fetch_optional(live.any_pool())
    .await?;
    let as_of = checkpoint.map_or(Cursor::START, |(transaction, position)| Cursor {
        transaction,
        position,
    });
    let folder = tempfile::tempdir()?;
    let scratch = Store::connect(&StoreConfig {
        url: format!("sqlite://{}/scratch.db", folder.path().display()),
        ..StoreConfig::default()
    })
    .await?;
    let events =
        event_store::replay_into(&live.log(), &scratch, projection, Some(as_of), 1_000).await?;
    let mut tables = Vec::new();
    for table in projection.tables() {
        let live_rows = rows(live.any_pool(), table).await?;
        let rebuilt_rows = rows(scratch.any_pool(), table).await?;
        tables.push(TableComparison {
            table: (*table).to_owned(),
            live_rows: live_rows.values().sum(),
            rebuilt_rows: rebuilt_rows.values().sum(),
            only_live: difference(&live_rows, &rebuilt_rows),
            only_rebuilt: difference(&rebuilt_rows, &live_rows),
        });
    }
    scratch.close().await;
    Ok(Comparison {
        projection: projection.name().to_owned(),
        as_of,
        events,
        tables,
    })
}
