//! Property tests: random sequences of commands, by random actors at random times, never
//! bring an entry or a council's reporting into a state their lifecycle forbids
//! (decree 2019-401 art. 10-15), and a refused command never records anything.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use common::{ENTRY_TEXT, Filing, Fixture, contact};
use cqrs_es::Aggregate;
use cqrs_es::event_sink::EventSink;
use kernel::calendar::HolidayCalendar;
use kernel::{Actor, ActorKind, Role};
use opinions::{
    ANSWERING_ROLES, AuthorDeclaration, COMMITTEE_ROLES, CouncilReporting, CouncilSessionId,
    EntryCommand, EntryEvent, EntryKind, EntryNumber, EntryStatus, FinanceTopic, OpinionEntry,
    OpinionsServices, ProposalKind, ReportingCommand, ReportingEvent, Section, SessionStatus,
    SessionView, find_personal_data,
};
use proptest::prelude::*;

/// Runs `command` on `aggregate`; a refusal must leave no event.
fn run<A: Aggregate>(
    aggregate: &mut A,
    command: A::Command,
    services: &A::Services,
) -> Vec<A::Event> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(async {
        let sink = EventSink::default();
        match aggregate.handle(command, services, &sink).await {
            Ok(()) => sink.collect().await,
            Err(_) => {
                assert!(sink.collect().await.is_empty(), "a refusal recorded events");
                Vec::new()
            }
        }
    })
}

/// Mostly the actor the command calls for (`None`), sometimes any actor of the world.
fn actor_choice(actors: usize) -> impl Strategy<Value = Option<usize>> + Clone {
    prop_oneof![4 => Just(None), 1 => (0..actors).prop_map(Some)]
}

/// The actor chosen: `proper` unless `choice` names another.
fn pick(actors: &[Actor], choice: Option<usize>, proper: usize) -> Actor {
    actors[choice.unwrap_or(proper)]
}

// ---- Entries ------------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum EntryOp {
    Advance {
        minutes: i64,
    },
    File {
        section: usize,
        kind: usize,
        author: usize,
        actor: Option<usize>,
    },
    Answer {
        actor: Option<usize>,
    },
    Consult {
        actor: Option<usize>,
    },
    Propose {
        kind: usize,
        actor: Option<usize>,
    },
    Send {
        proposal: u32,
        actor: Option<usize>,
    },
    Invite {
        in_hours: i64,
        actor: Option<usize>,
    },
    Minutes {
        meeting: u32,
        actor: Option<usize>,
    },
}

fn entry_op() -> impl Strategy<Value = EntryOp> {
    let actor = actor_choice(8);
    prop_oneof![
        1 => (1..=7 * 24 * 60i64).prop_map(|minutes| EntryOp::Advance { minutes }),
        2 => (0..8usize, 0..3usize, 0..4usize, actor.clone()).prop_map(|(section, kind, author, actor)| {
            EntryOp::File { section, kind, author, actor }
        }),
        1 => actor.clone().prop_map(|actor| EntryOp::Answer { actor }),
        1 => actor.clone().prop_map(|actor| EntryOp::Consult { actor }),
        1 => (0..3usize, actor.clone()).prop_map(|(kind, actor)| EntryOp::Propose { kind, actor }),
        1 => (0..4u32, actor.clone()).prop_map(|(proposal, actor)| EntryOp::Send { proposal, actor }),
        1 => (-24..96i64, actor.clone()).prop_map(|(in_hours, actor)| EntryOp::Invite { in_hours, actor }),
        1 => (0..4u32, actor).prop_map(|(meeting, actor)| EntryOp::Minutes { meeting, actor }),
    ]
}

struct EntryWorld {
    fixture: Fixture,
    services: OpinionsServices,
    actors: Vec<Actor>,
}

