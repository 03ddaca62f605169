//! The council's session calendar, the committee's report before each ordinary session, and
//! the posting of its public summary within 5 days of the meeting for at least 15 days
//! (decree 2019-401 art. 14-15), with real 2026 dates of the Tunisian calendar.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use common::{Fixture, date, midnight, text, tunis};
use cqrs_es::test::TestFramework;
use kernel::calendar::{
    CalendarError, ComputedDeadline, Deadline, DeadlineRule, DeadlineUnit, DueStatus,
    HolidayCalendar, MAX_BUDGET_DAYS, RollPolicy,
};
use kernel::{Actor, Role, TextError};
use opinions::{
    CouncilReporting, CouncilSessionId, PersonalDataFinding, PersonalDataKind, REPORTING_ROLES,
    ReportField, ReportingCommand, ReportingError, ReportingEvent, SECRETARY_ROLES, SessionStatus,
};

const REPORT: &str = "Le bureau a enregistré 42 avis et 7 questions ; 30 ont reçu une réponse.";
const SUMMARY: &str = "42 avis, 7 questions, 30 réponses au premier trimestre 2026.";

fn reporting(fixture: &Fixture) -> TestFramework<CouncilReporting> {
    TestFramework::with(fixture.services())
}

fn computed(rule: DeadlineRule, start: DateTime<Utc>) -> ComputedDeadline {
    Deadline::new(rule, start)
        .compute(&HolidayCalendar::tunisia().unwrap())
        .unwrap()
}

fn due_date(deadline: &ComputedDeadline) -> NaiveDate {
    match deadline.due {
        DueStatus::Due { due_date, .. } => due_date,
        DueStatus::Suspended { .. } => panic!("suspended deadline"),
    }
}

/// The report deadline of a session on `session_date` scheduled at `at`: calendar days to
/// the eve of the session.
fn report_due(session_date: NaiveDate, at: DateTime<Utc>) -> ComputedDeadline {
    let today = HolidayCalendar::tunisia().unwrap().local_date(at);
    let rule = DeadlineRule {
        amount: u32::try_from((session_date - today).num_days() - 1).unwrap(),
        unit: DeadlineUnit::CalendarDays,
        roll: RollPolicy::None,
        source: format!(
            "decree 2019-401 art. 14: committee report before the ordinary session of {session_date}"
        ),
    };
    computed(rule, at)
}

/// Everything a test of the reporting needs.
struct Scene {
    fixture: Fixture,
    secretary: Actor,
    member: Actor,
    session: CouncilSessionId,
}

impl Scene {
    fn new() -> Self {
        let fixture = Fixture::new();
        Self {
            secretary: fixture.agent(Role::CouncilSecretary),
            member: fixture.agent(Role::CommitteeMember),
            session: CouncilSessionId::new_v7(),
            fixture,
        }
    }

    fn schedule(&self, session: CouncilSessionId, on: NaiveDate) -> ReportingCommand {
        ReportingCommand::ScheduleOrdinarySession {
            local_authority: self.fixture.local_authority,
            session,
            date: on,
            actor: self.secretary,
        }
    }

    /// The session `session` scheduled on `on`, on 2 March 2026 at 09:00.
    fn scheduled(&self, session: CouncilSessionId, on: NaiveDate) -> ReportingEvent {
        let at = tunis(2026, 3, 2, 9, 0);
        ReportingEvent::OrdinarySessionScheduled {
            local_authority: self.fixture.local_authority,
            session,
            date: on,
            report_due: report_due(on, at),
            by: self.secretary.id,
            at,
        }
    }

    fn file_report(&self, report: &str, summary: &str, attests: bool) -> ReportingCommand {
        ReportingCommand::FileCommitteeReport {
            session: self.session,
            report: report.to_owned(),
            public_summary: summary.to_owned(),
            attests_no_personal_data: attests,
            actor: self.member,
        }
    }

    fn report_filed(&self) -> ReportingEvent {
        ReportingEvent::CommitteeReportFiled {
            session: self.session,
            report: text(REPORT),
            public_summary: text(SUMMARY),
            by: self.member.id,
            filed_at: tunis(2026, 3, 10, 16, 0),
        }
    }

