//! The register of residents' and organisations' opinions and questions of each local
//! authority (decree 2019-401, chapter 2) as a read model, fed by the `OpinionEntry` events.
//!
//! # Tables
//!
//! - `ld_opinion_entries`: one row per entry: number, filing instant, section (art. 11), kind,
//!   who filed (resident or organisation), the sealed contact and text, answer counts and
//!   dates, and counters of the committee's acts;
//! - `ld_opinion_answers`: each answer (art. 10, 12): date, who answered and in which
//!   capacity, the sealed text;
//! - `ld_opinion_committee_acts`: each act of art. 13 on an entry: consultation, proposal to
//!   the president, correspondence, follow-up meeting invitation, minutes.
//!
//! # What the public view shows
//!
//! The texts of an entry, of its answers and of the committee's notes are sealed under the
//! author's data subject (the opinions crate seals every free text attached to an entry,
//! since any of them may name people), and so is the author's name and address. The public
//! view therefore shows what is not personal: the entry's number and filing instant, its
//! section (with the draft by-law or the finance topic, both public), its kind, whether a
//! resident or an organisation filed it (with the organisation's registered name: a legal
//! person, public in the civil-society register), whether and when it was answered, and how
//! much the committee did on it. Publishing the texts themselves would need a public version
//! written by the bureau without personal data, which the domain does not record yet. The
//! residence ground a resident declared stays in the bureau's view: with few entries it
//! narrows down who wrote.
//!
//! The bureau's view adds the sealed contact and texts (exactly as the events hold them:
//! opening them needs the author's key, and erasing the author erases them here too), the
//! declared residence ground, the addresses on file, every answer and every committee act.
//! The account of the citizen who filed is not kept: nothing in the register needs it.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use event_store::{Projection, ProjectionError, RecordedEvent};
use kernel::personal_data::Sealed;
use kernel::{ActorId, CivilSocietyOrganisationId, OrganisationId, Role, Text};
use opinions::{
    AddressKind, Author, AuthorContact, EntryEvent, EntryId, EntryKind, ProposalKind,
    ResidenceGround, Section,
};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, Row};

use super::sql::{
    Conditions, QueryError, day, from_json, from_label, instant, label, millis, parse, parse_day,
};
use crate::query::{Page, Paged};

/// The projection's name (its checkpoint key).
pub const OPINIONS_REGISTER: &str = "local_democracy.opinions_register";

/// `Aggregate::TYPE` of an entry of the register (a stored contract of the domain crate).
pub(crate) const ENTRY_TYPE: &str = "OpinionEntry";

/// Who filed an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthorKind {
    /// A resident (art. 2).
    Resident,
    /// A registered civil-society organisation.
    Organisation,
}

/// How much the committee did on an entry (art. 13).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CommitteeCounts {
    /// Consultations of the entry.
    pub consultations: u32,
    /// Proposals to the president.
    pub proposals: u32,
    /// Letters sent after a proposal.
    pub correspondences: u32,
    /// Follow-up meetings the author was invited to.
    pub follow_up_meetings: u32,
    /// Follow-up meetings whose minutes are recorded.
    pub minutes: u32,
}

/// An entry as the public sees it: no personal data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PublicEntry {
    /// The entry.
    pub entry: EntryId,
    /// The register's local authority.
    pub local_authority: OrganisationId,
    /// Its number in the register.
    pub number: u32,
    /// When it was filed.
    pub filed_at: DateTime<Utc>,
    /// Its section (art. 11).
    pub section: Section,
    /// Opinion, question or proposal.
    pub kind: EntryKind,
    /// Who filed it.
    pub author: AuthorKind,
    /// The organisation, when one filed it.
    pub organisation: Option<CivilSocietyOrganisationId>,
    /// Its name in the civil-society register (absent until that read model has it).
    pub organisation_name: Option<String>,
    /// Answers received.
    pub answers: u32,
    /// The first answer's date.
    pub first_answered_at: Option<DateTime<Utc>>,
    /// The latest answer's date.
    pub last_answered_at: Option<DateTime<Utc>>,
    /// The committee's acts on it.
    pub committee: CommitteeCounts,
}

