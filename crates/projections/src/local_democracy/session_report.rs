//! The committee's report to each ordinary session of the council (decree 2019-401 art. 14),
//! computed from the global log up to a cursor, with its public summary's posting duties
//! (art. 15).
//!
//! [`committee_report`] folds the `OpinionEntry` and `CouncilReporting` events of the log up
//! to `as_of` (by default the head at call time; a cursor past the head is brought back to
//! it) and returns the typed [`CommitteeReport`] and its [`ReportDocument`] (JSON, CSV, HTML),
//! labelled in French or Arabic. Both carry the cursor reached: computing again with it gives
//! the same report, whatever was appended since.
//!
//! # Definitions
//!
//! - **Period**: from the day of the previous ordinary session of the local authority
//!   (inclusive) to the eve of this session (inclusive), i.e. between the instants the two
//!   sessions' report deadlines expire; from the beginning of the register for the first
//!   session. Every fact is counted by the instant it happened (filing, answer, committee
//!   act), so a report for a past session computed later gives the same figures.
//! - **Answered**: at least one answer before the end of the period.
//! - **Answer delay**: the time from an entry's filing to its first answer, in days of 24
//!   hours (two decimals), over the entries of the period answered before its end: mean,
//!   median (the mean of the two middle values for an even count) and maximum. Elapsed time
//!   rather than calendar days, so that an answer within the hour is not "one day".
//! - **Earlier entries**: entries filed before the period and still unanswered at its start,
//!   and how many of them were answered during it: the backlog the bureau carried.
//! - **Committee acts** (art. 13) done during the period on the local authority's entries:
//!   consultations, proposals to the president by kind, letters sent, follow-up meetings
//!   invited, meetings whose minutes were recorded.
//! - **Sessions and postings**: every session of the local authority up to this one, with its
//!   report deadline, the meeting, the summary's posting deadline and posting (on time, late,
//!   or overdue: not posted by the cursor although due before this session), and its display
//!   period. Local dates of instants are taken in the time zone the council's deadlines were
//!   computed in (recorded with each of them), so the report depends on the log alone.
//! - **Public summary**: the summary the committee filed for this session, a public text it
//!   attested free of personal data.
//!
//! No personal data: the report holds counts, dates of public acts and the attested public
//! texts; nothing about authors (not even their kind per entry) and no sealed field.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Offset, TimeZone, Utc};
use event_store::{Cursor, GlobalLog, RecordedEvent, StoreError};
use kernel::OrganisationId;
use kernel::calendar::ComputedDeadline;
use opinions::{CouncilSessionId, EntryEvent, EntryKind, ProposalKind, ReportingEvent};
use serde::{Deserialize, Serialize};

use super::council::{REPORTING_TYPE, due};
use super::opinions_register::{CommitteeActKind, ENTRY_TYPE};
use crate::report::{Cell, ReportDocument, Section as ReportSection};

/// Events read per batch while folding the log.
const BATCH: u32 = 1_000;

/// The labels' language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportLanguage {
    /// French.
    Fr,
    /// Arabic (the page reads right to left).
    Ar,
}

/// Which report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitteeReportParams {
    /// The local authority.
    pub local_authority: OrganisationId,
    /// The ordinary session the report is for.
    pub session: CouncilSessionId,
    /// The labels' language.
    pub language: ReportLanguage,
}

/// The report could not be computed.
#[derive(Debug, thiserror::Error)]
pub enum CommitteeReportError {
    /// The log could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An event is not what its domain writes.
    #[error("cannot decode the event at position {position}: {source}")]
    Decode {
        /// The event.
        position: i64,
        /// Why.
        #[source]
        source: serde_json::Error,
    },
    /// The session is not on the local authority's calendar at the cursor.
    #[error("session {session} is not on the calendar of local authority {local_authority}")]
    UnknownSession {
        /// The local authority.
        local_authority: OrganisationId,
        /// The session.
        session: CouncilSessionId,
    },
    /// The session's report deadline has no end (it cannot: it has no pause).
    #[error("session {0} has no report deadline to bound the period")]
    NoReportDeadline(CouncilSessionId),
}

/// Answer delays, in days of 24 hours, rounded to two decimals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct DelayFigures {
    /// Mean.
    pub mean_days: Option<f64>,
    /// Median.
    pub median_days: Option<f64>,
    /// Maximum.
    pub max_days: Option<f64>,
}

