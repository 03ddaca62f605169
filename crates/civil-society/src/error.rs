//! Why a command is refused: one enum per aggregate ([`RegisterError`], [`OrganisationError`]),
//! plus the two refusals both share ([`InvalidText`], [`DateInFuture`]).
//!
//! Variants name the rule, carry what a caller needs to explain the refusal, and never carry
//! personal data (an invalid e-mail or phone is reported without its value). Messages are in
//! English; the gateway maps variants to statuses and the portal localizes them.

use chrono::NaiveDate;
use kernel::calendar::CalendarError;
use kernel::personal_data::EnvelopeError;
use kernel::{CivilSocietyOrganisationId, OrganisationId, Role, Text, TextError, TextLimits};

use crate::entry::{Ineligibility, Requirement};
use crate::organisation::aggregate::OrganisationStatus;

/// A text field failed [`kernel::Text`] validation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {error}")]
pub struct InvalidText {
    /// The field, as named in the command (`name`, `fields_of_activity[2]`).
    pub field: String,
    /// Why.
    pub error: TextError,
}

impl InvalidText {
    /// `raw` through [`Text::new`], naming `field` in the error.
    pub(crate) fn check(raw: &str, limits: TextLimits, field: &str) -> Result<Text, Self> {
        Text::new(raw, limits).map_err(|error| Self {
            field: field.to_owned(),
            error,
        })
    }
}

/// A date of the command lies after today (local date of the legal calendar): an act cannot
/// be recorded before it happened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} is {date}, after today ({today})")]
pub struct DateInFuture {
    /// The field.
    pub field: &'static str,
    /// The date given.
    pub date: NaiveDate,
    /// Today.
    pub today: NaiveDate,
}

impl DateInFuture {
    /// Refuses `date` if it is after `today`.
    pub(crate) fn check(
        field: &'static str,
        date: NaiveDate,
        today: NaiveDate,
    ) -> Result<(), Self> {
        if date > today {
            return Err(Self { field, date, today });
        }
        Ok(())
    }
}

