//! The error shared by every aggregate's error enum: a text field that failed validation.
//! Each aggregate has its own enum (in its module) that wraps it, so callers learn which
//! field was refused and why without the aggregates repeating the same variants.

use kernel::{Text, TextError, TextLimits};

/// A text field refused by [`kernel::Text::new`]; `field` names it as in the command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct InvalidText {
    /// The command field.
    pub field: &'static str,
    /// Why.
    pub reason: TextError,
}

impl InvalidText {
    /// Validates `raw`, the command's `field`, within `limits`.
    pub(crate) fn check(field: &'static str, raw: &str, limits: TextLimits) -> Result<Text, Self> {
        Text::new(raw, limits).map_err(|reason| Self { field, reason })
    }
}
