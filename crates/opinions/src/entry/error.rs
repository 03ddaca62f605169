//! Why a command on an entry is refused. Variants carry what a caller needs to explain the
//! refusal and never personal data (text errors carry positions, not the text).

use chrono::{DateTime, NaiveDate, Utc};
use kernel::personal_data::EnvelopeError;
use kernel::{OrganisationId, Role, TextError};

use crate::config::AuthorItem;
use crate::entry::aggregate::EntryStatus;
use crate::entry::model::EntryKind;
use crate::ids::DraftByLawId;
use crate::services::LookupError;

/// A free-text field of the entry's commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryField {
    /// The opinion, question or proposal.
    Text,
    /// One of the author's contact fields.
    Author(AuthorItem),
    /// An answer.
    Answer,
    /// The committee's note with a proposal to the president.
    ProposalNote,
    /// The body of a correspondence.
    Correspondence,
    /// The minutes of a follow-up meeting.
    Minutes,
}

/// Why a command on an [`OpinionEntry`](crate::OpinionEntry) is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    /// The entry exists already.
    #[error("the entry is already filed (it is {status:?})")]
    AlreadyFiled {
        /// Its status.
        status: EntryStatus,
    },
    /// Nothing can be done to an entry before it is filed.
    #[error("no such entry in the register")]
    NotFiled,
    /// Registers are kept by local authorities (art. 10).
    #[error("organisation {0} is not a local authority")]
    NotALocalAuthority(OrganisationId),
    /// Entries are filed by citizens: residents, or the representatives of organisations.
    #[error("only a citizen files an entry")]
    NotACitizen,
    /// The citizen does not speak for the organisation named as author.
    #[error("the citizen does not represent the organisation")]
    NotTheOrganisationsRepresentative,
    /// The organisation is not in the local authority's civil-society register (art. 10).
    #[error("the organisation is not registered with this local authority")]
    OrganisationNotRegistered,
    /// The council suspended communication with the organisation (art. 9).
    #[error("communication with the organisation is suspended")]
    OrganisationSuspended,
    /// The organisation was struck off the civil-society register (art. 9).
    #[error("the organisation was struck off the civil-society register")]
    OrganisationStruckOff,
    /// The civil-society register could not answer.
    #[error("the civil-society register is unavailable: {0}")]
    CivilSocietyRegisterUnavailable(LookupError),
    /// The draft by-laws could not be looked up.
    #[error("the draft by-laws are unavailable: {0}")]
    DraftByLawsUnavailable(LookupError),
    /// The section does not take this kind of entry (art. 11; see `Section::accepts`).
    #[error("section {section} does not take entries of kind {kind:?}")]
    KindNotAcceptedInSection {
        /// The section's number.
        section: u8,
        /// The kind refused.
        kind: EntryKind,
    },
    /// Section IV: the draft is not one the local authority published (art. 11).
    #[error("draft by-law {draft} is not published by this local authority")]
    DraftByLawNotPublished {
        /// The draft named.
        draft: DraftByLawId,
    },
    /// Section IV is open only before the draft's deliberation (art. 11).
    #[error(
        "draft by-law {draft} is deliberated on {deliberation_on}: section IV is closed for it"
    )]
    DraftByLawDeliberated {
        /// The draft.
        draft: DraftByLawId,
        /// Its deliberation date.
        deliberation_on: NaiveDate,
    },
    /// Mandatory author data is missing (art. 12, as configured): every missing item.
    #[error("mandatory data missing: {missing:?}")]
    MandatoryDataMissing {
        /// Each missing item, in the order of the configuration.
        missing: Vec<AuthorItem>,
    },
    /// A text was refused by the text rules.
    #[error("invalid {field:?}: {error}")]
    InvalidText {
        /// Which field.
        field: EntryField,
        /// Why.
        error: TextError,
    },
    /// The e-mail address does not have the shape of one.
    #[error("the e-mail address is not valid")]
    InvalidEmail,
    /// The telephone number is not 8 to 15 digits, with an optional leading `+` and spaces,
    /// dots or hyphens between digits.
    #[error("the telephone number is not valid")]
    InvalidPhone,
    /// The actor does not hold one of the roles this act needs, for the entry's local
    /// authority.
    #[error("this act needs one of the roles {allowed:?} for the entry's local authority")]
    ActorNotAllowed {
        /// The roles that may do it.
        allowed: &'static [Role],
    },
    /// No such proposal of the committee on this entry.
    #[error("no proposal number {proposal} on this entry")]
    UnknownProposal {
        /// The number given.
        proposal: u32,
    },
    /// The correspondence following this proposal was sent already.
    #[error("the correspondence for proposal {proposal} was already sent")]
    CorrespondenceAlreadySent {
        /// The proposal.
        proposal: u32,
    },
    /// The register holds no address to write to (art. 13).
    #[error("the register holds no address for the author")]
    NoAddressOnFile,
    /// A follow-up meeting is set in the future.
    #[error("the meeting at {meeting_at} is not in the future")]
    MeetingNotInTheFuture {
        /// The time given.
        meeting_at: DateTime<Utc>,
    },
    /// No such follow-up meeting on this entry.
    #[error("no follow-up meeting number {meeting} on this entry")]
    UnknownMeeting {
        /// The number given.
        meeting: u32,
    },
    /// Minutes are drawn up once the meeting took place (art. 13).
    #[error("the meeting at {meeting_at} has not taken place yet")]
    MeetingNotYetHeld {
        /// When it is set.
        meeting_at: DateTime<Utc>,
    },
    /// The meeting's minutes are recorded already.
    #[error("the minutes of meeting {meeting} are already recorded")]
    MinutesAlreadyRecorded {
        /// The meeting.
        meeting: u32,
    },
    /// Personal data could not be sealed (e.g. the author's data was erased).
    #[error(transparent)]
    PersonalData(#[from] EnvelopeError),
}
