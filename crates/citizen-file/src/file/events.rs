//! Events of the [`CitizenFile`](super::CitizenFile) aggregate: the record of every file.
//!
//! Variant names and shapes are a stored contract (`event_version` "1"). Events carry the
//! facts readers need already computed (due dates with their explanation, whether an act
//! came within its deadline) and who did each legally significant act (`by`, `organisation`).
//! Personal data and free text are sealed under the author's data subject.

use chrono::{DateTime, Utc};
use cqrs_es::DomainEvent;
use kernel::calendar::ComputedDeadline;
use kernel::personal_data::Sealed;
use kernel::tracking::TrackingCode;
use kernel::{ActorId, OrganisationId, Text};
use serde::{Deserialize, Serialize};

use super::model::{
    AttachmentRef, AuthorDetails, AuthorRef, Channel, ClosureReason, Coordinates, DeadlineTarget,
    InadmissibilityReason, KindDetails, MoreTimeReason, ReplyOutcome, Statement,
};
use crate::deadlines::ScheduledDeadline;
use crate::ids::{FileId, ReferralId};
use crate::services::AnswerSignature;

/// What a receipt records, whichever way the file came in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    /// The file.
    pub file: FileId,
    /// Its tracking code.
    pub tracking_code: TrackingCode,
    /// Its kind, with details.
    pub kind: KindDetails,
    /// The organisation that studies it.
    pub handled_by: OrganisationId,
    /// The author.
    pub author: AuthorRef,
    /// The author's identity and contact data.
    pub author_details: Sealed<AuthorDetails>,
    /// What the author wrote.
    pub statement: Sealed<Statement>,
    /// Where, when given as coordinates (kept in clear to route and map the problem).
    pub coordinates: Option<Coordinates>,
    /// Attachments, by reference.
    pub attachments: Vec<AttachmentRef>,
    /// When the administration received it.
    pub received_at: DateTime<Utc>,
    /// The reply deadline towards the author, from receipt.
    pub reply_deadline: ScheduledDeadline,
}