/// Entries filed during the period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct EntryFigures {
    /// Filed.
    pub filed: u64,
    /// Of which opinions.
    pub opinions: u64,
    /// Questions.
    pub questions: u64,
    /// Proposals.
    pub proposals: u64,
    /// Answered before the end of the period.
    pub answered: u64,
    /// Not answered by then.
    pub unanswered: u64,
    /// Delays of the answered ones.
    pub delays: DelayFigures,
}

/// One section's figures (art. 11).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct SectionFigures {
    /// The section, 1 to 6.
    pub section: u8,
    /// Its entries.
    #[serde(flatten)]
    pub figures: EntryFigures,
}

/// The committee's acts during the period (art. 13).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CommitteeFigures {
    /// Consultations of entries.
    pub consultations: u64,
    /// Proposals to the president to answer.
    pub proposals_to_answer: u64,
    /// Proposals to clarify.
    pub proposals_to_clarify: u64,
    /// Proposals to ask for explanations.
    pub proposals_to_ask_explanations: u64,
    /// Letters sent to authors.
    pub correspondences: u64,
    /// Follow-up meetings authors were invited to.
    pub meetings_invited: u64,
    /// Follow-up meetings whose minutes were recorded.
    pub meetings_with_minutes: u64,
}

/// Where the posting of a session's summary stands (art. 15).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PostingState {
    /// The council has not met for the session.
    MeetingNotHeld,
    /// The council met without a report: nothing to post.
    NoReport,
    /// To post; its deadline had not passed at this session.
    Due,
    /// Not posted although its deadline passed before this session.
    Overdue,
    /// Posted within the 5 days.
    PostedOnTime,
    /// Posted after them.
    PostedLate,
}

/// A session of the calendar and its summary's posting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SessionPosting {
    /// The session.
    pub session: CouncilSessionId,
    /// Its date.
    pub date: NaiveDate,
    /// Last day to file the committee's report.
    pub report_due_on: Option<NaiveDate>,
    /// The day the report was filed.
    pub report_filed_on: Option<NaiveDate>,
    /// The day the council met.
    pub held_on: Option<NaiveDate>,
    /// Last day to post the summary.
    pub posting_due_on: Option<NaiveDate>,
    /// The day it was posted.
    pub posted_on: Option<NaiveDate>,
    /// Where the posting stands.
    pub state: PostingState,
    /// Last day it must stay up.
    pub display_until_on: Option<NaiveDate>,
    /// The day it came down.
    pub taken_down_on: Option<NaiveDate>,
}

/// The summary the committee filed for the session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PublicSummary {
    /// The day it was filed.
    pub filed_on: NaiveDate,
    /// The text (public, attested free of personal data).
    pub text: String,
}

/// The committee's report to one ordinary session.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CommitteeReport {
    /// The local authority.
    pub local_authority: OrganisationId,
    /// The session.
    pub session: CouncilSessionId,
    /// Its date.
    pub session_date: NaiveDate,
    /// First day of the period (none for the first session).
    pub period_start: Option<NaiveDate>,
    /// Last day of the period (the eve of the session).
    pub period_end: NaiveDate,
    /// The last event the report includes.
    pub as_of: Cursor,
    /// Entries per section, I to VI.
    pub sections: Vec<SectionFigures>,
    /// All sections together.
    pub total: EntryFigures,
    /// Earlier entries unanswered when the period began.
    pub earlier_unanswered_at_start: u64,
    /// Of those, answered during the period.
    pub earlier_answered_in_period: u64,
    /// The committee's acts.
    pub committee: CommitteeFigures,
    /// The calendar up to this session, with postings.
    pub sessions: Vec<SessionPosting>,
    /// The summary filed for this session, if any.
    pub public_summary: Option<PublicSummary>,
}

// ------------------------------------------------------------------------------ folding

/// What the report needs of an entry.
struct EntryFacts {
    section: u8,
    kind: EntryKind,
    filed_at: DateTime<Utc>,
    first_answer_at: Option<DateTime<Utc>>,
}

