//! How refused commands of the local registers read over HTTP: every variant of the
//! civil-society register's, an entry's, the opinions register's and the council
//! reporting's errors, with its status and stable code.
//!
//! Acting for another local authority is a 403 (the registers are public: hiding their
//! existence protects nothing); a step the entry's or session's state refuses is a 409; a
//! field at fault is a 422 naming it as the request body names it.

use civil_society::{AttachmentProblem, OrganisationError, RegisterError};
use kernel::personal_data::EnvelopeError;
use opinions::{AuthorItem, EntryError, EntryField, ReportField, ReportingError};

use crate::error::{ApiError, DomainProblem};

fn personal_data(error: &EnvelopeError, what: &'static str) -> ApiError {
    match error {
        EnvelopeError::SubjectErased(_) => ApiError::conflict("personal_data_erased", error),
        other => ApiError::internal(what, other),
    }
}

impl DomainProblem for RegisterError {
    fn to_api_error(&self) -> ApiError {
        use RegisterError as E;
        match self {
            E::NotAllowed { .. } => ApiError::forbidden(self),
            E::NotALocalAuthority(_) => ApiError::NotFound,
            E::AlreadyOpen { .. } => ApiError::conflict("already_open", self),
            E::NotOpen => ApiError::conflict("register_not_open", self),
            E::HeadAndDeputyAreTheSamePerson => ApiError::rejected("deputy", "same_person", self),
            E::PublishedBeforeSigned { .. } => {
                ApiError::rejected("order.published_on", "published_before_signed", self)
            }
            E::RequirementsUnchanged => ApiError::conflict("requirements_unchanged", self),
            E::InvalidText(text) => ApiError::rejected(&text.field, text.error.code(), self),
            E::DateInFuture(date) => ApiError::rejected(date.field, "in_the_future", self),
            E::PersonalData(error) => personal_data(error, "sealing a bureau member's name"),
            E::Calendar(error) => ApiError::internal("civil-society register calendar", error),
        }
    }
}

fn attachment_code(problem: AttachmentProblem) -> &'static str {
    match problem {
        AttachmentProblem::ContentHash => "bad_hash",
        AttachmentProblem::MediaType => "bad_media_type",
    }
}

impl DomainProblem for OrganisationError {
    fn to_api_error(&self) -> ApiError {
        use OrganisationError as E;
        match self {
            E::NotAllowed { .. } => ApiError::forbidden(self),
            E::WrongStatus { .. } => ApiError::conflict("wrong_status", self),
            E::RegisterNotOpen { .. } => ApiError::conflict("register_not_open", self),
            E::NotEligible(_) => ApiError::rejected("eligibility", "not_eligible", self),
            E::MissingRequirements(_) => ApiError::rejected("entry", "missing_requirements", self),
            E::DuplicateRegisterNumber { .. } => {
                ApiError::conflict("duplicate_register_number", self)
            }
            E::TooMany { field, .. } => ApiError::rejected(field, "too_many", self),
            E::InvalidEmail => ApiError::rejected("entry.email", "invalid_email", self),
            E::InvalidPhone => ApiError::rejected("entry.phone", "invalid_phone", self),
            E::InvalidAttachment { field, problem } => {
                ApiError::rejected(field, attachment_code(*problem), self)
            }
            E::DateBeforePreviousStep { field, .. } => {
                ApiError::rejected(field, "before_previous_step", self)
            }
            E::RegularisationPeriodRunning { .. } => {
                ApiError::conflict("regularisation_period_running", self)
            }
            E::MigrationWindowClosed { .. } => ApiError::conflict("migration_window_closed", self),
            E::PaperEntryAfterOpening { .. } => {
                ApiError::rejected("paper.registered_on", "after_register_opened", self)
            }
            E::RegisterLookupFailed(reason) => {
                tracing::error!(reason, "civil-society register lookup");
                ApiError::Internal
            }
            E::InvalidText(text) => ApiError::rejected(&text.field, text.error.code(), self),
            E::DateInFuture(date) => ApiError::rejected(date.field, "in_the_future", self),
            E::PersonalData(error) => personal_data(error, "sealing an entry's personal data"),
            E::Calendar(error) => ApiError::internal("regularisation deadline", error),
        }
    }
}

fn author_field(item: AuthorItem) -> &'static str {
    match item {
        AuthorItem::Name => "author.contact.name",
        AuthorItem::PostalAddress => "author.contact.postal_address",
        AuthorItem::Email => "author.contact.email",
        AuthorItem::Phone => "author.contact.phone",
    }
}

fn entry_field(field: EntryField) -> &'static str {
    match field {
        EntryField::Text => "text",
        EntryField::Author(item) => author_field(item),
        EntryField::Answer => "text",
        EntryField::ProposalNote => "note",
        EntryField::Correspondence => "body",
        EntryField::Minutes => "minutes",
    }
}

