//! Errors of the event store.
//!
//! Domain errors never pass through here: these are the failures of storage itself. Callers
//! at the edge map them to "service unavailable" or "internal error" and log them with
//! context; their text may name tables and SQL states but never holds personal data.

/// A failure of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL names no backend this store knows.
    #[error("unsupported database URL scheme `{0}` (expected sqlite: or postgres:)")]
    UnsupportedUrl(String),
    /// The database could not be reached or answered with an error.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A migration failed.
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// A stored value could not be read back (corrupted row, unknown format).
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
    /// An event could not be serialized.
    #[error("serialization error: {0}")]
    Serialization(#[from] serde_json::Error),
    /// A filesystem operation (creating the SQLite file's folder) failed.
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    /// A position that names no event.
    #[error("no event at global position {0}")]
    UnknownPosition(i64),
}
