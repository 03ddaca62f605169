//! Validation shared by both aggregates: free text goes through [`kernel::Text`] and a refusal
//! names the field, so that the portal can point at it.

use kernel::{Text, TextError, TextLimits};

/// A text field that failed validation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {error}")]
pub struct InvalidText {
    /// The command field, as named in the API (`"body"`, `"question"`...).
    pub field: &'static str,
    /// Why it was refused.
    pub error: TextError,
}

/// Validates one text field.
pub(crate) fn text(
    field: &'static str,
    raw: &str,
    limits: TextLimits,
) -> Result<Text, InvalidText> {
    Text::new(raw, limits).map_err(|error| InvalidText { field, error })
}

/// Validates an optional text field: absent stays absent, present must be valid (a blank
/// value is refused rather than silently dropped, so that the caller learns about it).
pub(crate) fn optional_text(
    field: &'static str,
    raw: Option<&str>,
    limits: TextLimits,
) -> Result<Option<Text>, InvalidText> {
    raw.map(|raw| text(field, raw, limits)).transpose()
}
