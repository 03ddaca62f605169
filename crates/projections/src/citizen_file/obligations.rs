//! The obligations with a due date that citizen files create, event by event.
//!
//! | obligation (`kind`, id) | owed by | opened by | moved by | suspended by | met by | cancelled by |
//! |---|---|---|---|---|---|---|
//! | `file.reply`, `<file>/reply` | the handling organisation (its handling roles) | the receipt | `InformationProvided`, reply `DeadlineExtended`, `AnswerContested` (a new reply) | `InformationRequested` | `AnswerSigned` | inadmissibility, closure for the author's silence, merge |
//! | `file.first-response`, `<file>/first-response` | the handling organisation | an e-mail's registration (circular 2 of 2020: 48 hours) | | | "more time needed", a request for information, inadmissibility, the signed answer | merge |
//! | `referral.reply`, `<file>/referral/<referral>` | the structure (`StructureAgent`) | `FileReferred` | referral `DeadlineExtended` | | `ReferralReplied`, `ReferralReturned` (the structure acted: it declined competence) | |
//!
//! What is **not** an obligation of the administration: the author's period to answer a
//! request for information and the contest period are the citizen's; when they lapse the
//! platform's worker closes the file (`CheckDeadlines`), nobody is reminded. Extensions are
//! granted on the spot by the handling organisation (there is no request to approve): an
//! extension moves the obligation it extends.
//!
//! Escalation of an overdue obligation: the head of the handling office (`OfficeHead`), then
//! the Central Bureau (`CentralBureauAgent`), which monitors every structure (art. 13); for
//! the Central Bureau's own files the chain stops at its head. `reference` is the tracking
//! code. Obligations carry their [`Deadline`](kernel::calendar::Deadline) inputs when the
//! event has them (a `ScheduledDeadline`), so that a change of calendar can recompute them;
//! the e-mail first response comes as a computed date only.
//!
//! Changes that name an obligation which is not open (a `Met` of a first response that was
//! never owed because the file did not come by e-mail, a `Cancelled` after the answer met the
//! reply) change nothing: the store of obligations ignores them.
//!
//! **Context.** Only the receipt names the tracking code, and some later events neither the
//! handling organisation (`InformationProvided`, `AnswerContested`) nor the structure (an
//! extension of a referral). [`ObligationRules::changes`] takes them from the
//! obligations already stored for the file; [`ObligationRules::changes`], which receives
//! the event alone, refuses those events rather than schedule an obligation with a wrong
//! reference or recipient.

use citizen_file::{
    CitizenFileEvent, ClosureReason, DeadlineTarget, ReferralId, ScheduledDeadline,
};
use event_store::{ProjectionError, RecordedEvent};
use kernel::calendar::{ComputedDeadline, Deadline};
use kernel::{OrganisationId, Role};

use super::sql::{CITIZEN_FILE, citizen_file_event};
use crate::obligations::{Obligation, ObligationChange, ObligationRules, Responsible};

/// Kind of the reply owed to the author.
pub const REPLY: &str = "file.reply";
/// Kind of the 48-hour first response to an e-mail.
pub const FIRST_RESPONSE: &str = "file.first-response";
/// Kind of a structure's reply to a referral.
pub const REFERRAL_REPLY: &str = "referral.reply";

/// The obligation rules of citizen files.
#[derive(Clone, Copy, Debug)]
pub struct CitizenFileObligations {
    central_bureau: OrganisationId,
}

/// What an obligation is about, before its due date.
#[derive(Debug)]
struct Subject<'a> {
    aggregate_id: &'a str,
    reference: String,
    handled_by: OrganisationId,
}

impl CitizenFileObligations {
    /// The rules, with the Central Bureau that overdue obligations escalate to.
    pub fn new(central_bureau: OrganisationId) -> Self {
        Self { central_bureau }
    }
}

