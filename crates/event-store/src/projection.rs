//! The projection runner: named projections fed from the global log, with durable
//! checkpoints.
//!
//! A projection turns events into rows of a read model. The runner reads the global log in
//! batches after the projection's checkpoint, applies each event, and writes the new
//! checkpoint in the same transaction as the rows, so a crash never applies an event twice
//! nor skips one. Projections write through `sqlx::Any`, so one piece of SQL serves both
//! backends.
//!
//! Each projection runs in its own task, in one process at a time: several processes on one
//! PostgreSQL elect a leader per projection ([`crate::leadership`]), and each batch locks the
//! projection's checkpoint row, so even two runners at once apply every event exactly once.
//! Each projection task One that fails on an event stops there, loudly
//! (an error in the log, `Failed` in its status, the event's position), and the others go
//! on; a database outage is not a failure of the projection: it retries with back-off until
//! the database answers. A rebuild deletes the read model and its checkpoint in one
//! transaction and replays from position zero.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{SecondsFormat, Utc};
use serde::Serialize;
use sqlx::AnyConnection;
use tokio::sync::Mutex;
use tokio_util::sync::CancellationToken;

use crate::error::StoreError;
use crate::leadership::Lease;
use crate::log::{Cursor, GlobalLog, RecordedEvent};
use crate::store::Store;

/// Why a projection could not apply an event.
#[derive(Debug, thiserror::Error)]
pub enum ProjectionError {
    /// The database refused a statement or could not be reached.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// The event's payload is not what the projection expects.
    #[error("cannot decode event: {0}")]
    Decode(#[from] serde_json::Error),
    /// Anything else the projection finds wrong.
    #[error("{0}")]
    Invalid(String),
    /// A service the projection needs (the key vault, a directory) did not answer: the
    /// runner retries later instead of stopping the projection.
    #[error("unavailable: {0}")]
    Unavailable(String),
}

/// A read model fed by the global log.
#[async_trait]
pub trait Projection: Send + Sync {
    /// A stable name: the key of its checkpoint. Renaming it rebuilds it.
    fn name(&self) -> &str;

    /// Applies one event, writing through `tx` (the transaction that also moves the
    /// checkpoint). Events of no interest are simply ignored.
    async fn apply(
        &self,
        tx: &mut AnyConnection,
        event: &RecordedEvent,
    ) -> Result<(), ProjectionError>;

    /// The tables of its read model: a rebuild empties them, an auditor compares them
    /// with a rebuild.
    fn tables(&self) -> &[&'static str];

    /// Deletes every row of the read model, before a rebuild.
    async fn reset(&self, tx: &mut AnyConnection) -> Result<(), ProjectionError> {
        for table in self.tables() {
            sqlx::query(&format!("DELETE FROM {table}"))
                .execute(&mut *tx)
                .await?;
        }
        Ok(())
    }
}

/// Why the runner stopped a projection or could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum RunnerError {
    /// No projection has that name.
    #[error("no projection named `{0}`")]
    UnknownProjection(String),
    /// Two projections share a name.
    #[error("a projection named `{0}` is already registered")]
    DuplicateName(String),
    /// The projection failed on an event; it stays stopped there until fixed and restarted.
    #[error("projection `{name}` failed at position {position}: {source}")]
    Failed {
        /// The projection.
        name: String,
        /// The event it failed on.
        position: i64,
        /// Why.
        #[source]
        source: ProjectionError,
    },
    /// The store failed (reading the log, writing the checkpoint).
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl RunnerError {
    /// Whether trying again later may succeed (the database was unreachable).
    pub fn is_transient(&self) -> bool {
        if matches!(
            self,
            Self::Failed {
                source: ProjectionError::Unavailable(_),
                ..
            }
        ) {
            return true;
        }
        let database = match self {
            Self::Store(StoreError::Database(e)) => e,
            Self::Failed {
                source: ProjectionError::Database(e),
                ..
            } => e,
            _ => return false,
        };
        matches!(
            database,
            sqlx::Error::Io(_)
                | sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::Protocol(_)
                | sqlx::Error::WorkerCrashed
        )
    }
}

/// What a projection is doing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ProjectionState {
    /// Not started yet.
    Idle,
    /// Following the log.
    Running,
    /// Another process runs it (several processes on one PostgreSQL): this one waits to
    /// take over should that one stop.
    Standby,
    /// Waiting for the database to come back.
    Retrying {
        /// The last error.
        error: String,
    },
    /// Stopped on an event it could not apply.
    Failed {
        /// At which event.
        position: i64,
        /// Why.
        error: String,
    },
    /// Stopped by shutdown.
    Stopped,
}

/// A projection's state and where it stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProjectionStatus {
    /// Its name.
    pub name: String,
    /// What it is doing.
    #[serde(flatten)]
    pub state: ProjectionState,
    /// Its checkpoint.
    pub checkpoint: Cursor,
    /// Events applied since its last rebuild.
    pub events_applied: i64,
}

