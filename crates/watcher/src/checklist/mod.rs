//! Checklists: the criteria a visit is scored against, published in immutable versions
//! (aggregate `Checklist`).
//!
//! A criterion has a [`Theme`] (reception, waiting, information, agent behaviour, integrity,
//! accessibility, the "Marhba" reception-quality label's requirements: department page 004),
//! a weight, a [`Scale`] (yes/no or graded `0..=max`) and a critical flag. Publishing a
//! version copies the configured critical cap into it, and the version is never changed
//! afterwards: the next publication is a new version with the next number.
//!
//! A visit is planned with a whole [`ChecklistVersion`], carried in the visit's own plan
//! event, and scored against it only ([`crate::scoring`]). A new version therefore cannot
//! change an old visit's score: the visit never reads the checklist again. The version number
//! and checklist id in the visit let an auditor compare the copy with this aggregate's
//! `ChecklistVersionPublished` event.
//!
//! Criteria labels are the department's working text, not personal data, and are not sealed.

mod aggregate;
mod commands;
mod error;
mod events;
mod version;

pub use aggregate::Checklist;
pub use commands::{ChecklistCommand, CriterionDraft};
pub use error::ChecklistError;
pub use events::ChecklistEvent;
pub use version::{ChecklistVersion, Criterion, Scale, Theme};
