//! The cqrs-es event repository: postgres-es or sqlite-es for reads, hash-chained appends.
//!
//! Aggregates run on cqrs-es's `PersistedEventStore` unchanged. Reading a stream and its
//! snapshot is delegated to postgres-es or sqlite-es (same tables, same queries). Appending is
//! ours, because each event must carry its stream's hash chain and its global position:
//! the previous hash is read first, then every new event of the command is inserted in one
//! statement. No transaction is needed for that: the insert is atomic, and if another writer
//! appended to the stream in between, the primary key on (type, id, sequence) refuses it,
//! which cqrs-es reports as an optimistic-lock conflict. A snapshot update shares a
//! transaction with its events and covers all of them (see `aggregate_store`).

use std::fmt;

use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use cqrs_es::persist::{
    PersistedEventRepository, PersistenceError, ReplayStream, SerializedEvent, SerializedSnapshot,
};
use kernel::metadata::RECORDED_AT;
use postgres_es::PostgresEventRepository;
use serde_json::Value;
use sqlite_es::SqliteEventRepository;

use crate::chain::{ChainFields, GENESIS, event_hash};
use crate::error::StoreError;
use crate::store::{Backend, Dialect, Store, with_pool};

/// The repository behind every aggregate. See the module documentation.
pub struct ChainedRepository {
    store: Store,
    reader: Reader,
}

enum Reader {
    Postgres(PostgresEventRepository),
    Sqlite(SqliteEventRepository),
}

impl fmt::Debug for ChainedRepository {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChainedRepository")
            .field("backend", &self.store.kind())
            .finish()
    }
}

/// One event ready to insert.
struct Row<'a> {
    event: &'a SerializedEvent,
    sequence: i64,
    payload: String,
    metadata: String,
    recorded_at: DateTime<Utc>,
    prev_hash: [u8; 32],
    hash: [u8; 32],
}

impl ChainedRepository {
    pub(crate) fn new(store: Store) -> Self {
        let reader = match store.backend() {
            Backend::Postgres(pool) => Reader::Postgres(PostgresEventRepository::new(pool.clone())),
            Backend::Sqlite(pool) => Reader::Sqlite(SqliteEventRepository::new(pool.clone())),
        };
        Self { store, reader }
    }

    async fn previous_hash(
        &self,
        aggregate_type: &str,
        aggregate_id: &str,
        sequence: usize,
    ) -> Result<[u8; 32], StoreError> {
        if sequence <= 1 {
            return Ok(GENESIS);
        }
        let previous = i64::try_from(sequence - 1)
            .map_err(|_| StoreError::Corrupt("sequence out of range".into()))?;
        let hash: Option<Vec<u8>> = with_pool!(self.store.backend(), pool => {
            sqlx::query_scalar(
                "SELECT hash FROM events \
                 WHERE aggregate_type = $1 AND aggregate_id = $2 AND sequence = $3",
            )
            .bind(aggregate_type)
            .bind(aggregate_id)
            .bind(previous)
            .fetch_optional(pool)
            .await?
        });
        let hash = hash.ok_or_else(|| {
            StoreError::Corrupt(format!(
                "{aggregate_type} {aggregate_id}: event {previous} is missing"
            ))
        })?;
        <[u8; 32]>::try_from(hash.as_slice())
            .map_err(|_| StoreError::Corrupt("stored hash is not 32 bytes".into()))
    }

    /// Serializes the events and links them to the stream's chain.
    async fn chain<'a>(
        &self,
        aggregate_type: &str,
        events: &'a [SerializedEvent],
        tip: Option<(usize, [u8; 32])>,
    ) -> Result<Vec<Row<'a>>, StoreError> {
        let Some(first) = events.first() else {
            return Ok(Vec::new());
        };
        let mut prev_hash = match tip {
            Some((sequence, hash)) if sequence + 1 == first.sequence => hash,
            _ => {
                self.previous_hash(aggregate_type, &first.aggregate_id, first.sequence)
                    .await?
            }
        };
        let mut rows = Vec::with_capacity(events.len());
        for event in events {
            let payload = serde_json::to_string(&event.payload)?;
            let metadata = serde_json::to_string(&event.metadata)?;
            let recorded_at = recorded_at(&event.metadata);
            let sequence = sequence_i64(event.sequence)?;
            let hash = event_hash(
                &prev_hash,
                &ChainFields {
                    aggregate_type,
                    aggregate_id: &event.aggregate_id,
                    sequence,
                    event_type: &event.event_type,
                    event_version: &event.event_version,
                    payload: &payload,
                    metadata: &metadata,
                },
            );
            rows.push(Row {
                event,
                sequence,
                payload,
                metadata,
                recorded_at,
                prev_hash,
                hash,
            });
            prev_hash = hash;
        }
        Ok(rows)
    }
}

/// The recorded time the gateway put in the metadata, else now: the column serves
/// "as of a date" reads and must always be filled.
fn recorded_at(metadata: &Value) -> DateTime<Utc> {
    metadata
        .get(RECORDED_AT)
        .and_then(Value::as_str)
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map_or_else(Utc::now, |t| t.with_timezone(&Utc))
}