/// One answer, for the bureau.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AnswerRow {
    /// Its number on the entry, from 1.
    pub number: u32,
    /// When.
    pub answered_at: DateTime<Utc>,
    /// Who answered (an agent).
    pub by: ActorId,
    /// In which capacity.
    pub role: Role,
    /// The answer, sealed under the author's subject.
    pub text: Sealed<Text>,
}

/// What the committee (or the local authority for it) did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommitteeActKind {
    /// Consulted the entry.
    Consultation,
    /// Proposed to the president to answer, clarify or ask for explanations.
    Proposal,
    /// The letter following a proposal went to the author's addresses.
    Correspondence,
    /// Invited the author to a follow-up meeting.
    MeetingInvitation,
    /// Recorded the minutes of a follow-up meeting.
    Minutes,
}

/// One act of art. 13 on an entry, for the bureau.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CommitteeAct {
    /// The event's sequence in the entry's stream.
    pub sequence: i64,
    /// What.
    pub act: CommitteeActKind,
    /// The proposal (proposal, correspondence) or meeting (invitation, minutes) number.
    pub number: Option<u32>,
    /// What a proposal proposes, or a correspondence's purpose.
    pub proposal_kind: Option<ProposalKind>,
    /// When it was done.
    pub at: DateTime<Utc>,
    /// When an invited meeting takes place.
    pub meeting_at: Option<DateTime<Utc>>,
    /// Who did it (an agent).
    pub by: ActorId,
    /// In which capacity, when the event records it (correspondence).
    pub role: Option<Role>,
    /// The addresses written to (correspondence, invitation).
    pub channels: Vec<AddressKind>,
    /// The note, letter or minutes, sealed under the author's subject.
    pub text: Option<Sealed<Text>>,
}

/// An entry as the register bureau sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BureauEntry {
    /// The public part.
    #[serde(flatten)]
    pub public: PublicEntry,
    /// The ground a resident declared (art. 2).
    pub residence_ground: Option<ResidenceGround>,
    /// Section IV: the draft's deliberation date known at filing.
    pub deliberation_on: Option<NaiveDate>,
    /// The addresses the register holds.
    pub addresses: Vec<AddressKind>,
    /// The author's name and addresses, sealed.
    pub contact: Sealed<AuthorContact>,
    /// The opinion, question or proposal, sealed.
    pub text: Sealed<Text>,
    /// Every answer, in order.
    pub answer_history: Vec<AnswerRow>,
    /// Every act of art. 13, in order.
    pub committee_acts: Vec<CommitteeAct>,
}

/// Filters of the register of opinions (all optional, combined).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OpinionsFilter {
    /// Only this section's entries (1 to 6, art. 11).
    pub section: Option<u8>,
    /// Only entries of this kind.
    pub kind: Option<EntryKind>,
    /// Only answered (`true`) or unanswered (`false`) entries.
    pub answered: Option<bool>,
}

/// The register of opinions read model.
#[derive(Clone, Copy, Debug, Default)]
pub struct OpinionsRegisterProjection;

const TABLES: [&str; 3] = [
    "ld_opinion_entries",
    "ld_opinion_answers",
    "ld_opinion_committee_acts",
];

#[async_trait]
impl Projection for OpinionsRegisterProjection {
    fn name(&self) -> &str {
        OPINIONS_REGISTER
    }