    fn held(&self, on: NaiveDate, posting_due: Option<ComputedDeadline>) -> ReportingEvent {
        ReportingEvent::CouncilMeetingHeld {
            session: self.session,
            held_on: on,
            posting_due,
            by: self.secretary.id,
            recorded_at: tunis(2026, 3, 13, 10, 0),
        }
    }

    /// The posting deadline of a meeting held on `on`: 5 calendar days, rolled.
    fn posting_due(&self, on: NaiveDate) -> ComputedDeadline {
        computed(self.fixture.config.posting.clone(), midnight(on))
    }

    fn posted(&self, at: DateTime<Utc>, late: bool) -> ReportingEvent {
        ReportingEvent::SummaryPosted {
            session: self.session,
            late,
            display: computed(self.fixture.config.display.clone(), at),
            by: self.secretary.id,
            posted_at: at,
        }
    }

    /// The usual session of Thursday 12 March 2026: scheduled, reported, held that day.
    fn held_with_report(&self) -> Vec<ReportingEvent> {
        vec![
            self.scheduled(self.session, date(2026, 3, 12)),
            self.report_filed(),
            self.held(date(2026, 3, 12), Some(self.posting_due(date(2026, 3, 12)))),
        ]
    }

    /// [`Scene::held_with_report`], then posted on Tuesday 17 March 2026 at 10:00.
    fn posted_on_time(&self) -> Vec<ReportingEvent> {
        let mut events = self.held_with_report();
        events.push(self.posted(tunis(2026, 3, 17, 10, 0), false));
        events
    }

    fn command(
        &self,
        make: impl Fn(CouncilSessionId, Actor) -> ReportingCommand,
    ) -> ReportingCommand {
        make(self.session, self.secretary)
    }
}

fn post(session: CouncilSessionId, actor: Actor) -> ReportingCommand {
    ReportingCommand::PostSummary { session, actor }
}

fn take_down(session: CouncilSessionId, actor: Actor) -> ReportingCommand {
    ReportingCommand::TakeDownSummary { session, actor }
}

// ---- The session calendar ------------------------------------------------------------

// decree 2019-401 art. 14: one report per ordinary session, due before it; the calendar is
// data (domain notes). Scheduled on Monday 2 March for Thursday 12 March 2026, the report is
// due by the end of Wednesday 11 March.
#[tokio::test]
async fn an_ordinary_session_is_scheduled_with_its_report_deadline() {
    let scene = Scene::new();
    let events = reporting(&scene.fixture)
        .given_no_previous_events()
        .when_async(scene.schedule(scene.session, date(2026, 3, 12)))
        .await
        .inspect_result()
        .unwrap();
    assert_eq!(
        events,
        vec![scene.scheduled(scene.session, date(2026, 3, 12))]
    );
    let ReportingEvent::OrdinarySessionScheduled { report_due, .. } = &events[0] else {
        panic!("{events:?}");
    };
    assert_eq!(due_date(report_due), date(2026, 3, 11));
    assert_eq!(report_due.due_at(), Some(midnight(date(2026, 3, 12))));
    assert_eq!(report_due.calendar_version, "TN-2026.1");
    assert!(
        report_due
            .explanation
            .to_string()
            .contains("Échéance : fin du mercredi 11/03/2026"),
        "{}",
        report_due.explanation
    );
}

#[tokio::test]
async fn the_calendar_is_kept_by_the_council_secretary_of_the_local_authority() {
    let scene = Scene::new();
    for actor in [
        scene.member,
        scene.fixture.agent(Role::RegisterBureauHead),
        scene.fixture.foreign_agent(Role::CouncilSecretary),
    ] {
        reporting(&scene.fixture)
            .given_no_previous_events()
            .when_async(ReportingCommand::ScheduleOrdinarySession {
                local_authority: scene.fixture.local_authority,
                session: scene.session,
                date: date(2026, 3, 12),
                actor,
            })
            .await
            .then_expect_error(ReportingError::ActorNotAllowed {
                allowed: SECRETARY_ROLES,
            });
    }
}

