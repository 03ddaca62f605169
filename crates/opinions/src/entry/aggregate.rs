//! The [`OpinionEntry`] aggregate: one entry of a local authority's register of opinions and
//! questions, from its filing through answers and the committee's work on it.
//!
//! Lifecycle: `NotFiled` → `AwaitingAnswer` (filed) → `Answered` (one answer or more; more
//! may follow). The committee's acts (consultation, proposals, correspondence, follow-up
//! meetings and their minutes) are possible in both filed states; each follows its own small
//! rule (a letter follows a proposal, once; minutes follow a meeting that took place, once).

use chrono::{DateTime, NaiveDate, Utc};
use cqrs_es::Aggregate;
use cqrs_es::event_sink::EventSink;
use kernel::personal_data::Sealed;
use kernel::{
    Actor, ActorId, ActorKind, CivilSocietyOrganisationId, OrganisationId, OrganisationKind, Role,
    Text, TextLimits,
};
use serde::{Deserialize, Serialize};

use crate::config::{AuthorItem, OpinionsConfig};
use crate::entry::commands::EntryCommand;
use crate::entry::error::{EntryError, EntryField};
use crate::entry::events::EntryEvent;
use crate::entry::model::{AddressKind, AuthorContact, AuthorDeclaration, ProposalKind, Section};
use crate::screen::is_email_address;
use crate::services::{OpinionsServices, Standing};

/// Who records the local authority's answers and sends its letters: the register bureau,
/// which keeps the register (art. 3-4), or the signatory, acting for the president (art. 13).
pub const ANSWERING_ROLES: &[Role] = &[
    Role::RegisterBureauAgent,
    Role::RegisterBureauHead,
    Role::Signatory,
];

/// Who does the committee's work (art. 13).
pub const COMMITTEE_ROLES: &[Role] = &[Role::CommitteeMember];

/// Where an entry stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryStatus {
    /// Nothing filed yet.
    #[default]
    NotFiled,
    /// Filed, not answered yet.
    AwaitingAnswer,
    /// Answered at least once.
    Answered,
}