    async fn apply(
        &self,
        tx: &mut AnyConnection,
        event: &RecordedEvent,
    ) -> Result<(), ProjectionError> {
        if event.aggregate_type != ENTRY_TYPE {
            return Ok(());
        }
        let id = event.aggregate_id.as_str();
        let act = |act, at: DateTime<Utc>, by: ActorId| Act {
            entry: id,
            sequence: event.sequence,
            act,
            number: None,
            proposal_kind: None,
            at,
            meeting_at: None,
            by,
            role: None,
            channels: Vec::new(),
            text: None,
        };
        let act = match event.decode::<EntryEvent>()? {
            EntryEvent::EntryFiled {
                local_authority,
                number,
                section,
                deliberation_on,
                kind,
                author,
                addresses,
                text,
                filed_at,
                ..
            } => {
                let filed = Filed {
                    local_authority,
                    number: i64::from(number.get()),
                    section,
                    deliberation_on,
                    kind,
                    author,
                    addresses,
                    text,
                    filed_at,
                };
                return insert_entry(tx, id, &filed).await;
            }
            EntryEvent::EntryAnswered {
                answer,
                text,
                by,
                role,
                answered_at,
            } => return insert_answer(tx, id, answer, &text, by, role, answered_at).await,
            EntryEvent::CommitteeConsulted { by, at } => {
                act(CommitteeActKind::Consultation, at, by)
            }
            EntryEvent::ProposedToPresident {
                proposal,
                kind,
                note,
                by,
                at,
            } => Act {
                number: Some(proposal),
                proposal_kind: Some(kind),
                text: Some(note),
                ..act(CommitteeActKind::Proposal, at, by)
            },
            EntryEvent::CorrespondenceSent {
                proposal,
                purpose,
                channels,
                body,
                by,
                role,
                sent_at,
                ..
            } => Act {
                // The letter goes to the contact registered with the filing (the event
                // repeats it sealed); the bureau's view shows that one.
                number: Some(proposal),
                proposal_kind: Some(purpose),
                role: Some(role),
                channels,
                text: Some(body),
                ..act(CommitteeActKind::Correspondence, sent_at, by)
            },
            EntryEvent::FollowUpMeetingInvited {
                meeting,
                meeting_at,
                channels,
                by,
                invited_at,
                ..
            } => Act {
                number: Some(meeting),
                meeting_at: Some(meeting_at),
                channels,
                ..act(CommitteeActKind::MeetingInvitation, invited_at, by)
            },
            EntryEvent::FollowUpMinutesRecorded {
                meeting,
                minutes,
                by,
                recorded_at,
            } => Act {
                number: Some(meeting),
                text: Some(minutes),
                ..act(CommitteeActKind::Minutes, recorded_at, by)
            },
        };
        insert_act(tx, &act).await
    }

    fn tables(&self) -> &[&'static str] {
        &TABLES
    }
}

/// What a filing records.
struct Filed {
    local_authority: OrganisationId,
    number: i64,
    section: Section,
    deliberation_on: Option<NaiveDate>,
    kind: EntryKind,
    author: Author,
    addresses: Vec<AddressKind>,
    text: Sealed<Text>,
    filed_at: DateTime<Utc>,
}

/// A row of `ld_opinion_committee_acts`.
struct Act<'a> {
    entry: &'a str,
    sequence: i64,
    act: CommitteeActKind,
    number: Option<u32>,
    proposal_kind: Option<ProposalKind>,
    at: DateTime<Utc>,
    meeting_at: Option<DateTime<Utc>>,
    by: ActorId,
    role: Option<Role>,
    channels: Vec<AddressKind>,
    text: Option<Sealed<Text>>,
}

async fn insert_entry(
    tx: &mut AnyConnection,
    id: &str,
    filed: &Filed,
) -> Result<(), ProjectionError> {
    let (author_kind, ground, organisation) = match &filed.author {
        Author::Resident { ground, .. } => (AuthorKind::Resident, Some(label(ground)?), None),
        Author::Organisation { organisation, .. } => (
            AuthorKind::Organisation,
            None,
            Some(organisation.to_string()),
        ),
    };
    let (draft, topic) = match &filed.section {
        Section::DraftByLaw { draft } => (Some(draft.to_string()), None),
        Section::LocalFinances { topic } => (None, Some(label(topic)?)),
        _ => (None, None),
    };
    sqlx::query(
        "INSERT INTO ld_opinion_entries (entry_id, local_authority, number, section_number, \
         section, draft_by_law, finance_topic, deliberation_on, kind, author_kind, \
         residence_ground, organisation_id, addresses, contact, entry_text, filed_at, answers, \
         consultations, proposals, correspondences, meetings, minutes) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
         0, 0, 0, 0, 0, 0) \
         ON CONFLICT (entry_id) DO UPDATE SET local_authority = excluded.local_authority, \
         number = excluded.number, section_number = excluded.section_number, \
         section = excluded.section, draft_by_law = excluded.draft_by_law, \
         finance_topic = excluded.finance_topic, deliberation_on = excluded.deliberation_on, \
         kind = excluded.kind, author_kind = excluded.author_kind, \
         residence_ground = excluded.residence_ground, \
         organisation_id = excluded.organisation_id, addresses = excluded.addresses, \
         contact = excluded.contact, entry_text = excluded.entry_text, \
         filed_at = excluded.filed_at",
    )
    .bind(id.to_owned())
    .bind(filed.local_authority.to_string())
    .bind(filed.number)
    .bind(i64::from(filed.section.number()))
    .bind(serde_json::to_string(&filed.section)?)
    .bind(draft)
    .bind(topic)
    .bind(filed.deliberation_on.map(day))
    .bind(label(&filed.kind)?)
    .bind(label(&author_kind)?)
    .bind(ground)
    .bind(organisation)
    .bind(serde_json::to_string(&filed.addresses)?)
    .bind(serde_json::to_string(filed.author.contact())?)
    .bind(serde_json::to_string(&filed.text)?)
    .bind(millis(filed.filed_at))
    .execute(tx)
    .await?;
    Ok(())
}