// decree 2019-401 art. 14: the council of a local authority.
#[tokio::test]
async fn only_a_local_authority_has_a_council_calendar() {
    let scene = Scene::new();
    let ministry = scene.fixture.ministry;
    reporting(&scene.fixture)
        .given_no_previous_events()
        .when_async(ReportingCommand::ScheduleOrdinarySession {
            local_authority: ministry,
            session: scene.session,
            date: date(2026, 3, 12),
            actor: Actor::agent(scene.secretary.id, Role::CouncilSecretary, ministry),
        })
        .await
        .then_expect_error(ReportingError::NotALocalAuthority(ministry));
}

#[tokio::test]
async fn a_calendar_holds_one_local_authoritys_sessions() {
    let scene = Scene::new();
    let other = scene.fixture.ministry;
    reporting(&scene.fixture)
        .given(vec![scene.scheduled(scene.session, date(2026, 3, 12))])
        .when_async(ReportingCommand::ScheduleOrdinarySession {
            local_authority: other,
            session: CouncilSessionId::new_v7(),
            date: date(2026, 6, 11),
            actor: Actor::agent(scene.secretary.id, Role::CouncilSecretary, other),
        })
        .await
        .then_expect_error(ReportingError::LocalAuthorityMismatch {
            calendar_of: scene.fixture.local_authority,
        });
}

// decree 2019-401 art. 14: the committee needs a full day before the session to file.
#[tokio::test]
async fn a_session_leaving_no_day_to_report_is_refused() {
    let scene = Scene::new();
    for on in [date(2026, 3, 3), date(2026, 3, 2), date(2026, 2, 20)] {
        reporting(&scene.fixture)
            .given_no_previous_events()
            .when_async(scene.schedule(scene.session, on))
            .await
            .then_expect_error(ReportingError::SessionTooSoon {
                date: on,
                earliest: date(2026, 3, 4),
            });
    }
}

#[tokio::test]
async fn a_session_is_scheduled_once() {
    let scene = Scene::new();
    reporting(&scene.fixture)
        .given(vec![scene.scheduled(scene.session, date(2026, 3, 12))])
        .when_async(scene.schedule(scene.session, date(2026, 6, 11)))
        .await
        .then_expect_error(ReportingError::SessionAlreadyScheduled {
            session: scene.session,
        });
}

// domain notes, section 3 (assumption): ordinary sessions are quarterly, four a year.
#[tokio::test]
async fn a_year_has_its_configured_number_of_ordinary_sessions() {
    let scene = Scene::new();
    let year: Vec<ReportingEvent> = [
        date(2026, 3, 12),
        date(2026, 6, 11),
        date(2026, 9, 10),
        date(2026, 12, 10),
    ]
    .into_iter()
    .map(|on| scene.scheduled(CouncilSessionId::new_v7(), on))
    .collect();
    reporting(&scene.fixture)
        .given(year.clone())
        .when_async(scene.schedule(scene.session, date(2026, 11, 5)))
        .await
        .then_expect_error(ReportingError::OrdinarySessionsFull { year: 2026, max: 4 });
    let next_year = date(2027, 2, 11);
    let at = scene.fixture.now();
    reporting(&scene.fixture)
        .given(year)
        .when_async(scene.schedule(scene.session, next_year))
        .await
        .then_expect_events(vec![ReportingEvent::OrdinarySessionScheduled {
            local_authority: scene.fixture.local_authority,
            session: scene.session,
            date: next_year,
            report_due: report_due(next_year, at),
            by: scene.secretary.id,
            at,
        }]);
}

// A date the legal calendar cannot count to (over ten years ahead) is refused, not guessed.
#[tokio::test]
async fn a_session_beyond_the_calendars_range_is_refused() {
    let scene = Scene::new();
    let far = date(2036, 6, 5);
    reporting(&scene.fixture)
        .given_no_previous_events()
        .when_async(scene.schedule(scene.session, far))
        .await
        .then_expect_error(ReportingError::Calendar(CalendarError::OutOfRange {
            unit: DeadlineUnit::CalendarDays,
            requested: u64::try_from((far - date(2026, 3, 2)).num_days() - 1).unwrap(),
            max: MAX_BUDGET_DAYS,
        }));
}

