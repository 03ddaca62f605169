//! A citizen file folded from its events: the one fold every citizen-file read model and
//! the performance report start from.
//!
//! [`FileDetail`] mirrors the aggregate's lifecycle (the status transitions of
//! `citizen_file::CitizenFile`) and keeps, already computed, every fact an agent's file page
//! needs: the referral chain (from, to, why, when, what came of it), each deadline with its
//! explanation, the signed answers, the followers of merged duplicates. Deadlines are taken
//! from the events as they were computed, never recomputed. Personal data stays sealed.
//!
//! Projections store the fold as JSON next to their rows, so its shape is part of their
//! stored state: a change of shape needs a rebuild of the projections that store it.

use chrono::{DateTime, Utc};
use citizen_file::{
    AnswerSignature, AttachmentRef, AuthorDetails, AuthorRef, Channel, CitizenFileEvent,
    ClosureReason, Coordinates, DeadlineTarget, FileId, FileKind, FileStatus, KindDetails, Receipt,
    ReferralId, ReferralStatus, ReplyOutcome, ScheduledDeadline, Statement, Urgency,
};
use kernel::calendar::ComputedDeadline;
use kernel::personal_data::Sealed;
use kernel::tracking::TrackingCode;
use kernel::{ActorId, OrganisationId, Text};
use serde::{Deserialize, Serialize};

/// Everything known about a file, folded from its events.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileDetail {
    /// The file.
    pub file: FileId,
    /// Its tracking code.
    pub tracking_code: TrackingCode,
    /// Its kind, with the urgency of a notification.
    pub kind: KindDetails,
    /// How it came in.
    pub channel: Channel,
    /// The organisation that studies it.
    pub handled_by: OrganisationId,
    /// The author (data subject, account if any).
    pub author: AuthorRef,
    /// The author's identity and contact data, sealed.
    pub author_details: Sealed<AuthorDetails>,
    /// What the author wrote, sealed.
    pub statement: Sealed<Statement>,
    /// Where, when given as coordinates.
    pub coordinates: Option<Coordinates>,
    /// Attachments of the file, by reference.
    pub attachments: Vec<AttachmentRef>,
    /// When the administration received it.
    pub received_at: DateTime<Utc>,
    /// Where it stands.
    pub status: FileStatus,
    /// Where it returns when the author answers a request for information.
    pub resume_to: FileStatus,
    /// The reply deadline towards the author as last computed (running, suspended, or the
    /// one an answer met), with its explanation.
    pub reply_deadline: ScheduledDeadline,
    /// When the reply now owed became owed: the receipt, or the last contest.
    pub reply_owed_since: DateTime<Utc>,
    /// E-mail files: the 48-hour first response (circular 2 of 2020).
    pub first_response: Option<FirstResponse>,
    /// While awaiting information: when the author must have answered.
    pub information_due: Option<ComputedDeadline>,
    /// The referrals, in order: the chain of custody.
    pub referrals: Vec<Referral>,
    /// Suggestions: the Central Bureau's latest decision (adopted or not).
    pub adopted: Option<bool>,
    /// The draft waiting for signature.
    pub draft: Option<Sealed<Text>>,
    /// Signed answers, in order (a contest brings a second one).
    pub answers: Vec<SignedAnswer>,
    /// Ratings of the answers, in order.
    pub ratings: Vec<Rating>,
    /// When the author contested an answer.
    pub contested_at: Vec<DateTime<Utc>>,
    /// Files merged into this one.
    pub duplicates: Vec<FileId>,
    /// Authors of those duplicates, who follow this file.
    pub followers: Vec<AuthorRef>,
    /// When it was closed or merged.
    pub ended_at: Option<DateTime<Utc>>,
    /// When its last event happened.
    pub updated_at: DateTime<Utc>,
}

/// The first response owed to the sender of an e-mail.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FirstResponse {
    /// When it is due, with its explanation.
    pub due: ComputedDeadline,
    /// When it was given (the "more time" message, a request for information, an
    /// inadmissibility decision or the signed answer, whichever came first).
    pub given_at: Option<DateTime<Utc>>,
}

