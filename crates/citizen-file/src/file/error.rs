//! Why a [`CitizenFile`](super::CitizenFile) command was refused. Each variant names the rule;
//! none carries personal data.

use chrono::{DateTime, Utc};
use kernel::calendar::CalendarError;
use kernel::personal_data::EnvelopeError;
use kernel::{OrganisationId, OrganisationKind};

use super::model::{AttachmentProblem, FileKind, FileStatus, ReferralStatus};
use crate::ids::ReferralId;
use crate::services::SigningError;
use crate::validation::InvalidText;

/// A refused command on a citizen file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    /// No file was received under this identifier.
    #[error("no such file")]
    NoSuchFile,
    /// A file was already received under this identifier.
    #[error("a file was already received under this identifier")]
    AlreadyReceived,
    /// The command does not apply in the file's current state.
    #[error("not possible while the file is {status:?}")]
    WrongState {
        /// The state the file is in.
        status: FileStatus,
    },

    /// Only a registered user submits a file online.
    #[error("only a registered user may submit a file online")]
    NotACitizen,
    /// Only an agent of a Citizen Relations Office or of the Central Bureau registers files.
    #[error("only an office or Central Bureau agent may register a file")]
    NotAnIntakeAgent,
    /// The actor is not an agent of the handling organisation with a role that handles
    /// files of this kind.
    #[error("only an agent of the handling organisation may do this")]
    NotTheHandlingOrganisation {
        /// The handling organisation.
        handled_by: OrganisationId,
    },
    /// The actor is not an agent of the structure this referral went to.
    #[error("this referral was not made to your structure")]
    NotReferredToYourStructure {
        /// The referral.
        referral: ReferralId,
    },
    /// Only a signatory of the organisation that drafted the answer signs it.
    #[error("only a signatory of the organisation that drafted the answer may sign it")]
    NotEmpoweredToSign {
        /// The organisation that drafted the answer.
        organisation: OrganisationId,
    },
    /// The actor is not the file's author.
    #[error("only the author of the file may do this")]
    NotTheAuthor,
    /// Only the platform's worker applies deadlines.
    #[error("only the platform's deadline worker may do this")]
    NotASystemActor,
    /// Progress on a suggestion is reported by a structure that assessed it or by the
    /// handling Central Bureau.
    #[error(
        "only a structure that assessed the suggestion, or the Central Bureau, may report on it"
    )]
    NotFollowingThisSuggestion,

    /// Files of this kind are handled by another kind of organisation.
    #[error("{kind:?} files are handled by a {expected:?}")]
    WrongHandlingOrganisation {
        /// The file's kind.
        kind: FileKind,
        /// The kind of organisation that handles it.
        expected: OrganisationKind,
    },
    /// An office registers what came by counter, mail, phone, fax or e-mail; online files
    /// are submitted by their author.
    #[error("online files are submitted by their author, not registered")]
    OnlineIsNotARegistrationChannel,
    /// The reception instant is in the future.
    #[error("a file cannot be received in the future")]
    ReceivedInTheFuture,
    /// Without an account, the office needs an e-mail, phone or postal address to answer.
    #[error("an author without an account needs an e-mail address, a phone or a postal address")]
    NoWayToReachAuthor,
    /// A file received by e-mail needs the sender's address (circular 2 of 2020).
    #[error("a file received by e-mail needs the sender's e-mail address")]
    EmailChannelNeedsAnAddress,
    /// Not an e-mail address.
    #[error("the e-mail address is not valid")]
    InvalidEmail,
    /// Not a phone number.
    #[error("the phone number is not valid")]
    InvalidPhone,
    /// A notification says where the problem is (art. 10).
    #[error("a notification needs coordinates or an address")]
    NotificationNeedsLocation,
    /// Coordinates outside Tunisia (or not numbers).
    #[error("the coordinates are not in Tunisia")]
    OutsideTunisia,
    /// Too many attachments.
    #[error("at most {max} attachments are allowed, {given} were given")]
    TooManyAttachments {
        /// The maximum.
        max: usize,
        /// How many were given.
        given: usize,
    },
    /// An attachment reference was refused.
    #[error("attachment #{index} is refused: {problem:?}")]
    InvalidAttachment {
        /// Its position, from 0.
        index: usize,
        /// Why.
        problem: AttachmentProblem,
    },
    /// A text field was refused.
    #[error(transparent)]
    InvalidText(#[from] InvalidText),

    /// The deadline for this act has passed.
    #[error("the deadline passed at {due_at}")]
    DeadlinePassed {
        /// When it expired.
        due_at: DateTime<Utc>,
    },
    /// An extension of zero.
    #[error("an extension must add some time")]
    ZeroExtension,
    /// The deadline's extension limit would be exceeded.
    #[error("extension refused: {already} of {limit} already granted, {requested} requested")]
    ExtensionLimitExceeded {
        /// The limit, in the deadline's unit.
        limit: u32,
        /// Already granted.
        already: u32,
        /// Requested.
        requested: u32,
    },

    /// The 48-hour rule applies to files received by e-mail only.
    #[error("this file was not received by e-mail")]
    NotAnEmailFile,
    /// The sender already had a first response.
    #[error("the sender already had a first response")]
    FirstResponseAlreadyGiven,

    /// No referral with this identifier.
    #[error("no such referral")]
    NoSuchReferral {
        /// The referral.
        referral: ReferralId,
    },
    /// A referral with this identifier exists.
    #[error("a referral with this identifier exists")]
    ReferralAlreadyExists {
        /// The referral.
        referral: ReferralId,
    },
    /// The structure already has this file and has not answered yet.
    #[error("the file is already referred to this structure")]
    AlreadyReferredTo {
        /// The structure.
        structure: OrganisationId,
    },
    /// The directory does not know this organisation.
    #[error("unknown organisation")]
    UnknownOrganisation {
        /// The organisation.
        organisation: OrganisationId,
    },
    /// Files are referred to structures that answer them, not to offices or the Central
    /// Bureau.
    #[error("a {kind:?} does not answer referrals")]
    NotAStructure {
        /// The organisation.
        organisation: OrganisationId,
        /// Its kind.
        kind: OrganisationKind,
    },
    /// The referral is not in a state that allows this.
    #[error("the referral is {status:?}")]
    WrongReferralState {
        /// The referral.
        referral: ReferralId,
        /// Its state.
        status: ReferralStatus,
    },
    /// The reply does not fit the file's kind (an assessment for a suggestion, an
    /// intervention report for a notification, an answer otherwise).
    #[error("this reply does not fit a {kind:?}")]
    ReplyDoesNotFitKind {
        /// The file's kind.
        kind: FileKind,
    },
    /// An intervention dated in the future.
    #[error("an intervention cannot be reported before it happens")]
    InterventionInTheFuture,

    /// Petitions and notifications are answered after a structure replied (art. 7, 10);
    /// only guidance requests may be answered directly by the office (art. 8).
    #[error("a {kind:?} is answered after a structure replied")]
    AnswerNeedsStructureReply {
        /// The file's kind.
        kind: FileKind,
    },
    /// A suggestion is answered once the Central Bureau decided on it (art. 9).
    #[error("the Central Bureau must decide on the suggestion before answering")]
    SuggestionNotDecided,
    /// A suggestion is decided on once a structure assessed it (art. 9).
    #[error("no structure has assessed the suggestion yet")]
    SuggestionNotAssessed,
    /// Only a suggestion assessed feasible, at least in part, can be adopted.
    #[error("no structure assessed the suggestion as feasible")]
    SuggestionNotFeasible,
    /// The command applies to suggestions only.
    #[error("this applies to suggestions only, not to a {kind:?}")]
    NotASuggestion {
        /// The file's kind.
        kind: FileKind,
    },
    /// Implementation is followed for adopted suggestions only.
    #[error("the suggestion was not adopted")]
    SuggestionNotAdopted,
    /// Ratings go from 1 to 5.
    #[error("a rating goes from 1 to 5, not {stars}")]
    InvalidRating {
        /// What was given.
        stars: u8,
    },
    /// The answer was already rated.
    #[error("the answer was already rated")]
    AlreadyRated,
    /// An answer may be contested once.
    #[error("the answer was already contested once")]
    AlreadyContested,

    /// A file cannot be merged with itself.
    #[error("a file cannot be merged with itself")]
    CannotMergeWithItself,
    /// This duplicate is already attached.
    #[error("this duplicate is already attached")]
    DuplicateAlreadyAttached,

    /// The personal-data envelope failed (e.g. the author's data was erased).
    #[error(transparent)]
    PersonalData(#[from] EnvelopeError),
    /// The author's data was erased: the drafted answer can no longer be read to be signed.
    #[error("the author's personal data was erased; the answer cannot be signed")]
    AuthorDataErased,
    /// The signer refused or failed.
    #[error(transparent)]
    Signing(#[from] SigningError),
    /// A deadline could not be computed (a configuration or calendar problem).
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}
