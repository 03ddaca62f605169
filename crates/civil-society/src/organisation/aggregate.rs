//! One entry of a civil-society register (aggregate `RegisteredOrganisation`, id:
//! [`CivilSocietyOrganisationId`], which the register of opinions refers to): registration,
//! import from paper, updates, withdrawal and the art. 9 procedure.
//!
//! # Lifecycle
//!
//! ```text
//! Unregistered --Register / ImportPaperEntry--> Active
//! Active --FindIrregularity (council)--> IrregularityFound
//! IrregularityFound --SendFormalNotice--> FormalNoticeSent (sent again: a new letter)
//! FormalNoticeSent --RecordAcknowledgement--> NoticeAcknowledged (the month runs)
//! NoticeAcknowledged --ConveneHearing, after the month--> HearingConvened (rescheduled: again)
//! HearingConvened --RecordHearing--> HearingHeld
//! HearingHeld --DecideSuspension (council)--> Suspended
//! HearingHeld | Suspended --StrikeOff (council)--> StruckOff (final)
//! IrregularityFound ..= HearingHeld --RecordRegularisation--> Active
//! Suspended --LiftSuspension (council)--> Active
//! any live state --RecordWithdrawal--> Withdrawn (final)
//! ```
//!
//! Struck-off and withdrawn entries refuse every command and stay readable; an organisation
//! comes back only by a new registration, under a new identifier.
//!
//! # Decisions (where the decree is silent or terse)
//!
//! - **Registration is the bureau's act.** Art. 7 lets organisations register on a paper or an
//!   electronic request; the entry is made by the register bureau (art. 4 gives it the keeping
//!   of the register), which records the channel, the request's reference and date. An
//!   electronic request reaches the bureau through the portal, outside this crate.
//! - **Art. 9 as dated steps.** Each step of the procedure is a command carrying the date of
//!   the act it records (decision, letter, acknowledgement, invitation, hearing); a step may not
//!   be dated in the future nor before the step it follows. The month to regularise runs from
//!   the acknowledged notification ("à compter de la date de la notification"), computed as a
//!   [`MonthTerm`](crate::MonthTerm) and carried in the event.
//! - **"In case of no response"** is read as: the month has run out without regularisation. A
//!   hearing may only be convened by an invitation sent after the last day of the month.
//! - **Suspension only after a hearing; striking off after a hearing, suspended or not.** The
//!   council "may" suspend communication (optional), and strikes off an organisation that has
//!   not regularised once heard. Both are council decisions, recorded by the council secretary
//!   ([`Role::CouncilSecretary`]) with the decision's reference and date.
//! - **Regularisation** returns the entry to Active at any step before suspension (recorded by
//!   the bureau, with when it came relative to the month); once the council has suspended
//!   communication, only a council decision lifts the suspension.
//! - **Resending.** A registered letter may come back unclaimed, a hearing may be postponed:
//!   recording the notice or the invitation again replaces the previous one.
//! - **Withdrawal** is possible in any live state: membership of a voluntary register cannot
//!   be held hostage to a procedure. The event records the state the entry was in, so that a
//!   later registration can be examined knowing it.
//! - **Updates** replace the entry's data whole. They may not drop a required item the entry
//!   had, but need not supply items it lacked (an imported paper entry, or an item required
//!   since): what is still missing is listed in the event for the bureau to complete.
//! - **Imports** (art. 16-17) keep the paper entry's date and reference, accept what the paper
//!   register holds even if incomplete (listing what is missing), and are only possible within
//!   the year after the electronic register opened, for paper entries dated no later than that
//!   opening.
//! - **Uniqueness.** A national register number appears once among a register's live entries,
//!   checked through the [`RegisterIndex`](crate::RegisterIndex).

use std::collections::BTreeSet;

use chrono::NaiveDate;
use cqrs_es::Aggregate;
use cqrs_es::event_sink::EventSink;
use kernel::{Actor, ActorId, CivilSocietyOrganisationId, OrganisationId, Role, Text};
use serde::{Deserialize, Serialize};

use crate::commands::{CouncilDecision, OrganisationCommand, PaperEntry, RegistrationRequest};
use crate::entry::{
    Attachment, CheckedEntry, EntryData, EntryRecord, Requirement, check_attachment,
};
use crate::error::{DateInFuture, InvalidText, OrganisationError};
use crate::events::{
    IrregularSituation, OrganisationEvent, RecordedDecision, RegularisationTiming,
};
use crate::services::{CivilSocietyServices, RegisterFacts};
use crate::term::MonthTerm;

