//! The auditor's tool: read-only checks of the event log.
//!
//! - [`verify`]: every stream's hash chain, reporting the first broken link;
//! - [`replay`]: an aggregate's state and history as of a date or a position;
//! - [`export`]: the log as NDJSON, personal data only where the auditor's key permits;
//! - [`rebuild`]: a projection replayed into a scratch store and compared with the live one.
//!
//! The store is opened read-only (`Store::open_read_only`): the tool cannot change what it
//! audits.
#![forbid(unsafe_code)]

pub mod error;
pub mod export;
pub mod rebuild;
pub mod replay;
pub mod verify;

pub use error::AuditorError;