impl DomainProblem for EntryError {
    fn to_api_error(&self) -> ApiError {
        use EntryError as E;
        match self {
            E::NotFiled => ApiError::NotFound,
            E::AlreadyFiled { .. } => ApiError::conflict("already_filed", self),
            E::NotALocalAuthority(_) => ApiError::NotFound,
            E::NotACitizen | E::NotTheOrganisationsRepresentative | E::ActorNotAllowed { .. } => {
                ApiError::forbidden(self)
            }
            E::OrganisationNotRegistered => {
                ApiError::rejected("author.organisation", "not_registered", self)
            }
            E::OrganisationSuspended => ApiError::conflict("organisation_suspended", self),
            E::OrganisationStruckOff => ApiError::conflict("organisation_struck_off", self),
            E::CivilSocietyRegisterUnavailable(error) | E::DraftByLawsUnavailable(error) => {
                tracing::error!(%error, "opinions register lookup");
                ApiError::Internal
            }
            E::KindNotAcceptedInSection { .. } => {
                ApiError::rejected("kind", "not_accepted_in_section", self)
            }
            E::DraftByLawNotPublished { .. } => {
                ApiError::rejected("section.draft", "draft_not_published", self)
            }
            E::DraftByLawDeliberated { .. } => ApiError::conflict("draft_deliberated", self),
            E::MandatoryDataMissing { missing } => ApiError::rejected(
                missing
                    .first()
                    .map_or("author.contact", |m| author_field(*m)),
                "mandatory_data_missing",
                self,
            ),
            E::InvalidText { field, error } => {
                ApiError::rejected(entry_field(*field), error.code(), self)
            }
            E::InvalidEmail => ApiError::rejected("author.contact.email", "invalid_email", self),
            E::InvalidPhone => ApiError::rejected("author.contact.phone", "invalid_phone", self),
            E::UnknownProposal { .. } | E::UnknownMeeting { .. } => ApiError::NotFound,
            E::CorrespondenceAlreadySent { .. } => {
                ApiError::conflict("correspondence_already_sent", self)
            }
            E::NoAddressOnFile => ApiError::conflict("no_address_on_file", self),
            E::MeetingNotInTheFuture { .. } => {
                ApiError::rejected("meeting_at", "not_in_the_future", self)
            }
            E::MeetingNotYetHeld { .. } => ApiError::conflict("meeting_not_yet_held", self),
            E::MinutesAlreadyRecorded { .. } => {
                ApiError::conflict("minutes_already_recorded", self)
            }
            E::PersonalData(error) => personal_data(error, "sealing an entry's personal data"),
        }
    }
}

fn report_field(field: ReportField) -> &'static str {
    match field {
        ReportField::Report => "report",
        ReportField::PublicSummary => "public_summary",
    }
}

impl DomainProblem for ReportingError {
    fn to_api_error(&self) -> ApiError {
        use ReportingError as E;
        match self {
            E::NotALocalAuthority(_) | E::UnknownSession { .. } => ApiError::NotFound,
            E::LocalAuthorityMismatch { .. } | E::ActorNotAllowed { .. } => {
                ApiError::forbidden(self)
            }
            E::SessionAlreadyScheduled { .. } => {
                ApiError::conflict("session_already_scheduled", self)
            }
            E::SessionTooSoon { .. } => ApiError::rejected("date", "too_soon", self),
            E::OrdinarySessionsFull { .. } => ApiError::conflict("ordinary_sessions_full", self),
            E::SessionAlreadyHeld { .. } => ApiError::conflict("session_already_held", self),
            E::ReportDeadlinePassed { .. } => ApiError::conflict("report_deadline_passed", self),
            E::ReportAlreadyFiled { .. } => ApiError::conflict("report_already_filed", self),
            E::PersonalDataAttestationMissing => {
                ApiError::rejected("attests_no_personal_data", "attestation_missing", self)
            }
            E::PersonalDataSuspected { field, .. } => {
                ApiError::rejected(report_field(*field), "personal_data_suspected", self)
            }
            E::InvalidText { field, error } => {
                ApiError::rejected(report_field(*field), error.code(), self)
            }
            E::MeetingBeforeScheduledDate { .. } => {
                ApiError::rejected("held_on", "before_scheduled_date", self)
            }
            E::MeetingInTheFuture { .. } => ApiError::rejected("held_on", "in_the_future", self),
            E::MeetingNotHeld { .. } => ApiError::conflict("meeting_not_held", self),
            E::NoReportFiled { .. } => ApiError::conflict("no_report_filed", self),
            E::SummaryAlreadyPosted { .. } => ApiError::conflict("summary_already_posted", self),
            E::SummaryNotPosted { .. } => ApiError::conflict("summary_not_posted", self),
            E::DisplayPeriodNotOver { .. } => ApiError::conflict("display_period_not_over", self),
            E::Calendar(error) => ApiError::internal("council reporting calendar", error),
        }
    }
}