impl EntryWorld {
    fn new() -> Self {
        let fixture = Fixture::new();
        let actors = vec![
            fixture.resident,
            fixture.representative,
            fixture.agent(Role::RegisterBureauAgent),
            fixture.agent(Role::RegisterBureauHead),
            fixture.agent(Role::Signatory),
            fixture.agent(Role::CommitteeMember),
            fixture.foreign_agent(Role::CommitteeMember),
            fixture.agent(Role::CouncilSecretary),
        ];
        Self {
            services: fixture.services(),
            fixture,
            actors,
        }
    }

    fn command(&self, op: &EntryOp) -> Option<EntryCommand> {
        let fixture = &self.fixture;
        let now = fixture.now();
        Some(match *op {
            EntryOp::Advance { minutes } => {
                fixture.clock.advance(Duration::minutes(minutes));
                return None;
            }
            EntryOp::File {
                section,
                kind,
                author,
                actor,
            } => {
                let sections = [
                    Section::ServicesAndFacilities,
                    Section::ProgrammesAndProjects,
                    Section::Governance,
                    Section::DraftByLaw {
                        draft: fixture.draft,
                    },
                    Section::DraftByLaw {
                        draft: fixture.unscheduled_draft,
                    },
                    Section::Proposals,
                    Section::LocalFinances {
                        topic: FinanceTopic::Revenue,
                    },
                    Section::LocalFinances {
                        topic: FinanceTopic::LocalFees,
                    },
                ];
                let kinds = [EntryKind::Opinion, EntryKind::Question, EntryKind::Proposal];
                let organisations = [
                    fixture.active_organisation,
                    fixture.suspended_organisation,
                    fixture.struck_off_organisation,
                ];
                let (author, proper) = match organisations.get(author) {
                    Some(&organisation) => (
                        AuthorDeclaration::Organisation {
                            organisation,
                            representative: fixture.representative_subject,
                            contact: contact(),
                        },
                        1,
                    ),
                    None => (
                        fixture
                            .resident_filing(Section::Governance, EntryKind::Opinion)
                            .author,
                        0,
                    ),
                };
                Filing {
                    local_authority: fixture.local_authority,
                    number: EntryNumber::new(1).unwrap(),
                    section: sections[section],
                    kind: kinds[kind],
                    author,
                    text: ENTRY_TEXT.to_owned(),
                    actor: pick(&self.actors, actor, proper),
                }
                .command()
            }
            EntryOp::Answer { actor } => EntryCommand::AnswerEntry {
                text: "Réponse de la commune.".to_owned(),
                actor: pick(&self.actors, actor, 2),
            },
            EntryOp::Consult { actor } => EntryCommand::NoteCommitteeConsultation {
                actor: pick(&self.actors, actor, 5),
            },
            EntryOp::Propose { kind, actor } => EntryCommand::ProposeToPresident {
                proposal: [
                    ProposalKind::Answer,
                    ProposalKind::Clarification,
                    ProposalKind::RequestForExplanations,
                ][kind],
                note: "Note de la commission.".to_owned(),
                actor: pick(&self.actors, actor, 5),
            },
            EntryOp::Send { proposal, actor } => EntryCommand::SendCorrespondence {
                proposal,
                body: "Lettre au résident.".to_owned(),
                actor: pick(&self.actors, actor, 4),
            },
            EntryOp::Invite { in_hours, actor } => EntryCommand::InviteToFollowUpMeeting {
                meeting_at: now + Duration::hours(in_hours),
                actor: pick(&self.actors, actor, 5),
            },
            EntryOp::Minutes { meeting, actor } => EntryCommand::RecordFollowUpMinutes {
                meeting,
                minutes: "Procès-verbal de la réunion.".to_owned(),
                actor: pick(&self.actors, actor, 5),
            },
        })
    }

    fn acts_for(&self, by: kernel::ActorId, roles: &[Role]) -> bool {
        self.actors
            .iter()
            .any(|actor| actor.id == by && actor.acts_for(self.fixture.local_authority, roles))
    }
}