/// One link of the chain of custody.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Referral {
    /// The referral.
    pub referral: ReferralId,
    /// From (the handling organisation).
    pub from: OrganisationId,
    /// To (the structure).
    pub to: OrganisationId,
    /// Why this structure, sealed.
    pub reason: Sealed<Text>,
    /// The agent who referred it.
    pub by: ActorId,
    /// When.
    pub at: DateTime<Utc>,
    /// Where it stands.
    pub status: ReferralStatus,
    /// The structure's reply deadline (after extensions), with its explanation.
    pub deadline: ScheduledDeadline,
    /// When the structure acknowledged it.
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// The structure's reply or return.
    pub outcome: Option<ReferralOutcome>,
}

/// How a referral ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ReferralOutcome {
    /// The structure replied.
    Replied {
        /// What the reply is.
        outcome: ReplyOutcome,
        /// The reply, sealed.
        text: Sealed<Text>,
        /// Its agent.
        by: ActorId,
        /// When.
        at: DateTime<Utc>,
        /// Whether within the referral's deadline.
        within_deadline: bool,
    },
    /// The structure returned it as not competent.
    Returned {
        /// Why, sealed.
        reason: Sealed<Text>,
        /// Its agent.
        by: ActorId,
        /// When.
        at: DateTime<Utc>,
    },
}

/// A signed answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignedAnswer {
    /// The answer as signed (the last draft), sealed.
    pub text: Sealed<Text>,
    /// The signature, for anyone holding the answer to verify it.
    pub signature: AnswerSignature,
    /// The signatory.
    pub by: ActorId,
    /// For which organisation.
    pub organisation: OrganisationId,
    /// When it was signed and sent.
    pub at: DateTime<Utc>,
    /// When the reply it gives became owed (receipt, or the contest it answers).
    pub owed_since: DateTime<Utc>,
    /// Whether within the reply deadline.
    pub within_deadline: bool,
    /// Until when the author may contest it.
    pub contest_due: ComputedDeadline,
}

/// The author's rating of an answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rating {
    /// From 1 to 5.
    pub stars: u8,
    /// A comment, sealed.
    pub comment: Option<Sealed<Text>>,
    /// When.
    pub at: DateTime<Utc>,
}

/// Why a history cannot be folded: an event no file can have received in that order.
#[derive(Debug, thiserror::Error)]
pub enum FoldError {
    /// An event other than a receipt opened a stream.
    #[error("an event before the file's receipt")]
    BeforeReceipt,
    /// A second receipt.
    #[error("a second receipt")]
    SecondReceipt,
    /// An event refers to a referral the file does not have.
    #[error("unknown referral {0}")]
    UnknownReferral(ReferralId),
    /// An answer was signed with no draft.
    #[error("an answer was signed without a draft")]
    SignedWithoutDraft,
}

impl From<FoldError> for event_store::ProjectionError {
    fn from(error: FoldError) -> Self {
        Self::Invalid(error.to_string())
    }
}

/// When an event happened, as the domain dates it: the receipt time for receipts (an office
/// may register a file days after it arrived), the act's `at` otherwise.
pub fn event_time(event: &CitizenFileEvent) -> DateTime<Utc> {
    use CitizenFileEvent as E;
    match event {
        E::FileSubmitted { receipt } | E::FileRegistered { receipt, .. } => receipt.received_at,
        E::SenderToldMoreTimeNeeded { at, .. }
        | E::FileAdmitted { at, .. }
        | E::FileDeclaredInadmissible { at, .. }
        | E::InformationRequested { at, .. }
        | E::InformationProvided { at, .. }
        | E::FileReferred { at, .. }
        | E::ReferralAcknowledged { at, .. }
        | E::ReferralReplied { at, .. }
        | E::ReferralReturned { at, .. }
        | E::DeadlineExtended { at, .. }
        | E::SuggestionDecided { at, .. }
        | E::AnswerDrafted { at, .. }
        | E::AnswerSigned { at, .. }
        | E::AnswerRated { at, .. }
        | E::AnswerContested { at, .. }
        | E::ImplementationProgressReported { at, .. }
        | E::SuggestionImplemented { at, .. }
        | E::FileClosed { at, .. }
        | E::DuplicateAttached { at, .. }
        | E::FileMerged { at, .. } => *at,
    }
}

