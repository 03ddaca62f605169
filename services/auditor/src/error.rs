//! The auditor's errors and the exit codes they map to.

/// What can go wrong.
#[derive(Debug, thiserror::Error)]
pub enum AuditorError {
    /// The command line or configuration is wrong (exit 2).
    #[error("{0}")]
    Usage(String),
    /// The store could not be opened or read (exit 3).
    #[error("store: {0}")]
    Store(#[from] event_store::StoreError),
    /// A projection could not be replayed (exit 3).
    #[error("projection: {0}")]
    Projection(#[from] event_store::RunnerError),
    /// A database query failed (exit 3).
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// Writing the output failed (exit 3).
    #[error("output: {0}")]
    Io(#[from] std::io::Error),
    /// A stored event or state could not be read (exit 1: the log holds something it
    /// should not).
    #[error("unreadable data: {0}")]
    Corrupt(String),
}

impl AuditorError {
    /// The process exit code.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Usage(_) => 2,
            Self::Corrupt(_) => 1,
            Self::Store(_) | Self::Projection(_) | Self::Database(_) | Self::Io(_) => 3,
        }
    }
}

impl From<serde_json::Error> for AuditorError {
    fn from(error: serde_json::Error) -> Self {
        Self::Corrupt(error.to_string())
    }
}