fn sequence_i64(sequence: usize) -> Result<i64, StoreError> {
    i64::try_from(sequence).map_err(|_| StoreError::Corrupt("sequence out of range".into()))
}

/// The multi-row INSERT of a command's events, in `dialect`'s spelling.
fn insert_sql(dialect: Dialect, rows: usize) -> String {
    let json = dialect.json_cast();
    let mut sql = String::from(
        "INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, \
         event_version, payload, metadata, recorded_at, prev_hash, hash) VALUES ",
    );
    for row in 0..rows {
        let p = row * 10;
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!(
            "(${}, ${}, ${}, ${}, ${}, ${}{json}, ${}{json}, ${}, ${}, ${})",
            p + 1,
            p + 2,
            p + 3,
            p + 4,
            p + 5,
            p + 6,
            p + 7,
            p + 8,
            p + 9,
            p + 10
        ));
    }
    sql
}

/// A snapshot to write with the events: (aggregate id, state, snapshot number).
type SnapshotUpdate = (String, Value, usize);

fn snapshot_sql(dialect: Dialect, first: bool) -> String {
    let json = dialect.json_cast();
    if first {
        format!(
            "INSERT INTO snapshots \
             (aggregate_type, aggregate_id, last_sequence, current_snapshot, payload) \
             VALUES ($1, $2, $3, $4, $5{json})"
        )
    } else {
        format!(
            "UPDATE snapshots SET last_sequence = $3, current_snapshot = $4, payload = $5{json} \
             WHERE aggregate_type = $1 AND aggregate_id = $2 AND current_snapshot = $4 - 1"
        )
    }
}

impl ChainedRepository {
    /// The events of a stream after sequence `after`, as cqrs-es reads them, and the hash
    /// of the last one: loading a stream for a command yields its chain's tip, so that the
    /// append needs no read of its own.
    pub(crate) async fn events_after(
        &self,
        aggregate_type: &str,
        aggregate_id: &str,
        after: usize,
    ) -> Result<(Vec<SerializedEvent>, Option<[u8; 32]>), PersistenceError> {
        let dialect = self.store.dialect();
        let sql = format!(
            "SELECT sequence, event_type, event_version, {}, {}, hash FROM events \
             WHERE aggregate_type = $1 AND aggregate_id = $2 AND sequence > $3 \
             ORDER BY sequence",
            dialect.json_text("payload"),
            dialect.json_text("metadata"),
        );
        let after = sequence_i64(after).map_err(AppendError::Store)?;
        let rows: Vec<(i64, String, String, String, String, Vec<u8>)> = with_pool!(self.store.backend(), pool => {
            sqlx::query_as(&sql)
                .bind(aggregate_type)
                .bind(aggregate_id)
                .bind(after)
                .fetch_all(pool)
                .await
                .map_err(|e| AppendError::Store(e.into()))?
        });
        let mut tip = None;
        let mut events = Vec::with_capacity(rows.len());
        for (sequence, event_type, event_version, payload, metadata, hash) in rows {
            tip = Some(<[u8; 32]>::try_from(hash.as_slice()).map_err(|_| {
                AppendError::Store(StoreError::Corrupt("stored hash is not 32 bytes".into()))
            })?);
            events.push(SerializedEvent {
                aggregate_id: aggregate_id.to_owned(),
                sequence: usize::try_from(sequence).map_err(|_| {
                    AppendError::Store(StoreError::Corrupt("negative sequence".into()))
                })?,
                aggregate_type: aggregate_type.to_owned(),
                event_type,
                event_version,
                payload: serde_json::from_str(&payload).map_err(PersistenceError::from)?,
                metadata: serde_json::from_str(&metadata).map_err(PersistenceError::from)?,
            });
        }
        Ok((events, tip))
    }

    /// Appends a command's events (and a snapshot), linking them to `tip` (the sequence and
    /// hash of the stream's last event, as loading found it) or, without it, to the last
    /// event read again.
    pub(crate) async fn append(
        &self,
        aggregate_type: &str,
        events: &[SerializedEvent],
        snapshot: Option<SnapshotUpdate>,
        tip: Option<(usize, [u8; 32])>,
    ) -> Result<(), PersistenceError> {
        if events.is_empty() && snapshot.is_none() {
            return Ok(());
        }
        self.write(aggregate_type, events, snapshot, tip)
            .await
            .map_err(PersistenceError::from)
    }

