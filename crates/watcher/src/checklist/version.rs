//! The content of a published checklist version.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use kernel::Text;

use crate::ids::{ChecklistId, CriterionId};
use crate::scoring::Percentage;

/// What a criterion is about (department page 004: reception, including by phone and
/// electronic means; integrity, equality and transparency; the reception-quality label).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// Welcome, signage, courtesy at first contact.
    Reception,
    /// Queues, waiting time, appointment systems.
    Waiting,
    /// Information given on procedures, documents, fees, delays.
    Information,
    /// Agents' conduct: politeness, availability, competence.
    AgentBehaviour,
    /// Integrity, equality of treatment, transparency (no undue payment, no favour).
    Integrity,
    /// Access for persons with disabilities, elderly people; reachability of the channel.
    Accessibility,
    /// The technical requirements of the "Marhba" reception-quality label.
    QualityLabel,
}

impl Theme {
    /// Every theme, in display order.
    pub const ALL: [Theme; 7] = [
        Self::Reception,
        Self::Waiting,
        Self::Information,
        Self::AgentBehaviour,
        Self::Integrity,
        Self::Accessibility,
        Self::QualityLabel,
    ];
}

/// How a criterion is marked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "scale")]
pub enum Scale {
    /// Yes (1 point) or no (0).
    YesNo,
    /// A level from 0 to `max` (2 to [`crate::scoring::MAX_LEVEL`]); e.g. `max = 4` for 0-4.
    Levels {
        /// The top mark.
        max: u8,
    },
}

impl Scale {
    /// The top mark: 1 for yes/no, `max` for a graded scale.
    pub fn max_points(self) -> u8 {
        match self {
            Self::YesNo => 1,
            Self::Levels { max } => max,
        }
    }
}

/// One criterion of a version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    /// Its identifier, kept across versions when the criterion is the same.
    pub id: CriterionId,
    /// What it is about.
    pub theme: Theme,
    /// What the member checks.
    pub label: Text,
    /// How much it counts (1 to the configured maximum).
    pub weight: u16,
    /// How it is marked.
    pub scale: Scale,
    /// Whether failing it caps the visit's score.
    pub critical: bool,
}

/// A published version: immutable, carried whole by the visits planned with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistVersion {
    /// The checklist.
    pub checklist: ChecklistId,
    /// 1 for the first version, then one more for each publication.
    pub number: u32,
    /// The checklist's title.
    pub title: Text,
    /// The criteria, in the order the member goes through them.
    pub criteria: Vec<Criterion>,
    /// The most a visit failing a critical criterion can score (configuration at publication).
    pub critical_cap: Percentage,
    /// When it was published.
    pub published_at: DateTime<Utc>,
}