// A session postponed (lack of quorum) moves; its report deadline follows it.
#[tokio::test]
async fn a_session_not_yet_held_is_rescheduled_and_its_deadline_follows() {
    let scene = Scene::new();
    scene.fixture.clock.set(tunis(2026, 3, 5, 11, 0));
    let events = reporting(&scene.fixture)
        .given(vec![scene.scheduled(scene.session, date(2026, 3, 12))])
        .when_async(ReportingCommand::RescheduleOrdinarySession {
            session: scene.session,
            date: date(2026, 3, 19),
            actor: scene.secretary,
        })
        .await
        .inspect_result()
        .unwrap();
    let expected_due = report_due(date(2026, 3, 19), tunis(2026, 3, 5, 11, 0));
    assert_eq!(due_date(&expected_due), date(2026, 3, 18));
    assert_eq!(
        events,
        vec![ReportingEvent::OrdinarySessionRescheduled {
            session: scene.session,
            from: date(2026, 3, 12),
            to: date(2026, 3, 19),
            report_due: expected_due,
            by: scene.secretary.id,
            at: tunis(2026, 3, 5, 11, 0),
        }]
    );
}

#[tokio::test]
async fn rescheduling_follows_the_calendar_rules() {
    let scene = Scene::new();
    let given = vec![scene.scheduled(scene.session, date(2026, 3, 12))];
    let reschedule = |on, actor| ReportingCommand::RescheduleOrdinarySession {
        session: scene.session,
        date: on,
        actor,
    };
    reporting(&scene.fixture)
        .given(given.clone())
        .when_async(reschedule(date(2026, 3, 3), scene.secretary))
        .await
        .then_expect_error(ReportingError::SessionTooSoon {
            date: date(2026, 3, 3),
            earliest: date(2026, 3, 4),
        });
    reporting(&scene.fixture)
        .given(given.clone())
        .when_async(reschedule(date(2026, 3, 19), scene.member))
        .await
        .then_expect_error(ReportingError::ActorNotAllowed {
            allowed: SECRETARY_ROLES,
        });
    let mut full = given;
    full.extend(
        [
            date(2027, 3, 11),
            date(2027, 6, 10),
            date(2027, 9, 9),
            date(2027, 12, 9),
        ]
        .map(|on| scene.scheduled(CouncilSessionId::new_v7(), on)),
    );
    reporting(&scene.fixture)
        .given(full)
        .when_async(reschedule(date(2027, 1, 14), scene.secretary))
        .await
        .then_expect_error(ReportingError::OrdinarySessionsFull { year: 2027, max: 4 });
}

#[tokio::test]
async fn commands_name_a_session_of_the_calendar() {
    let scene = Scene::new();
    let unknown = CouncilSessionId::new_v7();
    let commands = |session| {
        [
            ReportingCommand::RescheduleOrdinarySession {
                session,
                date: date(2026, 3, 19),
                actor: scene.secretary,
            },
            ReportingCommand::FileCommitteeReport {
                session,
                report: REPORT.to_owned(),
                public_summary: SUMMARY.to_owned(),
                attests_no_personal_data: true,
                actor: scene.member,
            },
            ReportingCommand::RecordCouncilMeeting {
                session,
                held_on: date(2026, 3, 2),
                actor: scene.secretary,
            },
            post(session, scene.secretary),
            take_down(session, scene.secretary),
        ]
    };
    for command in commands(unknown) {
        reporting(&scene.fixture)
            .given_no_previous_events()
            .when_async(command)
            .await
            .then_expect_error(ReportingError::UnknownSession { session: unknown });
    }
    for command in commands(unknown) {
        reporting(&scene.fixture)
            .given(vec![scene.scheduled(scene.session, date(2026, 3, 12))])
            .when_async(command)
            .await
            .then_expect_error(ReportingError::UnknownSession { session: unknown });
    }
}

// A session that was held stays where and when it was: no new date, no report, no second
// meeting.
#[tokio::test]
async fn a_held_session_no_longer_changes() {
    let scene = Scene::new();
    scene.fixture.clock.set(tunis(2026, 3, 13, 9, 0));
    let commands = [
        ReportingCommand::RescheduleOrdinarySession {
            session: scene.session,
            date: date(2026, 3, 26),
            actor: scene.secretary,
        },
        scene.file_report(REPORT, SUMMARY, true),
        ReportingCommand::RecordCouncilMeeting {
            session: scene.session,
            held_on: date(2026, 3, 13),
            actor: scene.secretary,
        },
    ];
    for command in commands {
        reporting(&scene.fixture)
            .given(scene.held_with_report())
            .when_async(command)
            .await
            .then_expect_error(ReportingError::SessionAlreadyHeld {
                session: scene.session,
                status: SessionStatus::Held,
            });
    }
}