/// A checkpoint row (transaction, position, events applied) as a cursor and a count; the
/// start of the log when there is none.
fn checkpoint_of(row: Option<(i64, i64, i64)>) -> (Cursor, i64) {
    row.map_or((Cursor::START, 0), |(transaction, position, applied)| {
        (
            Cursor {
                transaction,
                position,
            },
            applied,
        )
    })
}

/// Replays `source`'s log up to `until` (all of it when `None`) through `projection` into
/// `target`, a scratch store (an empty SQLite file, a fresh database) whose migrations give
/// the read model's tables: the read model "as of" a position or a date, for an auditor or
/// a reproducible report, without touching the live one. Returns the events applied.
pub async fn replay_into(
    source: &GlobalLog,
    target: &Store,
    projection: &dyn Projection,
    until: Option<Cursor>,
    batch_size: u32,
) -> Result<u64, RunnerError> {
    let mut cursor = Cursor::START;
    let mut applied = 0;
    loop {
        let events = source.read(cursor, until, batch_size.max(1)).await?;
        let Some(last) = events.last() else {
            return Ok(applied);
        };
        let mut tx = target.any_pool().begin().await.map_err(StoreError::from)?;
        for event in &events {
            projection
                .apply(&mut tx, event)
                .await
                .map_err(|source| RunnerError::Failed {
                    name: projection.name().to_owned(),
                    position: event.position,
                    source,
                })?;
        }
        tx.commit().await.map_err(StoreError::from)?;
        cursor = last.cursor();
        applied += events.len() as u64;
    }
}

/// Tuning of the runner.
#[derive(Clone, Copy, Debug)]
pub struct RunnerSettings {
    /// Events per transaction.
    pub batch_size: u32,
    /// How long an idle projection waits before looking at the log again when no append of
    /// this process woke it (appends of other processes, late commits).
    pub idle_poll: Duration,
    /// Longest wait between retries while the database is away.
    pub max_backoff: Duration,
}

impl Default for RunnerSettings {
    fn default() -> Self {
        Self {
            batch_size: 500,
            idle_poll: Duration::from_millis(500),
            max_backoff: Duration::from_secs(10),
        }
    }
}

struct Registered {
    projection: Arc<dyn Projection>,
    /// Serializes catch-up and rebuild of one projection.
    lock: Mutex<()>,
}

/// A batch of events to apply in one transaction.
struct Batch {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    /// Events applied before this batch.
    applied: i64,
    events: Vec<RecordedEvent>,
}

/// Runs projections. Cheap to clone (shared state).
#[derive(Clone)]
pub struct ProjectionRunner {
    store: Store,
    log: GlobalLog,
    settings: RunnerSettings,
    projections: Arc<HashMap<String, Arc<Registered>>>,
    statuses: Arc<RwLock<HashMap<String, ProjectionStatus>>>,
}

impl std::fmt::Debug for ProjectionRunner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProjectionRunner")
            .field("projections", &self.projections.keys().collect::<Vec<_>>())
            .field("settings", &self.settings)
            .finish()
    }
}

const SELECT_CHECKPOINT: &str = "SELECT transaction_id, position, events_applied \
     FROM projection_checkpoints WHERE name = $1";
