//! Events of a checklist.

use chrono::{DateTime, Utc};
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};

use kernel::{ActorId, Text};

use crate::checklist::ChecklistVersion;
use crate::ids::ChecklistId;

/// What happened to a checklist.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ChecklistEvent {
    /// The checklist was created.
    ChecklistCreated {
        /// The checklist.
        checklist: ChecklistId,
        /// Its title.
        title: Text,
        /// Who created it.
        by: ActorId,
        /// When.
        created_at: DateTime<Utc>,
    },
    /// A version was published; it never changes afterwards.
    ChecklistVersionPublished {
        /// The whole version.
        version: ChecklistVersion,
        /// Who published it.
        by: ActorId,
    },
}

impl DomainEvent for ChecklistEvent {
    fn event_type(&self) -> String {
        match self {
            Self::ChecklistCreated { .. } => "ChecklistCreated",
            Self::ChecklistVersionPublished { .. } => "ChecklistVersionPublished",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}
