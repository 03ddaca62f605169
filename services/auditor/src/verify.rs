//! `verify`: checks every stream's hash chain and reports the first broken link with its
//! position and stream.

use event_store::{ChainReport, Store};

use crate::error::AuditorError;

/// The outcome of every check.
#[derive(Debug, serde::Serialize)]
pub struct Verification {
    /// The hash chains.
    pub chains: ChainReport,
}

impl Verification {
    /// Whether every check passed.
    pub fn passed(&self) -> bool {
        self.chains.is_intact()
    }
}

/// Runs the checks.
pub async fn verify(store: &Store) -> Result<Verification, AuditorError> {
    Ok(Verification {
        chains: event_store::verify(store).await?,
    })
}