async fn insert_answer(
    tx: &mut AnyConnection,
    id: &str,
    answer: u32,
    text: &Sealed<Text>,
    by: ActorId,
    role: Role,
    answered_at: DateTime<Utc>,
) -> Result<(), ProjectionError> {
    sqlx::query(
        "INSERT INTO ld_opinion_answers (entry_id, answer, answered_at, answered_by, role, \
         answer_text) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (entry_id, answer) DO UPDATE \
         SET answered_at = excluded.answered_at, answered_by = excluded.answered_by, \
         role = excluded.role, answer_text = excluded.answer_text",
    )
    .bind(id.to_owned())
    .bind(i64::from(answer))
    .bind(millis(answered_at))
    .bind(by.to_string())
    .bind(label(&role)?)
    .bind(serde_json::to_string(text)?)
    .execute(&mut *tx)
    .await?;
    // Counted from the answers table, so that applying an answer twice changes nothing.
    sqlx::query(
        "UPDATE ld_opinion_entries SET \
         answers = (SELECT COUNT(*) FROM ld_opinion_answers a WHERE a.entry_id = $1), \
         first_answered_at = (SELECT MIN(a.answered_at) FROM ld_opinion_answers a \
         WHERE a.entry_id = $1), \
         last_answered_at = (SELECT MAX(a.answered_at) FROM ld_opinion_answers a \
         WHERE a.entry_id = $1) \
         WHERE entry_id = $1",
    )
    .bind(id.to_owned())
    .execute(tx)
    .await?;
    Ok(())
}

async fn insert_act(tx: &mut AnyConnection, act: &Act<'_>) -> Result<(), ProjectionError> {
    sqlx::query(
        "INSERT INTO ld_opinion_committee_acts (entry_id, sequence, act, number, proposal_kind, \
         acted_at, meeting_at, by_actor, role, channels, sealed_text) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT (entry_id, sequence) DO UPDATE SET act = excluded.act, \
         number = excluded.number, proposal_kind = excluded.proposal_kind, \
         acted_at = excluded.acted_at, \
         meeting_at = excluded.meeting_at, by_actor = excluded.by_actor, role = excluded.role, \
         channels = excluded.channels, sealed_text = excluded.sealed_text",
    )
    .bind(act.entry.to_owned())
    .bind(act.sequence)
    .bind(label(&act.act)?)
    .bind(act.number.map(i64::from))
    .bind(act.proposal_kind.as_ref().map(label).transpose()?)
    .bind(millis(act.at))
    .bind(act.meeting_at.map(millis))
    .bind(act.by.to_string())
    .bind(act.role.as_ref().map(label).transpose()?)
    .bind(serde_json::to_string(&act.channels)?)
    .bind(act.text.as_ref().map(serde_json::to_string).transpose()?)
    .execute(&mut *tx)
    .await?;
    // Counted from the acts table, so that applying an act twice changes nothing.
    let count = |act: CommitteeActKind| -> Result<String, ProjectionError> {
        Ok(format!(
            "(SELECT COUNT(*) FROM ld_opinion_committee_acts c WHERE c.entry_id = $1 \
             AND c.act = '{}')",
            label(&act)?
        ))
    };
    sqlx::query(&format!(
        "UPDATE ld_opinion_entries SET consultations = {}, proposals = {}, \
         correspondences = {}, meetings = {}, minutes = {} WHERE entry_id = $1",
        count(CommitteeActKind::Consultation)?,
        count(CommitteeActKind::Proposal)?,
        count(CommitteeActKind::Correspondence)?,
        count(CommitteeActKind::MeetingInvitation)?,
        count(CommitteeActKind::Minutes)?,
    ))
    .bind(act.entry.to_owned())
    .execute(tx)
    .await?;
    Ok(())
}