/// An entry of the register. State keeps only what the rules need; the author's data stays
/// sealed.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct OpinionEntry {
    status: EntryStatus,
    filed: Option<Filed>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Filed {
    local_authority: OrganisationId,
    /// The registered name and addresses, copied into letters and invitations.
    contact: Sealed<AuthorContact>,
    addresses: Vec<AddressKind>,
    answers: u32,
    /// Numbered from 1 in order.
    proposals: Vec<Proposal>,
    /// Numbered from 1 in order.
    meetings: Vec<Meeting>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Proposal {
    kind: ProposalKind,
    correspondence_sent: bool,
}

#[derive(Debug, Serialize, Deserialize)]
struct Meeting {
    at: DateTime<Utc>,
    minutes_recorded: bool,
}

impl OpinionEntry {
    /// Where the entry stands.
    pub fn status(&self) -> EntryStatus {
        self.status
    }

    /// The register's local authority, once filed.
    pub fn local_authority(&self) -> Option<OrganisationId> {
        self.filed.as_ref().map(|filed| filed.local_authority)
    }

    /// How many answers the entry received.
    pub fn answer_count(&self) -> u32 {
        self.filed.as_ref().map_or(0, |filed| filed.answers)
    }

    fn filed(&self) -> Result<&Filed, EntryError> {
        self.filed.as_ref().ok_or(EntryError::NotFiled)
    }
}

impl Filed {
    /// The role `actor` holds among `allowed` for this entry's local authority.
    fn role_of(&self, actor: &Actor, allowed: &'static [Role]) -> Result<Role, EntryError> {
        actor
            .acting_as
            .filter(|grant| {
                grant.organisation == self.local_authority && allowed.contains(&grant.role)
            })
            .map(|grant| grant.role)
            .ok_or(EntryError::ActorNotAllowed { allowed })
    }

    fn addresses_on_file(&self) -> Result<Vec<AddressKind>, EntryError> {
        if self.addresses.is_empty() {
            Err(EntryError::NoAddressOnFile)
        } else {
            Ok(self.addresses.clone())
        }
    }
}

impl Aggregate for OpinionEntry {
    const TYPE: &'static str = "OpinionEntry";
    type Command = EntryCommand;
    type Event = EntryEvent;
    type Error = EntryError;
    type Services = OpinionsServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let now = services.clock.now();
        let config = &services.config;
        let event = match command {
            EntryCommand::FileEntry {
                local_authority,
                number,
                section,
                kind,
                author,
                text,
                actor,
            } => {
                if self.filed.is_some() {
                    return Err(EntryError::AlreadyFiled {
                        status: self.status,
                    });
                }
                if actor.kind != ActorKind::Citizen {
                    return Err(EntryError::NotACitizen);
                }
                if !services
                    .directory
                    .is_kind(local_authority, OrganisationKind::LocalAuthority)
                {
                    return Err(EntryError::NotALocalAuthority(local_authority));
                }
                if !section.accepts(kind) {
                    return Err(EntryError::KindNotAcceptedInSection {
                        section: section.number(),
                        kind,
                    });
                }
                let (contact, addresses) = validate_contact(author.contact(), config)?;
                let text = text_field(&text, config.entry_text, EntryField::Text)?;
                if let AuthorDeclaration::Organisation { organisation, .. } = &author {
                    check_organisation(services, local_authority, *organisation, actor.id).await?;
                }
                let deliberation_on = open_deliberation(services, local_authority, section).await?;
                let subject = author.subject();
                let contact = services.cipher.seal(subject, &contact).await?;
                EntryEvent::EntryFiled {
                    local_authority,
                    number,
                    section,
                    deliberation_on,
                    kind,
                    author: author.into_author(contact),
                    addresses,
                    text: services.cipher.seal(subject, &text).await?,
                    by: actor.id,
                    filed_at: now,
                }
            }
            EntryCommand::AnswerEntry { text, actor } => {
                let filed = self.filed()?;
                let role = filed.role_of(&actor, ANSWERING_ROLES)?;
                let text = text_field(&text, config.answer_text, EntryField::Answer)?;
                EntryEvent::EntryAnswered {
                    answer: filed.answers.saturating_add(1),
                    text: services.cipher.seal(filed.contact.subject(), &text).await?,
                    by: actor.id,
                    role,
                    answered_at: now,
                }
            }
            EntryCommand::NoteCommitteeConsultation { actor } => {
                self.filed()?.role_of(&actor, COMMITTEE_ROLES)?;
                EntryEvent::CommitteeConsulted {
                    by: actor.id,
                    at: now,
                }
            }
            EntryCommand::ProposeToPresident {
                proposal,
                note,
                actor,
            } => {
                let filed = self.filed()?;
                filed.role_of(&actor, COMMITTEE_ROLES)?;
                let note = text_field(&note, config.committee_text, EntryField::ProposalNote)?;
                EntryEvent::ProposedToPresident {
                    proposal: next_number(&filed.proposals),
                    kind: proposal,
                    note: services.cipher.seal(filed.contact.subject(), &note).await?,
                    by: actor.id,
                    at: now,
                }
            }
            EntryCommand::SendCorrespondence {
                proposal,
                body,
                actor,
            } => {
                let filed = self.filed()?;
                let role = filed.role_of(&actor, ANSWERING_ROLES)?;
                let purpose = match numbered(&filed.proposals, proposal) {
                    None => return Err(EntryError::UnknownProposal { proposal }),
                    Some(sent) if sent.correspondence_sent => {
                        return Err(EntryError::CorrespondenceAlreadySent { proposal });
                    }
                    Some(open) => open.kind,
                };
                let channels = filed.addresses_on_file()?;
                let body = text_field(&body, config.committee_text, EntryField::Correspondence)?;
                EntryEvent::CorrespondenceSent {
                    proposal,
                    purpose,
                    to: filed.contact.clone(),
                    channels,
                    body: services.cipher.seal(filed.contact.subject(), &body).await?,
                    by: actor.id,
                    role,
                    sent_at: now,
                }
            }
            EntryCommand::InviteToFollowUpMeeting { meeting_at, actor } => {
                let filed = self.filed()?;
                filed.role_of(&actor, COMMITTEE_ROLES)?;
                if meeting_at <= now {
                    return Err(EntryError::MeetingNotInTheFuture { meeting_at });
                }
                EntryEvent::FollowUpMeetingInvited {
                    meeting: next_number(&filed.meetings),
                    meeting_at,
                    to: filed.contact.clone(),
                    channels: filed.addresses_on_file()?,
                    by: actor.id,
                    invited_at: now,
                }
            }
            EntryCommand::RecordFollowUpMinutes {
                meeting,
                minutes,
                actor,
            } => {
                let filed = self.filed()?;
                filed.role_of(&actor, COMMITTEE_ROLES)?;
                match numbered(&filed.meetings, meeting) {
                    None => return Err(EntryError::UnknownMeeting { meeting }),
                    Some(held) if held.minutes_recorded => {
                        return Err(EntryError::MinutesAlreadyRecorded { meeting });
                    }
                    Some(future) if future.at > now => {
                        return Err(EntryError::MeetingNotYetHeld {
                            meeting_at: future.at,
                        });
                    }
                    Some(_) => {}
                }
                let minutes = text_field(&minutes, config.committee_text, EntryField::Minutes)?;
                EntryEvent::FollowUpMinutesRecorded {
                    meeting,
                    minutes: services
                        .cipher
                        .seal(filed.contact.subject(), &minutes)
                        .await?,
                    by: actor.id,
                    recorded_at: now,
                }
            }
        };
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            EntryEvent::EntryFiled {
                local_authority,
                author,
                addresses,
                ..
            } => {
                self.status = EntryStatus::AwaitingAnswer;
                self.filed = Some(Filed {
                    local_authority,
                    contact: author.contact().clone(),
                    addresses,
                    answers: 0,
                    proposals: Vec::new(),
                    meetings: Vec::new(),
                });
            }
            EntryEvent::EntryAnswered { .. } => {
                self.status = EntryStatus::Answered;
                if let Some(filed) = &mut self.filed {
                    filed.answers = filed.answers.saturating_add(1);
                }
            }
            EntryEvent::CommitteeConsulted { .. } => {}
            EntryEvent::ProposedToPresident { kind, .. } => {
                if let Some(filed) = &mut self.filed {
                    filed.proposals.push(Proposal {
                        kind,
                        correspondence_sent: false,
                    });
                }
            }
            EntryEvent::CorrespondenceSent { proposal, .. } => {
                if let Some(sent) = self
                    .filed
                    .as_mut()
                    .and_then(|filed| numbered_mut(&mut filed.proposals, proposal))
                {
                    sent.correspondence_sent = true;
                }
            }
            EntryEvent::FollowUpMeetingInvited { meeting_at, .. } => {
                if let Some(filed) = &mut self.filed {
                    filed.meetings.push(Meeting {
                        at: meeting_at,
                        minutes_recorded: false,
                    });
                }
            }
            EntryEvent::FollowUpMinutesRecorded { meeting, .. } => {
                if let Some(held) = self
                    .filed
                    .as_mut()
                    .and_then(|filed| numbered_mut(&mut filed.meetings, meeting))
                {
                    held.minutes_recorded = true;
                }
            }
        }
    }
}

