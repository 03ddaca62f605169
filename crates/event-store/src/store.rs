//! The store: one database (PostgreSQL or SQLite), its migrations, and the handles every
//! other part of this crate works through.

use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, Once};
use std::time::Duration;

use cqrs_es::{Aggregate, CqrsFramework, Query};
use sqlx::any::AnyPoolOptions;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{AnyPool, PgPool, SqlitePool};
use tokio::sync::watch;

use crate::aggregate_store::ChainedEventStore;
use crate::config::{BackendKind, StoreConfig};
use crate::error::StoreError;
use crate::log::GlobalLog;
use crate::repository::ChainedRepository;

static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/postgres");
static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/sqlite");

/// Runs the same code on whichever typed pool a [`Backend`] holds. The body is compiled once
/// per backend, so sqlx's typed API serves both without writing every query twice; where
/// the SQL itself differs, the body picks it with [`Dialect`].
macro_rules! with_pool {
    ($backend:expr, $pool:ident => $body:expr) => {
        match $backend {
            $crate::store::Backend::Postgres($pool) => $body,
            $crate::store::Backend::Sqlite($pool) => $body,
        }
    };
}
pub(crate) use with_pool;

/// The SQL spelling of what differs between the backends.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Dialect(pub(crate) BackendKind);

impl Dialect {
    /// The cast that turns a text parameter into the `json` column type.
    pub(crate) fn json_cast(self) -> &'static str {
        match self.0 {
            BackendKind::Postgres => "::json",
            BackendKind::Sqlite => "",
        }
    }

    /// How to select a `json` column as text.
    pub(crate) fn json_text(self, column: &str) -> String {
        match self.0 {
            BackendKind::Postgres => format!("{column}::text AS {column}"),
            BackendKind::Sqlite => column.to_owned(),
        }
    }
}

/// The typed pool of the backend in use.
#[derive(Clone, Debug)]
pub enum Backend {
    /// PostgreSQL.
    Postgres(PgPool),
    /// SQLite.
    Sqlite(SqlitePool),
}

/// The cqrs-es framework for aggregate `A` on this store.
pub type Cqrs<A> = CqrsFramework<A, ChainedEventStore<A>>;

/// A connected, migrated store. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    backend: Backend,
    /// The same database through `sqlx::Any`, for projections: their SQL runs on both
    /// backends, in one transaction with their checkpoint.
    any: AnyPool,
    /// Bumped after every append, so that projection runners wake without polling.
    appended: watch::Sender<u64>,
    snapshot_every: usize,
}