const UPSERT_CHECKPOINT: &str = "INSERT INTO projection_checkpoints \
     (name, position, transaction_id, events_applied, updated_at) VALUES ($1, $2, $3, $4, $5) \
     ON CONFLICT (name) DO UPDATE SET position = excluded.position, \
     transaction_id = excluded.transaction_id, events_applied = excluded.events_applied, \
     updated_at = excluded.updated_at";
const DELETE_CHECKPOINT: &str = "DELETE FROM projection_checkpoints WHERE name = $1";
const INSERT_START_CHECKPOINT: &str = "INSERT INTO projection_checkpoints \
     (name, position, transaction_id, events_applied, updated_at) VALUES ($1, $2, $3, 0, $4) \
     ON CONFLICT (name) DO NOTHING";

impl ProjectionRunner {
    /// A runner of `projections` over `store`.
    pub fn new(
        store: Store,
        settings: RunnerSettings,
        projections: Vec<Arc<dyn Projection>>,
    ) -> Result<Self, RunnerError> {
        let mut registered = HashMap::new();
        let mut statuses = HashMap::new();
        for projection in projections {
            let name = projection.name().to_owned();
            statuses.insert(
                name.clone(),
                ProjectionStatus {
                    name: name.clone(),
                    state: ProjectionState::Idle,
                    checkpoint: Cursor::START,
                    events_applied: 0,
                },
            );
            let entry = Arc::new(Registered {
                projection,
                lock: Mutex::new(()),
            });
            if registered.insert(name.clone(), entry).is_some() {
                return Err(RunnerError::DuplicateName(name));
            }
        }
        Ok(Self {
            log: store.log(),
            store,
            settings,
            projections: Arc::new(registered),
            statuses: Arc::new(RwLock::new(statuses)),
        })
    }

    /// Every projection's state, by name.
    pub fn statuses(&self) -> Vec<ProjectionStatus> {
        let mut all: Vec<_> = self
            .statuses
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .cloned()
            .collect();
        all.sort_by(|a, b| a.name.cmp(&b.name));
        all
    }

    /// How many events each projection has yet to apply (counted up to `cap`).
    pub async fn lag(&self, cap: u32) -> Result<Vec<(String, u64)>, RunnerError> {
        let mut lags = Vec::with_capacity(self.projections.len());
        for name in self.projections.keys() {
            let (checkpoint, _) = self.load_checkpoint(name).await?;
            lags.push((name.clone(), self.log.count_after(checkpoint, cap).await?));
        }
        lags.sort();
        Ok(lags)
    }

    fn registered(&self, name: &str) -> Result<&Arc<Registered>, RunnerError> {
        self.projections
            .get(name)
            .ok_or_else(|| RunnerError::UnknownProjection(name.to_owned()))
    }

    fn update_status(&self, name: &str, change: impl FnOnce(&mut ProjectionStatus)) {
        if let Some(status) = self
            .statuses
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .get_mut(name)
        {
            change(status);
        }
    }

    fn set_state(&self, name: &str, state: ProjectionState) {
        self.update_status(name, |status| status.state = state);
    }

    fn set_checkpoint(&self, name: &str, checkpoint: Cursor, events_applied: i64) {
        self.update_status(name, |status| {
            status.checkpoint = checkpoint;
            status.events_applied = events_applied;
        });
    }

