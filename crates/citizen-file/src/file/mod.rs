//! Citizen files (decree 2019-1242 art. 2, 4, 7-10; circular 001; circular 2 of 2020).
//!
//! # Kinds
//!
//! | kind | handled by | what sets it apart |
//! |---|---|---|
//! | petition / complaint (art. 7) | the receiving Citizen Relations Office | answered after a structure replied |
//! | guidance request (art. 8) | the receiving office | the office may answer directly |
//! | suggestion (art. 9) | the Central Bureau | a structure assesses feasibility; the Bureau decides; an adopted suggestion is followed until implemented |
//! | notification (art. 10) | the Central Bureau | urgency, location, photos; a structure reports its intervention and whether the harm was removed |
//!
//! # Lifecycle
//!
//! ```text
//!            SubmitFile / RegisterFile (receipt, tracking code, reply deadline)
//!                               │
//!                           Received ──DeclareInadmissible──▶ Closed(Inadmissible)
//!                               │  ◀──┐
//!                     AdmitFile │     │ RequestInformation / ProvideInformation
//!                               ▼     │  (AwaitingInformation: reply deadline paused;
//!   ┌───────────────────────▶ UnderStudy  CheckDeadlines after the author's period
//!   │ last referral replied     │   │     ──▶ Closed(NoReplyToInformationRequest))
//!   │ or returned     ReferFile │   │ DraftAnswer
//!   │                           ▼   ▼
//!   └──────────────────── Referred  AnswerDrafted ──SignAnswer──▶ Answered
//!                                                                  │ │ │
//!            ContestAnswer (once, within the period) ◀─────────────┘ │ │
//!            ──▶ UnderStudy, new reply deadline                       │ │
//!            CheckDeadlines after the contest period ─────────────────┘ │
//!            ──▶ Closed(ContestPeriodElapsed)                           │
//!            adopted suggestion: RecordSuggestionImplemented ───────────┘
//!            ──▶ Closed(SuggestionImplemented)
//!
//!   Received / UnderStudy ──MergeIntoFile──▶ Merged(surviving file)
//! ```
//!
//! `Closed` and `Merged` are terminal: every command is refused there (the deadline worker's
//! `CheckDeadlines` finds nothing to do).
//!
//! # Who does what
//!
//! - The **author** submits online (an `Actor::citizen`); for files registered on someone's
//!   behalf the office records contact data. The author later acts with an [`AuthorProof`]:
//!   their account (`actor.id` equals the account recorded at receipt), or the file's
//!   tracking code, whose secret the gateway verified (the secret never reaches the domain).
//! - **Handling agents**: `OfficeAgent`/`OfficeHead` of the receiving office for petitions and
//!   guidance requests, `CentralBureauAgent` of the Central Bureau for suggestions and
//!   notifications, admit, declare inadmissible, ask information, refer, extend, draft,
//!   merge. An office's counter may register a suggestion or a notification: it goes to the
//!   Central Bureau (art. 9, 10).
//! - A **structure agent** (`StructureAgent`) of a structure a referral went to acknowledges,
//!   replies to or returns that referral, and no other.
//! - Only a **signatory** (`Signatory`) of the handling organisation, which drafted the
//!   answer, signs it; signing goes through the [`AnswerSigner`](crate::AnswerSigner) service.
//! - The platform's **worker** (`ActorKind::System`) issues `CheckDeadlines`.
//!
//! # Deadlines
//!
//! Every due date is computed with the legal calendar and carried in the event that sets it:
//! the reply deadline (per kind, per urgency, from receipt; again from a contest), each
//! referral's deadline (urgency, else per structure, else per kind), the 48-hour first response
//! to e-mails (circular 2 of 2020), the author's period to answer a request for information,
//! the contest period. A request for information pauses the reply deadline, the author's answer
//! resumes it. Extensions name a reason from the circular's cases and stay within the limit the
//! policy set when the deadline started. Acts of the administration are never refused for
//! lateness (a late answer is still owed): their events say whether they came in time. Acts of
//! the author are refused once their period is over.
//!
//! # Decisions where the texts are silent
//!
//! - The receipt is the receiving event itself; the e-mail clock runs from the e-mail's
//!   arrival (`received_at`), not from its registration.
//! - A first response to an e-mail is the "more time" message, a request for information, an
//!   inadmissibility decision or the signed answer, whichever comes first.
//! - Information is asked while the file is with the office (before admission or under
//!   study), not while referrals are outstanding, so that a paused file has no structure
//!   working on it.
//! - Petitions and notifications are answered after at least one structure replied (art. 7
//!   "in coordination with the services concerned", art. 10); guidance requests may be answered
//!   directly (art. 8); a suggestion needs the Bureau's decision, which needs an assessment, and
//!   only a suggestion assessed (partly) feasible can be adopted (art. 9). A contested file
//!   keeps the replies it had: the office may refer again or redraft.
//! - The signed answer is sent when signed: the contest period starts then. Rating is open
//!   while the answer can be contested, once per answer.
//! - Inadmissibility is decided at admission and closes the file; it is not signed (it is not
//!   an answer on the merits) and not contestable here.
//! - Merging is two commands, because a command changes one aggregate: `AttachDuplicate` on the
//!   surviving file first (it checks the file is open), then `MergeIntoFile` on the duplicate.
//!   If the second is refused, the surviving file lists one follower too many, which is
//!   harmless; the other order could merge a file into one closed meanwhile. Only files the
//!   same organisation handles are merged; a duplicate elsewhere is referred, not merged.
//! - Personal data: the author's identity and contact data, the statement (title, body,
//!   address) and every free text of the file (reasons, questions, replies, answer, comments)
//!   are sealed under the author's data subject. Coordinates of a notification stay in clear:
//!   they locate a public problem and route it. Deadline explanations hold only fixed labels.

mod aggregate;
mod commands;
mod error;
mod events;
mod intake;
mod model;

pub use aggregate::CitizenFile;
pub use commands::{CitizenFileCommand, NewFile};
pub use error::FileError;
pub use events::{CitizenFileEvent, Receipt};
pub use model::{
    AttachmentProblem, AttachmentRef, AuthorDetails, AuthorProof, AuthorRef, Channel,
    ClosureReason, Coordinates, DeadlineTarget, Feasibility, FileKind, FileStatus,
    InadmissibilityReason, KindDetails, Location, MoreTimeReason, PersonKind, ReferralStatus,
    ReplyOutcome, Statement, Urgency,
};