/// Every rule of an entry's lifecycle, checked on its whole log and its state.
fn check_entry(world: &EntryWorld, log: &[EntryEvent], entry: &OpinionEntry) {
    let calendar = HolidayCalendar::tunisia().unwrap();
    let Some((
        EntryEvent::EntryFiled {
            section,
            kind,
            author,
            addresses,
            deliberation_on,
            by,
            filed_at,
            ..
        },
        rest,
    )) = log.split_first()
    else {
        assert!(
            log.is_empty(),
            "an entry's log starts with its filing: {log:?}"
        );
        assert_eq!(entry.status(), EntryStatus::NotFiled);
        return;
    };
    assert!(section.accepts(*kind));
    if let Section::DraftByLaw { .. } = section {
        assert!(deliberation_on.is_none_or(|day| calendar.local_date(*filed_at) < day));
    }
    let filer = world.actors.iter().find(|actor| actor.id == *by).unwrap();
    assert_eq!(filer.kind, ActorKind::Citizen);
    if let opinions::Author::Organisation { organisation, .. } = author {
        assert_eq!(*organisation, world.fixture.active_organisation);
        assert_eq!(*by, world.fixture.representative.id);
    }
    let (mut answers, mut proposals, mut meetings) = (0, Vec::new(), Vec::new());
    let mut sent = HashSet::new();
    let mut minuted = HashSet::new();
    let mut last = *filed_at;
    for event in rest {
        let at = match event {
            EntryEvent::EntryFiled { .. } => panic!("filed twice: {log:?}"),
            EntryEvent::EntryAnswered {
                answer,
                by,
                role,
                answered_at,
                ..
            } => {
                answers += 1;
                assert_eq!(*answer, answers);
                assert!(ANSWERING_ROLES.contains(role) && world.acts_for(*by, ANSWERING_ROLES));
                *answered_at
            }
            EntryEvent::CommitteeConsulted { by, at } => {
                assert!(world.acts_for(*by, COMMITTEE_ROLES));
                *at
            }
            EntryEvent::ProposedToPresident {
                proposal,
                kind,
                by,
                at,
                ..
            } => {
                proposals.push(*kind);
                assert_eq!(*proposal as usize, proposals.len());
                assert!(world.acts_for(*by, COMMITTEE_ROLES));
                *at
            }
            EntryEvent::CorrespondenceSent {
                proposal,
                purpose,
                channels,
                by,
                sent_at,
                ..
            } => {
                assert_eq!(proposals.get(*proposal as usize - 1), Some(purpose));
                assert!(
                    sent.insert(*proposal),
                    "two letters for proposal {proposal}"
                );
                assert!(!channels.is_empty() && channels == addresses);
                assert!(world.acts_for(*by, ANSWERING_ROLES));
                *sent_at
            }
            EntryEvent::FollowUpMeetingInvited {
                meeting,
                meeting_at,
                channels,
                by,
                invited_at,
                ..
            } => {
                meetings.push(*meeting_at);
                assert_eq!(*meeting as usize, meetings.len());
                assert!(meeting_at > invited_at && !channels.is_empty());
                assert!(world.acts_for(*by, COMMITTEE_ROLES));
                *invited_at
            }
            EntryEvent::FollowUpMinutesRecorded {
                meeting,
                by,
                recorded_at,
                ..
            } => {
                let meeting_at = meetings[*meeting as usize - 1];
                assert!(*recorded_at >= meeting_at, "minutes before the meeting");
                assert!(minuted.insert(*meeting), "minutes recorded twice");
                assert!(world.acts_for(*by, COMMITTEE_ROLES));
                *recorded_at
            }
        };
        assert!(at >= last, "events out of time order");
        last = at;
    }
    let expected = if answers == 0 {
        EntryStatus::AwaitingAnswer
    } else {
        EntryStatus::Answered
    };
    assert_eq!(entry.status(), expected);
    assert_eq!(entry.answer_count(), answers);
    assert_eq!(entry.local_authority(), Some(world.fixture.local_authority));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn no_sequence_of_commands_breaks_an_entrys_lifecycle(ops in prop::collection::vec(entry_op(), 1..40)) {
        let world = EntryWorld::new();
        let mut entry = OpinionEntry::default();
        let mut log = Vec::new();
        for op in &ops {
            if let Some(command) = world.command(op) {
                log.extend(run(&mut entry, command, &world.services));
                check_entry(&world, &log, &entry);
            }
        }
    }
}

