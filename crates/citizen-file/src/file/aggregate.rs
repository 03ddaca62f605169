//! The [`CitizenFile`] aggregate: state, decisions and their application.
//!
//! `handle` decides first and writes after: every check runs before the first event is
//! written, so a refused command leaves no partial trace. `apply` only records facts.

use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use cqrs_es::event_sink::EventSink;
use kernel::calendar::{ComputedDeadline, Deadline};
use kernel::personal_data::{Revealed, Sealed};
use kernel::tracking::TrackingCode;
use kernel::{Actor, ActorKind, OrganisationId, OrganisationKind, Role, Text, TextLimits};
use serde::{Deserialize, Serialize};

use super::commands::CitizenFileCommand;
use super::error::FileError;
use super::events::{CitizenFileEvent, Receipt};
use super::intake::{self, Registration};
use super::model::{
    AttachmentRef, AuthorProof, AuthorRef, ClosureReason, DeadlineTarget, Feasibility, FileKind,
    FileStatus, InadmissibilityReason, KindDetails, MoreTimeReason, ReferralStatus, ReplyOutcome,
};
use crate::deadlines::ScheduledDeadline;
use crate::ids::{FileId, ReferralId};
use crate::services::{AnswerDocument, CitizenFileServices};
use crate::validation::{optional_text, text};

/// Written into the reply deadline's explanation when it pauses.
const PAUSE_REASON: &str = "attente des informations demandées à l'auteur";

/// Organisations that answer referrals. Offices and the Central Bureau route files, they do
/// not answer referrals; the watcher department inspects, it does not answer files.
const ANSWERING_KINDS: [OrganisationKind; 6] = [
    OrganisationKind::PublicStructure,
    OrganisationKind::Ministry,
    OrganisationKind::Governorate,
    OrganisationKind::LocalAuthority,
    OrganisationKind::PublicEstablishment,
    OrganisationKind::ExternalAuthority,
];

/// A citizen file: a petition, a guidance request, a suggestion or a notification, from its
/// receipt to its closing. See the [module documentation](crate::file) for the lifecycle.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CitizenFile {
    /// `None` until the receipt.
    file: Option<FileState>,
}