    /// The next batch: its transaction, the checkpoint as stored (locked until the
    /// transaction ends) and the events after it; `None` when there are none.
    ///
    /// On SQLite, one process owns the file and the projection's mutex is the lock; the
    /// transaction begins IMMEDIATE, taking the write lock at once (waiting for it as long
    /// as the busy timeout allows): a deferred one that read first would fail, without
    /// waiting, when it came to write while another projection held the lock. It begins
    /// only when there is something to apply, so idle projections never take that lock.
    async fn next_batch(&self, name: &str) -> Result<Option<Batch>, StoreError> {
        let pool = self.store.any_pool();
        if self.store.kind() == crate::BackendKind::Sqlite {
            let (checkpoint, applied) = self.load_checkpoint(name).await?;
            let events = self
                .log
                .read(checkpoint, None, self.settings.batch_size)
                .await?;
            if events.is_empty() {
                return Ok(None);
            }
            let tx = pool.begin_with("BEGIN IMMEDIATE").await?;
            return Ok(Some(Batch {
                tx,
                applied,
                events,
            }));
        }
        let mut tx = pool.begin().await?;
        let (checkpoint, applied) = self.lock_checkpoint(&mut tx, name).await?;
        let events = self
            .log
            .read(checkpoint, None, self.settings.batch_size)
            .await?;
        Ok((!events.is_empty()).then_some(Batch {
            tx,
            applied,
            events,
        }))
    }