use OrganisationStatus::{
    Active, FormalNoticeSent, HearingConvened, HearingHeld, IrregularityFound, NoticeAcknowledged,
    StruckOff, Suspended, Unregistered, Withdrawn,
};

/// The register bureau of the entry's local authority keeps the register (art. 3-4).
const BUREAU: [Role; 2] = [Role::RegisterBureauAgent, Role::RegisterBureauHead];
/// The council's decisions are recorded by its secretary.
const COUNCIL: [Role; 1] = [Role::CouncilSecretary];

/// Every state in which the entry is on the register.
const LIVE: [OrganisationStatus; 7] = [
    Active,
    IrregularityFound,
    FormalNoticeSent,
    NoticeAcknowledged,
    HearingConvened,
    HearingHeld,
    Suspended,
];
/// The states in which the organisation may still regularise without a council decision.
const BEFORE_SUSPENSION: [OrganisationStatus; 5] = [
    IrregularityFound,
    FormalNoticeSent,
    NoticeAcknowledged,
    HearingConvened,
    HearingHeld,
];

/// Where an entry stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationStatus {
    /// No entry yet.
    #[default]
    Unregistered,
    /// Registered, in good standing.
    Active,
    /// The council found its situation irregular (art. 9).
    IrregularityFound,
    /// The formal notice is on its way.
    FormalNoticeSent,
    /// The notice was received: the month to regularise runs.
    NoticeAcknowledged,
    /// Invited to a hearing.
    HearingConvened,
    /// Heard; the council decides.
    HearingHeld,
    /// Communication suspended by the council.
    Suspended,
    /// Struck off the register (final).
    StruckOff,
    /// Left the register of its own will (final).
    Withdrawn,
}

impl OrganisationStatus {
    /// Whether the entry is on the register (neither unregistered, struck off nor withdrawn).
    pub fn is_live(self) -> bool {
        LIVE.contains(&self)
    }

    /// Whether the local authority communicates with the organisation: live and not
    /// suspended (art. 9 suspends communication). The register of opinions accepts entries
    /// only from such organisations.
    pub fn communication_open(self) -> bool {
        self.is_live() && self != Suspended
    }
}

/// One entry of a civil-society register.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisteredOrganisation {
    id: Option<CivilSocietyOrganisationId>,
    local_authority: Option<OrganisationId>,
    status: OrganisationStatus,
    imported: bool,
    registered_on: Option<NaiveDate>,
    /// The art. 8 items the entry provides: an update may not drop a required one.
    entry_provided: BTreeSet<Requirement>,
    /// Date of the latest dated step: the next may not be dated before it.
    last_step_on: Option<NaiveDate>,
    /// Last day of the month to regularise, while one runs or has run out.
    regularisation_due: Option<NaiveDate>,
}

impl RegisteredOrganisation {
    /// The entry's identifier, once registered.
    pub fn id(&self) -> Option<CivilSocietyOrganisationId> {
        self.id
    }

    /// The register's local authority, once registered.
    pub fn local_authority(&self) -> Option<OrganisationId> {
        self.local_authority
    }

    /// Where the entry stands.
    pub fn status(&self) -> OrganisationStatus {
        self.status
    }

    /// Whether the entry was imported from the paper register.
    pub fn imported(&self) -> bool {
        self.imported
    }

    /// The registration date (the paper date for an imported entry).
    pub fn registered_on(&self) -> Option<NaiveDate> {
        self.registered_on
    }

    /// The last day of the month to regularise, while an art. 9 procedure has one.
    pub fn regularisation_due(&self) -> Option<NaiveDate> {
        self.regularisation_due
    }

    /// Checks that the entry exists and is in one of `expected`, and that `actor` acts for its
    /// local authority under one of `roles`; gives that local authority.
    fn admit(
        &self,
        actor: &Actor,
        roles: &[Role],
        expected: &[OrganisationStatus],
    ) -> Result<OrganisationId, OrganisationError> {
        let wrong_status = || OrganisationError::WrongStatus {
            status: self.status,
            expected: expected.to_vec(),
        };
        let local_authority = self.local_authority.ok_or_else(wrong_status)?;
        if !actor.acts_for(local_authority, roles) {
            return Err(OrganisationError::NotAllowed {
                allowed: roles.to_vec(),
            });
        }
        if !expected.contains(&self.status) {
            return Err(wrong_status());
        }
        Ok(local_authority)
    }

