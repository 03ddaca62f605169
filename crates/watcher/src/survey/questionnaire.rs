//! The questions of a published questionnaire version.

use serde::{Deserialize, Serialize};

use kernel::Text;

use crate::ids::QuestionId;

/// One question, answered from 1 (least satisfied) to `levels` (most satisfied).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// Its identifier, kept across versions when the question is the same.
    pub id: QuestionId,
    /// What is asked.
    pub label: Text,
    /// How much it counts in the response's satisfaction (1 to the configured maximum).
    pub weight: u16,
    /// The top of its scale (2 to 10; 5 for the usual five-point scale).
    pub levels: u8,
}