// ------------------------------------------------------------------------------ queries

const PUBLIC_COLUMNS: &str = "o.entry_id, o.local_authority, o.number, o.section, o.kind, \
     o.author_kind, o.organisation_id, c.name AS organisation_name, o.filed_at, o.answers, \
     o.first_answered_at, o.last_answered_at, o.consultations, o.proposals, \
     o.correspondences, o.meetings, o.minutes";

fn bureau_columns() -> String {
    format!(
        "{PUBLIC_COLUMNS}, o.residence_ground, o.deliberation_on, o.addresses, o.contact, \
         o.entry_text"
    )
}

/// The organisation's name comes from the civil-society register's read model.
const ENTRIES: &str =
    "ld_opinion_entries o LEFT JOIN ld_cso_entries c ON c.organisation_id = o.organisation_id";

/// Register order: entry number, then identifier (numbers come from a counter at the edge).
const REGISTER_ORDER: &str = "o.number, o.entry_id";

fn count(row: &AnyRow, column: &str) -> Result<u32, QueryError> {
    let value: i64 = row.try_get(column)?;
    u32::try_from(value).map_err(|_| QueryError::Corrupt(format!("{column} = {value}")))
}

fn optional_instant(row: &AnyRow, column: &str) -> Result<Option<DateTime<Utc>>, QueryError> {
    row.try_get::<Option<i64>, _>(column)?
        .map(instant)
        .transpose()
}

fn read_public(row: &AnyRow) -> Result<PublicEntry, QueryError> {
    Ok(PublicEntry {
        entry: parse(&row.try_get::<String, _>("entry_id")?)?,
        local_authority: parse(&row.try_get::<String, _>("local_authority")?)?,
        number: count(row, "number")?,
        filed_at: instant(row.try_get("filed_at")?)?,
        section: from_json(&row.try_get::<String, _>("section")?)?,
        kind: from_label(row.try_get("kind")?)?,
        author: from_label(row.try_get("author_kind")?)?,
        organisation: row
            .try_get::<Option<String>, _>("organisation_id")?
            .as_deref()
            .map(parse)
            .transpose()?,
        organisation_name: row.try_get("organisation_name")?,
        answers: count(row, "answers")?,
        first_answered_at: optional_instant(row, "first_answered_at")?,
        last_answered_at: optional_instant(row, "last_answered_at")?,
        committee: CommitteeCounts {
            consultations: count(row, "consultations")?,
            proposals: count(row, "proposals")?,
            correspondences: count(row, "correspondences")?,
            follow_up_meetings: count(row, "meetings")?,
            minutes: count(row, "minutes")?,
        },
    })
}

fn read_bureau(row: &AnyRow) -> Result<BureauEntry, QueryError> {
    Ok(BureauEntry {
        public: read_public(row)?,
        residence_ground: row
            .try_get::<Option<String>, _>("residence_ground")?
            .map(from_label)
            .transpose()?,
        deliberation_on: row
            .try_get::<Option<String>, _>("deliberation_on")?
            .as_deref()
            .map(parse_day)
            .transpose()?,
        addresses: from_json(&row.try_get::<String, _>("addresses")?)?,
        contact: from_json(&row.try_get::<String, _>("contact")?)?,
        text: from_json(&row.try_get::<String, _>("entry_text")?)?,
        answer_history: Vec::new(),
        committee_acts: Vec::new(),
    })
}

fn conditions(
    local_authority: OrganisationId,
    filter: &OpinionsFilter,
) -> Result<Conditions, QueryError> {
    let mut conditions = Conditions::default();
    let la = conditions.text(local_authority.to_string());
    conditions.clause(format!("o.local_authority = {la}"));
    if let Some(section) = filter.section {
        let section = conditions.integer(i64::from(section));
        conditions.clause(format!("o.section_number = {section}"));
    }
    if let Some(kind) = filter.kind {
        let kind = conditions.text(label(&kind)?);
        conditions.clause(format!("o.kind = {kind}"));
    }
    match filter.answered {
        Some(true) => conditions.clause("o.answers > 0".to_owned()),
        Some(false) => conditions.clause("o.answers = 0".to_owned()),
        None => {}
    }
    Ok(conditions)
}

