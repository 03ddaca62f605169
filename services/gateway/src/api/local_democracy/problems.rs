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

fn conflict(code: &str, error: &impl std::fmt::Display) -> ApiError {
    ApiError::Conflict {
        code: code.into(),
        detail: error.to_string(),
    }
}

fn forbidden(error: &impl std::fmt::Display) -> ApiError {
    ApiError::Forbidden {
        detail: error.to_string(),
    }
}

fn invalid(field: &str, code: &str, error: &impl std::fmt::Display) -> ApiError {
    ApiError::invalid(field, code, error.to_string())
}

fn personal_data(error: &EnvelopeError, what: &'static str) -> ApiError {
    match error {
        EnvelopeError::SubjectErased(_) => conflict("personal_data_erased", error),
        other => ApiError::internal(what, other),
    }
}

impl DomainProblem for RegisterError {
    fn to_api_error(&self) -> ApiError {
        use RegisterError as E;
        match self {
            E::NotAllowed { .. } => forbidden(self),
            E::NotALocalAuthority(_) => ApiError::NotFound,
            E::AlreadyOpen { .. } => conflict("already_open", self),
            E::NotOpen => conflict("register_not_open", self),
            E::HeadAndDeputyAreTheSamePerson => invalid("deputy", "same_person", self),
            E::PublishedBeforeSigned { .. } => {
                invalid("order.published_on", "published_before_signed", self)
            }
            E::RequirementsUnchanged => conflict("requirements_unchanged", self),
            E::InvalidText(text) => invalid(&text.field, text.error.code(), self),
            E::DateInFuture(date) => invalid(date.field, "in_the_future", self),
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
            E::NotAllowed { .. } => forbidden(self),
            E::WrongStatus { .. } => conflict("wrong_status", self),
            E::RegisterNotOpen { .. } => conflict("register_not_open", self),
            E::NotEligible(_) => invalid("eligibility", "not_eligible", self),
            E::MissingRequirements(_) => invalid("entry", "missing_requirements", self),
            E::DuplicateRegisterNumber { .. } => conflict("duplicate_register_number", self),
            E::TooMany { field, .. } => invalid(field, "too_many", self),
            E::InvalidEmail => invalid("entry.email", "invalid_email", self),
            E::InvalidPhone => invalid("entry.phone", "invalid_phone", self),
            E::InvalidAttachment { field, problem } => {
                invalid(field, attachment_code(*problem), self)
            }
            E::DateBeforePreviousStep { field, .. } => invalid(field, "before_previous_step", self),
            E::RegularisationPeriodRunning { .. } => {
                conflict("regularisation_period_running", self)
            }
            E::MigrationWindowClosed { .. } => conflict("migration_window_closed", self),
            E::PaperEntryAfterOpening { .. } => {
                invalid("paper.registered_on", "after_register_opened", self)
            }
            E::RegisterLookupFailed(reason) => {
                tracing::error!(reason, "civil-society register lookup");
                ApiError::Internal
            }
            E::InvalidText(text) => invalid(&text.field, text.error.code(), self),
            E::DateInFuture(date) => invalid(date.field, "in_the_future", self),
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
            E::AlreadyFiled { .. } => conflict("already_filed", self),
            E::NotALocalAuthority(_) => ApiError::NotFound,
            E::NotACitizen | E::NotTheOrganisationsRepresentative | E::ActorNotAllowed { .. } => {
                forbidden(self)
            }
            E::OrganisationNotRegistered => invalid("author.organisation", "not_registered", self),
            E::OrganisationSuspended => conflict("organisation_suspended", self),
            E::OrganisationStruckOff => conflict("organisation_struck_off", self),
            E::CivilSocietyRegisterUnavailable(error) | E::DraftByLawsUnavailable(error) => {
                tracing::error!(%error, "opinions register lookup");
                ApiError::Internal
            }
            E::KindNotAcceptedInSection { .. } => invalid("kind", "not_accepted_in_section", self),
            E::DraftByLawNotPublished { .. } => {
                invalid("section.draft", "draft_not_published", self)
            }
            E::DraftByLawDeliberated { .. } => conflict("draft_deliberated", self),
            E::MandatoryDataMissing { missing } => invalid(
                missing
                    .first()
                    .map_or("author.contact", |m| author_field(*m)),
                "mandatory_data_missing",
                self,
            ),
            E::InvalidText { field, error } => invalid(entry_field(*field), error.code(), self),
            E::InvalidEmail => invalid("author.contact.email", "invalid_email", self),
            E::InvalidPhone => invalid("author.contact.phone", "invalid_phone", self),
            E::UnknownProposal { .. } | E::UnknownMeeting { .. } => ApiError::NotFound,
            E::CorrespondenceAlreadySent { .. } => conflict("correspondence_already_sent", self),
            E::NoAddressOnFile => conflict("no_address_on_file", self),
            E::MeetingNotInTheFuture { .. } => invalid("meeting_at", "not_in_the_future", self),
            E::MeetingNotYetHeld { .. } => conflict("meeting_not_yet_held", self),
            E::MinutesAlreadyRecorded { .. } => conflict("minutes_already_recorded", self),
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
            E::LocalAuthorityMismatch { .. } | E::ActorNotAllowed { .. } => forbidden(self),
            E::SessionAlreadyScheduled { .. } => conflict("session_already_scheduled", self),
            E::SessionTooSoon { .. } => invalid("date", "too_soon", self),
            E::OrdinarySessionsFull { .. } => conflict("ordinary_sessions_full", self),
            E::SessionAlreadyHeld { .. } => conflict("session_already_held", self),
            E::ReportDeadlinePassed { .. } => conflict("report_deadline_passed", self),
            E::ReportAlreadyFiled { .. } => conflict("report_already_filed", self),
            E::PersonalDataAttestationMissing => {
                invalid("attests_no_personal_data", "attestation_missing", self)
            }
            E::PersonalDataSuspected { field, .. } => {
                invalid(report_field(*field), "personal_data_suspected", self)
            }
            E::InvalidText { field, error } => invalid(report_field(*field), error.code(), self),
            E::MeetingBeforeScheduledDate { .. } => {
                invalid("held_on", "before_scheduled_date", self)
            }
            E::MeetingInTheFuture { .. } => invalid("held_on", "in_the_future", self),
            E::MeetingNotHeld { .. } => conflict("meeting_not_held", self),
            E::NoReportFiled { .. } => conflict("no_report_filed", self),
            E::SummaryAlreadyPosted { .. } => conflict("summary_already_posted", self),
            E::SummaryNotPosted { .. } => conflict("summary_not_posted", self),
            E::DisplayPeriodNotOver { .. } => conflict("display_period_not_over", self),
            E::Calendar(error) => ApiError::internal("council reporting calendar", error),
        }
    }
}
