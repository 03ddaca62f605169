//! The HTTP gateway: the one door for citizens, agents and auditors.
//!
//! - [`api`]: the JSON API under `/api/v1` and its OpenAPI document;
//! - [`auth`]: accounts, sessions, grants, and who a request acts as;
//! - [`config`]: typed, layered configuration (defaults, file, environment);
//! - [`telemetry`]: `tracing` subscriber;
//! - [`domains`]: the aggregates the API drives, with their services;
//! - [`startup`]: builds the application and serves it until shutdown;
//! - [`routes`]: the handlers (health, metrics so far);
//! - [`error`]: the one error type of the HTTP layer, as RFC 9457 problem details;
//! - [`metrics`]: Prometheus recorder and request metrics.
#![forbid(unsafe_code)]

pub mod api;
pub mod auth;
pub mod config;
pub mod domains;
pub mod error;
pub mod metrics;
pub mod routes;
pub mod startup;
pub mod telemetry;
pub mod transparency;

pub use config::Settings;
pub use startup::{AppState, Application, Mode, StartupError};