// ---- Council reporting ----------------------------------------------------------------

#[derive(Clone, Debug)]
enum ReportingOp {
    Advance {
        hours: i64,
    },
    Schedule {
        session: Option<usize>,
        in_days: i64,
        actor: Option<usize>,
    },
    Reschedule {
        session: Option<usize>,
        in_days: i64,
        actor: Option<usize>,
    },
    File {
        session: Option<usize>,
        attests: bool,
        leaks: bool,
        actor: Option<usize>,
    },
    /// The meeting, `days_after` the session's date as the calendar has it.
    Meet {
        session: Option<usize>,
        days_after: i64,
        actor: Option<usize>,
    },
    Post {
        session: Option<usize>,
        actor: Option<usize>,
    },
    TakeDown {
        session: Option<usize>,
        actor: Option<usize>,
    },
}

const SESSIONS: usize = 6;

fn reporting_op() -> impl Strategy<Value = ReportingOp> {
    let (session, actor) = (actor_choice(SESSIONS), actor_choice(4));
    // Mostly valid values, sometimes not: a test of refusals as much as of acceptances.
    let flag = || prop_oneof![4 => Just(true), 1 => Just(false)];
    prop_oneof![
        4 => (1..=8 * 24i64).prop_map(|hours| ReportingOp::Advance { hours }),
        2 => (session.clone(), prop_oneof![3 => 2..30i64, 1 => -2..400i64], actor.clone())
            .prop_map(|(session, in_days, actor)| ReportingOp::Schedule { session, in_days, actor }),
        1 => (session.clone(), -2..30i64, actor.clone())
            .prop_map(|(session, in_days, actor)| ReportingOp::Reschedule { session, in_days, actor }),
        3 => (session.clone(), flag(), flag(), actor.clone())
            .prop_map(|(session, attests, clean, actor)| ReportingOp::File { session, attests, leaks: !clean, actor }),
        3 => (session.clone(), -1..4i64, actor.clone())
            .prop_map(|(session, days_after, actor)| ReportingOp::Meet { session, days_after, actor }),
        3 => (session.clone(), actor.clone()).prop_map(|(session, actor)| ReportingOp::Post { session, actor }),
        2 => (session, actor).prop_map(|(session, actor)| ReportingOp::TakeDown { session, actor }),
    ]
}

struct ReportingWorld {
    fixture: Fixture,
    services: OpinionsServices,
    actors: Vec<Actor>,
    sessions: Vec<CouncilSessionId>,
    calendar: HolidayCalendar,
}

impl ReportingWorld {
    fn new() -> Self {
        let fixture = Fixture::new();
        let actors = vec![
            fixture.agent(Role::CouncilSecretary),
            fixture.agent(Role::CommitteeMember),
            fixture.foreign_agent(Role::CouncilSecretary),
            fixture.agent(Role::RegisterBureauHead),
        ];
        Self {
            services: fixture.services(),
            fixture,
            actors,
            sessions: (0..SESSIONS).map(|_| CouncilSessionId::new_v7()).collect(),
            calendar: HolidayCalendar::tunisia().unwrap(),
        }
    }

    fn day(&self, offset: i64) -> NaiveDate {
        self.calendar.local_date(self.fixture.now()) + Duration::days(offset)
    }

    /// The session `choice` names, or else the first known session that is `wanted`, or else
    /// the first session not on the calendar yet.
    fn target(
        &self,
        state: &CouncilReporting,
        choice: Option<usize>,
        wanted: impl Fn(&SessionView) -> bool,
    ) -> CouncilSessionId {
        if let Some(index) = choice {
            return self.sessions[index];
        }
        let known: Vec<SessionView> = state.sessions().collect();
        known
            .iter()
            .find(|view| wanted(view))
            .map(|view| view.id)
            .or_else(|| {
                self.sessions
                    .iter()
                    .copied()
                    .find(|id| known.iter().all(|view| view.id != *id))
            })
            .unwrap_or(self.sessions[0])
    }