/// The register of `local_authority` as the public sees it, in entry-number order.
pub async fn opinions_register(
    pool: &AnyPool,
    local_authority: OrganisationId,
    filter: &OpinionsFilter,
    page: Page,
) -> Result<Paged<PublicEntry>, QueryError> {
    conditions(local_authority, filter)?
        .page(
            pool,
            PUBLIC_COLUMNS,
            ENTRIES,
            REGISTER_ORDER,
            page,
            read_public,
        )
        .await
}

/// The register of `local_authority` as its bureau sees it, in entry-number order, each
/// entry with its answers and the committee's acts.
pub async fn opinions_register_for_bureau(
    pool: &AnyPool,
    local_authority: OrganisationId,
    filter: &OpinionsFilter,
    page: Page,
) -> Result<Paged<BureauEntry>, QueryError> {
    let mut paged = conditions(local_authority, filter)?
        .page(
            pool,
            &bureau_columns(),
            ENTRIES,
            REGISTER_ORDER,
            page,
            read_bureau,
        )
        .await?;
    if paged.items.is_empty() {
        return Ok(paged);
    }
    let of_page = |alias: &str| {
        let mut conditions = Conditions::default();
        let ids: Vec<String> = paged
            .items
            .iter()
            .map(|item| conditions.text(item.public.entry.to_string()))
            .collect();
        conditions.clause(format!("{alias}.entry_id IN ({})", ids.join(", ")));
        conditions
    };
    let answers = of_page("a")
        .rows(
            pool,
            "a.entry_id, a.answer, a.answered_at, a.answered_by, a.role, a.answer_text",
            "ld_opinion_answers a",
            "a.entry_id, a.answer",
            |row| {
                Ok((
                    row.try_get::<String, _>("entry_id")?,
                    AnswerRow {
                        number: count(row, "answer")?,
                        answered_at: instant(row.try_get("answered_at")?)?,
                        by: parse(&row.try_get::<String, _>("answered_by")?)?,
                        role: from_label(row.try_get("role")?)?,
                        text: from_json(&row.try_get::<String, _>("answer_text")?)?,
                    },
                ))
            },
        )
        .await?;
    let acts = of_page("c")
        .rows(
            pool,
            "c.entry_id, c.sequence, c.act, c.number, c.proposal_kind, c.acted_at, c.meeting_at, \
             c.by_actor, c.role, c.channels, c.sealed_text",
            "ld_opinion_committee_acts c",
            "c.entry_id, c.sequence",
            |row| {
                Ok((
                    row.try_get::<String, _>("entry_id")?,
                    CommitteeAct {
                        sequence: row.try_get("sequence")?,
                        act: from_label(row.try_get("act")?)?,
                        number: row
                            .try_get::<Option<i64>, _>("number")?
                            .map(|n| {
                                u32::try_from(n)
                                    .map_err(|_| QueryError::Corrupt(format!("number = {n}")))
                            })
                            .transpose()?,
                        proposal_kind: row
                            .try_get::<Option<String>, _>("proposal_kind")?
                            .map(from_label)
                            .transpose()?,
                        at: instant(row.try_get("acted_at")?)?,
                        meeting_at: optional_instant(row, "meeting_at")?,
                        by: parse(&row.try_get::<String, _>("by_actor")?)?,
                        role: row
                            .try_get::<Option<String>, _>("role")?
                            .map(from_label)
                            .transpose()?,
                        channels: from_json(&row.try_get::<String, _>("channels")?)?,
                        text: row
                            .try_get::<Option<String>, _>("sealed_text")?
                            .as_deref()
                            .map(from_json)
                            .transpose()?,
                    },
                ))
            },
        )
        .await?;
    for item in &mut paged.items {
        let id = item.public.entry.to_string();
        item.answer_history = answers
            .iter()
            .filter(|(entry, _)| *entry == id)
            .map(|(_, answer)| answer.clone())
            .collect();
        item.committee_acts = acts
            .iter()
            .filter(|(entry, _)| *entry == id)
            .map(|(_, act)| act.clone())
            .collect();
    }
    Ok(paged)
}