impl FileDetail {
    /// The document `answer` (one of this file's answers) signed, given its opened text.
    pub fn answer_document(
        &self,
        answer: &SignedAnswer,
        text: Text,
    ) -> citizen_file::AnswerDocument {
        citizen_file::AnswerDocument {
            file: self.file,
            tracking_code: self.tracking_code.clone(),
            kind: self.kind.kind(),
            author: self.author.subject,
            answer: text,
            organisation: answer.organisation,
            signatory: answer.by,
            signed_at: answer.at,
        }
    }

    /// The file after `event`, given the file before it (`None` before the receipt).
    pub fn fold(before: Option<Self>, event: &CitizenFileEvent) -> Result<Self, FoldError> {
        use CitizenFileEvent as E;
        match (before, event) {
            (None, E::FileSubmitted { receipt }) => {
                Ok(Self::received(receipt, Channel::Online, None))
            }
            (
                None,
                E::FileRegistered {
                    receipt,
                    channel,
                    first_response_due,
                    ..
                },
            ) => Ok(Self::received(
                receipt,
                *channel,
                first_response_due.clone(),
            )),
            (Some(_), E::FileSubmitted { .. } | E::FileRegistered { .. }) => {
                Err(FoldError::SecondReceipt)
            }
            (None, _) => Err(FoldError::BeforeReceipt),
            (Some(mut file), event) => {
                file.apply(event)?;
                file.updated_at = event_time(event);
                Ok(file)
            }
        }
    }

    fn received(
        receipt: &Receipt,
        channel: Channel,
        first_response_due: Option<ComputedDeadline>,
    ) -> Self {
        Self {
            file: receipt.file,
            tracking_code: receipt.tracking_code.clone(),
            kind: receipt.kind,
            channel,
            handled_by: receipt.handled_by,
            author: receipt.author,
            author_details: receipt.author_details.clone(),
            statement: receipt.statement.clone(),
            coordinates: receipt.coordinates,
            attachments: receipt.attachments.clone(),
            received_at: receipt.received_at,
            status: FileStatus::Received,
            resume_to: FileStatus::Received,
            reply_deadline: receipt.reply_deadline.clone(),
            reply_owed_since: receipt.received_at,
            first_response: first_response_due.map(|due| FirstResponse {
                due,
                given_at: None,
            }),
            information_due: None,
            referrals: Vec::new(),
            adopted: None,
            draft: None,
            answers: Vec::new(),
            ratings: Vec::new(),
            contested_at: Vec::new(),
            duplicates: Vec::new(),
            followers: Vec::new(),
            ended_at: None,
            updated_at: receipt.received_at,
        }
    }

    /// The kind, without details.
    pub fn file_kind(&self) -> FileKind {
        self.kind.kind()
    }

    /// The urgency of a notification.
    pub fn urgency(&self) -> Option<Urgency> {
        match self.kind {
            KindDetails::Notification { urgency } => Some(urgency),
            KindDetails::Petition | KindDetails::GuidanceRequest | KindDetails::Suggestion => None,
        }
    }

    /// Whether a reply towards the author is owed now (received and not yet answered, or
    /// reopened by a contest), whether its clock runs or is stopped.
    pub fn reply_owed(&self) -> bool {
        matches!(
            self.status,
            FileStatus::Received
                | FileStatus::UnderStudy
                | FileStatus::AwaitingInformation
                | FileStatus::Referred
                | FileStatus::AnswerDrafted
        )
    }

    /// When the owed reply falls due; `None` when none is owed or its clock is stopped.
    pub fn reply_due_at(&self) -> Option<DateTime<Utc>> {
        self.reply_owed()
            .then(|| self.reply_deadline.computed.due_at())
            .flatten()
    }

    /// The e-mail first response, while it is owed.
    pub fn first_response_owed(&self) -> Option<&FirstResponse> {
        self.first_response
            .as_ref()
            .filter(|first| first.given_at.is_none() && !self.status.is_terminal())
    }