    /// A transaction holding the projection's checkpoint (its row lock on PostgreSQL, the
    /// write lock on SQLite).
    async fn begin_exclusive(
        &self,
        name: &str,
    ) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        let pool = self.store.any_pool();
        if self.store.kind() == crate::BackendKind::Sqlite {
            return Ok(pool.begin_with("BEGIN IMMEDIATE").await?);
        }
        let mut tx = pool.begin().await?;
        self.lock_checkpoint(&mut tx, name).await?;
        Ok(tx)
    }

    /// The checkpoint as stored, its row locked until `tx` ends (PostgreSQL).
    async fn lock_checkpoint(
        &self,
        tx: &mut AnyConnection,
        name: &str,
    ) -> Result<(Cursor, i64), StoreError> {
        let sql = format!("{SELECT_CHECKPOINT} FOR UPDATE");
        let row: Option<(i64, i64, i64)> = sqlx::query_as(&sql)
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?;
        if row.is_some() {
            return Ok(checkpoint_of(row));
        }
        // A first run: create the row so that there is something to lock.
        sqlx::query(INSERT_START_CHECKPOINT)
            .bind(name)
            .bind(Cursor::START.position)
            .bind(Cursor::START.transaction)
            .bind(Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true))
            .execute(&mut *tx)
            .await?;
        let row: Option<(i64, i64, i64)> = sqlx::query_as(&sql)
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?;
        Ok(checkpoint_of(row))
    }

    async fn load_checkpoint(&self, name: &str) -> Result<(Cursor, i64), StoreError> {
        let row: Option<(i64, i64, i64)> = sqlx::query_as(SELECT_CHECKPOINT)
            .bind(name)
            .fetch_optional(self.store.any_pool())
            .await?;
        Ok(checkpoint_of(row))
    }

    /// Applies every readable event after the projection's checkpoint; returns how many.
    pub async fn catch_up(&self, name: &str) -> Result<u64, RunnerError> {
        let registered = self.registered(name)?;
        let _exclusive = registered.lock.lock().await;
        self.catch_up_locked(name, registered.projection.as_ref())
            .await
    }

    async fn catch_up_locked(
        &self,
        name: &str,
        projection: &dyn Projection,
    ) -> Result<u64, RunnerError> {
        let (checkpoint, applied) = self.load_checkpoint(name).await?;
        self.set_checkpoint(name, checkpoint, applied);
        let mut total = 0;
        loop {
            // Whoever else ran this projection meanwhile (another process, a rebuild) has
            // moved the checkpoint: go on from where it is now, under its row lock.
            let Some(Batch {
                mut tx,
                mut applied,
                events,
            }) = self.next_batch(name).await?
            else {
                return Ok(total);
            };
            let Some(last) = events.last() else {
                return Ok(total);
            };
            for event in &events {
                projection
                    .apply(&mut tx, event)
                    .await
                    .map_err(|source| RunnerError::Failed {
                        name: name.to_owned(),
                        position: event.position,
                        source,
                    })?;
            }
            let count = events.len() as u64;
            applied += i64::try_from(count).unwrap_or(i64::MAX);
            let checkpoint = last.cursor();
            sqlx::query(UPSERT_CHECKPOINT)
                .bind(name)
                .bind(checkpoint.position)
                .bind(checkpoint.transaction)
                .bind(applied)
                .bind(Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true))
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from)?;
            tx.commit().await.map_err(StoreError::from)?;
            self.set_checkpoint(name, checkpoint, applied);
            total += count;
        }
    }

    /// Deletes the projection's rows and checkpoint (one transaction) and replays the whole
    /// log; returns how many events were applied.
    pub async fn rebuild(&self, name: &str) -> Result<u64, RunnerError> {
        let registered = self.registered(name)?;
        let _exclusive = registered.lock.lock().await;
        // Waits for a runner of another process to finish its batch.
        let mut tx = self.begin_exclusive(name).await?;
        registered
            .projection
            .reset(&mut tx)
            .await
            .map_err(|source| RunnerError::Failed {
                name: name.to_owned(),
                position: 0,
                source,
            })?;
        sqlx::query(DELETE_CHECKPOINT)
            .bind(name)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from)?;
        tx.commit().await.map_err(StoreError::from)?;
        self.catch_up_locked(name, registered.projection.as_ref())
            .await
    }

    /// Whether this process leads projection `name`: keeps `lease` if it is still held,
    /// else tries to take it.
    async fn lead(&self, name: &str, lease: &mut Option<Lease>) -> Result<bool, RunnerError> {
        if let Some(held) = lease {
            if held.is_held().await {
                return Ok(true);
            }
            tracing::warn!(
                projection = name,
                "lost the projection's lease; retaking it"
            );
            *lease = None;
        }
        *lease = self.store.try_lead(&format!("projection:{name}")).await?;
        Ok(lease.is_some())
    }

    /// Starts one task per projection, following the log until `shutdown` is cancelled.
    pub fn spawn(&self, shutdown: CancellationToken) -> Vec<tokio::task::JoinHandle<()>> {
        self.projections
            .keys()
            .map(|name| {
                let runner = self.clone();
                let name = name.clone();
                let shutdown = shutdown.clone();
                tokio::spawn(async move { runner.follow(&name, shutdown).await })
            })
            .collect()
    }

    async fn follow(&self, name: &str, shutdown: CancellationToken) {
        let mut appended = self.store.appended();
        let mut backoff = Duration::from_millis(100);
        let mut lease: Option<Lease> = None;
        loop {
            appended.borrow_and_update();
            let outcome = match self.lead(name, &mut lease).await {
                Ok(true) => self.catch_up(name).await,
                Ok(false) => {
                    self.set_state(name, ProjectionState::Standby);
                    tokio::select! {
                        () = shutdown.cancelled() => {
                            self.set_state(name, ProjectionState::Stopped);
                            return;
                        }
                        () = tokio::time::sleep(self.settings.idle_poll) => continue,
                    }
                }
                Err(error) => Err(error),
            };
            let wait = match outcome {
                Ok(_) => {
                    backoff = Duration::from_millis(100);
                    self.set_state(name, ProjectionState::Running);
                    self.settings.idle_poll
                }
                Err(error) if error.is_transient() => {
                    tracing::warn!(projection = name, %error, "projection waiting for the database");
                    self.set_state(
                        name,
                        ProjectionState::Retrying {
                            error: error.to_string(),
                        },
                    );
                    backoff = (backoff * 2).min(self.settings.max_backoff);
                    backoff
                }
                Err(error) => {
                    let position = match &error {
                        RunnerError::Failed { position, .. } => *position,
                        _ => 0,
                    };
                    tracing::error!(projection = name, position, %error, "projection stopped");
                    self.set_state(
                        name,
                        ProjectionState::Failed {
                            position,
                            error: error.to_string(),
                        },
                    );
                    // Another process may take it over: perhaps it runs a fixed version.
                    if let Some(lease) = lease.take() {
                        lease.release().await;
                    }
                    return;
                }
            };
            tokio::select! {
                () = shutdown.cancelled() => {
                    self.set_state(name, ProjectionState::Stopped);
                    if let Some(lease) = lease.take() {
                        lease.release().await;
                    }
                    return;
                }
                _ = appended.changed() => {}
                () = tokio::time::sleep(wait) => {}
            }
        }
    }
}
