//! The register of residents' and registered organisations' opinions and questions of each
//! local authority, and the reporting on it (decree 2019-401 of 6 May 2019, chapter II,
//! art. 10-15; domain notes, section 3).
//!
//! # Aggregates
//!
//! - [`OpinionEntry`] (`"OpinionEntry"`, id [`EntryId`]): one entry of a register, filed by
//!   a resident or by a registered organisation in one of the six sections of art. 11,
//!   answered by the local authority, worked on by the committee for participatory democracy
//!   and open governance (art. 13).
//! - [`CouncilReporting`] (`"CouncilReporting"`, id: the local authority's
//!   [`kernel::OrganisationId`]): the council's ordinary sessions, the committee's report
//!   before each (art. 14) and the posting of its public summary after the meeting (art. 15),
//!   with their deadlines.
//!
//! # Decisions (where the decree is silent, truncated or open)
//!
//! - **Entry numbers** come in the filing command, drawn at the edge from a per-register
//!   counter (a database sequence), like identifiers and tracking codes. A `Register`
//!   aggregate handing out numbers would serialise every filing of a municipality through one
//!   stream and still leave a gap whenever a filing is refused after its number was drawn,
//!   since two streams are never written atomically; the counter gives the same guarantee
//!   (unique, increasing) for less. Gaps are possible and harmless: every filed entry is an
//!   event of the tamper-evident log.
//! - **Who files.** Residents file for themselves, declaring their ground of residence
//!   (art. 2: living, working or economic activity in the territory), which the register does
//!   not verify. An organisation files through a citizen account that the civil-society
//!   register lists as speaking for it ([`OrganisationStanding::represents`]); it must be
//!   registered with the local authority and neither suspended nor struck off (art. 9-10).
//!   The command's actor is that citizen; the organisation is named in the author.
//! - **Sections and kinds** (art. 11): see [`Section`]. Proposals go to section V and section
//!   V takes only proposals; the other sections take opinions and questions. Section IV
//!   entries name a published draft by-law, looked up through [`DraftByLaws`], and are
//!   refused from the day of its deliberation; section VI entries carry a [`FinanceTopic`].
//! - **Mandatory data** (art. 12, list missing): [`EntryRequirements`], defaults from the
//!   domain notes; an incomplete entry is refused naming every missing item.
//! - **Personal data.** The author's name and addresses, and every free text attached to an
//!   entry (its text, answers, committee notes, letters, minutes), are sealed under the
//!   author's subject (the resident, or the person writing for the organisation), so that
//!   erasing that person erases them. The report and its public summary are public texts in
//!   clear, screened for personal data ([`find_personal_data`]) and attested by the committee
//!   member.
//! - **Answers** are recorded by the register bureau (art. 3-4) or by the signatory acting
//!   for the president; an entry may receive several. The decree sets no time to answer, so
//!   no answer deadline is invented.
//! - **Committee** (art. 13): consultations are noted; proposals to the president are
//!   numbered; the correspondence following a proposal is sent once, by the local authority
//!   (bureau or signatory, for the president), to every address in the register; the
//!   committee invites the author to a follow-up meeting and records its minutes once it has
//!   taken place.
//! - **Reports and posting** (art. 14-15): see the [`CouncilReporting`] documentation for the
//!   three deadlines and how each is counted.
//!
//! # Layout
//!
//! `entry/` and `reporting/` hold each aggregate's `aggregate.rs`, `commands.rs`, `events.rs`
//! and `error.rs` (ADR 0004); `config.rs`, `services.rs`, `ids.rs` and `screen.rs` are shared.
#![forbid(unsafe_code)]

mod config;
mod entry;
mod ids;
mod reporting;
mod screen;
mod services;

pub use config::{AuthorItem, ContactLimits, EntryRequirements, OpinionsConfig};
pub use entry::aggregate::{ANSWERING_ROLES, COMMITTEE_ROLES, EntryStatus, OpinionEntry};
pub use entry::commands::EntryCommand;
pub use entry::error::{EntryError, EntryField};
pub use entry::events::EntryEvent;
pub use entry::model::{
    AddressKind, Author, AuthorContact, AuthorDeclaration, EntryKind, FinanceTopic, ProposalKind,
    ResidenceGround, Section,
};
pub use ids::{CouncilSessionId, DraftByLawId, EntryId, EntryNumber};
pub use reporting::aggregate::{
    CouncilReporting, REPORTING_ROLES, SECRETARY_ROLES, SessionStatus, SessionView,
};
pub use reporting::commands::ReportingCommand;
pub use reporting::error::{ReportField, ReportingError};
pub use reporting::events::ReportingEvent;
pub use screen::{PersonalDataFinding, PersonalDataKind, find_personal_data};
pub use services::{
    DraftByLaws, LookupError, OpinionsServices, OrganisationStanding, PublishedDraft, Standing,
};
