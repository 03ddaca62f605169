//! Commands of a checklist.

use serde::{Deserialize, Serialize};

use kernel::Actor;

use crate::checklist::{Scale, Theme};
use crate::ids::{ChecklistId, CriterionId};

/// A criterion as written by the department, before validation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionDraft {
    /// Its identifier (reuse the previous version's to keep following the same criterion).
    pub id: CriterionId,
    /// What it is about.
    pub theme: Theme,
    /// What the member checks (one line).
    pub label: String,
    /// How much it counts.
    pub weight: u16,
    /// How it is marked.
    pub scale: Scale,
    /// Whether failing it caps the score.
    pub critical: bool,
}

/// What can be asked of a checklist. Both by a supervisor or the head of the department.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChecklistCommand {
    /// Creates the checklist (no version yet).
    CreateChecklist {
        /// Who acts.
        actor: Actor,
        /// The new checklist's identifier.
        checklist: ChecklistId,
        /// Its title.
        title: String,
    },
    /// Publishes the next version with these criteria.
    PublishChecklistVersion {
        /// Who acts.
        actor: Actor,
        /// The criteria, in order.
        criteria: Vec<CriterionDraft>,
    },
}
