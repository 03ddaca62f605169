//! Configuration of the store: which database, how many connections, snapshots.

use serde::Deserialize;

/// Where and how the store keeps its events.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct StoreConfig {
    /// `sqlite://path/to/file.db` (the default, created on first start) or
    /// `postgres://user@host/db`. The backend follows the scheme.
    pub url: String,
    /// Most connections in the pool.
    pub max_connections: u32,
    /// Seconds to wait for a connection before failing a command.
    pub acquire_timeout_seconds: u64,
    /// Take a snapshot of an aggregate every this many events (cqrs-es snapshot store);
    /// `0` replays every aggregate from its first event.
    pub snapshot_every: usize,
}

impl Default for StoreConfig {
    fn default() -> Self {
        Self {
            url: "sqlite://data/e-moatinet.db".to_owned(),
            max_connections: 16,
            acquire_timeout_seconds: 5,
            snapshot_every: 100,
        }
    }
}

/// The two backends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackendKind {
    /// PostgreSQL, through postgres-es.
    Postgres,
    /// Embedded SQLite, through sqlite-es.
    Sqlite,
}

impl BackendKind {
    /// The backend a URL names, from its scheme.
    pub fn of_url(url: &str) -> Option<Self> {
        let scheme = url.split_once(':').map(|(s, _)| s)?;
        match scheme.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" => Some(Self::Postgres),
            "sqlite" => Some(Self::Sqlite),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backend_follows_the_url_scheme() {
        assert_eq!(
            BackendKind::of_url("postgres://u@h/db"),
            Some(BackendKind::Postgres)
        );
        assert_eq!(
            BackendKind::of_url("PostgreSQL://u@h/db"),
            Some(BackendKind::Postgres)
        );
        assert_eq!(
            BackendKind::of_url("sqlite://data/x.db"),
            Some(BackendKind::Sqlite)
        );
        assert_eq!(BackendKind::of_url("mysql://h/db"), None);
        assert_eq!(BackendKind::of_url("no scheme"), None);
    }

    #[test]
    fn the_default_is_an_embedded_sqlite_file() {
        assert_eq!(
            BackendKind::of_url(&StoreConfig::default().url),
            Some(BackendKind::Sqlite)
        );
    }
}