/// The index of the item numbered `number` (from 1).
fn index_of(number: u32) -> Option<usize> {
    usize::try_from(number.checked_sub(1)?).ok()
}

fn numbered<T>(items: &[T], number: u32) -> Option<&T> {
    items.get(index_of(number)?)
}

fn numbered_mut<T>(items: &mut [T], number: u32) -> Option<&mut T> {
    items.get_mut(index_of(number)?)
}

/// The number the next item gets.
fn next_number<T>(items: &[T]) -> u32 {
    u32::try_from(items.len()).map_or(u32::MAX, |count| count.saturating_add(1))
}

fn text_field(raw: &str, limits: TextLimits, field: EntryField) -> Result<Text, EntryError> {
    Text::new(raw, limits).map_err(|error| EntryError::InvalidText { field, error })
}

/// Checks the author's data against the requirements (every missing item at once) and the
/// field rules; returns it normalised, with the addresses it holds.
fn validate_contact(
    raw: &AuthorContact,
    config: &OpinionsConfig,
) -> Result<(AuthorContact, Vec<AddressKind>), EntryError> {
    let mut missing: Vec<AuthorItem> = Vec::new();
    for &item in &config.requirements.author_items {
        if raw.get(item).is_none() && !missing.contains(&item) {
            missing.push(item);
        }
    }
    if !missing.is_empty() {
        return Err(EntryError::MandatoryDataMissing { missing });
    }
    let limits = &config.contact;
    let mut contact = AuthorContact::default();
    for item in AuthorItem::ALL {
        let Some(value) = raw.get(item) else {
            continue;
        };
        let item_limits = match item {
            AuthorItem::Name => limits.name,
            AuthorItem::PostalAddress => limits.postal_address,
            AuthorItem::Email => limits.email,
            AuthorItem::Phone => limits.phone,
        };
        let value = text_field(value, item_limits, EntryField::Author(item))?.into_string();
        match item {
            AuthorItem::Email if !is_email_address(&value) => return Err(EntryError::InvalidEmail),
            AuthorItem::Phone if !is_phone_number(&value) => return Err(EntryError::InvalidPhone),
            _ => {}
        }
        *contact.slot(item) = Some(value);
    }
    let addresses = [
        (AuthorItem::PostalAddress, AddressKind::Postal),
        (AuthorItem::Email, AddressKind::Email),
    ]
    .into_iter()
    .filter(|(item, _)| contact.get(*item).is_some())
    .map(|(_, address)| address)
    .collect();
    Ok((contact, addresses))
}