/// What the report needs of a session.
struct SessionFacts {
    id: CouncilSessionId,
    date: NaiveDate,
    report_due: ComputedDeadline,
    report_filed_at: Option<DateTime<Utc>>,
    public_summary: Option<String>,
    held_on: Option<NaiveDate>,
    posting_due: Option<ComputedDeadline>,
    posted: Option<(DateTime<Utc>, bool)>,
    display: Option<ComputedDeadline>,
    taken_down_at: Option<DateTime<Utc>>,
}

/// The local authority's entries, acts and sessions, as far as the log was read.
struct Fold {
    local_authority: String,
    /// By entry id, so that every sum and list is in a stable order.
    entries: BTreeMap<String, EntryFacts>,
    /// When, what, and what a proposal proposes.
    acts: Vec<(DateTime<Utc>, CommitteeActKind, Option<ProposalKind>)>,
    sessions: Vec<SessionFacts>,
}

impl Fold {
    fn apply(&mut self, event: &RecordedEvent) -> Result<(), serde_json::Error> {
        if event.aggregate_type == REPORTING_TYPE {
            if event.aggregate_id == self.local_authority {
                self.apply_reporting(event.decode()?);
            }
            return Ok(());
        }
        // Entries of other local authorities are never recorded, so their later events
        // find nothing here.
        let id = &event.aggregate_id;
        let entry_event: EntryEvent = event.decode()?;
        if let EntryEvent::EntryFiled {
            local_authority,
            section,
            kind,
            filed_at,
            ..
        } = &entry_event
        {
            if local_authority.to_string() == self.local_authority {
                self.entries.insert(
                    id.clone(),
                    EntryFacts {
                        section: section.number(),
                        kind: *kind,
                        filed_at: *filed_at,
                        first_answer_at: None,
                    },
                );
            }
            return Ok(());
        }
        let Some(entry) = self.entries.get_mut(id) else {
            return Ok(());
        };
        let act = match entry_event {
            EntryEvent::EntryAnswered { answered_at, .. } => {
                entry.first_answer_at.get_or_insert(answered_at);
                return Ok(());
            }
            EntryEvent::EntryFiled { .. } => return Ok(()),
            EntryEvent::CommitteeConsulted { at, .. } => (at, CommitteeActKind::Consultation, None),
            EntryEvent::ProposedToPresident { kind, at, .. } => {
                (at, CommitteeActKind::Proposal, Some(kind))
            }
            EntryEvent::CorrespondenceSent { sent_at, .. } => {
                (sent_at, CommitteeActKind::Correspondence, None)
            }
            EntryEvent::FollowUpMeetingInvited { invited_at, .. } => {
                (invited_at, CommitteeActKind::MeetingInvitation, None)
            }
            EntryEvent::FollowUpMinutesRecorded { recorded_at, .. } => {
                (recorded_at, CommitteeActKind::Minutes, None)
            }
        };
        self.acts.push(act);
        Ok(())
    }

    fn session_mut(&mut self, id: CouncilSessionId) -> Option<&mut SessionFacts> {
        self.sessions.iter_mut().find(|session| session.id == id)
    }

    fn apply_reporting(&mut self, event: ReportingEvent) {
        match event {
            ReportingEvent::OrdinarySessionScheduled {
                session,
                date,
                report_due,
                ..
            } => self.sessions.push(SessionFacts {
                id: session,
                date,
                report_due,
                report_filed_at: None,
                public_summary: None,
                held_on: None,
                posting_due: None,
                posted: None,
                display: None,
                taken_down_at: None,
            }),
            ReportingEvent::OrdinarySessionRescheduled {
                session,
                to,
                report_due,
                ..
            } => {
                if let Some(known) = self.session_mut(session) {
                    known.date = to;
                    known.report_due = report_due;
                }
            }
            ReportingEvent::CommitteeReportFiled {
                session,
                public_summary,
                filed_at,
                ..
            } => {
                if let Some(known) = self.session_mut(session) {
                    known.report_filed_at = Some(filed_at);
                    known.public_summary = Some(public_summary.into_string());
                }
            }
            ReportingEvent::CouncilMeetingHeld {
                session,
                held_on,
                posting_due,
                ..
            } => {
                if let Some(known) = self.session_mut(session) {
                    known.held_on = Some(held_on);
                    known.posting_due = posting_due;
                }
            }
            ReportingEvent::SummaryPosted {
                session,
                late,
                display,
                posted_at,
                ..
            } => {
                if let Some(known) = self.session_mut(session) {
                    known.posted = Some((posted_at, late));
                    known.display = Some(display);
                }
            }
            ReportingEvent::SummaryTakenDown { session, at, .. } => {
                if let Some(known) = self.session_mut(session) {
                    known.taken_down_at = Some(at);
                }
            }
        }
    }
}