/// Why a command to a [`CivilSocietyRegister`](crate::CivilSocietyRegister) is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegisterError {
    /// The actor does not act for this local authority under one of these roles.
    #[error("only {allowed:?} of the local authority may do this")]
    NotAllowed {
        /// The roles that may.
        allowed: Vec<Role>,
    },
    /// The organisation is not a local authority in the directory (art. 3: registers are kept
    /// by local authorities).
    #[error("organisation {0} is not a local authority")]
    NotALocalAuthority(OrganisationId),
    /// The register was already opened.
    #[error("the register is already open (since {opened_on})")]
    AlreadyOpen {
        /// When it opened.
        opened_on: NaiveDate,
    },
    /// The register has not been opened.
    #[error("the register is not open")]
    NotOpen,
    /// Head and deputy must be two people (art. 4 appoints a head and a deputy).
    #[error("the head of the bureau and the deputy must be different people")]
    HeadAndDeputyAreTheSamePerson,
    /// The appointment order cannot have been published before it was signed.
    #[error("the order is published on {published_on}, before it was signed on {signed_on}")]
    PublishedBeforeSigned {
        /// Signature date.
        signed_on: NaiveDate,
        /// Publication date.
        published_on: NaiveDate,
    },
    /// The requirements given are those already in force.
    #[error("these requirements are already in force")]
    RequirementsUnchanged,
    /// A text is invalid.
    #[error(transparent)]
    InvalidText(#[from] InvalidText),
    /// A date is in the future.
    #[error(transparent)]
    DateInFuture(#[from] DateInFuture),
    /// Personal data could not be sealed (e.g. the person's data was erased).
    #[error(transparent)]
    PersonalData(#[from] EnvelopeError),
    /// A term could not be computed on the legal calendar.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

/// Why a command to a [`RegisteredOrganisation`](crate::RegisteredOrganisation) is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrganisationError {
    /// The actor does not act for the entry's local authority under one of these roles.
    #[error("only {allowed:?} of the local authority may do this")]
    NotAllowed {
        /// The roles that may.
        allowed: Vec<Role>,
    },
    /// The entry is not in a state where this command applies.
    #[error("not possible while the entry is {status:?} (possible when {expected:?})")]
    WrongStatus {
        /// Where the entry stands.
        status: OrganisationStatus,
        /// Where it would have to stand.
        expected: Vec<OrganisationStatus>,
    },
    /// The local authority has no open electronic register (art. 5).
    #[error("local authority {local_authority} has no open civil-society register")]
    RegisterNotOpen {
        /// The local authority.
        local_authority: OrganisationId,
    },
    /// The organisation is not eligible (art. 2).
    #[error("the organisation is not eligible: {0:?}")]
    NotEligible(Ineligibility),
    /// Mandatory data or documents are missing (art. 8, as configured by the local authority).
    #[error("missing mandatory data or documents: {0:?}")]
    MissingRequirements(Vec<Requirement>),
    /// Another live entry of the register has this national register number.
    #[error("entry {existing} of this register already has this national register number")]
    DuplicateRegisterNumber {
        /// The entry that has it.
        existing: CivilSocietyOrganisationId,
    },
    /// A list is longer than the configuration allows.
    #[error("{field} lists {actual} items; at most {max} are allowed")]
    TooMany {
        /// The list.
        field: &'static str,
        /// The maximum.
        max: usize,
        /// What was given.
        actual: usize,
    },
    /// The e-mail address is not plausible (the value is not repeated: it is personal data).
    #[error("the e-mail address is not valid")]
    InvalidEmail,
    /// The phone number is not plausible (the value is not repeated: it is personal data).
    #[error("the phone number is not valid")]
    InvalidPhone,
    /// An attachment reference is malformed.
    #[error("{field}: invalid attachment ({problem:?})")]
    InvalidAttachment {
        /// The attachment, as named in the command (`documents[0]`, `minutes`).
        field: String,
        /// What is wrong with it.
        problem: AttachmentProblem,
    },
    /// A step is dated before the step it follows.
    #[error("{field} is {date}, before the previous step ({earliest})")]
    DateBeforePreviousStep {
        /// The field.
        field: &'static str,
        /// The date given.
        date: NaiveDate,
        /// The earliest date possible.
        earliest: NaiveDate,
    },
    /// The month given to regularise has not run out: no hearing yet (art. 9, "in case of no
    /// response").
    #[error("the organisation has until the end of {due_date} to regularise")]
    RegularisationPeriodRunning {
        /// Last day of the period.
        due_date: NaiveDate,
    },
    /// The year for migrating paper entries has run out (art. 17).
    #[error("paper entries could be imported until the end of {due_date}")]
    MigrationWindowClosed {
        /// Last day of the window.
        due_date: NaiveDate,
    },
    /// A paper entry dated after the electronic register opened: the paper register is only
    /// kept until then (art. 16).
    #[error("the paper entry is dated {registered_on}, after the register opened on {opened_on}")]
    PaperEntryAfterOpening {
        /// The paper entry's date.
        registered_on: NaiveDate,
        /// The opening date of the electronic register.
        opened_on: NaiveDate,
    },
    /// The register read model could not answer.
    #[error("the register could not be consulted: {0}")]
    RegisterLookupFailed(String),
    /// A text is invalid.
    #[error(transparent)]
    InvalidText(#[from] InvalidText),
    /// A date is in the future.
    #[error(transparent)]
    DateInFuture(#[from] DateInFuture),
    /// Personal data could not be sealed (e.g. the person's data was erased).
    #[error(transparent)]
    PersonalData(#[from] EnvelopeError),
    /// A deadline could not be computed on the legal calendar.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

/// What is wrong with an attachment reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentProblem {
    /// The content hash is not 64 hexadecimal digits (SHA-256).
    ContentHash,
    /// The media type is not `type/subtype`.
    MediaType,
}