impl ObligationRules for CitizenFileObligations {
    /// The changes `event` makes, given `known`: the obligations already stored for the
    /// same file, as last opened, whatever became of them since (open, suspended, met or
    /// cancelled). Events of other aggregates make none.
    fn changes(
        &self,
        event: &RecordedEvent,
        known: &[Obligation],
    ) -> Result<Vec<ObligationChange>, ProjectionError> {
        let Some(file_event) = citizen_file_event(event)? else {
            return Ok(Vec::new());
        };
        let file = event.aggregate_id.as_str();
        let reply = id(file, "reply");
        let first_response = id(file, "first-response");
        let known_reply = || {
            known.iter().find(|o| o.id == reply).ok_or_else(|| {
                ProjectionError::Invalid(format!(
                    "{} of file {file} needs the file's stored obligations (its reference and \
                     handling organisation): with the file's stored obligations",
                    event.event_type
                ))
            })
        };
        use CitizenFileEvent as E;
        Ok(match &file_event {
            E::FileSubmitted { receipt } | E::FileRegistered { receipt, .. } => {
                let subject = Subject {
                    aggregate_id: file,
                    reference: receipt.tracking_code.as_str().to_owned(),
                    handled_by: receipt.handled_by,
                };
                let owed_by = Responsible {
                    organisation: receipt.handled_by,
                    roles: receipt.kind.kind().handling_roles().to_vec(),
                };
                let mut changes = vec![self.scheduled(
                    &subject,
                    reply,
                    REPLY,
                    owed_by.clone(),
                    &receipt.reply_deadline,
                )];
                if let E::FileRegistered {
                    first_response_due: Some(due),
                    ..
                } = &file_event
                {
                    changes.push(self.open(
                        &subject,
                        first_response,
                        FIRST_RESPONSE,
                        owed_by,
                        due,
                        None,
                    ));
                }
                changes
            }
            E::SenderToldMoreTimeNeeded { .. } => vec![met(first_response)],
            E::FileDeclaredInadmissible { .. } => {
                vec![met(first_response), cancelled(reply)]
            }
            E::InformationRequested { .. } => vec![met(first_response), suspend(reply)],
            E::InformationProvided { reply_deadline, .. }
            | E::AnswerContested { reply_deadline, .. }
            | E::DeadlineExtended {
                target: DeadlineTarget::Reply,
                deadline: reply_deadline,
                ..
            } => {
                let known = known_reply()?;
                vec![self.scheduled(
                    &self.subject_of(file, known),
                    reply,
                    REPLY,
                    known.responsible.clone(),
                    reply_deadline,
                )]
            }
            E::FileReferred {
                referral,
                to,
                deadline,
                ..
            } => {
                let owed_by = Responsible {
                    organisation: *to,
                    roles: vec![Role::StructureAgent],
                };
                vec![self.scheduled(
                    &self.subject_of(file, known_reply()?),
                    referral_id(file, *referral),
                    REFERRAL_REPLY,
                    owed_by,
                    deadline,
                )]
            }
            E::DeadlineExtended {
                target: DeadlineTarget::Referral(referral),
                deadline,
                ..
            } => {
                let id = referral_id(file, *referral);
                let known_referral = known.iter().find(|o| o.id == id).ok_or_else(|| {
                    ProjectionError::Invalid(format!(
                        "DeadlineExtended of referral {referral} of file {file} needs the \
                         referral's stored obligation (its structure)"
                    ))
                })?;
                vec![self.scheduled(
                    &self.subject_of(file, known_reply()?),
                    id,
                    REFERRAL_REPLY,
                    known_referral.responsible.clone(),
                    deadline,
                )]
            }
            E::ReferralReplied { referral, .. } | E::ReferralReturned { referral, .. } => {
                vec![met(referral_id(file, *referral))]
            }
            E::AnswerSigned { .. } => vec![met(reply), met(first_response)],
            E::FileClosed { reason, .. } => match reason {
                // The author did not answer: the paused reply is no longer owed.
                ClosureReason::NoReplyToInformationRequest | ClosureReason::Inadmissible => {
                    vec![cancelled(reply)]
                }
                // The answer already met the reply.
                ClosureReason::ContestPeriodElapsed | ClosureReason::SuggestionImplemented => {
                    Vec::new()
                }
            },
            // Merged from `Received` or `UnderStudy`: nothing else can be open.
            E::FileMerged { .. } => vec![cancelled(reply), cancelled(first_response)],
            E::FileAdmitted { .. }
            | E::ReferralAcknowledged { .. }
            | E::SuggestionDecided { .. }
            | E::AnswerDrafted { .. }
            | E::AnswerRated { .. }
            | E::ImplementationProgressReported { .. }
            | E::SuggestionImplemented { .. }
            | E::DuplicateAttached { .. } => Vec::new(),
        })
    }
}

impl CitizenFileObligations {
    /// The file's reference and handling organisation, from its stored reply obligation.
    fn subject_of<'a>(&self, aggregate_id: &'a str, reply: &Obligation) -> Subject<'a> {
        Subject {
            aggregate_id,
            reference: reply.reference.clone(),
            handled_by: reply.responsible.organisation,
        }
    }

    /// Who is told once an obligation of a file handled by `handled_by` is overdue.
    fn escalation(&self, handled_by: OrganisationId) -> Vec<Responsible> {
        let mut chain = vec![Responsible {
            organisation: handled_by,
            roles: vec![Role::OfficeHead],
        }];
        if handled_by != self.central_bureau {
            chain.push(Responsible {
                organisation: self.central_bureau,
                roles: vec![Role::CentralBureauAgent],
            });
        }
        chain
    }

    /// Opens (or replaces) an obligation under a running deadline, or suspends it while
    /// the deadline's clock is stopped.
    fn scheduled(
        &self,
        subject: &Subject<'_>,
        id: String,
        kind: &str,
        owed_by: Responsible,
        deadline: &ScheduledDeadline,
    ) -> ObligationChange {
        self.open(
            subject,
            id,
            kind,
            owed_by,
            &deadline.computed,
            Some(&deadline.deadline),
        )
    }

    /// Opens an obligation due as `due` computed from `inputs` (when the event has them),
    /// or suspends it while that deadline is suspended.
    fn open(
        &self,
        subject: &Subject<'_>,
        id: String,
        kind: &str,
        owed_by: Responsible,
        due: &ComputedDeadline,
        inputs: Option<&Deadline>,
    ) -> ObligationChange {
        let Some(due_at) = due.due_at() else {
            return suspend(id);
        };
        ObligationChange::Open(Box::new(Obligation {
            id,
            kind: kind.to_owned(),
            aggregate_type: CITIZEN_FILE.to_owned(),
            aggregate_id: subject.aggregate_id.to_owned(),
            reference: subject.reference.clone(),
            responsible: owed_by,
            escalation: self.escalation(subject.handled_by),
            due_at,
            deadline: inputs.cloned(),
            calendar_version: Some(due.calendar_version.clone()),
        }))
    }
}

fn id(file: &str, what: &str) -> String {
    format!("{file}/{what}")
}

fn referral_id(file: &str, referral: ReferralId) -> String {
    format!("{file}/referral/{referral}")
}

fn met(id: String) -> ObligationChange {
    ObligationChange::Met { id }
}

fn suspend(id: String) -> ObligationChange {
    ObligationChange::Suspend { id }
}

fn cancelled(id: String) -> ObligationChange {
    ObligationChange::Cancelled { id }
}