/// The state of a received file: only what the rules need.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct FileState {
    id: FileId,
    tracking_code: TrackingCode,
    kind: KindDetails,
    handled_by: OrganisationId,
    author: AuthorRef,
    status: FileStatus,
    /// Where the file returns when the author answers a request for information.
    resume_to: FileStatus,
    reply_deadline: ScheduledDeadline,
    /// E-mail files: the 48-hour first response, and whether it was given.
    first_response: Option<FirstResponse>,
    /// While awaiting information: when the author must have answered.
    information_due: Option<ComputedDeadline>,
    referrals: Vec<Referral>,
    /// Suggestions: the Central Bureau's latest decision.
    adopted: Option<bool>,
    /// The draft waiting for signature.
    draft: Option<Sealed<Text>>,
    /// The signed answer, while the author may react to it.
    answer: Option<SentAnswer>,
    contested: bool,
    duplicates: Vec<FileId>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct FirstResponse {
    due: ComputedDeadline,
    given: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Referral {
    id: ReferralId,
    to: OrganisationId,
    status: ReferralStatus,
    deadline: ScheduledDeadline,
    outcome: Option<ReplyOutcome>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SentAnswer {
    contest_due: ComputedDeadline,
    rated: bool,
}

impl CitizenFile {
    /// Where the file stands.
    pub fn status(&self) -> FileStatus {
        self.file.as_ref().map_or(FileStatus::New, |f| f.status)
    }

    /// The file's reply deadline towards its author, once received.
    pub fn reply_deadline(&self) -> Option<&ScheduledDeadline> {
        self.file.as_ref().map(|f| &f.reply_deadline)
    }

    /// Where a referral stands, if the file has it.
    pub fn referral_status(&self, referral: ReferralId) -> Option<ReferralStatus> {
        self.file
            .as_ref()
            .and_then(|f| f.referrals.iter().find(|r| r.id == referral))
            .map(|r| r.status)
    }

    async fn decide(
        &self,
        command: CitizenFileCommand,
        services: &CitizenFileServices,
    ) -> Result<Vec<CitizenFileEvent>, FileError> {
        use CitizenFileCommand as C;
        let Some(file) = &self.file else {
            return match command {
                C::SubmitFile { actor, file } => intake::submit(actor, file, services).await,
                C::RegisterFile {
                    actor,
                    file,
                    channel,
                    received_at,
                    account,
                } => {
                    let registration = Registration {
                        actor,
                        channel,
                        received_at,
                        account,
                    };
                    intake::register(registration, file, services).await
                }
                _ => Err(FileError::NoSuchFile),
            }
            .map(|event| vec![event]);
        };
        let now = services.clock.now();
        let event = match command {
            C::SubmitFile { .. } | C::RegisterFile { .. } => Err(FileError::AlreadyReceived),
            C::TellSenderMoreTimeNeeded { actor, reason } => {
                file.tell_sender_more_time_needed(&actor, reason, now)
            }
            C::AdmitFile { actor } => file.admit(&actor, now),
            C::DeclareInadmissible {
                actor,
                reason,
                note,
            } => {
                file.declare_inadmissible(&actor, reason, note.as_deref(), services)
                    .await
            }
            C::RequestInformation { actor, question } => {
                file.request_information(&actor, &question, services).await
            }
            C::ProvideInformation {
                actor,
                proof,
                answer,
                attachments,
            } => {
                file.provide_information(&actor, &proof, &answer, &attachments, services)
                    .await
            }
            C::ReferFile {
                actor,
                referral,
                to,
                reason,
            } => file.refer(&actor, referral, to, &reason, services).await,
            C::AcknowledgeReferral { actor, referral } => {
                file.acknowledge_referral(&actor, referral, now)
            }
            C::ReplyToReferral {
                actor,
                referral,
                outcome,
                text,
            } => {
                file.reply_to_referral(&actor, referral, outcome, &text, services)
                    .await
            }
            C::ReturnReferral {
                actor,
                referral,
                reason,
            } => {
                file.return_referral(&actor, referral, &reason, services)
                    .await
            }
            C::ExtendDeadline {
                actor,
                target,
                amount,
                reason,
            } => file.extend_deadline(&actor, target, amount, reason, services),
            C::DecideOnSuggestion {
                actor,
                adopted,
                reasons,
            } => {
                file.decide_on_suggestion(&actor, adopted, &reasons, services)
                    .await
            }
            C::DraftAnswer { actor, text } => file.draft_answer(&actor, &text, services).await,
            C::SignAnswer { actor } => file.sign_answer(&actor, services).await,
            C::RateAnswer {
                actor,
                proof,
                stars,
                comment,
            } => {
                file.rate_answer(&actor, &proof, stars, comment.as_deref(), services)
                    .await
            }
            C::ContestAnswer {
                actor,
                proof,
                grounds,
            } => {
                file.contest_answer(&actor, &proof, &grounds, services)
                    .await
            }
            C::ReportImplementationProgress { actor, report } => {
                file.report_progress(&actor, &report, services).await
            }
            C::RecordSuggestionImplemented { actor, report } => {
                file.record_implemented(&actor, &report, services).await
            }
            C::CheckDeadlines { actor } => return file.check_deadlines(&actor, now),
            C::AttachDuplicate {
                actor,
                duplicate,
                follower,
            } => file.attach_duplicate(&actor, duplicate, follower, now),
            C::MergeIntoFile { actor, surviving } => file.merge_into(&actor, surviving, now),
        }?;
        Ok(vec![event])
    }
}

type Decision = Result<CitizenFileEvent, FileError>;

/// The statuses in which the file is with its handling organisation before an answer went
/// out: the reply deadline runs (or is paused) and can be extended.
const BEFORE_ANSWER: [FileStatus; 5] = [
    FileStatus::Received,
    FileStatus::UnderStudy,
    FileStatus::AwaitingInformation,
    FileStatus::Referred,
    FileStatus::AnswerDrafted,
];

impl FileState {
    fn from_receipt(receipt: Receipt, first_response_due: Option<ComputedDeadline>) -> Self {
        Self {
            id: receipt.file,
            tracking_code: receipt.tracking_code,
            kind: receipt.kind,
            handled_by: receipt.handled_by,
            author: receipt.author,
            status: FileStatus::Received,
            resume_to: FileStatus::Received,
            reply_deadline: receipt.reply_deadline,
            first_response: first_response_due.map(|due| FirstResponse { due, given: false }),
            information_due: None,
            referrals: Vec::new(),
            adopted: None,
            draft: None,
            answer: None,
            contested: false,
            duplicates: Vec::new(),
        }
    }

    fn kind(&self) -> FileKind {
        self.kind.kind()
    }

    // --- checks shared by the commands ---

    /// The actor is an agent of the handling organisation with a role that handles this
    /// kind; returns that organisation.
    fn handler(&self, actor: &Actor) -> Result<OrganisationId, FileError> {
        if actor.acts_for(self.handled_by, self.kind().handling_roles()) {
            Ok(self.handled_by)
        } else {
            Err(FileError::NotTheHandlingOrganisation {
                handled_by: self.handled_by,
            })
        }
    }

    fn expect_status(&self, allowed: &[FileStatus]) -> Result<(), FileError> {
        if allowed.contains(&self.status) {
            Ok(())
        } else {
            Err(FileError::WrongState {
                status: self.status,
            })
        }
    }

    /// The actor is the author: their account, or the holder of this file's tracking code.
    fn check_author(&self, actor: &Actor, proof: &AuthorProof) -> Result<(), FileError> {
        let proven = actor.kind == ActorKind::Citizen
            && match proof {
                AuthorProof::Account => self.author.account == Some(actor.id),
                AuthorProof::TrackingCode(code) => *code == self.tracking_code,
            };
        if proven {
            Ok(())
        } else {
            Err(FileError::NotTheAuthor)
        }
    }

    fn suggestion(&self) -> Result<(), FileError> {
        match self.kind() {
            FileKind::Suggestion => Ok(()),
            kind => Err(FileError::NotASuggestion { kind }),
        }
    }

    fn referral(&self, referral: ReferralId) -> Result<&Referral, FileError> {
        self.referrals
            .iter()
            .find(|r| r.id == referral)
            .ok_or(FileError::NoSuchReferral { referral })
    }

    /// The referral, still awaiting a reply, of the actor's structure; returns the structure.
    fn structure_referral(
        &self,
        actor: &Actor,
        referral: ReferralId,
        allowed: &[ReferralStatus],
    ) -> Result<(&Referral, OrganisationId), FileError> {
        let found = self.referral(referral)?;
        if !actor.acts_for(found.to, &[Role::StructureAgent]) {
            return Err(FileError::NotReferredToYourStructure { referral });
        }
        if !allowed.contains(&found.status) {
            return Err(FileError::WrongReferralState {
                referral,
                status: found.status,
            });
        }
        Ok((found, found.to))
    }

    async fn seal(
        &self,
        services: &CitizenFileServices,
        text: &Text,
    ) -> Result<Sealed<Text>, FileError> {
        Ok(services.cipher.seal(self.author.subject, text).await?)
    }

    /// Validates a short text (reason, question, note...) and seals it.
    async fn sealed_note(
        &self,
        field: &'static str,
        raw: &str,
        services: &CitizenFileServices,
    ) -> Result<Sealed<Text>, FileError> {
        let note = text(field, raw, TextLimits::body(services.config.text.note))?;
        self.seal(services, &note).await
    }

    // --- intake follow-up ---

    fn tell_sender_more_time_needed(
        &self,
        actor: &Actor,
        reason: MoreTimeReason,
        now: DateTime<Utc>,
    ) -> Decision {
        let organisation = self.handler(actor)?;
        self.expect_status(&BEFORE_ANSWER)?;
        let first = self
            .first_response
            .as_ref()
            .ok_or(FileError::NotAnEmailFile)?;
        if first.given {
            return Err(FileError::FirstResponseAlreadyGiven);
        }
        Ok(CitizenFileEvent::SenderToldMoreTimeNeeded {
            reason,
            by: actor.id,
            organisation,
            at: now,
            within_deadline: !first.due.is_overdue_at(now),
        })
    }

    fn admit(&self, actor: &Actor, now: DateTime<Utc>) -> Decision {
        let organisation = self.handler(actor)?;
        self.expect_status(&[FileStatus::Received])?;
        Ok(CitizenFileEvent::FileAdmitted {
            by: actor.id,
            organisation,
            at: now,
        })
    }

    async fn declare_inadmissible(
        &self,
        actor: &Actor,
        reason: InadmissibilityReason,
        note: Option<&str>,
        services: &CitizenFileServices,
    ) -> Decision {
        let organisation = self.handler(actor)?;
        self.expect_status(&[FileStatus::Received])?;
        let note = optional_text("note", note, TextLimits::body(services.config.text.note))?;
        let note = match note {
            Some(note) => Some(self.seal(services, &note).await?),
            None => None,
        };
        Ok(CitizenFileEvent::FileDeclaredInadmissible {
            reason,
            note,
            by: actor.id,
            organisation,
            at: services.clock.now(),
        })
    }

    // --- information from the author ---

    async fn request_information(
        &self,
        actor: &Actor,
        question: &str,
        services: &CitizenFileServices,
    ) -> Decision {
        let organisation = self.handler(actor)?;
        self.expect_status(&[FileStatus::Received, FileStatus::UnderStudy])?;
        let question = self.sealed_note("question", question, services).await?;
        let now = services.clock.now();
        let calendar = &services.calendar;
        let answer_due =
            Deadline::new(services.config.information_reply.clone(), now).compute(calendar)?;
        Ok(CitizenFileEvent::InformationRequested {
            question,
            by: actor.id,
            organisation,
            at: now,
            answer_due,
            reply_deadline: self.reply_deadline.paused(now, PAUSE_REASON, calendar)?,
        })
    }

    async fn provide_information(
        &self,
        actor: &Actor,
        proof: &AuthorProof,
        answer: &str,
        attachments: &[AttachmentRef],
        services: &CitizenFileServices,
    ) -> Decision {
        self.check_author(actor, proof)?;
        self.expect_status(&[FileStatus::AwaitingInformation])?;
        let now = services.clock.now();
        if let Some(due_at) = self
            .information_due
            .as_ref()
            .filter(|due| due.is_overdue_at(now))
            .and_then(ComputedDeadline::due_at)
        {
            return Err(FileError::DeadlinePassed { due_at });
        }
        let config = &services.config;
        let answer = text("answer", answer, TextLimits::body(config.text.body))?;
        let attachments = intake::attachments(attachments, &config.attachments)?;
        Ok(CitizenFileEvent::InformationProvided {
            answer: self.seal(services, &answer).await?,
            attachments,
            at: now,
            reply_deadline: self.reply_deadline.resumed(now, &services.calendar)?,
        })
    }

    // --- referrals ---

    async fn refer(
        &self,
        actor: &Actor,
        referral: ReferralId,
        to: OrganisationId,
        reason: &str,
        services: &CitizenFileServices,
    ) -> Decision {
        let from = self.handler(actor)?;
        self.expect_status(&[FileStatus::UnderStudy, FileStatus::Referred])?;
        if self.referral(referral).is_ok() {
            return Err(FileError::ReferralAlreadyExists { referral });
        }
        let structure = services
            .directory
            .organisation(to)
            .ok_or(FileError::UnknownOrganisation { organisation: to })?;
        if !ANSWERING_KINDS.contains(&structure.kind) {
            return Err(FileError::NotAStructure {
                organisation: to,
                kind: structure.kind,
            });
        }
        if self
            .referrals
            .iter()
            .any(|r| r.to == to && r.status.is_active())
        {
            return Err(FileError::AlreadyReferredTo { structure: to });
        }
        let reason = self.sealed_note("reason", reason, services).await?;
        let now = services.clock.now();
        let policy = services.config.reply.for_referral(&self.kind, to);
        Ok(CitizenFileEvent::FileReferred {
            referral,
            from,
            to,
            reason,
            by: actor.id,
            at: now,
            deadline: ScheduledDeadline::start(policy, now, &services.calendar)?,
        })
    }

    fn acknowledge_referral(
        &self,
        actor: &Actor,
        referral: ReferralId,
        now: DateTime<Utc>,
    ) -> Decision {
        let (_, organisation) =
            self.structure_referral(actor, referral, &[ReferralStatus::Pending])?;
        Ok(CitizenFileEvent::ReferralAcknowledged {
            referral,
            by: actor.id,
            organisation,
            at: now,
        })
    }

    async fn reply_to_referral(
        &self,
        actor: &Actor,
        referral: ReferralId,
        outcome: ReplyOutcome,
        reply: &str,
        services: &CitizenFileServices,
    ) -> Decision {
        let (found, organisation) = self.structure_referral(
            actor,
            referral,
            &[ReferralStatus::Pending, ReferralStatus::Acknowledged],
        )?;
        if !outcome.fits(self.kind()) {
            return Err(FileError::ReplyDoesNotFitKind { kind: self.kind() });
        }
        let now = services.clock.now();
        if matches!(outcome, ReplyOutcome::InterventionReport { intervened_at, .. } if intervened_at > now)
        {
            return Err(FileError::InterventionInTheFuture);
        }
        let reply = text("text", reply, TextLimits::body(services.config.text.answer))?;
        Ok(CitizenFileEvent::ReferralReplied {
            referral,
            outcome,
            text: self.seal(services, &reply).await?,
            by: actor.id,
            organisation,
            at: now,
            within_deadline: !found.deadline.is_overdue_at(now),
        })
    }

    async fn return_referral(
        &self,
        actor: &Actor,
        referral: ReferralId,
        reason: &str,
        services: &CitizenFileServices,
    ) -> Decision {
        let (_, organisation) = self.structure_referral(
            actor,
            referral,
            &[ReferralStatus::Pending, ReferralStatus::Acknowledged],
        )?;
        Ok(CitizenFileEvent::ReferralReturned {
            referral,
            reason: self.sealed_note("reason", reason, services).await?,
            by: actor.id,
            organisation,
            at: services.clock.now(),
        })
    }

    // --- deadlines ---

    fn extend_deadline(
        &self,
        actor: &Actor,
        target: DeadlineTarget,
        amount: u32,
        reason: MoreTimeReason,
        services: &CitizenFileServices,
    ) -> Decision {
        let organisation = self.handler(actor)?;
        self.expect_status(&BEFORE_ANSWER)?;
        let current = match target {
            DeadlineTarget::Reply => &self.reply_deadline,
            DeadlineTarget::Referral(referral) => {
                let found = self.referral(referral)?;
                if !found.status.is_active() {
                    return Err(FileError::WrongReferralState {
                        referral,
                        status: found.status,
                    });
                }
                &found.deadline
            }
        };
        if amount == 0 {
            return Err(FileError::ZeroExtension);
        }
        let now = services.clock.now();
        if let Some(due_at) = current
            .computed
            .due_at()
            .filter(|_| current.is_overdue_at(now))
        {
            return Err(FileError::DeadlinePassed { due_at });
        }
        let already = current.extended_so_far();
        if already.saturating_add(amount) > current.extension_limit {
            return Err(FileError::ExtensionLimitExceeded {
                limit: current.extension_limit,
                already,
                requested: amount,
            });
        }
        Ok(CitizenFileEvent::DeadlineExtended {
            target,
            amount,
            reason,
            by: actor.id,
            organisation,
            at: now,
            deadline: current.extended(amount, reason.label(), now, &services.calendar)?,
        })
    }

    /// Applies the deadlines that close a file. Nothing due is not an error: the worker
    /// checks files repeatedly.
    fn check_deadlines(
        &self,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Vec<CitizenFileEvent>, FileError> {
        if actor.kind != ActorKind::System {
            return Err(FileError::NotASystemActor);
        }
        let expired = match (self.status, &self.information_due, &self.answer) {
            (FileStatus::AwaitingInformation, Some(due), _) => {
                Some((ClosureReason::NoReplyToInformationRequest, due))
            }
            // An adopted suggestion stays open until implemented (art. 9: it is followed).
            (FileStatus::Answered, _, Some(answer)) if self.adopted != Some(true) => {
                Some((ClosureReason::ContestPeriodElapsed, &answer.contest_due))
            }
            _ => None,
        };
        Ok(expired
            .filter(|(_, due)| due.is_overdue_at(now))
            .map(|(reason, due)| CitizenFileEvent::FileClosed {
                reason,
                by: actor.id,
                at: now,
                deadline: due.clone(),
            })
            .into_iter()
            .collect())
    }

    // --- suggestions ---

    async fn decide_on_suggestion(
        &self,
        actor: &Actor,
        adopted: bool,
        reasons: &str,
        services: &CitizenFileServices,
    ) -> Decision {
        self.suggestion()?;
        let organisation = self.handler(actor)?;
        self.expect_status(&[FileStatus::UnderStudy])?;
        let mut assessments = self.referrals.iter().filter_map(|r| match r.outcome {
            Some(ReplyOutcome::FeasibilityAssessment { feasibility }) => Some(feasibility),
            _ => None,
        });
        let Some(first) = assessments.next() else {
            return Err(FileError::SuggestionNotAssessed);
        };
        let feasible = std::iter::once(first)
            .chain(assessments)
            .any(|f| f != Feasibility::NotFeasible);
        if adopted && !feasible {
            return Err(FileError::SuggestionNotFeasible);
        }
        Ok(CitizenFileEvent::SuggestionDecided {
            adopted,
            reasons: self.sealed_note("reasons", reasons, services).await?,
            by: actor.id,
            organisation,
            at: services.clock.now(),
        })
    }

    /// The actor follows this adopted suggestion: the handling Central Bureau, or a structure
    /// that assessed it.
    fn follows_suggestion(&self, actor: &Actor) -> Result<OrganisationId, FileError> {
        if let Ok(organisation) = self.handler(actor) {
            return Ok(organisation);
        }
        self.referrals
            .iter()
            .find(|r| {
                matches!(r.outcome, Some(ReplyOutcome::FeasibilityAssessment { .. }))
                    && actor.acts_for(r.to, &[Role::StructureAgent])
            })
            .map(|r| r.to)
            .ok_or(FileError::NotFollowingThisSuggestion)
    }

    fn expect_adopted_and_answered(&self) -> Result<(), FileError> {
        self.expect_status(&[FileStatus::Answered])?;
        if self.adopted == Some(true) {
            Ok(())
        } else {
            Err(FileError::SuggestionNotAdopted)
        }
    }

    async fn report_progress(
        &self,
        actor: &Actor,
        report: &str,
        services: &CitizenFileServices,
    ) -> Decision {
        self.suggestion()?;
        let organisation = self.follows_suggestion(actor)?;
        self.expect_adopted_and_answered()?;
        Ok(CitizenFileEvent::ImplementationProgressReported {
            report: self.sealed_note("report", report, services).await?,
            by: actor.id,
            organisation,
            at: services.clock.now(),
        })
    }

    async fn record_implemented(
        &self,
        actor: &Actor,
        report: &str,
        services: &CitizenFileServices,
    ) -> Decision {
        self.suggestion()?;
        let organisation = self.handler(actor)?;
        self.expect_adopted_and_answered()?;
        Ok(CitizenFileEvent::SuggestionImplemented {
            report: self.sealed_note("report", report, services).await?,
            by: actor.id,
            organisation,
            at: services.clock.now(),
        })
    }

    // --- the answer ---

    async fn draft_answer(
        &self,
        actor: &Actor,
        answer: &str,
        services: &CitizenFileServices,
    ) -> Decision {
        let organisation = self.handler(actor)?;
        self.expect_status(&[FileStatus::UnderStudy, FileStatus::AnswerDrafted])?;
        let replied = self.referrals.iter().any(|r| r.outcome.is_some());
        match self.kind() {
            FileKind::GuidanceRequest => {}
            kind @ (FileKind::Petition | FileKind::Notification) if !replied => {
                return Err(FileError::AnswerNeedsStructureReply { kind });
            }
            FileKind::Suggestion if self.adopted.is_none() => {
                return Err(FileError::SuggestionNotDecided);
            }
            FileKind::Petition | FileKind::Notification | FileKind::Suggestion => {}
        }
        let answer = text(
            "text",
            answer,
            TextLimits::body(services.config.text.answer),
        )?;
        Ok(CitizenFileEvent::AnswerDrafted {
            text: self.seal(services, &answer).await?,
            by: actor.id,
            organisation,
            at: services.clock.now(),
        })
    }

    async fn sign_answer(&self, actor: &Actor, services: &CitizenFileServices) -> Decision {
        // Only the handling organisation's agents draft, so it is the drafting organisation.
        let organisation = self.handled_by;
        if !actor.acts_for(organisation, &[Role::Signatory]) {
            return Err(FileError::NotEmpoweredToSign { organisation });
        }
        self.expect_status(&[FileStatus::AnswerDrafted])?;
        let draft = self.draft.as_ref().ok_or(FileError::WrongState {
            status: self.status,
        })?;
        let Revealed::Clear(answer) = services.cipher.open(draft).await? else {
            return Err(FileError::AuthorDataErased);
        };
        let now = services.clock.now();
        let document = AnswerDocument {
            file: self.id,
            tracking_code: self.tracking_code.clone(),
            kind: self.kind(),
            author: self.author.subject,
            answer,
            organisation,
            signatory: actor.id,
            signed_at: now,
        };
        let signature = services.signer.sign(&document, actor).await?;
        let contest_due = Deadline::new(services.config.contest_period.clone(), now)
            .compute(&services.calendar)?;
        Ok(CitizenFileEvent::AnswerSigned {
            signature,
            by: actor.id,
            organisation,
            at: now,
            within_deadline: !self.reply_deadline.is_overdue_at(now),
            contest_due,
        })
    }

    async fn rate_answer(
        &self,
        actor: &Actor,
        proof: &AuthorProof,
        stars: u8,
        comment: Option<&str>,
        services: &CitizenFileServices,
    ) -> Decision {
        self.check_author(actor, proof)?;
        self.expect_status(&[FileStatus::Answered])?;
        if !(1..=5).contains(&stars) {
            return Err(FileError::InvalidRating { stars });
        }
        if self.answer.as_ref().is_some_and(|a| a.rated) {
            return Err(FileError::AlreadyRated);
        }
        let comment = optional_text(
            "comment",
            comment,
            TextLimits::body(services.config.text.note),
        )?;
        let comment = match comment {
            Some(comment) => Some(self.seal(services, &comment).await?),
            None => None,
        };
        Ok(CitizenFileEvent::AnswerRated {
            stars,
            comment,
            at: services.clock.now(),
        })
    }

    async fn contest_answer(
        &self,
        actor: &Actor,
        proof: &AuthorProof,
        grounds: &str,
        services: &CitizenFileServices,
    ) -> Decision {
        self.check_author(actor, proof)?;
        self.expect_status(&[FileStatus::Answered])?;
        if self.contested {
            return Err(FileError::AlreadyContested);
        }
        let now = services.clock.now();
        if let Some(due_at) = self
            .answer
            .as_ref()
            .filter(|a| a.contest_due.is_overdue_at(now))
            .and_then(|a| a.contest_due.due_at())
        {
            return Err(FileError::DeadlinePassed { due_at });
        }
        let grounds = self.sealed_note("grounds", grounds, services).await?;
        let policy = services.config.reply.for_file(&self.kind);
        Ok(CitizenFileEvent::AnswerContested {
            grounds,
            at: now,
            reply_deadline: ScheduledDeadline::start(policy, now, &services.calendar)?,
        })
    }

    // --- duplicates ---

    fn attach_duplicate(
        &self,
        actor: &Actor,
        duplicate: FileId,
        follower: AuthorRef,
        now: DateTime<Utc>,
    ) -> Decision {
        let organisation = self.handler(actor)?;
        if self.status.is_terminal() {
            return Err(FileError::WrongState {
                status: self.status,
            });
        }
        if duplicate == self.id {
            return Err(FileError::CannotMergeWithItself);
        }
        if self.duplicates.contains(&duplicate) {
            return Err(FileError::DuplicateAlreadyAttached);
        }
        Ok(CitizenFileEvent::DuplicateAttached {
            duplicate,
            follower,
            by: actor.id,
            organisation,
            at: now,
        })
    }

    fn merge_into(&self, actor: &Actor, surviving: FileId, now: DateTime<Utc>) -> Decision {
        let organisation = self.handler(actor)?;
        self.expect_status(&[FileStatus::Received, FileStatus::UnderStudy])?;
        if surviving == self.id {
            return Err(FileError::CannotMergeWithItself);
        }
        Ok(CitizenFileEvent::FileMerged {
            into: surviving,
            by: actor.id,
            organisation,
            at: now,
        })
    }

    // --- application of events ---

    fn apply(&mut self, event: CitizenFileEvent) {
        use CitizenFileEvent as E;
        match event {
            // A second receipt cannot be decided; replaying one changes nothing.
            E::FileSubmitted { .. } | E::FileRegistered { .. } => {}
            E::SenderToldMoreTimeNeeded { .. } => self.first_response_given(),
            E::FileAdmitted { .. } => self.status = FileStatus::UnderStudy,
            E::FileDeclaredInadmissible { .. } => {
                self.first_response_given();
                self.status = FileStatus::Closed(ClosureReason::Inadmissible);
            }
            E::InformationRequested {
                answer_due,
                reply_deadline,
                ..
            } => {
                self.first_response_given();
                self.resume_to = self.status;
                self.status = FileStatus::AwaitingInformation;
                self.information_due = Some(answer_due);
                self.reply_deadline = reply_deadline;
            }
            E::InformationProvided { reply_deadline, .. } => {
                self.status = self.resume_to;
                self.information_due = None;
                self.reply_deadline = reply_deadline;
            }
            E::FileReferred {
                referral,
                to,
                deadline,
                ..
            } => {
                self.referrals.push(Referral {
                    id: referral,
                    to,
                    status: ReferralStatus::Pending,
                    deadline,
                    outcome: None,
                });
                self.status = FileStatus::Referred;
            }
            E::ReferralAcknowledged { referral, .. } => {
                self.set_referral(referral, ReferralStatus::Acknowledged, None);
            }
            E::ReferralReplied {
                referral, outcome, ..
            } => self.set_referral(referral, ReferralStatus::Replied, Some(outcome)),
            E::ReferralReturned { referral, .. } => {
                self.set_referral(referral, ReferralStatus::Returned, None);
            }
            E::DeadlineExtended {
                target, deadline, ..
            } => match target {
                DeadlineTarget::Reply => self.reply_deadline = deadline,
                DeadlineTarget::Referral(id) => {
                    if let Some(r) = self.referrals.iter_mut().find(|r| r.id == id) {
                        r.deadline = deadline;
                    }
                }
            },
            E::SuggestionDecided { adopted, .. } => self.adopted = Some(adopted),
            E::AnswerDrafted { text, .. } => {
                self.draft = Some(text);
                self.status = FileStatus::AnswerDrafted;
            }
            E::AnswerSigned { contest_due, .. } => {
                self.first_response_given();
                self.draft = None;
                self.answer = Some(SentAnswer {
                    contest_due,
                    rated: false,
                });
                self.status = FileStatus::Answered;
            }
            E::AnswerRated { .. } => {
                if let Some(answer) = &mut self.answer {
                    answer.rated = true;
                }
            }
            E::AnswerContested { reply_deadline, .. } => {
                self.contested = true;
                self.answer = None;
                self.reply_deadline = reply_deadline;
                self.status = FileStatus::UnderStudy;
            }
            E::ImplementationProgressReported { .. } => {}
            E::SuggestionImplemented { .. } => {
                self.status = FileStatus::Closed(ClosureReason::SuggestionImplemented);
            }
            E::FileClosed { reason, .. } => {
                self.information_due = None;
                self.status = FileStatus::Closed(reason);
            }
            E::DuplicateAttached { duplicate, .. } => self.duplicates.push(duplicate),
            E::FileMerged { into, .. } => self.status = FileStatus::Merged(into),
        }
    }

    fn first_response_given(&mut self) {
        if let Some(first) = &mut self.first_response {
            first.given = true;
        }
    }

    /// Records a referral's new status; when none is outstanding any more, the file is back
    /// with the handling organisation.
    fn set_referral(
        &mut self,
        referral: ReferralId,
        status: ReferralStatus,
        outcome: Option<ReplyOutcome>,
    ) {
        if let Some(r) = self.referrals.iter_mut().find(|r| r.id == referral) {
            r.status = status;
            if outcome.is_some() {
                r.outcome = outcome;
            }
        }
        if self.status == FileStatus::Referred
            && !self.referrals.iter().any(|r| r.status.is_active())
        {
            self.status = FileStatus::UnderStudy;
        }
    }
}

impl Aggregate for CitizenFile {
    const TYPE: &'static str = "CitizenFile";
    type Command = CitizenFileCommand;
    type Event = CitizenFileEvent;
    type Error = FileError;
    type Services = CitizenFileServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        for event in self.decide(command, services).await? {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        use CitizenFileEvent as E;
        match (&mut self.file, event) {
            (None, E::FileSubmitted { receipt }) => {
                self.file = Some(FileState::from_receipt(receipt, None));
            }
            (
                None,
                E::FileRegistered {
                    receipt,
                    first_response_due,
                    ..
                },
            ) => self.file = Some(FileState::from_receipt(receipt, first_response_due)),
            (Some(file), event) => file.apply(event),
            // Nothing but a receipt can open a stream; anything else before it is ignored.
            (None, _) => {}
        }
    }
}