    /// Referrals still waiting for their structure's reply.
    pub fn active_referrals(&self) -> impl Iterator<Item = &Referral> {
        self.referrals.iter().filter(|r| r.status.is_active())
    }

    /// Whether a past-due obligation of the handling organisation is open at `at`: the reply,
    /// or the e-mail first response.
    pub fn handling_overdue_at(&self, at: DateTime<Utc>) -> bool {
        let reply = self.reply_due_at().is_some_and(|due| at >= due);
        let first = self
            .first_response_owed()
            .is_some_and(|first| first.due.is_overdue_at(at));
        reply || first
    }

    fn referral_mut(&mut self, id: ReferralId) -> Result<&mut Referral, FoldError> {
        self.referrals
            .iter_mut()
            .find(|r| r.referral == id)
            .ok_or(FoldError::UnknownReferral(id))
    }

    fn first_response_given(&mut self, at: DateTime<Utc>) {
        if let Some(first) = &mut self.first_response
            && first.given_at.is_none()
        {
            first.given_at = Some(at);
        }
    }

    fn end(&mut self, status: FileStatus, at: DateTime<Utc>) {
        self.status = status;
        self.ended_at = Some(at);
    }

    /// Records a referral's end; with none outstanding the file is back with its handler
    /// (as the aggregate does).
    fn referral_ended(
        &mut self,
        id: ReferralId,
        outcome: ReferralOutcome,
    ) -> Result<(), FoldError> {
        let referral = self.referral_mut(id)?;
        referral.status = match outcome {
            ReferralOutcome::Replied { .. } => ReferralStatus::Replied,
            ReferralOutcome::Returned { .. } => ReferralStatus::Returned,
        };
        referral.outcome = Some(outcome);
        if self.status == FileStatus::Referred && self.active_referrals().next().is_none() {
            self.status = FileStatus::UnderStudy;
        }
        Ok(())
    }

