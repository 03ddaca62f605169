//! The ordered global log: every event of every aggregate type, in an order a reader can
//! trust.
//!
//! On PostgreSQL, global positions are handed out at insert time, but transactions commit in
//! any order: a reader that followed positions alone could pass position 11 (committed)
//! while 10 (still in flight) is invisible, and never come back for it. So each event also
//! records its writing transaction id (`xid8`), the log is ordered by
//! (transaction id, position), and a reader only reads events of transactions older than the
//! oldest transaction still running (`pg_snapshot_xmin`): no transaction can commit below
//! that line any more, so nothing can appear behind a reader. An event is therefore
//! readable a moment after its commit, once every transaction that started before it ended.
//! On SQLite there is one writer at a time and positions are already commit order.
//!
//! A reader keeps a [`Cursor`] (the last event it processed) and asks for what follows.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::Row;
use sqlx::types::Json;

use crate::config::BackendKind;
use crate::error::StoreError;
use crate::store::{Store, with_pool};

/// Where a reader stands: the last event it processed. Ordered as the log is.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Cursor {
    /// The writing transaction of that event (its position, on SQLite).
    pub transaction: i64,
    /// Its global position.
    pub position: i64,
}

impl Cursor {
    /// Before the first event.
    pub const START: Self = Self {
        transaction: 0,
        position: 0,
    };
}

/// One event as the global log returns it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecordedEvent {
    /// Global position: unique, identifies the event.
    pub position: i64,
    /// Writing transaction (see [`Cursor`]).
    pub transaction: i64,
    /// `Aggregate::TYPE`.
    pub aggregate_type: String,
    /// The stream.
    pub aggregate_id: String,
    /// Position in the stream, from 1.
    pub sequence: i64,
    /// Event name (`FileReferred`).
    pub event_type: String,
    /// Event schema version.
    pub event_version: String,
    /// The event, as cqrs-es serialized it.
    pub payload: Value,
    /// The audit metadata (see `kernel::EventMetadata::from_map`).
    pub metadata: HashMap<String, String>,
    /// When the platform recorded it.
    pub recorded_at: DateTime<Utc>,
    /// Its hash in its stream's chain.
    pub hash: Vec<u8>,
}

impl RecordedEvent {
    /// This event as a cursor: a reader that processed it continues after it.
    pub fn cursor(&self) -> Cursor {
        Cursor {
            transaction: self.transaction,
            position: self.position,
        }
    }

    /// The payload as aggregate `A`'s event type.
    pub fn decode<E: serde::de::DeserializeOwned>(&self) -> Result<E, serde_json::Error> {
        E::deserialize(&self.payload)
    }
}

/// The global log of a store. Cheap to clone.
#[derive(Clone, Debug)]
pub struct GlobalLog {
    store: Store,
}

const COLUMNS: &str = "global_position, aggregate_type, aggregate_id, sequence, event_type, \
     event_version, payload, metadata, recorded_at, hash";

/// Only what no transaction can still add to.
const PG_VISIBLE: &str = "transaction_id < pg_snapshot_xmin(pg_current_snapshot())";

fn event_from_row<R: Row>(row: &R, transaction: i64) -> Result<RecordedEvent, sqlx::Error>
where
    for<'r> &'r str: sqlx::ColumnIndex<R>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Vec<u8>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Json<Value>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Json<HashMap<String, String>>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> DateTime<Utc>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    Ok(RecordedEvent {
        position: row.try_get("global_position")?,
        transaction,
        aggregate_type: row.try_get("aggregate_type")?,
        aggregate_id: row.try_get("aggregate_id")?,
        sequence: row.try_get("sequence")?,
        event_type: row.try_get("event_type")?,
        event_version: row.try_get("event_version")?,
        payload: row.try_get::<Json<Value>, _>("payload")?.0,
        metadata: row
            .try_get::<Json<HashMap<String, String>>, _>("metadata")?
            .0,
        recorded_at: row.try_get("recorded_at")?,
        hash: row.try_get("hash")?,
    })
}

impl GlobalLog {
    pub(crate) fn new(store: Store) -> Self {
        Self { store }
    }