    async fn write(
        &self,
        aggregate_type: &str,
        events: &[SerializedEvent],
        snapshot: Option<SnapshotUpdate>,
        tip: Option<(usize, [u8; 32])>,
    ) -> Result<(), AppendError> {
        let rows = self.chain(aggregate_type, events, tip).await?;
        let dialect = self.store.dialect();
        let insert = (!rows.is_empty()).then(|| insert_sql(dialect, rows.len()));
        let snapshot = match snapshot {
            Some((id, state, number)) => Some((
                id,
                serde_json::to_string(&state).map_err(StoreError::from)?,
                sequence_i64(number)?,
                snapshot_sql(dialect, number == 1),
            )),
            None => None,
        };
        let snapshot_sequence = rows.last().map_or(0, |r| r.sequence);
        with_pool!(self.store.backend(), pool => {
            let bind_rows = |sql| {
                rows.iter().fold(sqlx::query(sql), |query, row| {
                    query
                        .bind(aggregate_type)
                        .bind(row.event.aggregate_id.as_str())
                        .bind(row.sequence)
                        .bind(row.event.event_type.as_str())
                        .bind(row.event.event_version.as_str())
                        .bind(row.payload.as_str())
                        .bind(row.metadata.as_str())
                        .bind(row.recorded_at)
                        .bind(row.prev_hash.as_slice())
                        .bind(row.hash.as_slice())
                })
            };
            match (&insert, &snapshot) {
                // One statement is atomic by itself: no transaction, fewer round trips.
                (Some(insert), None) => {
                    bind_rows(insert).execute(pool).await.map_err(conflict)?;
                }
                (insert, Some((id, state, number, sql))) => {
                    let mut tx = pool.begin().await.map_err(StoreError::from)?;
                    if let Some(insert) = insert {
                        bind_rows(insert).execute(&mut *tx).await.map_err(conflict)?;
                    }
                    let written = sqlx::query(sql)
                        .bind(aggregate_type)
                        .bind(id.as_str())
                        .bind(snapshot_sequence)
                        .bind(*number)
                        .bind(state.as_str())
                        .execute(&mut *tx)
                        .await
                        .map_err(conflict)?;
                    if written.rows_affected() != 1 {
                        return Err(AppendError::Conflict);
                    }
                    tx.commit().await.map_err(conflict)?;
                }
                (None, None) => {}
            }
        });
        self.store.notify_appended();
        Ok(())
    }
}

/// Why an append failed.
#[derive(Debug)]
enum AppendError {
    /// Another writer appended to the stream first.
    Conflict,
    /// Anything else.
    Store(StoreError),
}

impl From<StoreError> for AppendError {
    fn from(error: StoreError) -> Self {
        Self::Store(error)
    }
}

fn conflict(error: sqlx::Error) -> AppendError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => AppendError::Conflict,
        _ => AppendError::Store(StoreError::Database(error)),
    }
}

impl From<AppendError> for PersistenceError {
    fn from(error: AppendError) -> Self {
        match error {
            AppendError::Conflict => PersistenceError::OptimisticLockError,
            AppendError::Store(StoreError::Database(e)) => {
                PersistenceError::ConnectionError(Box::new(e))
            }
            AppendError::Store(e) => PersistenceError::UnknownError(Box::new(e)),
        }
    }
}

impl PersistedEventRepository for ChainedRepository {
    async fn get_events<A: Aggregate>(
        &self,
        aggregate_id: &str,
    ) -> Result<Vec<SerializedEvent>, PersistenceError> {
        match &self.reader {
            Reader::Postgres(r) => r.get_events::<A>(aggregate_id).await,
            Reader::Sqlite(r) => r.get_events::<A>(aggregate_id).await,
        }
    }

    async fn get_last_events<A: Aggregate>(
        &self,
        aggregate_id: &str,
        last_sequence: usize,
    ) -> Result<Vec<SerializedEvent>, PersistenceError> {
        match &self.reader {
            Reader::Postgres(r) => r.get_last_events::<A>(aggregate_id, last_sequence).await,
            Reader::Sqlite(r) => r.get_last_events::<A>(aggregate_id, last_sequence).await,
        }
    }

    async fn get_snapshot<A: Aggregate>(
        &self,
        aggregate_id: &str,
    ) -> Result<Option<SerializedSnapshot>, PersistenceError> {
        match &self.reader {
            Reader::Postgres(r) => r.get_snapshot::<A>(aggregate_id).await,
            Reader::Sqlite(r) => r.get_snapshot::<A>(aggregate_id).await,
        }
    }

    async fn persist<A: Aggregate>(
        &self,
        events: &[SerializedEvent],
        snapshot_update: Option<(String, Value, usize)>,
    ) -> Result<(), PersistenceError> {
        self.append(A::TYPE, events, snapshot_update, None).await
    }

    async fn stream_events<A: Aggregate>(
        &self,
        aggregate_id: &str,
    ) -> Result<ReplayStream, PersistenceError> {
        match &self.reader {
            Reader::Postgres(r) => r.stream_events::<A>(aggregate_id).await,
            Reader::Sqlite(r) => r.stream_events::<A>(aggregate_id).await,
        }
    }

    async fn stream_all_events<A: Aggregate>(&self) -> Result<ReplayStream, PersistenceError> {
        match &self.reader {
            Reader::Postgres(r) => r.stream_all_events::<A>().await,
            Reader::Sqlite(r) => r.stream_all_events::<A>().await,
        }
    }
}
