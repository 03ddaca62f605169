//! Commands of the [`CitizenFile`](super::CitizenFile) aggregate, named for what the actor
//! does. Each carries the acting [`Actor`]; texts arrive as typed and are validated by the
//! aggregate; identifiers are minted at the edge.

use chrono::{DateTime, Utc};
use kernel::personal_data::SubjectId;
use kernel::tracking::TrackingCode;
use kernel::{Actor, ActorId, OrganisationId};

use super::model::{
    AttachmentRef, AuthorDetails, AuthorProof, AuthorRef, Channel, DeadlineTarget,
    InadmissibilityReason, KindDetails, Location, MoreTimeReason, ReplyOutcome,
};
use crate::ids::{FileId, ReferralId};

/// A new file, as submitted online or registered by an office.
#[derive(Debug, Clone, PartialEq)]
pub struct NewFile {
    /// Its identifier (the aggregate id).
    pub file: FileId,
    /// The tracking code printed on the receipt, minted at the edge.
    pub tracking_code: TrackingCode,
    /// The organisation that studies it: a Citizen Relations Office for petitions and
    /// guidance requests, the Central Bureau for suggestions and notifications.
    pub handled_by: OrganisationId,
    /// The author's data subject.
    pub subject: SubjectId,
    /// Who the author is and how to reach them.
    pub author: AuthorDetails,
    /// Kind, with its details.
    pub kind: KindDetails,
    /// Title.
    pub title: String,
    /// Body.
    pub body: String,
    /// Where (required for notifications).
    pub location: Option<Location>,
    /// Photos and documents, by reference.
    pub attachments: Vec<AttachmentRef>,
}

/// What can be asked of a [`CitizenFile`](super::CitizenFile).
#[derive(Debug, Clone, PartialEq)]
pub enum CitizenFileCommand {
    /// A registered user submits a file online (art. 2); the receipt is immediate.
    SubmitFile {
        /// The author's account.
        actor: Actor,
        /// The file.
        file: NewFile,
    },
    /// An office registers a file brought by counter, mail, phone, fax or e-mail.
    RegisterFile {
        /// An office agent, or a Central Bureau agent.
        actor: Actor,
        /// The file.
        file: NewFile,
        /// How it came (not `Online`).
        channel: Channel,
        /// When it reached the administration (an e-mail's arrival); not in the future.
        received_at: DateTime<Utc>,
        /// The author's account, when they have one.
        account: Option<ActorId>,
    },
    /// Tells the sender of an e-mail that more time is needed (circular 2 of 2020).
    TellSenderMoreTimeNeeded {
        /// An agent of the handling organisation.
        actor: Actor,
        /// Why.
        reason: MoreTimeReason,
    },
    /// Admits the file for study.
    AdmitFile {
        /// An agent of the handling organisation.
        actor: Actor,
    },
    /// Declares the file inadmissible, which closes it.
    DeclareInadmissible {
        /// An agent of the handling organisation.
        actor: Actor,
        /// The reason, from the closed list.
        reason: InadmissibilityReason,
        /// A note to the author (e.g. who is competent).
        note: Option<String>,
    },
    /// Asks the author for missing information; the reply deadline pauses.
    RequestInformation {
        /// An agent of the handling organisation.
        actor: Actor,
        /// What is missing.
        question: String,
    },
    /// The author provides the information asked; the reply deadline resumes.
    ProvideInformation {
        /// The author.
        actor: Actor,
        /// How the actor shows they are the author.
        proof: AuthorProof,
        /// The information.
        answer: String,
        /// Documents, by reference.
        attachments: Vec<AttachmentRef>,
    },
    /// Refers the file to a structure: one link of the chain of custody.
    ReferFile {
        /// An agent of the handling organisation.
        actor: Actor,
        /// The referral's identifier.
        referral: ReferralId,
        /// The structure.
        to: OrganisationId,
        /// Why this structure.
        reason: String,
    },
    /// The structure acknowledges a referral.
    AcknowledgeReferral {
        /// An agent of the structure referred to.
        actor: Actor,
        /// Which referral.
        referral: ReferralId,
    },
    /// The structure replies to a referral.
    ReplyToReferral {
        /// An agent of the structure referred to.
        actor: Actor,
        /// Which referral.
        referral: ReferralId,
        /// What the reply is; must fit the file's kind.
        outcome: ReplyOutcome,
        /// The reply: the answer, the assessment's reasons, or the intervention report.
        text: String,
    },
    /// The structure returns a referral as not competent; the office re-routes the file.
    ReturnReferral {
        /// An agent of the structure referred to.
        actor: Actor,
        /// Which referral.
        referral: ReferralId,
        /// Why it is not competent.
        reason: String,
    },
    /// Extends the reply deadline or a referral's deadline, within its limit.
    ExtendDeadline {
        /// An agent of the handling organisation.
        actor: Actor,
        /// Which deadline.
        target: DeadlineTarget,
        /// How much, in the deadline's unit.
        amount: u32,
        /// Why.
        reason: MoreTimeReason,
    },
    /// The Central Bureau decides whether to adopt an assessed suggestion (art. 9).
    DecideOnSuggestion {
        /// A Central Bureau agent of the handling organisation.
        actor: Actor,
        /// Adopted or not.
        adopted: bool,
        /// Why.
        reasons: String,
    },
    /// Drafts (or redrafts) the final answer.
    DraftAnswer {
        /// An agent of the handling organisation.
        actor: Actor,
        /// The answer.
        text: String,
    },
    /// Signs the drafted answer, which sends it to the author (art. 2, 4; circular 001).
    SignAnswer {
        /// A signatory of the organisation that drafted the answer.
        actor: Actor,
    },
    /// The author rates the answer.
    RateAnswer {
        /// The author.
        actor: Actor,
        /// How the actor shows they are the author.
        proof: AuthorProof,
        /// From 1 to 5.
        stars: u8,
        /// A comment.
        comment: Option<String>,
    },
    /// The author contests the answer, once, within the contest period: the file reopens.
    ContestAnswer {
        /// The author.
        actor: Actor,
        /// How the actor shows they are the author.
        proof: AuthorProof,
        /// Why.
        grounds: String,
    },
    /// Reports progress on implementing an adopted suggestion (art. 9).
    ReportImplementationProgress {
        /// An agent of a structure that assessed it, or of the handling Central Bureau.
        actor: Actor,
        /// What was done.
        report: String,
    },
    /// Records that an adopted suggestion is implemented, which closes the file.
    RecordSuggestionImplemented {
        /// A Central Bureau agent of the handling organisation.
        actor: Actor,
        /// What was done.
        report: String,
    },
    /// The deadline worker applies the deadlines that close a file: the author's silence
    /// after a request for information, the end of the contest period.
    CheckDeadlines {
        /// The platform's worker.
        actor: Actor,
    },
    /// Notes on the surviving file that a duplicate was merged into it; its author now
    /// follows this file. Issued before [`MergeIntoFile`](Self::MergeIntoFile).
    AttachDuplicate {
        /// An agent of the handling organisation.
        actor: Actor,
        /// The duplicate file.
        duplicate: FileId,
        /// Its author.
        follower: AuthorRef,
    },
    /// Merges this file, a duplicate, into the surviving file.
    MergeIntoFile {
        /// An agent of the handling organisation.
        actor: Actor,
        /// The surviving file.
        surviving: FileId,
    },
}