// ---- The committee's report --------------------------------------------------------

// decree 2019-401 art. 14: the committee files its periodic report for the session, with the
// summary to post (art. 15), attested free of personal data; last minute of the eve.
#[tokio::test]
async fn the_committee_files_its_report_before_the_session() {
    let scene = Scene::new();
    scene.fixture.clock.set(tunis(2026, 3, 11, 23, 59));
    reporting(&scene.fixture)
        .given(vec![scene.scheduled(scene.session, date(2026, 3, 12))])
        .when_async(scene.file_report(REPORT, SUMMARY, true))
        .await
        .then_expect_events(vec![ReportingEvent::CommitteeReportFiled {
            session: scene.session,
            report: text(REPORT),
            public_summary: text(SUMMARY),
            by: scene.member.id,
            filed_at: tunis(2026, 3, 11, 23, 59),
        }]);
}

// decree 2019-401 art. 14: a report after the deadline can no longer reach the session.
#[tokio::test]
async fn a_report_after_the_deadline_is_refused() {
    let scene = Scene::new();
    scene.fixture.clock.set(tunis(2026, 3, 12, 0, 0));
    reporting(&scene.fixture)
        .given(vec![scene.scheduled(scene.session, date(2026, 3, 12))])
        .when_async(scene.file_report(REPORT, SUMMARY, true))
        .await
        .then_expect_error(ReportingError::ReportDeadlinePassed {
            due_at: midnight(date(2026, 3, 12)),
        });
}

#[tokio::test]
async fn a_session_has_one_report() {
    let scene = Scene::new();
    reporting(&scene.fixture)
        .given(vec![
            scene.scheduled(scene.session, date(2026, 3, 12)),
            scene.report_filed(),
        ])
        .when_async(scene.file_report(REPORT, SUMMARY, true))
        .await
        .then_expect_error(ReportingError::ReportAlreadyFiled {
            session: scene.session,
        });
}

// decree 2019-401 art. 14: the report is the committee's.
#[tokio::test]
async fn the_report_is_filed_by_a_committee_member() {
    let scene = Scene::new();
    for actor in [
        scene.secretary,
        scene.fixture.foreign_agent(Role::CommitteeMember),
    ] {
        reporting(&scene.fixture)
            .given(vec![scene.scheduled(scene.session, date(2026, 3, 12))])
            .when_async(ReportingCommand::FileCommitteeReport {
                session: scene.session,
                report: REPORT.to_owned(),
                public_summary: SUMMARY.to_owned(),
                attests_no_personal_data: true,
                actor,
            })
            .await
            .then_expect_error(ReportingError::ActorNotAllowed {
                allowed: REPORTING_ROLES,
            });
    }
}

// decree 2019-401 art. 15: "taking into account the legislation on personal data".
#[tokio::test]
async fn public_texts_need_the_attestation_that_they_hold_no_personal_data() {
    let scene = Scene::new();
    reporting(&scene.fixture)
        .given(vec![scene.scheduled(scene.session, date(2026, 3, 12))])
        .when_async(scene.file_report(REPORT, SUMMARY, false))
        .await
        .then_expect_error(ReportingError::PersonalDataAttestationMissing);
}

// decree 2019-401 art. 15; organic law 2004-63: what the screen recognises is refused, named
// by kind and position, never quoted.
#[tokio::test]
async fn public_texts_with_recognisable_personal_data_are_refused() {
    let scene = Scene::new();
    let cases = [
        (
            REPORT.to_owned(),
            "Contact : amira.bs@example.tn pour le suivi.".to_owned(),
            ReportingError::PersonalDataSuspected {
                field: ReportField::PublicSummary,
                finding: PersonalDataFinding {
                    kind: PersonalDataKind::EmailAddress,
                    position: 11,
                },
            },
        ),
        (
            "Réclamation du titulaire de la CIN 08123456.".to_owned(),
            SUMMARY.to_owned(),
            ReportingError::PersonalDataSuspected {
                field: ReportField::Report,
                finding: PersonalDataFinding {
                    kind: PersonalDataKind::LongNumber,
                    position: 36,
                },
            },
        ),
        (
            REPORT.to_owned(),
            "Joindre le +216 98 123 456.".to_owned(),
            ReportingError::PersonalDataSuspected {
                field: ReportField::PublicSummary,
                finding: PersonalDataFinding {
                    kind: PersonalDataKind::PhoneNumber,
                    position: 12,
                },
            },
        ),
    ];
    for (report, summary, error) in cases {
        reporting(&scene.fixture)
            .given(vec![scene.scheduled(scene.session, date(2026, 3, 12))])
            .when_async(scene.file_report(&report, &summary, true))
            .await
            .then_expect_error(error);
    }
}