/// Everything that happens to a citizen file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CitizenFileEvent {
    /// Submitted online: the receipt (decree 93-982 art. 7: immediate).
    FileSubmitted {
        /// The receipt.
        receipt: Receipt,
    },
    /// Registered by an office on behalf of its author: the receipt.
    FileRegistered {
        /// The receipt.
        receipt: Receipt,
        /// How it came.
        channel: Channel,
        /// The agent who registered it.
        by: ActorId,
        /// Their organisation.
        organisation: OrganisationId,
        /// When it was registered (may be after `received_at`).
        registered_at: DateTime<Utc>,
        /// For e-mails: when the sender must have had a first response (circular 2 of 2020).
        first_response_due: Option<ComputedDeadline>,
    },
    /// The sender of an e-mail was told more time is needed (circular 2 of 2020).
    SenderToldMoreTimeNeeded {
        /// Why.
        reason: MoreTimeReason,
        /// Who.
        by: ActorId,
        /// For which organisation.
        organisation: OrganisationId,
        /// When.
        at: DateTime<Utc>,
        /// Whether within the 48 hours.
        within_deadline: bool,
    },
    /// Admitted for study.
    FileAdmitted {
        /// Who.
        by: ActorId,
        /// For which organisation.
        organisation: OrganisationId,
        /// When.
        at: DateTime<Utc>,
    },
    /// Declared inadmissible; the file is closed.
    FileDeclaredInadmissible {
        /// The reason.
        reason: InadmissibilityReason,
        /// A note to the author.
        note: Option<Sealed<Text>>,
        /// Who.
        by: ActorId,
        /// For which organisation.
        organisation: OrganisationId,
        /// When.
        at: DateTime<Utc>,
    },
    /// Information asked of the author; the reply deadline is paused.
    InformationRequested {
        /// The question.
        question: Sealed<Text>,
        /// Who.
        by: ActorId,
        /// For which organisation.
        organisation: OrganisationId,
        /// When.
        at: DateTime<Utc>,
        /// When the author must have answered, or the file closes.
        answer_due: ComputedDeadline,
        /// The reply deadline, now suspended.
        reply_deadline: ScheduledDeadline,
    },
    /// The author provided the information; the reply deadline resumes.
    InformationProvided {
        /// The information.
        answer: Sealed<Text>,
        /// Documents, by reference.
        attachments: Vec<AttachmentRef>,
        /// When.
        at: DateTime<Utc>,
        /// The reply deadline, running again.
        reply_deadline: ScheduledDeadline,
    },
    /// Referred to a structure: a link of the chain of custody.
    FileReferred {
        /// The referral.
        referral: ReferralId,
        /// From (the handling organisation).
        from: OrganisationId,
        /// To (the structure).
        to: OrganisationId,
        /// Why.
        reason: Sealed<Text>,
        /// Who.
        by: ActorId,
        /// When.
        at: DateTime<Utc>,
        /// The structure's reply deadline.
        deadline: ScheduledDeadline,
    },
    /// The structure acknowledged the referral.
    ReferralAcknowledged {
        /// The referral.
        referral: ReferralId,
        /// Who.
        by: ActorId,
        /// The structure.
        organisation: OrganisationId,
        /// When.
        at: DateTime<Utc>,
    },
    /// The structure replied.
    ReferralReplied {
        /// The referral.
        referral: ReferralId,
        /// What the reply is.
        outcome: ReplyOutcome,
        /// The reply.
        text: Sealed<Text>,
        /// Who.
        by: ActorId,
        /// The structure.
        organisation: OrganisationId,
        /// When.
        at: DateTime<Utc>,
        /// Whether within the referral's deadline.
        within_deadline: bool,
    },
    /// The structure returned the referral as not competent.
    ReferralReturned {
        /// The referral.
        referral: ReferralId,
        /// Why.
        reason: Sealed<Text>,
        /// Who.
        by: ActorId,
        /// The structure.
        organisation: OrganisationId,
        /// When.
        at: DateTime<Utc>,
    },
    /// A deadline was extended.
    DeadlineExtended {
        /// Which deadline.
        target: DeadlineTarget,
        /// By how much, in its unit.
        amount: u32,
        /// Why.
        reason: MoreTimeReason,
        /// Who.
        by: ActorId,
        /// For which organisation.
        organisation: OrganisationId,
        /// When.
        at: DateTime<Utc>,
        /// The extended deadline.
        deadline: ScheduledDeadline,
    },
    /// The Central Bureau decided on an assessed suggestion (art. 9).
    SuggestionDecided {
        /// Adopted or not.
        adopted: bool,
        /// Why.
        reasons: Sealed<Text>,
        /// Who.
        by: ActorId,
        /// For which organisation.
        organisation: OrganisationId,
        /// When.
        at: DateTime<Utc>,
    },
    /// A final answer was drafted (replacing any earlier draft).
    AnswerDrafted {
        /// The answer.
        text: Sealed<Text>,
        /// Who.
        by: ActorId,
        /// For which organisation.
        organisation: OrganisationId,
        /// When.
        at: DateTime<Utc>,
    },
    /// The answer was signed and sent to the author.
    AnswerSigned {
        /// The signature over the answer document.
        signature: AnswerSignature,
        /// The signatory.
        by: ActorId,
        /// For which organisation.
        organisation: OrganisationId,
        /// When.
        at: DateTime<Utc>,
        /// Whether within the reply deadline.
        within_deadline: bool,
        /// Until when the author may contest it.
        contest_due: ComputedDeadline,
    },
    /// The author rated the answer.
    AnswerRated {
        /// From 1 to 5.
        stars: u8,
        /// A comment.
        comment: Option<Sealed<Text>>,
        /// When.
        at: DateTime<Utc>,
    },
    /// The author contested the answer; the file is back under study.
    AnswerContested {
        /// Why.
        grounds: Sealed<Text>,
        /// When.
        at: DateTime<Utc>,
        /// A new reply deadline, from the contest.
        reply_deadline: ScheduledDeadline,
    },
    /// Progress on an adopted suggestion.
    ImplementationProgressReported {
        /// What was done.
        report: Sealed<Text>,
        /// Who.
        by: ActorId,
        /// For which organisation.
        organisation: OrganisationId,
        /// When.
        at: DateTime<Utc>,
    },
    /// An adopted suggestion was implemented; the file is closed.
    SuggestionImplemented {
        /// What was done.
        report: Sealed<Text>,
        /// Who.
        by: ActorId,
        /// For which organisation.
        organisation: OrganisationId,
        /// When.
        at: DateTime<Utc>,
    },
    /// Closed by a deadline.
    FileClosed {
        /// Why.
        reason: ClosureReason,
        /// The worker.
        by: ActorId,
        /// When.
        at: DateTime<Utc>,
        /// The deadline that ran out.
        deadline: ComputedDeadline,
    },
    /// A duplicate was merged into this file; its author follows this file.
    DuplicateAttached {
        /// The duplicate.
        duplicate: FileId,
        /// Its author.
        follower: AuthorRef,
        /// Who.
        by: ActorId,
        /// For which organisation.
        organisation: OrganisationId,
        /// When.
        at: DateTime<Utc>,
    },
    /// This file was merged into another; its author is told and follows that file.
    FileMerged {
        /// The surviving file.
        into: FileId,
        /// Who.
        by: ActorId,
        /// For which organisation.
        organisation: OrganisationId,
        /// When.
        at: DateTime<Utc>,
    },
}

impl DomainEvent for CitizenFileEvent {
    fn event_type(&self) -> String {
        match self {
            Self::FileSubmitted { .. } => "FileSubmitted",
            Self::FileRegistered { .. } => "FileRegistered",
            Self::SenderToldMoreTimeNeeded { .. } => "SenderToldMoreTimeNeeded",
            Self::FileAdmitted { .. } => "FileAdmitted",
            Self::FileDeclaredInadmissible { .. } => "FileDeclaredInadmissible",
            Self::InformationRequested { .. } => "InformationRequested",
            Self::InformationProvided { .. } => "InformationProvided",
            Self::FileReferred { .. } => "FileReferred",
            Self::ReferralAcknowledged { .. } => "ReferralAcknowledged",
            Self::ReferralReplied { .. } => "ReferralReplied",
            Self::ReferralReturned { .. } => "ReferralReturned",
            Self::DeadlineExtended { .. } => "DeadlineExtended",
            Self::SuggestionDecided { .. } => "SuggestionDecided",
            Self::AnswerDrafted { .. } => "AnswerDrafted",
            Self::AnswerSigned { .. } => "AnswerSigned",
            Self::AnswerRated { .. } => "AnswerRated",
            Self::AnswerContested { .. } => "AnswerContested",
            Self::ImplementationProgressReported { .. } => "ImplementationProgressReported",
            Self::SuggestionImplemented { .. } => "SuggestionImplemented",
            Self::FileClosed { .. } => "FileClosed",
            Self::DuplicateAttached { .. } => "DuplicateAttached",
            Self::FileMerged { .. } => "FileMerged",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}
