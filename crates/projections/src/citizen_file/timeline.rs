//! The timeline of a file as its author may see it.
//!
//! What the author sees, and why:
//!
//! - **receipt** (channel, reply due date, the e-mail first-response due date): the receipt
//!   is theirs (decree 93-982 art. 7);
//! - the **"more time needed"** message, **admission**, **inadmissibility** with its reason
//!   and the note to the author: decisions on their file, addressed to them;
//! - **information requested** (the sealed question, the answer's due date) and the
//!   **information they provided** (their own words back);
//! - each **referral**: to which structure and when, so that they know who studies their
//!   file (decree 2019-1242 art. 4, 7). Not why: the reason is the office's internal
//!   routing note; nor the structure's deadline, which the structure owes the office, not
//!   them. Acknowledgements, the structures' replies and returns stay internal: a
//!   structure's reply is working material for the office, whose answer alone is signed
//!   and binding;
//! - **extensions of their reply deadline** (the new due date and the circular's reason);
//!   extensions of a referral's deadline stay internal;
//! - the Central Bureau's **decision on a suggestion** with its reasons (art. 9);
//! - the **signed answer**: the text as signed and the signature (algorithm, signature,
//!   certificate, document hash), so that anyone holding the answer can verify it
//!   (law 2000-83), and until when it can be contested; drafts stay internal;
//! - their **rating** and **contest**, **progress** on an adopted suggestion and its
//!   **implementation**, the **closure** and its reason, the **merge** into another file.
//!
//! Agents' accounts (`by`) are never shown: the author sees organisations, not people. That
//! a duplicate was merged into their file is not shown either: it reveals someone else's
//! request. Sealed values stay sealed; the gateway opens them for the author.

use chrono::{DateTime, Utc};
use citizen_file::{
    AnswerSignature, AttachmentRef, Channel, CitizenFileEvent, ClosureReason, DeadlineTarget,
    FileId, InadmissibilityReason, MoreTimeReason,
};
use kernel::OrganisationId;
use kernel::personal_data::Sealed;
use kernel::{Text, calendar::DeadlineUnit};
use serde::{Deserialize, Serialize};

use super::detail::FileDetail;

/// One step of a file as its author sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TimelineEntry {
    /// The file was received.
    Received {
        /// How.
        channel: Channel,
        /// When the reply is due.
        reply_due_at: Option<DateTime<Utc>>,
        /// E-mails: when a first response is due.
        first_response_due_at: Option<DateTime<Utc>>,
    },
    /// The sender of an e-mail was told more time is needed.
    MoreTimeNeeded {
        /// Why.
        reason: MoreTimeReason,
    },
    /// Admitted for study.
    Admitted,
    /// Declared inadmissible; the file is closed.
    DeclaredInadmissible {
        /// Why.
        reason: InadmissibilityReason,
        /// A note to the author, sealed.
        note: Option<Sealed<Text>>,
    },
    /// Information was asked of the author; the reply deadline is paused.
    InformationRequested {
        /// The question, sealed.
        question: Sealed<Text>,
        /// When the author must have answered.
        answer_due_at: Option<DateTime<Utc>>,
    },
    /// The author provided the information; the reply deadline runs again.
    InformationProvided {
        /// The information, sealed.
        answer: Sealed<Text>,
        /// Documents.
        attachments: Vec<AttachmentRef>,
        /// The new reply due date.
        reply_due_at: Option<DateTime<Utc>>,
    },
    /// Referred to a structure.
    Referred {
        /// The structure.
        structure: OrganisationId,
    },
    /// The reply deadline was extended.
    ReplyDeadlineExtended {
        /// By how much.
        amount: u32,
        /// In which unit.
        unit: DeadlineUnit,
        /// Why.
        reason: MoreTimeReason,
        /// The new due date.
        reply_due_at: Option<DateTime<Utc>>,
    },
    /// The Central Bureau decided on the suggestion.
    SuggestionDecided {
        /// Adopted or not.
        adopted: bool,
        /// Why, sealed.
        reasons: Sealed<Text>,
    },
    /// The answer was signed and sent.
    AnswerSigned {
        /// The answer as signed, sealed.
        answer: Sealed<Text>,
        /// The organisation that answers.
        organisation: OrganisationId,
        /// The signature, to verify the answer.
        signature: AnswerSignature,
        /// Whether within the reply deadline.
        within_deadline: bool,
        /// Until when the author may contest it.
        contest_due_at: Option<DateTime<Utc>>,
    },
    /// The author rated the answer.
    AnswerRated {
        /// From 1 to 5.
        stars: u8,
        /// Their comment, sealed.
        comment: Option<Sealed<Text>>,
    },
    /// The author contested the answer; the file is studied again.
    AnswerContested {
        /// Their grounds, sealed.
        grounds: Sealed<Text>,
        /// The new reply due date.
        reply_due_at: Option<DateTime<Utc>>,
    },
    /// Progress on the adopted suggestion.
    ImplementationProgress {
        /// What was done, sealed.
        report: Sealed<Text>,
    },
    /// The adopted suggestion was implemented; the file is closed.
    SuggestionImplemented {
        /// What was done, sealed.
        report: Sealed<Text>,
    },
    /// The file was closed by a deadline.
    Closed {
        /// Why.
        reason: ClosureReason,
    },
    /// The file was merged into another, which the author now follows.
    Merged {
        /// The surviving file.
        into: FileId,
    },
}