    /// For the commands creating an entry: the bureau of `local_authority`, on a new entry.
    fn admit_new(
        &self,
        actor: &Actor,
        local_authority: OrganisationId,
    ) -> Result<(), OrganisationError> {
        if !actor.acts_for(local_authority, &BUREAU) {
            return Err(OrganisationError::NotAllowed {
                allowed: BUREAU.to_vec(),
            });
        }
        if self.status != Unregistered {
            return Err(OrganisationError::WrongStatus {
                status: self.status,
                expected: vec![Unregistered],
            });
        }
        Ok(())
    }

    /// A step of the procedure dated `date`: not in the future, not before the previous step.
    fn check_step_date(
        &self,
        field: &'static str,
        date: NaiveDate,
        services: &CivilSocietyServices,
    ) -> Result<(), OrganisationError> {
        DateInFuture::check(field, date, services.today())?;
        match self.last_step_on {
            Some(earliest) if date < earliest => Err(OrganisationError::DateBeforePreviousStep {
                field,
                date,
                earliest,
            }),
            _ => Ok(()),
        }
    }

    /// Validates a council decision taken as the next step.
    fn decision(
        &self,
        decision: CouncilDecision,
        services: &CivilSocietyServices,
    ) -> Result<RecordedDecision, OrganisationError> {
        self.check_step_date("decision.decided_on", decision.decided_on, services)?;
        Ok(RecordedDecision {
            reference: valid_reference(&decision.reference, "decision.reference", services)?,
            decided_on: decision.decided_on,
        })
    }

    async fn register(
        &self,
        actor: Actor,
        organisation: CivilSocietyOrganisationId,
        local_authority: OrganisationId,
        request: RegistrationRequest,
        services: &CivilSocietyServices,
    ) -> Result<OrganisationEvent, OrganisationError> {
        self.admit_new(&actor, local_authority)?;
        DateInFuture::check("request.received_on", request.received_on, services.today())?;
        request
            .eligibility
            .check()
            .map_err(OrganisationError::NotEligible)?;
        let request_reference = valid_reference(&request.reference, "request.reference", services)?;
        let entry = CheckedEntry::check(request.entry, &services.config.limits)?;
        let register = open_register(services, local_authority).await?;
        let missing = register.requirements.missing(entry.provided());
        if !missing.is_empty() {
            return Err(OrganisationError::MissingRequirements(missing));
        }
        self.check_unique(&entry, local_authority, services).await?;
        Ok(OrganisationEvent::OrganisationRegistered {
            organisation,
            local_authority,
            channel: request.channel,
            request_reference,
            received_on: request.received_on,
            registered_on: services.today(),
            eligibility: request.eligibility,
            entry: entry.seal(&services.cipher).await?,
            by: actor.id,
        })
    }

    async fn import(
        &self,
        actor: Actor,
        organisation: CivilSocietyOrganisationId,
        local_authority: OrganisationId,
        paper: PaperEntry,
        services: &CivilSocietyServices,
    ) -> Result<OrganisationEvent, OrganisationError> {
        self.admit_new(&actor, local_authority)?;
        let today = services.today();
        DateInFuture::check("paper.registered_on", paper.registered_on, today)?;
        let paper_reference = valid_reference(&paper.reference, "paper.reference", services)?;
        let entry = CheckedEntry::check(paper.entry, &services.config.limits)?;
        let register = open_register(services, local_authority).await?;
        if paper.registered_on > register.opened_on {
            return Err(OrganisationError::PaperEntryAfterOpening {
                registered_on: paper.registered_on,
                opened_on: register.opened_on,
            });
        }
        if today > register.migration_window.due_date {
            return Err(OrganisationError::MigrationWindowClosed {
                due_date: register.migration_window.due_date,
            });
        }
        self.check_unique(&entry, local_authority, services).await?;
        Ok(OrganisationEvent::PaperEntryImported {
            organisation,
            local_authority,
            paper_reference,
            registered_on: paper.registered_on,
            imported_on: today,
            eligibility: paper.eligibility,
            missing: register.requirements.missing(entry.provided()),
            entry: entry.seal(&services.cipher).await?,
            by: actor.id,
        })
    }