impl Store {
    /// Connects to the database `config.url` names, creating an SQLite file (and its folder)
    /// if needed, and applies pending migrations.
    pub async fn connect(config: &StoreConfig) -> Result<Self, StoreError> {
        static INSTALL_ANY_DRIVERS: Once = Once::new();
        INSTALL_ANY_DRIVERS.call_once(sqlx::any::install_default_drivers);

        let acquire_timeout = Duration::from_secs(config.acquire_timeout_seconds);
        let kind = BackendKind::of_url(&config.url)
            .ok_or_else(|| StoreError::UnsupportedUrl(scheme_of(&config.url)))?;
        let backend = match kind {
            BackendKind::Postgres => {
                let options = PgConnectOptions::from_str(&config.url)?;
                let pool = PgPoolOptions::new()
                    .max_connections(config.max_connections)
                    .acquire_timeout(acquire_timeout)
                    .connect_with(options)
                    .await?;
                POSTGRES_MIGRATIONS.run(&pool).await?;
                Backend::Postgres(pool)
            }
            BackendKind::Sqlite => {
                let options = SqliteConnectOptions::from_str(&config.url)?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(10))
                    .foreign_keys(true);
                if let Some(folder) = options.get_filename().parent()
                    && folder != Path::new("")
                {
                    std::fs::create_dir_all(folder)?;
                }
                let pool = SqlitePoolOptions::new()
                    .max_connections(config.max_connections)
                    .acquire_timeout(acquire_timeout)
                    .connect_with(options)
                    .await?;
                SQLITE_MIGRATIONS.run(&pool).await?;
                Backend::Sqlite(pool)
            }
        };
        let any = AnyPoolOptions::new()
            .max_connections(config.max_connections.clamp(1, 8))
            .acquire_timeout(acquire_timeout)
            .connect(&config.url)
            .await?;
        let (appended, _) = watch::channel(0);
        Ok(Self {
            inner: Arc::new(Inner {
                backend,
                any,
                appended,
                snapshot_every: config.snapshot_every,
            }),
        })
    }

    /// Opens an existing store for reading only: no migration runs, SQLite opens the file
    /// read-only, PostgreSQL sessions are read-only transactions. For auditors.
    pub async fn open_read_only(config: &StoreConfig) -> Result<Self, StoreError> {
        static INSTALL_ANY_DRIVERS: Once = Once::new();
        INSTALL_ANY_DRIVERS.call_once(sqlx::any::install_default_drivers);
        let acquire_timeout = Duration::from_secs(config.acquire_timeout_seconds);
        let kind = BackendKind::of_url(&config.url)
            .ok_or_else(|| StoreError::UnsupportedUrl(scheme_of(&config.url)))?;
        let (backend, any_url) = match kind {
            BackendKind::Postgres => {
                let options = PgConnectOptions::from_str(&config.url)?
                    .options([("default_transaction_read_only", "on")]);
                let pool = PgPoolOptions::new()
                    .max_connections(config.max_connections)
                    .acquire_timeout(acquire_timeout)
                    .connect_with(options)
                    .await?;
                let separator = if config.url.contains('?') { '&' } else { '?' };
                let any_url = format!(
                    "{}{separator}options=-c%20default_transaction_read_only%3Don",
                    config.url
                );
                (Backend::Postgres(pool), any_url)
            }
            BackendKind::Sqlite => {
                let options = SqliteConnectOptions::from_str(&config.url)?.read_only(true);
                let pool = SqlitePoolOptions::new()
                    .max_connections(config.max_connections)
                    .acquire_timeout(acquire_timeout)
                    .connect_with(options)
                    .await?;
                let separator = if config.url.contains('?') { '&' } else { '?' };
                (
                    Backend::Sqlite(pool),
                    format!("{}{separator}mode=ro", config.url),
                )
            }
        };
        let any = AnyPoolOptions::new()
            .max_connections(config.max_connections.clamp(1, 8))
            .acquire_timeout(acquire_timeout)
            .connect(&any_url)
            .await?;
        let (appended, _) = watch::channel(0);
        Ok(Self {
            inner: Arc::new(Inner {
                backend,
                any,
                appended,
                snapshot_every: 0,
            }),
        })
    }

    /// Which backend this store runs on.
    pub fn kind(&self) -> BackendKind {
        match self.inner.backend {
            Backend::Postgres(_) => BackendKind::Postgres,
            Backend::Sqlite(_) => BackendKind::Sqlite,
        }
    }

    /// The typed pool.
    pub fn backend(&self) -> &Backend {
        &self.inner.backend
    }

    /// The same database through `sqlx::Any`.
    pub fn any_pool(&self) -> &AnyPool {
        &self.inner.any
    }

    /// The ordered global log.
    pub fn log(&self) -> GlobalLog {
        GlobalLog::new(self.clone())
    }

    /// The cqrs-es event repository (hash-chained appends).
    pub fn repository(&self) -> ChainedRepository {
        ChainedRepository::new(self.clone())
    }

    /// The cqrs-es event store of aggregate `A` (snapshots as configured).
    pub fn event_store<A>(&self) -> ChainedEventStore<A>
    where
        A: Aggregate + Send + Sync,
    {
        ChainedEventStore::new(self.repository(), self.inner.snapshot_every)
    }

    /// A cqrs-es framework for aggregate `A`, with `queries` dispatched inline (use them only
    /// for what may be lost; durable read models go through the projection runner) and the
    /// aggregate's `services`.
    pub fn cqrs<A>(&self, queries: Vec<Box<dyn Query<A>>>, services: A::Services) -> Cqrs<A>
    where
        A: Aggregate + Send + Sync,
    {
        CqrsFramework::new(self.event_store(), queries, services)
    }

    /// The SQL spelling of this backend.
    pub(crate) fn dialect(&self) -> Dialect {
        Dialect(self.kind())
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        with_pool!(&self.inner.backend, pool => {
            sqlx::query("SELECT 1").execute(pool).await?;
        });
        Ok(())
    }

    /// Closes every connection.
    pub async fn close(&self) {
        with_pool!(&self.inner.backend, pool => pool.close().await);
        self.inner.any.close().await;
    }

    /// A receiver that changes after every append made through this process.
    pub fn appended(&self) -> watch::Receiver<u64> {
        self.inner.appended.subscribe()
    }

    pub(crate) fn notify_appended(&self) {
        self.inner
            .appended
            .send_modify(|count| *count = count.wrapping_add(1));
    }
}

fn scheme_of(url: &str) -> String {
    url.split_once(':')
        .map_or("(none)", |(scheme, _)| scheme)
        .chars()
        .take(32)
        .collect()
}