/// A timeline entry with its place and time.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimelineItem {
    /// The event's sequence in the file's stream (the order of the timeline).
    pub sequence: i64,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// What happened.
    pub entry: TimelineEntry,
}

/// What the author sees of `event`, with `file` the file after it; `None` for what stays
/// internal (see the module documentation).
pub(crate) fn visible_entry(event: &CitizenFileEvent, file: &FileDetail) -> Option<TimelineEntry> {
    use CitizenFileEvent as E;
    let reply_due_at = || file.reply_deadline.computed.due_at();
    Some(match event {
        E::FileSubmitted { .. } | E::FileRegistered { .. } => TimelineEntry::Received {
            channel: file.channel,
            reply_due_at: reply_due_at(),
            first_response_due_at: file
                .first_response
                .as_ref()
                .and_then(|first| first.due.due_at()),
        },
        E::SenderToldMoreTimeNeeded { reason, .. } => {
            TimelineEntry::MoreTimeNeeded { reason: *reason }
        }
        E::FileAdmitted { .. } => TimelineEntry::Admitted,
        E::FileDeclaredInadmissible { reason, note, .. } => TimelineEntry::DeclaredInadmissible {
            reason: *reason,
            note: note.clone(),
        },
        E::InformationRequested {
            question,
            answer_due,
            ..
        } => TimelineEntry::InformationRequested {
            question: question.clone(),
            answer_due_at: answer_due.due_at(),
        },
        E::InformationProvided {
            answer,
            attachments,
            ..
        } => TimelineEntry::InformationProvided {
            answer: answer.clone(),
            attachments: attachments.clone(),
            reply_due_at: reply_due_at(),
        },
        E::FileReferred { to, .. } => TimelineEntry::Referred { structure: *to },
        E::DeadlineExtended {
            target: DeadlineTarget::Reply,
            amount,
            reason,
            deadline,
            ..
        } => TimelineEntry::ReplyDeadlineExtended {
            amount: *amount,
            unit: deadline.deadline.rule.unit,
            reason: *reason,
            reply_due_at: deadline.computed.due_at(),
        },
        E::SuggestionDecided {
            adopted, reasons, ..
        } => TimelineEntry::SuggestionDecided {
            adopted: *adopted,
            reasons: reasons.clone(),
        },
        E::AnswerSigned {
            signature,
            organisation,
            within_deadline,
            contest_due,
            ..
        } => TimelineEntry::AnswerSigned {
            // The fold moved the signed draft into the file's answers.
            answer: file.answers.last()?.text.clone(),
            organisation: *organisation,
            signature: signature.clone(),
            within_deadline: *within_deadline,
            contest_due_at: contest_due.due_at(),
        },
        E::AnswerRated { stars, comment, .. } => TimelineEntry::AnswerRated {
            stars: *stars,
            comment: comment.clone(),
        },
        E::AnswerContested { grounds, .. } => TimelineEntry::AnswerContested {
            grounds: grounds.clone(),
            reply_due_at: reply_due_at(),
        },
        E::ImplementationProgressReported { report, .. } => TimelineEntry::ImplementationProgress {
            report: report.clone(),
        },
        E::SuggestionImplemented { report, .. } => TimelineEntry::SuggestionImplemented {
            report: report.clone(),
        },
        E::FileClosed { reason, .. } => TimelineEntry::Closed { reason: *reason },
        E::FileMerged { into, .. } => TimelineEntry::Merged { into: *into },
        E::ReferralAcknowledged { .. }
        | E::ReferralReplied { .. }
        | E::ReferralReturned { .. }
        | E::DeadlineExtended {
            target: DeadlineTarget::Referral(_),
            ..
        }
        | E::AnswerDrafted { .. }
        | E::DuplicateAttached { .. } => return None,
    })
}
