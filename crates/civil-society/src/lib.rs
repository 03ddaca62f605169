//! The civil-society register of each local authority (decree 2019-401 of 6 May 2019,
//! chapter 1, and the transitional art. 16-17).
//!
//! Two aggregates:
//!
//! - [`CivilSocietyRegister`] (`"CivilSocietyRegister"`, one per local authority, identified by
//!   the local authority's [`kernel::OrganisationId`]): the opening of the electronic register
//!   (art. 5), its bureau's head and deputy appointed by the president's order (art. 3-4), and
//!   the mandatory data and documents it requires (art. 8, configured per local authority
//!   because our copy of the decree lacks the list);
//! - [`RegisteredOrganisation`] (`"RegisteredOrganisation"`, identified by a
//!   [`kernel::CivilSocietyOrganisationId`], the identifier the register of opinions refers to):
//!   one entry, registered on a paper or electronic request (art. 7) by an eligible
//!   organisation (art. 2) or imported from the paper register (art. 16-17), kept up to date
//!   (art. 4), withdrawn at the organisation's request, or taken through the art. 9 procedure
//!   (irregular situation, formal notice, one month from the acknowledged notification,
//!   hearing, suspension, striking off).
//!
//! Each module documents its decisions, in particular where the decree is silent: the entry
//! module (art. 8 as configuration, personal data; see [`RegistrationRequirements`]), the
//! register aggregate (who records the president's acts; see [`CivilSocietyRegister`]), the
//! organisation aggregate (the art. 9 procedure, updates, imports, withdrawal; see
//! [`RegisteredOrganisation`]), [`MonthTerm`] (months on the kernel calendar),
//! [`RegisterIndex`] (lookups across entries) and [`CivilSocietyConfig`] (rule values and
//! their sources).
//!
//! The gateway routes a [`RegisterCommand`] to the register whose id is the local authority of
//! the command (`OpenRegister`) or of the actor's grant, and an [`OrganisationCommand`] to the
//! entry it names (`Register`, `ImportPaperEntry`) or addresses.
#![forbid(unsafe_code)]

mod commands;
mod config;
mod entry;
mod error;
mod events;
mod services;
mod term;

mod register {
    pub(crate) mod aggregate;
}

mod organisation {
    pub(crate) mod aggregate;
}

pub use commands::{
    AppointmentOrder, BureauMember, CouncilDecision, OrganisationCommand, PaperEntry,
    RegisterCommand, RegistrationRequest,
};
pub use config::{CivilSocietyConfig, CivilSocietyLimits};
pub use entry::{
    Attachment, Document, DocumentKind, Eligibility, EntryData, EntryRecord, Ineligibility,
    RegistrationRequirements, Representative, RepresentativeDetails, Requirement,
};
pub use error::{AttachmentProblem, DateInFuture, InvalidText, OrganisationError, RegisterError};
pub use events::{
    AppointedMember, IrregularSituation, OrganisationEvent, RecordedDecision, RegisterEvent,
    RegularisationTiming, RequestChannel,
};
pub use organisation::aggregate::{OrganisationStatus, RegisteredOrganisation};
pub use register::aggregate::{Bureau, CivilSocietyRegister};
pub use services::{CivilSocietyServices, LookupError, RegisterFacts, RegisterIndex};
pub use term::MonthTerm;