#[tokio::test]
async fn an_empty_report_or_summary_is_refused() {
    let scene = Scene::new();
    for (report, summary, field) in [
        ("", SUMMARY, ReportField::Report),
        (REPORT, " ", ReportField::PublicSummary),
    ] {
        reporting(&scene.fixture)
            .given(vec![scene.scheduled(scene.session, date(2026, 3, 12))])
            .when_async(scene.file_report(report, summary, true))
            .await
            .then_expect_error(ReportingError::InvalidText {
                field,
                error: TextError::Empty,
            });
    }
}

// ---- The council's meeting ------------------------------------------------------------

// decree 2019-401 art. 15: within 5 days of the meeting. Held on Thursday 12 March 2026,
// counted from Friday 13: due by the end of Tuesday 17 March.
#[tokio::test]
async fn the_meeting_starts_the_five_day_posting_deadline() {
    let scene = Scene::new();
    scene.fixture.clock.set(tunis(2026, 3, 13, 10, 0));
    let events = reporting(&scene.fixture)
        .given(vec![
            scene.scheduled(scene.session, date(2026, 3, 12)),
            scene.report_filed(),
        ])
        .when_async(ReportingCommand::RecordCouncilMeeting {
            session: scene.session,
            held_on: date(2026, 3, 12),
            actor: scene.secretary,
        })
        .await
        .inspect_result()
        .unwrap();
    let posting_due = scene.posting_due(date(2026, 3, 12));
    assert_eq!(due_date(&posting_due), date(2026, 3, 17));
    assert_eq!(posting_due.due_at(), Some(midnight(date(2026, 3, 18))));
    assert_eq!(
        events,
        vec![scene.held(date(2026, 3, 12), Some(posting_due))]
    );
}

// decree 2019-401 art. 15; domain notes, section 5: a deadline ending on a non-working day
// moves to the next working day. Held on Sunday 15 March 2026, the fifth day is Friday
// 20 March (Independence Day, and Aïd el-Fitr by the 2026 estimate), then Saturday (Aïd, second
// day) and Sunday: due by the end of Monday 23 March.
#[tokio::test]
async fn a_posting_deadline_ending_on_a_holiday_moves_to_the_next_working_day() {
    let scene = Scene::new();
    scene.fixture.clock.set(tunis(2026, 3, 16, 9, 0));
    let events = reporting(&scene.fixture)
        .given(vec![
            scene.scheduled(scene.session, date(2026, 3, 12)),
            scene.report_filed(),
        ])
        .when_async(ReportingCommand::RecordCouncilMeeting {
            session: scene.session,
            held_on: date(2026, 3, 15),
            actor: scene.secretary,
        })
        .await
        .inspect_result()
        .unwrap();
    let ReportingEvent::CouncilMeetingHeld {
        posting_due: Some(posting_due),
        ..
    } = &events[0]
    else {
        panic!("{events:?}");
    };
    assert_eq!(due_date(posting_due), date(2026, 3, 23));
    assert_eq!(*posting_due, scene.posting_due(date(2026, 3, 15)));
    let explanation = posting_due.explanation.to_string();
    assert!(
        explanation.contains("Échéance reportée du vendredi 20/03/2026 au lundi 23/03/2026"),
        "{explanation}"
    );
}