    fn apply(&mut self, event: &CitizenFileEvent) -> Result<(), FoldError> {
        use CitizenFileEvent as E;
        match event {
            E::FileSubmitted { .. } | E::FileRegistered { .. } => {
                return Err(FoldError::SecondReceipt);
            }
            E::SenderToldMoreTimeNeeded { at, .. } => self.first_response_given(*at),
            E::FileAdmitted { .. } => self.status = FileStatus::UnderStudy,
            E::FileDeclaredInadmissible { at, .. } => {
                self.first_response_given(*at);
                self.end(FileStatus::Closed(ClosureReason::Inadmissible), *at);
            }
            E::InformationRequested {
                at,
                answer_due,
                reply_deadline,
                ..
            } => {
                self.first_response_given(*at);
                self.resume_to = self.status;
                self.status = FileStatus::AwaitingInformation;
                self.information_due = Some(answer_due.clone());
                self.reply_deadline = reply_deadline.clone();
            }
            E::InformationProvided { reply_deadline, .. } => {
                self.status = self.resume_to;
                self.information_due = None;
                self.reply_deadline = reply_deadline.clone();
            }
            E::FileReferred {
                referral,
                from,
                to,
                reason,
                by,
                at,
                deadline,
            } => {
                self.referrals.push(Referral {
                    referral: *referral,
                    from: *from,
                    to: *to,
                    reason: reason.clone(),
                    by: *by,
                    at: *at,
                    status: ReferralStatus::Pending,
                    deadline: deadline.clone(),
                    acknowledged_at: None,
                    outcome: None,
                });
                self.status = FileStatus::Referred;
            }
            E::ReferralAcknowledged { referral, at, .. } => {
                let found = self.referral_mut(*referral)?;
                found.status = ReferralStatus::Acknowledged;
                found.acknowledged_at = Some(*at);
            }
            E::ReferralReplied {
                referral,
                outcome,
                text,
                by,
                at,
                within_deadline,
                ..
            } => {
                let outcome = ReferralOutcome::Replied {
                    outcome: *outcome,
                    text: text.clone(),
                    by: *by,
                    at: *at,
                    within_deadline: *within_deadline,
                };
                self.referral_ended(*referral, outcome)?;
            }
            E::ReferralReturned {
                referral,
                reason,
                by,
                at,
                ..
            } => {
                let outcome = ReferralOutcome::Returned {
                    reason: reason.clone(),
                    by: *by,
                    at: *at,
                };
                self.referral_ended(*referral, outcome)?;
            }
            E::DeadlineExtended {
                target, deadline, ..
            } => match target {
                DeadlineTarget::Reply => self.reply_deadline = deadline.clone(),
                DeadlineTarget::Referral(id) => self.referral_mut(*id)?.deadline = deadline.clone(),
            },
            E::SuggestionDecided { adopted, .. } => self.adopted = Some(*adopted),
            E::AnswerDrafted { text, .. } => {
                self.draft = Some(text.clone());
                self.status = FileStatus::AnswerDrafted;
            }
            E::AnswerSigned {
                signature,
                by,
                organisation,
                at,
                within_deadline,
                contest_due,
            } => {
                let text = self.draft.take().ok_or(FoldError::SignedWithoutDraft)?;
                self.first_response_given(*at);
                self.answers.push(SignedAnswer {
                    text,
                    signature: signature.clone(),
                    by: *by,
                    organisation: *organisation,
                    at: *at,
                    owed_since: self.reply_owed_since,
                    within_deadline: *within_deadline,
                    contest_due: contest_due.clone(),
                });
                self.status = FileStatus::Answered;
            }
            E::AnswerRated { stars, comment, at } => self.ratings.push(Rating {
                stars: *stars,
                comment: comment.clone(),
                at: *at,
            }),
            E::AnswerContested {
                at, reply_deadline, ..
            } => {
                self.contested_at.push(*at);
                self.reply_deadline = reply_deadline.clone();
                self.reply_owed_since = *at;
                self.status = FileStatus::UnderStudy;
            }
            E::ImplementationProgressReported { .. } => {}
            E::SuggestionImplemented { at, .. } => {
                self.end(
                    FileStatus::Closed(ClosureReason::SuggestionImplemented),
                    *at,
                );
            }
            E::FileClosed { reason, at, .. } => {
                self.information_due = None;
                self.end(FileStatus::Closed(*reason), *at);
            }
            E::DuplicateAttached {
                duplicate,
                follower,
                ..
            } => {
                self.duplicates.push(*duplicate);
                self.followers.push(*follower);
            }
            E::FileMerged { into, at, .. } => self.end(FileStatus::Merged(*into), *at),
        }
        Ok(())
    }
}

/// Where a file stands, without the details of its status: what the inbox filters on and
/// the report counts by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileState {
    /// Received, waiting for the admission decision.
    Received,
    /// With the handling organisation.
    UnderStudy,
    /// Waiting for the author's information.
    AwaitingInformation,
    /// With one or more structures.
    Referred,
    /// An answer waits for its signatory.
    AnswerDrafted,
    /// The signed answer went out.
    Answered,
    /// Closed for good.
    Closed,
    /// Merged into another file.
    Merged,
}

impl FileState {
    /// Every state, in lifecycle order.
    pub const ALL: [Self; 8] = [
        Self::Received,
        Self::UnderStudy,
        Self::AwaitingInformation,
        Self::Referred,
        Self::AnswerDrafted,
        Self::Answered,
        Self::Closed,
        Self::Merged,
    ];
}

impl From<FileStatus> for FileState {
    fn from(status: FileStatus) -> Self {
        match status {
            // `New` is an empty stream: no read model holds a file before its receipt.
            FileStatus::New | FileStatus::Received => Self::Received,
            FileStatus::UnderStudy => Self::UnderStudy,
            FileStatus::AwaitingInformation => Self::AwaitingInformation,
            FileStatus::Referred => Self::Referred,
            FileStatus::AnswerDrafted => Self::AnswerDrafted,
            FileStatus::Answered => Self::Answered,
            FileStatus::Closed(_) => Self::Closed,
            FileStatus::Merged(_) => Self::Merged,
        }
    }
}