/// The local date of `at` in the time zone `deadline` was computed in.
fn local_date(deadline: &ComputedDeadline, at: DateTime<Utc>) -> NaiveDate {
    let zone = &deadline.explanation.time_zone;
    let utc = at.naive_utc();
    let offset = zone.offset_from_utc_datetime(&utc).fix();
    // At the edges of chrono's range the local time may not exist: keep the UTC date.
    utc.checked_add_offset(offset).unwrap_or(utc).date()
}

fn round(days: f64) -> f64 {
    (days * 100.0).round() / 100.0
}

fn delays(mut days: Vec<f64>) -> DelayFigures {
    if days.is_empty() {
        return DelayFigures::default();
    }
    days.sort_by(f64::total_cmp);
    let count = days.len();
    let median = if count % 2 == 1 {
        days[count / 2]
    } else {
        (days[count / 2 - 1] + days[count / 2]) / 2.0
    };
    let mean = days.iter().sum::<f64>() / count as f64;
    DelayFigures {
        mean_days: Some(round(mean)),
        median_days: Some(round(median)),
        max_days: days.last().copied().map(round),
    }
}

/// Figures of `entries` (filed in the period), answers counted before `end`.
fn figures<'a>(entries: impl Iterator<Item = &'a EntryFacts>, end: DateTime<Utc>) -> EntryFigures {
    let mut figures = EntryFigures::default();
    let mut answer_days = Vec::new();
    for entry in entries {
        figures.filed += 1;
        match entry.kind {
            EntryKind::Opinion => figures.opinions += 1,
            EntryKind::Question => figures.questions += 1,
            EntryKind::Proposal => figures.proposals += 1,
        }
        match entry.first_answer_at.filter(|at| *at < end) {
            Some(answered_at) => {
                figures.answered += 1;
                let days = (answered_at - entry.filed_at).num_milliseconds() as f64 / 86_400_000.0;
                answer_days.push(days);
            }
            None => figures.unanswered += 1,
        }
    }
    figures.delays = delays(answer_days);
    figures
}

fn posting(session: &SessionFacts, reference: DateTime<Utc>) -> SessionPosting {
    // Local dates in the time zone the session's deadlines were computed in.
    let zone = &session.report_due;
    let (report_due_on, _) = due(&session.report_due);
    let (posting_due_on, posting_due_at) = session.posting_due.as_ref().map_or((None, None), due);
    let state = match (session.held_on, &session.posting_due, session.posted) {
        (None, _, _) => PostingState::MeetingNotHeld,
        (Some(_), _, Some((_, true))) => PostingState::PostedLate,
        (Some(_), _, Some((_, false))) => PostingState::PostedOnTime,
        (Some(_), None, None) => PostingState::NoReport,
        (Some(_), Some(_), None) if posting_due_at.is_some_and(|due| due <= reference) => {
            PostingState::Overdue
        }
        (Some(_), Some(_), None) => PostingState::Due,
    };
    SessionPosting {
        session: session.id,
        date: session.date,
        report_due_on,
        report_filed_on: session.report_filed_at.map(|at| local_date(zone, at)),
        held_on: session.held_on,
        posting_due_on,
        posted_on: session.posted.map(|(at, _)| local_date(zone, at)),
        state,
        display_until_on: session.display.as_ref().and_then(|d| due(d).0),
        taken_down_on: session.taken_down_at.map(|at| local_date(zone, at)),
    }
}

/// Computes the committee's report for `params.session` from `log` up to `as_of` (the head
/// at call time when `None`), and its document in `params.language`. See the module
/// documentation for every definition.
pub async fn committee_report(
    log: &GlobalLog,
    params: CommitteeReportParams,
    as_of: Option<Cursor>,
) -> Result<(CommitteeReport, ReportDocument), CommitteeReportError> {
    let head = log.head().await?;
    // A cursor past the head would let later events in on a recomputation.
    let as_of = as_of.map_or(head, |cursor| cursor.min(head));
    let mut fold = Fold {
        local_authority: params.local_authority.to_string(),
        entries: BTreeMap::new(),
        acts: Vec::new(),
        sessions: Vec::new(),
    };
    let mut after = Cursor::START;
    loop {
        let events = log
            .read_types(after, Some(as_of), &[ENTRY_TYPE, REPORTING_TYPE], BATCH)
            .await?;
        let Some(last) = events.last() else {
            break;
        };
        after = last.cursor();
        for event in &events {
            fold.apply(event)
                .map_err(|source| CommitteeReportError::Decode {
                    position: event.position,
                    source,
                })?;
        }
    }
    let report = compute(&fold, params, as_of)?;
    let document = document(&report, params.language);
    Ok((report, document))
}

