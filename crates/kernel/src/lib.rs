//! The shared vocabulary of every bounded context.
//!
//! Domain crates (`citizen-file`, `civil-society`, `opinions`, `watcher`) depend on this crate
//! and on cqrs-es only: everything they need from the outside world comes in through the types
//! defined here.
//!
//! - [`id`]: typed identifiers (UUID v7) and the [`define_id!`] macro;
//! - [`tracking`]: human tracking codes a citizen can read over the phone;
//! - [`actor`] and [`organisation`]: who acts, with which role, for which organisation;
//! - [`metadata`]: the audit metadata every event carries;
//! - [`clock`]: the [`Clock`] a domain receives instead of reading the wall clock;
//! - [`calendar`]: Tunisian working days, public holidays, legal deadlines and their explanation;
//! - [`personal_data`]: the envelope that encrypts personal fields under a per-person key;
//! - [`text`]: validated free text (length, control and invisible characters).
#![forbid(unsafe_code)]

pub mod actor;
pub mod calendar;
pub mod clock;
pub mod id;
pub mod metadata;
pub mod organisation;
pub mod personal_data;
pub mod text;
pub mod tracking;

/// Crates the macros of this crate expand to; not part of the API.
#[doc(hidden)]
pub mod reexport {
    pub use uuid;
}

pub use actor::{Actor, ActorId, ActorKind, Role, RoleGrant};
pub use clock::{Clock, ManualClock, SystemClock};
pub use id::CivilSocietyOrganisationId;
pub use metadata::{AccessChannel, EventMetadata, MetadataError};
pub use organisation::{
    Directory, InMemoryDirectory, Organisation, OrganisationId, OrganisationKind,
};
pub use text::{Text, TextError, TextLimits};