    /// Up to `limit` events after `after`, in log order, and not past `until` when given
    /// (to rebuild "as of" a point).
    pub async fn read(
        &self,
        after: Cursor,
        until: Option<Cursor>,
        limit: u32,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        self.read_types(after, until, &[], limit).await
    }

    /// As [`read`](Self::read), keeping only events of `aggregate_types` (all when empty):
    /// reports fold only their own domain's events.
    pub async fn read_types(
        &self,
        after: Cursor,
        until: Option<Cursor>,
        aggregate_types: &[&str],
        limit: u32,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let until = until.unwrap_or(Cursor {
            transaction: i64::MAX,
            position: i64::MAX,
        });
        let kind = self.store.kind();
        // Placeholders for the type filter follow the fixed parameters of each dialect.
        let first_type_parameter = match kind {
            BackendKind::Postgres => 6,
            BackendKind::Sqlite => 4,
        };
        let type_filter = if aggregate_types.is_empty() {
            String::new()
        } else {
            let placeholders: Vec<String> = (0..aggregate_types.len())
                .map(|i| format!("${}", first_type_parameter + i))
                .collect();
            format!("AND aggregate_type IN ({})", placeholders.join(", "))
        };
        let sql = match kind {
            // `events.` in ORDER BY: the bare name would be the bigint output column, which no
            // index orders, and every batch would sort the whole rest of the log.
            BackendKind::Postgres => format!(
                "SELECT transaction_id::text::bigint AS transaction_id, {COLUMNS} FROM events \
                 WHERE (transaction_id, global_position) > ($1::text::xid8, $2) \
                   AND (transaction_id, global_position) <= ($3::text::xid8, $4) \
                   AND {PG_VISIBLE} {type_filter} \
                 ORDER BY events.transaction_id, events.global_position LIMIT $5"
            ),
            BackendKind::Sqlite => format!(
                "SELECT global_position AS transaction_id, {COLUMNS} FROM events \
                 WHERE global_position > $1 AND global_position <= $2 {type_filter} \
                 ORDER BY global_position LIMIT $3"
            ),
        };
        with_pool!(self.store.backend(), pool => {
            let query = sqlx::query(&sql);
            let query = match kind {
                BackendKind::Postgres => query
                    .bind(after.transaction)
                    .bind(after.position)
                    .bind(until.transaction)
                    .bind(until.position),
                BackendKind::Sqlite => query.bind(after.position).bind(until.position),
            };
            let query = aggregate_types
                .iter()
                .fold(query.bind(i64::from(limit)), |query, t| query.bind(*t));
            let rows = query.fetch_all(pool).await?;
            rows.iter()
                .map(|row| {
                    let transaction = row.try_get("transaction_id")?;
                    event_from_row(row, transaction)
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()
                .map_err(StoreError::from)
        })
    }

    /// The cursor of the last event recorded at or before `at` (log order), for reading
    /// "as of a date"; [`Cursor::START`] when there is none. Transactions running across
    /// `at` may put a few events recorded just after it before that cursor.
    pub async fn cursor_as_of(&self, at: DateTime<Utc>) -> Result<Cursor, StoreError> {
        let sql = match self.store.kind() {
            BackendKind::Postgres => format!(
                "SELECT transaction_id::text::bigint, global_position FROM events \
                 WHERE recorded_at <= $1 AND {PG_VISIBLE} \
                 ORDER BY events.transaction_id DESC, events.global_position DESC LIMIT 1"
            ),
            BackendKind::Sqlite => "SELECT global_position, global_position FROM events \
                 WHERE recorded_at <= $1 ORDER BY global_position DESC LIMIT 1"
                .to_owned(),
        };
        let found: Option<(i64, i64)> = with_pool!(self.store.backend(), pool => {
            sqlx::query_as(&sql).bind(at).fetch_optional(pool).await?
        });
        Ok(
            found.map_or(Cursor::START, |(transaction, position)| Cursor {
                transaction,
                position,
            }),
        )
    }

    /// Every event of one stream, in sequence order, up to `until` in log order when given.
    pub async fn stream(
        &self,
        aggregate_type: &str,
        aggregate_id: &str,
        until: Option<Cursor>,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let transaction = match self.store.kind() {
            BackendKind::Postgres => "transaction_id::text::bigint",
            BackendKind::Sqlite => "global_position",
        };
        let sql = format!(
            "SELECT {transaction} AS transaction_id, {COLUMNS} FROM events \
             WHERE aggregate_type = $1 AND aggregate_id = $2 ORDER BY sequence"
        );
        let events: Vec<RecordedEvent> = with_pool!(self.store.backend(), pool => {
            let rows = sqlx::query(&sql)
                .bind(aggregate_type)
                .bind(aggregate_id)
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|row| {
                    let transaction = row.try_get("transaction_id")?;
                    event_from_row(row, transaction)
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()?
        });
        Ok(match until {
            Some(until) => events.into_iter().filter(|e| e.cursor() <= until).collect(),
            None => events,
        })
    }

    /// How many events the store holds (all of them, visible or not yet).
    pub async fn count(&self) -> Result<u64, StoreError> {
        let count: i64 = with_pool!(self.store.backend(), pool => {
            sqlx::query_scalar("SELECT count(*) FROM events").fetch_one(pool).await?
        });
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// The cursor of the event at `position`.
    pub async fn cursor_at(&self, position: i64) -> Result<Cursor, StoreError> {
        let sql = match self.store.kind() {
            BackendKind::Postgres => {
                "SELECT transaction_id::text::bigint FROM events WHERE global_position = $1"
            }
            BackendKind::Sqlite => "SELECT global_position FROM events WHERE global_position = $1",
        };
        let transaction: Option<i64> = with_pool!(self.store.backend(), pool => {
            sqlx::query_scalar(sql).bind(position).fetch_optional(pool).await?
        });
        transaction
            .map(|transaction| Cursor {
                transaction,
                position,
            })
            .ok_or(StoreError::UnknownPosition(position))
    }

    /// The last event a reader can see now ([`Cursor::START`] for an empty log).
    pub async fn head(&self) -> Result<Cursor, StoreError> {
        let sql = match self.store.kind() {
            BackendKind::Postgres => format!(
                "SELECT transaction_id::text::bigint, global_position FROM events \
                 WHERE {PG_VISIBLE} ORDER BY events.transaction_id DESC, events.global_position DESC LIMIT 1"
            ),
            BackendKind::Sqlite => "SELECT global_position, global_position FROM events \
                 ORDER BY global_position DESC LIMIT 1"
                .to_owned(),
        };
        let head: Option<(i64, i64)> = with_pool!(self.store.backend(), pool => {
            sqlx::query_as(&sql).fetch_optional(pool).await?
        });
        Ok(
            head.map_or(Cursor::START, |(transaction, position)| Cursor {
                transaction,
                position,
            }),
        )
    }

    /// How many readable events follow `after`, counting no further than `cap` (a lag
    /// figure for health checks must stay cheap however far behind a reader is).
    pub async fn count_after(&self, after: Cursor, cap: u32) -> Result<u64, StoreError> {
        let kind = self.store.kind();
        let sql = match kind {
            BackendKind::Postgres => format!(
                "SELECT count(*) FROM (SELECT 1 FROM events \
                 WHERE (transaction_id, global_position) > ($1::text::xid8, $2) AND {PG_VISIBLE} \
                 LIMIT $3) AS lagging"
            ),
            BackendKind::Sqlite => "SELECT count(*) FROM (SELECT 1 FROM events \
                 WHERE global_position > $1 LIMIT $2) AS lagging"
                .to_owned(),
        };
        let count: i64 = with_pool!(self.store.backend(), pool => {
            let query = sqlx::query_scalar(&sql);
            let query = match kind {
                BackendKind::Postgres => query.bind(after.transaction).bind(after.position),
                BackendKind::Sqlite => query.bind(after.position),
            };
            query.bind(i64::from(cap)).fetch_one(pool).await?
        });
        Ok(u64::try_from(count).unwrap_or(0))
    }
}