fn compute(
    fold: &Fold,
    params: CommitteeReportParams,
    as_of: Cursor,
) -> Result<CommitteeReport, CommitteeReportError> {
    let session = fold
        .sessions
        .iter()
        .find(|session| session.id == params.session)
        .ok_or(CommitteeReportError::UnknownSession {
            local_authority: params.local_authority,
            session: params.session,
        })?;
    let (Some(period_end), Some(end)) = due(&session.report_due) else {
        return Err(CommitteeReportError::NoReportDeadline(session.id));
    };
    let previous = fold
        .sessions
        .iter()
        .filter(|other| other.date < session.date)
        .max_by_key(|other| (other.date, other.id));
    let start = previous.and_then(|previous| due(&previous.report_due).1);
    let in_period = |at: DateTime<Utc>| start.is_none_or(|start| at >= start) && at < end;

    let filed: Vec<&EntryFacts> = fold
        .entries
        .values()
        .filter(|entry| in_period(entry.filed_at))
        .collect();
    let sections = (1..=6)
        .map(|section| SectionFigures {
            section,
            figures: figures(
                filed
                    .iter()
                    .copied()
                    .filter(|entry| entry.section == section),
                end,
            ),
        })
        .collect();
    let earlier: Vec<&EntryFacts> = match start {
        Some(start) => fold
            .entries
            .values()
            .filter(|entry| {
                entry.filed_at < start && entry.first_answer_at.is_none_or(|at| at >= start)
            })
            .collect(),
        None => Vec::new(),
    };
    let mut committee = CommitteeFigures::default();
    for (_, act, proposal) in fold.acts.iter().filter(|(at, ..)| in_period(*at)) {
        let counter = match (act, proposal) {
            (CommitteeActKind::Consultation, _) => &mut committee.consultations,
            (CommitteeActKind::Proposal, Some(ProposalKind::Clarification)) => {
                &mut committee.proposals_to_clarify
            }
            (CommitteeActKind::Proposal, Some(ProposalKind::RequestForExplanations)) => {
                &mut committee.proposals_to_ask_explanations
            }
            (CommitteeActKind::Proposal, Some(ProposalKind::Answer) | None) => {
                &mut committee.proposals_to_answer
            }
            (CommitteeActKind::Correspondence, _) => &mut committee.correspondences,
            (CommitteeActKind::MeetingInvitation, _) => &mut committee.meetings_invited,
            (CommitteeActKind::Minutes, _) => &mut committee.meetings_with_minutes,
        };
        *counter += 1;
    }
    let mut calendar: Vec<&SessionFacts> = fold
        .sessions
        .iter()
        .filter(|other| other.date <= session.date)
        .collect();
    calendar.sort_by_key(|other| (other.date, other.id));
    Ok(CommitteeReport {
        local_authority: params.local_authority,
        session: session.id,
        session_date: session.date,
        period_start: previous.map(|previous| previous.date),
        period_end,
        as_of,
        sections,
        total: figures(filed.iter().copied(), end),
        earlier_unanswered_at_start: earlier.len() as u64,
        earlier_answered_in_period: earlier
            .iter()
            .filter(|entry| entry.first_answer_at.is_some_and(|at| at < end))
            .count() as u64,
        committee,
        sessions: calendar.iter().map(|other| posting(other, end)).collect(),
        public_summary: session
            .report_filed_at
            .zip(session.public_summary.clone())
            .map(|(filed_at, text)| PublicSummary {
                filed_on: local_date(&session.report_due, filed_at),
                text,
            }),
    })
}

// ------------------------------------------------------------------------------ document

