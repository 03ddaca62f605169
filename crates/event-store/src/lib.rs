//! The append-only event log and what reads it.
//!
//! - [`Store`]: connects to PostgreSQL (postgres-es) or embedded SQLite (sqlite-es), chosen
//!   by the URL's scheme, and applies the migrations of `migrations/postgres` or
//!   `migrations/sqlite` at start;
//! - [`ChainedEventStore`] over [`ChainedRepository`]: the cqrs-es event store aggregates run
//!   on; each appended event is linked into its stream's hash chain ([`chain`]);
//! - [`GlobalLog`]: every event of every aggregate, in an order that never skips a late
//!   commit ([`log`]);
//! - [`ProjectionRunner`]: named projections with durable checkpoints ([`projection`]), each
//!   run by one process at a time ([`leadership`]);
//! - [`chain::verify`]: finds the first broken link of any stream;
//! - [`SqlKeyVault`]: the per-person keys of the personal-data envelope, outside the log.
#![forbid(unsafe_code)]

mod aggregate_store;
pub mod chain;
pub mod config;
pub mod error;
pub mod leadership;
pub mod log;
pub mod projection;
mod repository;
mod store;
pub mod vault;

pub use aggregate_store::ChainedEventStore;
pub use chain::{BrokenLink, ChainReport, LinkFault, verify};
pub use config::{BackendKind, StoreConfig};
pub use error::StoreError;
pub use leadership::Lease;
pub use log::{Cursor, GlobalLog, RecordedEvent};
pub use projection::{
    Projection, ProjectionError, ProjectionRunner, ProjectionState, ProjectionStatus, RunnerError,
    RunnerSettings, replay_into,
};
pub use repository::ChainedRepository;
pub use store::{Backend, Cqrs, Store};
pub use vault::{MasterKey, MasterKeyError, SqlKeyVault};