// decree 2019-401 art. 15: the summary is of the reports; without a report there is nothing
// to post, and the missed report deadline shows it.
#[tokio::test]
async fn a_meeting_without_a_report_owes_no_summary() {
    let scene = Scene::new();
    scene.fixture.clock.set(tunis(2026, 3, 13, 10, 0));
    reporting(&scene.fixture)
        .given(vec![scene.scheduled(scene.session, date(2026, 3, 12))])
        .when_async(ReportingCommand::RecordCouncilMeeting {
            session: scene.session,
            held_on: date(2026, 3, 12),
            actor: scene.secretary,
        })
        .await
        .then_expect_events(vec![scene.held(date(2026, 3, 12), None)]);
}

#[tokio::test]
async fn a_meeting_is_recorded_between_the_session_date_and_today() {
    let scene = Scene::new();
    scene.fixture.clock.set(tunis(2026, 3, 13, 10, 0));
    let record = |held_on| ReportingCommand::RecordCouncilMeeting {
        session: scene.session,
        held_on,
        actor: scene.secretary,
    };
    let given = vec![scene.scheduled(scene.session, date(2026, 3, 12))];
    reporting(&scene.fixture)
        .given(given.clone())
        .when_async(record(date(2026, 3, 11)))
        .await
        .then_expect_error(ReportingError::MeetingBeforeScheduledDate {
            scheduled: date(2026, 3, 12),
        });
    reporting(&scene.fixture)
        .given(given)
        .when_async(record(date(2026, 3, 14)))
        .await
        .then_expect_error(ReportingError::MeetingInTheFuture {
            held_on: date(2026, 3, 14),
        });
}

#[tokio::test]
async fn meetings_are_recorded_by_the_council_secretary() {
    let scene = Scene::new();
    scene.fixture.clock.set(tunis(2026, 3, 13, 10, 0));
    reporting(&scene.fixture)
        .given(vec![scene.scheduled(scene.session, date(2026, 3, 12))])
        .when_async(ReportingCommand::RecordCouncilMeeting {
            session: scene.session,
            held_on: date(2026, 3, 12),
            actor: scene.member,
        })
        .await
        .then_expect_error(ReportingError::ActorNotAllowed {
            allowed: SECRETARY_ROLES,
        });
}

// ---- Posting and display ------------------------------------------------------------------

// decree 2019-401 art. 15: posted at the premises and on the website on Tuesday 17 March
// 2026, in time; it stays up at least 15 days: through Wednesday 1 April.
#[tokio::test]
async fn the_summary_is_posted_in_time_for_at_least_fifteen_days() {
    let scene = Scene::new();
    scene.fixture.clock.set(tunis(2026, 3, 17, 10, 0));
    let events = reporting(&scene.fixture)
        .given(scene.held_with_report())
        .when_async(scene.command(post))
        .await
        .inspect_result()
        .unwrap();
    assert_eq!(events, vec![scene.posted(tunis(2026, 3, 17, 10, 0), false)]);
    let ReportingEvent::SummaryPosted { display, .. } = &events[0] else {
        panic!("{events:?}");
    };
    assert_eq!(due_date(display), date(2026, 4, 1));
    assert_eq!(display.due_at(), Some(midnight(date(2026, 4, 2))));
}

// decree 2019-401 art. 15: a late summary is still owed; it is posted and flagged late.
#[tokio::test]
async fn a_late_summary_is_posted_and_flagged() {
    let scene = Scene::new();
    scene.fixture.clock.set(tunis(2026, 3, 18, 0, 0));
    reporting(&scene.fixture)
        .given(scene.held_with_report())
        .when_async(scene.command(post))
        .await
        .then_expect_events(vec![scene.posted(tunis(2026, 3, 18, 0, 0), true)]);
}

#[tokio::test]
async fn a_summary_is_posted_after_the_meeting_of_a_reported_session() {
    let scene = Scene::new();
    reporting(&scene.fixture)
        .given(vec![
            scene.scheduled(scene.session, date(2026, 3, 12)),
            scene.report_filed(),
        ])
        .when_async(scene.command(post))
        .await
        .then_expect_error(ReportingError::MeetingNotHeld {
            session: scene.session,
        });
    reporting(&scene.fixture)
        .given(vec![
            scene.scheduled(scene.session, date(2026, 3, 12)),
            scene.held(date(2026, 3, 12), None),
        ])
        .when_async(scene.command(post))
        .await
        .then_expect_error(ReportingError::NoReportFiled {
            session: scene.session,
        });
}

