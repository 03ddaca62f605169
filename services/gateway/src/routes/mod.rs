//! HTTP routes. Handlers only translate requests into commands and queries.

pub mod health;
pub mod metrics;