    async fn update(
        &self,
        actor: Actor,
        entry: EntryData,
        services: &CivilSocietyServices,
    ) -> Result<OrganisationEvent, OrganisationError> {
        let local_authority = self.admit(&actor, &BUREAU, &LIVE)?;
        let entry = CheckedEntry::check(entry, &services.config.limits)?;
        let register = open_register(services, local_authority).await?;
        // Items the entry provided and the register requires must not disappear.
        let dropped: Vec<_> = register
            .requirements
            .missing(entry.provided())
            .into_iter()
            .filter(|item| self.entry_provided.contains(item))
            .collect();
        if !dropped.is_empty() {
            return Err(OrganisationError::MissingRequirements(dropped));
        }
        self.check_unique(&entry, local_authority, services).await?;
        Ok(OrganisationEvent::EntryUpdated {
            missing: register.requirements.missing(entry.provided()),
            entry: entry.seal(&services.cipher).await?,
            updated_on: services.today(),
            by: actor.id,
        })
    }

    /// Refuses a national register number held by another live entry of the register.
    async fn check_unique(
        &self,
        entry: &CheckedEntry,
        local_authority: OrganisationId,
        services: &CivilSocietyServices,
    ) -> Result<(), OrganisationError> {
        let Some(number) = entry.register_number() else {
            return Ok(());
        };
        let existing = services
            .index
            .live_entry_with_register_number(local_authority, number)
            .await
            .map_err(|e| OrganisationError::RegisterLookupFailed(e.0))?;
        match existing {
            Some(existing) if Some(existing) != self.id => {
                Err(OrganisationError::DuplicateRegisterNumber { existing })
            }
            _ => Ok(()),
        }
    }

    fn withdraw(
        &self,
        actor: Actor,
        requested_on: NaiveDate,
        request_reference: &str,
        services: &CivilSocietyServices,
    ) -> Result<OrganisationEvent, OrganisationError> {
        self.admit(&actor, &BUREAU, &LIVE)?;
        DateInFuture::check("requested_on", requested_on, services.today())?;
        // The request may predate procedure steps recorded since; not the entry itself.
        if let Some(registered_on) = self.registered_on
            && requested_on < registered_on
        {
            return Err(OrganisationError::DateBeforePreviousStep {
                field: "requested_on",
                date: requested_on,
                earliest: registered_on,
            });
        }
        Ok(OrganisationEvent::Withdrawn {
            requested_on,
            request_reference: valid_reference(request_reference, "request_reference", services)?,
            status_before: self.status,
            withdrawn_on: services.today(),
            by: actor.id,
        })
    }

    fn find_irregularity(
        &self,
        actor: Actor,
        decision: CouncilDecision,
        situation: IrregularSituation,
        grounds: &str,
        services: &CivilSocietyServices,
    ) -> Result<OrganisationEvent, OrganisationError> {
        self.admit(&actor, &COUNCIL, &[Active])?;
        Ok(OrganisationEvent::IrregularityFound {
            decision: self.decision(decision, services)?,
            situation,
            grounds: InvalidText::check(grounds, services.config.limits.grounds(), "grounds")?,
            by: actor.id,
        })
    }

    fn send_notice(
        &self,
        actor: Actor,
        letter_reference: &str,
        sent_on: NaiveDate,
        services: &CivilSocietyServices,
    ) -> Result<OrganisationEvent, OrganisationError> {
        self.admit(&actor, &BUREAU, &[IrregularityFound, FormalNoticeSent])?;
        self.check_step_date("sent_on", sent_on, services)?;
        Ok(OrganisationEvent::FormalNoticeSent {
            letter_reference: valid_reference(letter_reference, "letter_reference", services)?,
            sent_on,
            by: actor.id,
        })
    }

    fn acknowledge(
        &self,
        actor: Actor,
        acknowledged_on: NaiveDate,
        services: &CivilSocietyServices,
    ) -> Result<OrganisationEvent, OrganisationError> {
        self.admit(&actor, &BUREAU, &[FormalNoticeSent])?;
        self.check_step_date("acknowledged_on", acknowledged_on, services)?;
        let regularisation_term = MonthTerm::compute(
            &services.calendar,
            acknowledged_on,
            services.config.regularisation_months,
            services.config.roll,
            "decree 2019-401 art. 9: time to regularise from the notification",
        )?;
        Ok(OrganisationEvent::NoticeAcknowledged {
            acknowledged_on,
            regularisation_term,
            by: actor.id,
        })
    }