/// 8 to 15 digits (a Tunisian number has 8; E.164 allows 15), an optional leading `+`, and
/// spaces, dots or hyphens between digits.
fn is_phone_number(value: &str) -> bool {
    let number = value.strip_prefix('+').unwrap_or(value);
    let digits = number.chars().filter(char::is_ascii_digit).count();
    number.starts_with(|c: char| c.is_ascii_digit())
        && number.ends_with(|c: char| c.is_ascii_digit())
        && number
            .chars()
            .all(|c| c.is_ascii_digit() || " .-".contains(c))
        && (8..=15).contains(&digits)
}

/// An organisation files through a citizen who speaks for it, and only while registered and
/// not suspended nor struck off (art. 9-10).
async fn check_organisation(
    services: &OpinionsServices,
    local_authority: OrganisationId,
    organisation: CivilSocietyOrganisationId,
    actor: ActorId,
) -> Result<(), EntryError> {
    let register = &services.organisations;
    // Standing first: it is public (a council decision, art. 9), and an organisation absent
    // from the register has no representatives to ask about.
    match register
        .standing(local_authority, organisation)
        .await
        .map_err(EntryError::CivilSocietyRegisterUnavailable)?
    {
        Standing::Active => {}
        Standing::Suspended => return Err(EntryError::OrganisationSuspended),
        Standing::StruckOff => return Err(EntryError::OrganisationStruckOff),
        Standing::Unknown => return Err(EntryError::OrganisationNotRegistered),
    }
    let represents = register
        .represents(organisation, actor)
        .await
        .map_err(EntryError::CivilSocietyRegisterUnavailable)?;
    if represents {
        Ok(())
    } else {
        Err(EntryError::NotTheOrganisationsRepresentative)
    }
}

/// Section IV: the draft must be published by the local authority, and the section is open
/// until the end of the day before its deliberation. The decree opens it "before submission
/// to deliberation"; the time of the sitting is not known to the register, so the whole day
/// of the deliberation is closed. Returns the deliberation date, if set.
async fn open_deliberation(
    services: &OpinionsServices,
    local_authority: OrganisationId,
    section: Section,
) -> Result<Option<NaiveDate>, EntryError> {
    let Section::DraftByLaw { draft } = section else {
        return Ok(None);
    };
    let published = services
        .drafts
        .published_draft(local_authority, draft)
        .await
        .map_err(EntryError::DraftByLawsUnavailable)?
        .ok_or(EntryError::DraftByLawNotPublished { draft })?;
    match published.deliberation_on {
        Some(deliberation_on) if services.today() >= deliberation_on => {
            Err(EntryError::DraftByLawDeliberated {
                draft,
                deliberation_on,
            })
        }
        deliberation_on => Ok(deliberation_on),
    }
}