    fn command(&self, op: &ReportingOp, state: &CouncilReporting) -> Option<ReportingCommand> {
        Some(match *op {
            ReportingOp::Advance { hours } => {
                self.fixture.clock.advance(Duration::hours(hours));
                return None;
            }
            ReportingOp::Schedule {
                session,
                in_days,
                actor,
            } => ReportingCommand::ScheduleOrdinarySession {
                local_authority: self.fixture.local_authority,
                session: self.target(state, session, |_| false),
                date: self.day(in_days),
                actor: pick(&self.actors, actor, 0),
            },
            ReportingOp::Reschedule {
                session,
                in_days,
                actor,
            } => ReportingCommand::RescheduleOrdinarySession {
                session: self.target(state, session, |view| {
                    view.status == SessionStatus::Scheduled
                }),
                date: self.day(in_days),
                actor: pick(&self.actors, actor, 0),
            },
            ReportingOp::File {
                session,
                attests,
                leaks,
                actor,
            } => ReportingCommand::FileCommitteeReport {
                session: self.target(state, session, |view| {
                    view.status == SessionStatus::Scheduled && !view.report_filed
                }),
                report: "Rapport sur le fonctionnement du bureau.".to_owned(),
                public_summary: if leaks {
                    "Écrire à x@y.tn"
                } else {
                    "Résumé public."
                }
                .to_owned(),
                attests_no_personal_data: attests,
                actor: pick(&self.actors, actor, 1),
            },
            ReportingOp::Meet {
                session,
                days_after,
                actor,
            } => {
                let id = self.target(state, session, |view| {
                    view.status == SessionStatus::Scheduled && view.date <= self.day(0)
                });
                let scheduled = state
                    .sessions()
                    .find(|view| view.id == id)
                    .map_or_else(|| self.day(0), |view| view.date);
                ReportingCommand::RecordCouncilMeeting {
                    session: id,
                    held_on: scheduled + Duration::days(days_after),
                    actor: pick(&self.actors, actor, 0),
                }
            }
            ReportingOp::Post { session, actor } => ReportingCommand::PostSummary {
                session: self.target(state, session, |view| view.status == SessionStatus::Held),
                actor: pick(&self.actors, actor, 0),
            },
            ReportingOp::TakeDown { session, actor } => ReportingCommand::TakeDownSummary {
                session: self.target(state, session, |view| {
                    view.status == SessionStatus::SummaryPosted
                }),
                actor: pick(&self.actors, actor, 0),
            },
        })
    }
}

/// What the log says of one session.
#[derive(Debug)]
struct SessionModel {
    date: NaiveDate,
    report_due_at: DateTime<Utc>,
    report_filed: bool,
    status: SessionStatus,
    posting_due_at: Option<DateTime<Utc>>,
    display_until: Option<DateTime<Utc>>,
}