    fn regularise(
        &self,
        actor: Actor,
        regularised_on: NaiveDate,
        reference: &str,
        services: &CivilSocietyServices,
    ) -> Result<OrganisationEvent, OrganisationError> {
        self.admit(&actor, &BUREAU, &BEFORE_SUSPENSION)?;
        self.check_step_date("regularised_on", regularised_on, services)?;
        let timing = match self.regularisation_due {
            None => RegularisationTiming::BeforeTermStarted,
            Some(due) if regularised_on <= due => RegularisationTiming::WithinTerm,
            Some(_) => RegularisationTiming::AfterTerm,
        };
        Ok(OrganisationEvent::Regularised {
            regularised_on,
            reference: valid_reference(reference, "reference", services)?,
            timing,
            by: actor.id,
        })
    }

    fn convene(
        &self,
        actor: Actor,
        invitation_reference: &str,
        sent_on: NaiveDate,
        hearing_on: NaiveDate,
        services: &CivilSocietyServices,
    ) -> Result<OrganisationEvent, OrganisationError> {
        self.admit(&actor, &BUREAU, &[NoticeAcknowledged, HearingConvened])?;
        self.check_step_date("sent_on", sent_on, services)?;
        if let Some(due_date) = self.regularisation_due
            && sent_on <= due_date
        {
            return Err(OrganisationError::RegularisationPeriodRunning { due_date });
        }
        if hearing_on < sent_on {
            return Err(OrganisationError::DateBeforePreviousStep {
                field: "hearing_on",
                date: hearing_on,
                earliest: sent_on,
            });
        }
        Ok(OrganisationEvent::HearingConvened {
            invitation_reference: valid_reference(
                invitation_reference,
                "invitation_reference",
                services,
            )?,
            sent_on,
            hearing_on,
            by: actor.id,
        })
    }

    fn hold_hearing(
        &self,
        actor: Actor,
        held_on: NaiveDate,
        organisation_appeared: bool,
        minutes_reference: &str,
        minutes: Attachment,
        services: &CivilSocietyServices,
    ) -> Result<OrganisationEvent, OrganisationError> {
        self.admit(&actor, &BUREAU, &[HearingConvened])?;
        self.check_step_date("held_on", held_on, services)?;
        Ok(OrganisationEvent::HearingHeld {
            held_on,
            organisation_appeared,
            minutes_reference: valid_reference(minutes_reference, "minutes_reference", services)?,
            minutes: check_attachment(minutes, &services.config.limits, "minutes")?,
            by: actor.id,
        })
    }

    /// The council decisions that end or follow the hearing: suspension, lifting of the
    /// suspension, striking off.
    fn council_decision(
        &self,
        actor: Actor,
        decision: CouncilDecision,
        expected: &[OrganisationStatus],
        event: fn(RecordedDecision, ActorId) -> OrganisationEvent,
        services: &CivilSocietyServices,
    ) -> Result<OrganisationEvent, OrganisationError> {
        self.admit(&actor, &COUNCIL, expected)?;
        Ok(event(self.decision(decision, services)?, actor.id))
    }
}

/// A reference (of an act, a letter, minutes) through [`Text`] validation.
fn valid_reference(
    raw: &str,
    field: &str,
    services: &CivilSocietyServices,
) -> Result<Text, InvalidText> {
    InvalidText::check(raw, services.config.limits.reference(), field)
}

/// The facts of `local_authority`'s register, which must be open.
async fn open_register(
    services: &CivilSocietyServices,
    local_authority: OrganisationId,
) -> Result<RegisterFacts, OrganisationError> {
    services
        .index
        .register(local_authority)
        .await
        .map_err(|e| OrganisationError::RegisterLookupFailed(e.0))?
        .ok_or(OrganisationError::RegisterNotOpen { local_authority })
}