#[tokio::test]
async fn a_summary_is_posted_once() {
    let scene = Scene::new();
    scene.fixture.clock.set(tunis(2026, 4, 10, 10, 0));
    let mut taken_down = scene.posted_on_time();
    taken_down.push(ReportingEvent::SummaryTakenDown {
        session: scene.session,
        by: scene.secretary.id,
        at: tunis(2026, 4, 2, 8, 0),
    });
    for (given, status) in [
        (scene.posted_on_time(), SessionStatus::SummaryPosted),
        (taken_down, SessionStatus::SummaryTakenDown),
    ] {
        reporting(&scene.fixture)
            .given(given)
            .when_async(scene.command(post))
            .await
            .then_expect_error(ReportingError::SummaryAlreadyPosted {
                session: scene.session,
                status,
            });
    }
}

// decree 2019-401 art. 15: "the local authority posts": its council secretary.
#[tokio::test]
async fn posting_and_taking_down_are_the_council_secretarys() {
    let scene = Scene::new();
    scene.fixture.clock.set(tunis(2026, 4, 10, 10, 0));
    for (given, command) in [
        (scene.held_with_report(), post(scene.session, scene.member)),
        (
            scene.posted_on_time(),
            take_down(
                scene.session,
                scene.fixture.foreign_agent(Role::CouncilSecretary),
            ),
        ),
    ] {
        reporting(&scene.fixture)
            .given(given)
            .when_async(command)
            .await
            .then_expect_error(ReportingError::ActorNotAllowed {
                allowed: SECRETARY_ROLES,
            });
    }
}

// decree 2019-401 art. 15: once the 15 days are over, the summary may come down (from
// Thursday 2 April 2026, 00:00 in Tunis).
#[tokio::test]
async fn the_summary_comes_down_after_its_display_period() {
    let scene = Scene::new();
    scene.fixture.clock.set(midnight(date(2026, 4, 2)));
    reporting(&scene.fixture)
        .given(scene.posted_on_time())
        .when_async(scene.command(take_down))
        .await
        .then_expect_events(vec![ReportingEvent::SummaryTakenDown {
            session: scene.session,
            by: scene.secretary.id,
            at: midnight(date(2026, 4, 2)),
        }]);
}

// decree 2019-401 art. 15: "for a period of at least fifteen days".
#[tokio::test]
async fn the_summary_may_not_come_down_before_fifteen_days() {
    let scene = Scene::new();
    scene
        .fixture
        .clock
        .set(midnight(date(2026, 4, 2)) - Duration::minutes(1));
    reporting(&scene.fixture)
        .given(scene.posted_on_time())
        .when_async(scene.command(take_down))
        .await
        .then_expect_error(ReportingError::DisplayPeriodNotOver {
            until: midnight(date(2026, 4, 2)),
        });
}

#[tokio::test]
async fn only_a_posted_summary_comes_down() {
    let scene = Scene::new();
    scene.fixture.clock.set(tunis(2026, 5, 1, 10, 0));
    let mut taken_down = scene.posted_on_time();
    taken_down.push(ReportingEvent::SummaryTakenDown {
        session: scene.session,
        by: scene.secretary.id,
        at: tunis(2026, 4, 2, 8, 0),
    });
    for (given, status) in [
        (scene.held_with_report(), SessionStatus::Held),
        (taken_down, SessionStatus::SummaryTakenDown),
    ] {
        reporting(&scene.fixture)
            .given(given)
            .when_async(scene.command(take_down))
            .await
            .then_expect_error(ReportingError::SummaryNotPosted {
                session: scene.session,
                status,
            });
    }
}

#[tokio::test]
async fn reporting_events_are_versioned_and_round_trip() {
    let scene = Scene::new();
    for event in scene.posted_on_time() {
        assert_eq!(cqrs_es::DomainEvent::event_version(&event), "1");
        let json = serde_json::to_string(&event).unwrap();
        assert_eq!(
            serde_json::from_str::<ReportingEvent>(&json).unwrap(),
            event
        );
    }
    assert_eq!(
        cqrs_es::DomainEvent::event_type(&scene.report_filed()),
        "CommitteeReportFiled"
    );
}