/// Every rule of the reporting lifecycle, checked on the whole log and the state.
fn check_reporting(world: &ReportingWorld, log: &[ReportingEvent], reporting: &CouncilReporting) {
    let calendar = &world.calendar;
    let secretary = world.actors[0].id;
    let member = world.actors[1].id;
    let mut sessions: HashMap<CouncilSessionId, SessionModel> = HashMap::new();
    let mut order = Vec::new();
    for event in log {
        match event {
            ReportingEvent::OrdinarySessionScheduled {
                local_authority,
                session,
                date,
                report_due,
                by,
                at,
            } => {
                assert_eq!(*local_authority, world.fixture.local_authority);
                assert_eq!(*by, secretary);
                let due_at = report_due.due_at().unwrap();
                assert!(due_at <= calendar.start_of_day(*date).unwrap() && due_at > *at);
                let fresh = SessionModel {
                    date: *date,
                    report_due_at: due_at,
                    report_filed: false,
                    status: SessionStatus::Scheduled,
                    posting_due_at: None,
                    display_until: None,
                };
                assert!(
                    sessions.insert(*session, fresh).is_none(),
                    "scheduled twice"
                );
                order.push(*session);
            }
            ReportingEvent::OrdinarySessionRescheduled {
                session,
                from,
                to,
                report_due,
                by,
                at,
            } => {
                let known = sessions.get_mut(session).unwrap();
                assert_eq!(
                    (known.status, known.date, *by),
                    (SessionStatus::Scheduled, *from, secretary)
                );
                let due_at = report_due.due_at().unwrap();
                assert!(due_at <= calendar.start_of_day(*to).unwrap() && due_at > *at);
                known.date = *to;
                known.report_due_at = due_at;
            }
            ReportingEvent::CommitteeReportFiled {
                session,
                report,
                public_summary,
                by,
                filed_at,
            } => {
                let known = sessions.get_mut(session).unwrap();
                assert_eq!(known.status, SessionStatus::Scheduled);
                assert!(!known.report_filed && *filed_at < known.report_due_at);
                assert_eq!(*by, member);
                assert!(find_personal_data(report.as_str()).is_none());
                assert!(find_personal_data(public_summary.as_str()).is_none());
                known.report_filed = true;
            }
            ReportingEvent::CouncilMeetingHeld {
                session,
                held_on,
                posting_due,
                by,
                recorded_at,
            } => {
                let known = sessions.get_mut(session).unwrap();
                assert_eq!((known.status, *by), (SessionStatus::Scheduled, secretary));
                assert!(*held_on >= known.date && *held_on <= calendar.local_date(*recorded_at));
                assert_eq!(posting_due.is_some(), known.report_filed);
                known.status = SessionStatus::Held;
                known.posting_due_at = posting_due.as_ref().and_then(|due| due.due_at());
            }
            ReportingEvent::SummaryPosted {
                session,
                late,
                display,
                by,
                posted_at,
            } => {
                let known = sessions.get_mut(session).unwrap();
                assert_eq!((known.status, *by), (SessionStatus::Held, secretary));
                let posting_due_at = known.posting_due_at.unwrap();
                assert_eq!(*late, *posted_at >= posting_due_at);
                let until = display.due_at().unwrap();
                assert!(until >= *posted_at + Duration::days(15));
                known.status = SessionStatus::SummaryPosted;
                known.display_until = Some(until);
            }
            ReportingEvent::SummaryTakenDown { session, by, at } => {
                let known = sessions.get_mut(session).unwrap();
                assert_eq!(
                    (known.status, *by),
                    (SessionStatus::SummaryPosted, secretary)
                );
                assert!(*at >= known.display_until.unwrap(), "taken down too early");
                known.status = SessionStatus::SummaryTakenDown;
            }
        }
        let mut per_year: HashMap<i32, u32> = HashMap::new();
        for known in sessions.values() {
            *per_year.entry(known.date.year()).or_default() += 1;
        }
        let max = world.fixture.config.ordinary_sessions_per_year;
        assert!(per_year.values().all(|&count| count <= max), "{per_year:?}");
    }
    let state: Vec<_> = reporting.sessions().collect();
    assert_eq!(state.len(), order.len());
    for (view, id) in state.iter().zip(&order) {
        let known = &sessions[id];
        assert_eq!(
            (view.id, view.date, view.status, view.report_filed),
            (*id, known.date, known.status, known.report_filed)
        );
    }
    let expected = (!order.is_empty()).then_some(world.fixture.local_authority);
    assert_eq!(reporting.local_authority(), expected);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn no_sequence_of_commands_breaks_the_reporting_lifecycle(ops in prop::collection::vec(reporting_op(), 1..100)) {
        let world = ReportingWorld::new();
        let mut reporting = CouncilReporting::default();
        let mut log = Vec::new();
        for op in &ops {
            if let Some(command) = world.command(op, &reporting) {
                log.extend(run(&mut reporting, command, &world.services));
                check_reporting(&world, &log, &reporting);
            }
        }
    }
}
