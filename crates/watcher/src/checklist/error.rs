//! Why a checklist command was refused.

use kernel::TextError;

use crate::error::InvalidText;
use crate::ids::CriterionId;

/// Business rules of a checklist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChecklistError {
    /// Only a supervisor or the head of the department writes checklists.
    #[error("only a supervisor or the head of the Public Service Quality Department may do this")]
    NotDepartmentSupervisor,
    /// The checklist exists already.
    #[error("this checklist already exists")]
    AlreadyCreated,
    /// The checklist does not exist.
    #[error("this checklist does not exist")]
    NotCreated,
    /// A text field was refused.
    #[error(transparent)]
    InvalidText(#[from] InvalidText),
    /// A version needs at least one criterion.
    #[error("a checklist version needs at least one criterion")]
    NoCriteria,
    /// More criteria than configured.
    #[error("{actual} criteria; at most {max} are allowed")]
    TooManyCriteria {
        /// The maximum.
        max: usize,
        /// What was given.
        actual: usize,
    },
    /// Two criteria with the same identifier.
    #[error("criterion {0} appears twice")]
    DuplicateCriterion(CriterionId),
    /// A criterion's label was refused.
    #[error("the label of criterion {criterion}: {reason}")]
    InvalidLabel {
        /// The criterion.
        criterion: CriterionId,
        /// Why.
        reason: TextError,
    },
    /// A weight outside `1..=max`.
    #[error("criterion {criterion} has weight {weight}; weights go from 1 to {max}")]
    WeightOutOfRange {
        /// The criterion.
        criterion: CriterionId,
        /// The weight given.
        weight: u16,
        /// The maximum.
        max: u16,
    },
    /// A graded scale whose top mark is outside `2..=MAX_LEVEL`.
    #[error("criterion {criterion} has a scale up to {max}; graded scales go up to 2 to {limit}")]
    ScaleOutOfRange {
        /// The criterion.
        criterion: CriterionId,
        /// The top mark given.
        max: u8,
        /// The highest top mark allowed.
        limit: u8,
    },
}