/// The labels of one language.
struct Labels {
    language: &'static str,
    title: &'static str,
    period_from_to: &'static str,
    period_until: &'static str,
    overview: &'static str,
    indicator: &'static str,
    value: &'static str,
    overview_rows: [&'static str; 10],
    overview_note: &'static str,
    by_section: &'static str,
    section_columns: [&'static str; 10],
    section_names: [&'static str; 6],
    total: &'static str,
    committee: &'static str,
    committee_columns: [&'static str; 2],
    committee_rows: [&'static str; 7],
    committee_note: &'static str,
    sessions: &'static str,
    session_columns: [&'static str; 9],
    states: [&'static str; 6],
    sessions_note: &'static str,
    summary: &'static str,
    summary_columns: [&'static str; 2],
    summary_note: &'static str,
}

const FRENCH: Labels = Labels {
    language: "fr",
    title: "Rapport de la commission de la démocratie participative et de la gouvernance \
            ouverte à la session ordinaire du {date}",
    period_from_to: "du {start} au {end}",
    period_until: "jusqu'au {end}",
    overview: "Synthèse",
    indicator: "indicateur",
    value: "valeur",
    overview_rows: [
        "date de la session",
        "période",
        "avis, questions et propositions consignés",
        "ayant reçu une réponse",
        "sans réponse",
        "délai de réponse moyen (jours)",
        "délai de réponse médian (jours)",
        "délai de réponse maximal (jours)",
        "entrées antérieures sans réponse au début de la période",
        "dont ayant reçu une réponse pendant la période",
    ],
    overview_note: "Période : du jour de la session ordinaire précédente à la veille de cette \
                    session. Délai de réponse : temps écoulé entre le dépôt d'une entrée et \
                    sa première réponse, en jours de 24 heures, pour les entrées de la \
                    période ayant reçu une réponse avant sa fin. Ce rapport ne contient \
                    aucune donnée personnelle (décret 2019-401, art. 14-15).",
    by_section: "Entrées par section (art. 11)",
    section_columns: [
        "section",
        "entrées",
        "avis",
        "questions",
        "propositions",
        "avec réponse",
        "sans réponse",
        "délai médian (jours)",
        "délai maximal (jours)",
        "délai moyen (jours)",
    ],
    section_names: [
        "I. Services fournis et fonctionnement des services publics",
        "II. Programmes et projets réalisés",
        "III. Gouvernance de la collectivité locale",
        "IV. Projets d'arrêtés réglementaires",
        "V. Propositions sur les programmes et projets",
        "VI. Redevances locales, biens publics, recettes et dépenses",
    ],
    total: "Total",
    committee: "Travaux de la commission (art. 13)",
    committee_columns: ["action", "nombre"],
    committee_rows: [
        "consultations du registre",
        "propositions au président : présenter une réponse",
        "propositions au président : présenter des éclaircissements",
        "propositions au président : demander des explications",
        "correspondances adressées aux intéressés",
        "invitations au siège de la collectivité locale",
        "réunions de suivi avec procès-verbal",
    ],
    committee_note: "Actes accomplis pendant la période sur les entrées du registre.",
    sessions: "Sessions et affichage des résumés (art. 14-15)",
    session_columns: [
        "session",
        "échéance du rapport",
        "rapport déposé le",
        "conseil réuni le",
        "échéance d'affichage",
        "affiché le",
        "affichage",
        "affiché jusqu'au",
        "retiré le",
    ],
    states: [
        "conseil non réuni",
        "sans rapport",
        "à afficher",
        "échu, non affiché",
        "affiché dans le délai",
        "affiché en retard",
    ],
    sessions_note: "Le résumé est affiché dans les 5 jours suivant la réunion du conseil, \
                    pendant au moins 15 jours (art. 15). « Échu » : non affiché alors que \
                    l'échéance était passée à la date de cette session.",
    summary: "Résumé public",
    summary_columns: ["déposé le", "résumé"],
    summary_note: "Texte public déposé par la commission, attesté sans donnée personnelle.",
};

const ARABIC: Labels = Labels {
    language: "ar",
    title: "تقرير اللجنة المكلفة بالديمقراطية التشاركية والحوكمة المفتوحة إلى الدورة العادية \
            بتاريخ {date}",
    period_from_to: "من {start} إلى {end}",
    period_until: "إلى غاية {end}",
    overview: "ملخص",
    indicator: "المؤشر",
    value: "القيمة",
    overview_rows: [
        "تاريخ الدورة",
        "الفترة",
        "الآراء والتساؤلات والمقترحات المدونة",
        "التي تمت الإجابة عنها",
        "التي لم تتم الإجابة عنها",
        "متوسط أجل الإجابة (بالأيام)",
        "الأجل الوسيط للإجابة (بالأيام)",
        "أقصى أجل للإجابة (بالأيام)",
        "مدونات سابقة دون إجابة في بداية الفترة",
        "منها ما تمت الإجابة عنه خلال الفترة",
    ],
    overview_note: "الفترة: من يوم الدورة العادية السابقة إلى اليوم السابق لهذه الدورة. أجل \
                    الإجابة: المدة الفاصلة بين تدوين الرأي أو التساؤل وأول إجابة عنه، \
                    بأيام من 24 ساعة، بالنسبة إلى المدونات التي تمت الإجابة عنها قبل نهاية \
                    الفترة. لا يتضمن هذا التقرير أي معطيات شخصية (الأمر الحكومي 2019-401، \
                    الفصلان 14 و15).",
    by_section: "المدونات حسب الأقسام (الفصل 11)",
    section_columns: [
        "القسم",
        "المدونات",
        "آراء",
        "تساؤلات",
        "مقترحات",
        "تمت الإجابة عنها",
        "دون إجابة",
        "الأجل الوسيط (أيام)",
        "أقصى أجل (أيام)",
        "متوسط الأجل (أيام)",
    ],
    section_names: [
        "القسم الأول: طبيعة الخدمات المسداة وجودتها وسير المرافق العمومية",
        "القسم الثاني: البرامج والمشاريع المنجزة",
        "القسم الثالث: حوكمة الجماعة المحلية",
        "القسم الرابع: مشاريع القرارات الترتيبية",
        "القسم الخامس: المقترحات حول البرامج والمشاريع",
        "القسم السادس: المعاليم المحلية والتصرف في الأملاك العمومية والموارد والنفقات",
    ],
    total: "المجموع",
    committee: "أعمال اللجنة (الفصل 13)",
    committee_columns: ["العمل", "العدد"],
    committee_rows: [
        "الاطلاع على السجل",
        "مقترحات إلى الرئيس: تقديم إجابات",
        "مقترحات إلى الرئيس: تقديم توضيحات",
        "مقترحات إلى الرئيس: طلب استفسارات",
        "مراسلات موجهة إلى المعنيين",
        "دعوات للحضور بمقر الجماعة المحلية",
        "جلسات متابعة حُرّر محضرها",
    ],
    committee_note: "الأعمال المنجزة خلال الفترة بخصوص مدونات السجل.",
    sessions: "الدورات وتعليق الملخصات (الفصلان 14 و15)",
    session_columns: [
        "الدورة",
        "أجل التقرير",
        "تاريخ إيداع التقرير",
        "تاريخ انعقاد المجلس",
        "أجل التعليق",
        "تاريخ التعليق",
        "التعليق",
        "معلق إلى غاية",
        "تاريخ السحب",
    ],
    states: [
        "لم ينعقد المجلس",
        "دون تقرير",
        "في انتظار التعليق",
        "تجاوز الأجل دون تعليق",
        "عُلّق في الأجل",
        "عُلّق بعد الأجل",
    ],
    sessions_note: "يُعلّق الملخص في أجل أقصاه خمسة أيام من تاريخ انعقاد جلسة المجلس لمدة لا \
                    تقل عن خمسة عشر يوما (الفصل 15). «تجاوز الأجل»: لم يُعلّق والحال أن \
                    الأجل انقضى في تاريخ هذه الدورة.",
    summary: "الملخص الموجه للعموم",
    summary_columns: ["تاريخ الإيداع", "الملخص"],
    summary_note: "نص موجه للعموم أودعته اللجنة مع التصريح بخلوه من المعطيات الشخصية.",
};

fn date_cell(date: Option<NaiveDate>) -> Cell {
    date.map(|date| date.to_string()).into()
}

fn state_index(state: PostingState) -> usize {
    match state {
        PostingState::MeetingNotHeld => 0,
        PostingState::NoReport => 1,
        PostingState::Due => 2,
        PostingState::Overdue => 3,
        PostingState::PostedOnTime => 4,
        PostingState::PostedLate => 5,
    }
}

fn section_row(name: &str, figures: &EntryFigures) -> Vec<Cell> {
    vec![
        name.into(),
        figures.filed.into(),
        figures.opinions.into(),
        figures.questions.into(),
        figures.proposals.into(),
        figures.answered.into(),
        figures.unanswered.into(),
        figures.delays.median_days.into(),
        figures.delays.max_days.into(),
        figures.delays.mean_days.into(),
    ]
}

fn table(
    id: &str,
    title: &str,
    columns: &[&str],
    rows: Vec<Vec<Cell>>,
    note: &str,
) -> ReportSection {
    ReportSection {
        id: id.to_owned(),
        title: title.to_owned(),
        columns: columns.iter().map(|&c| c.to_owned()).collect(),
        rows,
        notes: vec![note.to_owned()],
    }
}

/// The report as a document labelled in `language`.
fn document(report: &CommitteeReport, language: ReportLanguage) -> ReportDocument {
    let labels = match language {
        ReportLanguage::Fr => &FRENCH,
        ReportLanguage::Ar => &ARABIC,
    };
    let period = match report.period_start {
        Some(start) => labels
            .period_from_to
            .replace("{start}", &start.to_string())
            .replace("{end}", &report.period_end.to_string()),
        None => labels
            .period_until
            .replace("{end}", &report.period_end.to_string()),
    };
    let total = &report.total;
    let overview_values: [Cell; 10] = [
        report.session_date.to_string().into(),
        period.into(),
        total.filed.into(),
        total.answered.into(),
        total.unanswered.into(),
        total.delays.mean_days.into(),
        total.delays.median_days.into(),
        total.delays.max_days.into(),
        report.earlier_unanswered_at_start.into(),
        report.earlier_answered_in_period.into(),
    ];
    let overview = labels
        .overview_rows
        .iter()
        .zip(overview_values)
        .map(|(&label, value)| vec![label.into(), value])
        .collect();
    let mut by_section: Vec<Vec<Cell>> = report
        .sections
        .iter()
        .zip(labels.section_names)
        .map(|(section, name)| section_row(name, &section.figures))
        .collect();
    by_section.push(section_row(labels.total, total));
    let committee = &report.committee;
    let committee_rows = labels
        .committee_rows
        .iter()
        .zip([
            committee.consultations,
            committee.proposals_to_answer,
            committee.proposals_to_clarify,
            committee.proposals_to_ask_explanations,
            committee.correspondences,
            committee.meetings_invited,
            committee.meetings_with_minutes,
        ])
        .map(|(&label, count)| vec![label.into(), count.into()])
        .collect();
    let sessions = report
        .sessions
        .iter()
        .map(|session| {
            vec![
                session.date.to_string().into(),
                date_cell(session.report_due_on),
                date_cell(session.report_filed_on),
                date_cell(session.held_on),
                date_cell(session.posting_due_on),
                date_cell(session.posted_on),
                labels.states[state_index(session.state)].into(),
                date_cell(session.display_until_on),
                date_cell(session.taken_down_on),
            ]
        })
        .collect();
    let summary = report
        .public_summary
        .iter()
        .map(|summary| {
            vec![
                summary.filed_on.to_string().into(),
                summary.text.clone().into(),
            ]
        })
        .collect();
    ReportDocument {
        kind: "committee-session".to_owned(),
        title: labels
            .title
            .replace("{date}", &report.session_date.to_string()),
        language: labels.language.to_owned(),
        period_start: report.period_start,
        period_end: Some(report.period_end),
        as_of: report.as_of,
        generated_at: Utc::now(),
        sections: vec![
            table(
                "overview",
                labels.overview,
                &[labels.indicator, labels.value],
                overview,
                labels.overview_note,
            ),
            table(
                "entries-by-section",
                labels.by_section,
                &labels.section_columns,
                by_section,
                labels.overview_note,
            ),
            table(
                "committee-acts",
                labels.committee,
                &labels.committee_columns,
                committee_rows,
                labels.committee_note,
            ),
            table(
                "sessions-and-postings",
                labels.sessions,
                &labels.session_columns,
                sessions,
                labels.sessions_note,
            ),
            table(
                "public-summary",
                labels.summary,
                &labels.summary_columns,
                summary,
                labels.summary_note,
            ),
        ],
    }
}