impl Aggregate for RegisteredOrganisation {
    const TYPE: &'static str = "RegisteredOrganisation";
    type Command = OrganisationCommand;
    type Event = OrganisationEvent;
    type Error = OrganisationError;
    type Services = CivilSocietyServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        use OrganisationCommand as C;
        let event = match command {
            C::Register {
                actor,
                organisation,
                local_authority,
                request,
            } => {
                self.register(actor, organisation, local_authority, request, services)
                    .await?
            }
            C::ImportPaperEntry {
                actor,
                organisation,
                local_authority,
                paper,
            } => {
                self.import(actor, organisation, local_authority, paper, services)
                    .await?
            }
            C::UpdateEntry { actor, entry } => self.update(actor, entry, services).await?,
            C::RecordWithdrawal {
                actor,
                requested_on,
                request_reference,
            } => self.withdraw(actor, requested_on, &request_reference, services)?,
            C::FindIrregularity {
                actor,
                decision,
                situation,
                grounds,
            } => self.find_irregularity(actor, decision, situation, &grounds, services)?,
            C::SendFormalNotice {
                actor,
                letter_reference,
                sent_on,
            } => self.send_notice(actor, &letter_reference, sent_on, services)?,
            C::RecordAcknowledgement {
                actor,
                acknowledged_on,
            } => self.acknowledge(actor, acknowledged_on, services)?,
            C::RecordRegularisation {
                actor,
                regularised_on,
                reference,
            } => self.regularise(actor, regularised_on, &reference, services)?,
            C::ConveneHearing {
                actor,
                invitation_reference,
                sent_on,
                hearing_on,
            } => self.convene(actor, &invitation_reference, sent_on, hearing_on, services)?,
            C::RecordHearing {
                actor,
                held_on,
                organisation_appeared,
                minutes_reference,
                minutes,
            } => self.hold_hearing(
                actor,
                held_on,
                organisation_appeared,
                &minutes_reference,
                minutes,
                services,
            )?,
            C::DecideSuspension { actor, decision } => self.council_decision(
                actor,
                decision,
                &[HearingHeld],
                |decision, by| OrganisationEvent::SuspensionDecided { decision, by },
                services,
            )?,
            C::LiftSuspension { actor, decision } => self.council_decision(
                actor,
                decision,
                &[Suspended],
                |decision, by| OrganisationEvent::SuspensionLifted { decision, by },
                services,
            )?,
            C::StrikeOff { actor, decision } => self.council_decision(
                actor,
                decision,
                &[HearingHeld, Suspended],
                |decision, by| OrganisationEvent::StruckOff { decision, by },
                services,
            )?,
        };
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        use OrganisationEvent as E;
        match event {
            E::OrganisationRegistered {
                organisation,
                local_authority,
                registered_on,
                entry,
                ..
            } => self.enter(organisation, local_authority, registered_on, entry, false),
            E::PaperEntryImported {
                organisation,
                local_authority,
                registered_on,
                entry,
                ..
            } => self.enter(organisation, local_authority, registered_on, entry, true),
            E::EntryUpdated { entry, .. } => self.entry_provided = entry.provided,
            E::Withdrawn { .. } => self.status = Withdrawn,
            E::IrregularityFound { decision, .. } => {
                self.step(IrregularityFound, decision.decided_on)
            }
            E::FormalNoticeSent { sent_on, .. } => self.step(FormalNoticeSent, sent_on),
            E::NoticeAcknowledged {
                acknowledged_on,
                regularisation_term,
                ..
            } => {
                self.step(NoticeAcknowledged, acknowledged_on);
                self.regularisation_due = Some(regularisation_term.due_date);
            }
            E::Regularised { regularised_on, .. } => {
                self.step(Active, regularised_on);
                self.regularisation_due = None;
            }
            E::HearingConvened { sent_on, .. } => self.step(HearingConvened, sent_on),
            E::HearingHeld { held_on, .. } => self.step(HearingHeld, held_on),
            E::SuspensionDecided { decision, .. } => self.step(Suspended, decision.decided_on),
            E::SuspensionLifted { decision, .. } => {
                self.step(Active, decision.decided_on);
                self.regularisation_due = None;
            }
            E::StruckOff { decision, .. } => self.step(StruckOff, decision.decided_on),
        }
    }
}

impl RegisteredOrganisation {
    fn enter(
        &mut self,
        organisation: CivilSocietyOrganisationId,
        local_authority: OrganisationId,
        registered_on: NaiveDate,
        entry: EntryRecord,
        imported: bool,
    ) {
        self.id = Some(organisation);
        self.local_authority = Some(local_authority);
        self.status = Active;
        self.imported = imported;
        self.registered_on = Some(registered_on);
        self.last_step_on = Some(registered_on);
        self.entry_provided = entry.provided;
    }

    fn step(&mut self, status: OrganisationStatus, on: NaiveDate) {
        self.status = status;
        self.last_step_on = Some(on);
    }
}
