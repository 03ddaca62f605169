//! The local registers of decree 2019-401 projected from the global log: read models with
//! their queries, the lookups the domains expect from them, the obligations with a due date,
//! and the committee's report to each ordinary session.
//!
//! # Read models
//!
//! Three projections ([`projections`]), each with its tables (migration
//! `0004_local_democracy_read_models`) in the store's database, rebuildable from position
//! zero with identical rows (they store only what events say, never the time of the
//! projection):
//!
//! | name | tables | fed by |
//! |---|---|---|
//! | [`CIVIL_SOCIETY_REGISTER`] | `ld_cso_*` | `CivilSocietyRegister`, `RegisteredOrganisation` |
//! | [`OPINIONS_REGISTER`] | `ld_opinion_*` | `OpinionEntry` |
//! | [`COUNCIL_REPORTING`] | `ld_council_sessions` | `CouncilReporting` |
//!
//! Queries take the store's `AnyPool`, a filter and a [`Page`](crate::Page), and return a
//! [`Paged`](crate::Paged) list in the register's own order (registration date, entry number,
//! session date). The public views hold no personal data; the bureau's views hold personal
//! data only sealed, exactly as the events do, so that erasing a person's key erases it here
//! too. Each module says what its views show and why: [`civil_society`],
//! [`mod@opinions_register`], [`council`].
//!
//! Any read model can be rebuilt "as of" a global position or a date, for an auditor or a
//! reproducible report, with `event_store::replay_into` into a scratch store (whose
//! migrations create these tables) and `GlobalLog::cursor_as_of` for a date.
//!
//! # Lookups
//!
//! [`RegisterLookup`] implements `civil_society::RegisterIndex` and
//! `opinions::OrganisationStanding` over the civil-society register read model; see
//! [`lookups`] for what it cannot know (in particular, who represents an organisation).
//!
//! # Obligations and report
//!
//! [`LocalDemocracyObligations`] declares the deadlines of the art. 9 procedure and of
//! art. 14-15 to the reminder engine ([`obligations`]); [`committee_report()`] computes the
//! committee's report to a session from the log up to a cursor ([`session_report`]).

pub mod civil_society;
pub mod council;
pub mod lookups;
pub mod obligations;
pub mod opinions_register;
pub mod session_report;
mod sql;

use std::sync::Arc;

use event_store::Projection;

pub use civil_society::{
    BureauAppointment, BureauOrganisation, BureauRegisterFilter, CIVIL_SOCIETY_REGISTER,
    CivilSocietyRegisterProjection, OrganisationDetail, ProcedureStep, PublicOrganisation,
    PublicRegisterFilter, RegisterRow, RegisterStanding, bureau_register,
    live_entry_with_register_number, organisation_detail, public_organisation, public_register,
    register,
};
pub use council::{
    COUNCIL_REPORTING, CouncilReportingProjection, CouncilSession, SessionFilter, council_session,
    council_sessions,
};
pub use lookups::RegisterLookup;
pub use obligations::{
    COMMITTEE_REPORT, LocalDemocracyObligations, REGULARISATION, SUMMARY_POSTING, deadline_inputs,
};
pub use opinions_register::{
    AnswerRow, AuthorKind, BureauEntry, CommitteeAct, CommitteeActKind, CommitteeCounts,
    OPINIONS_REGISTER, OpinionsFilter, OpinionsRegisterProjection, PublicEntry, opinions_register,
    opinions_register_for_bureau,
};
pub use session_report::{
    CommitteeFigures, CommitteeReport, CommitteeReportError, CommitteeReportParams, DelayFigures,
    EntryFigures, PostingState, PublicSummary, ReportLanguage, SectionFigures, SessionPosting,
    committee_report,
};
pub use sql::QueryError;

/// The read models of the local registers, for the projection runner.
pub fn projections() -> Vec<Arc<dyn Projection>> {
    vec![
        Arc::new(CivilSocietyRegisterProjection),
        Arc::new(OpinionsRegisterProjection),
        Arc::new(CouncilReportingProjection),
    ]
}
