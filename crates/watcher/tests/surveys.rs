//! Satisfaction surveys: versioned questionnaires, anonymous responses at service points over
//! a period, and the satisfaction index (department page 004: periodic surveys of users).
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use common::{World, now, text};
use cqrs_es::Aggregate as _;
use cqrs_es::test::TestFramework;
use kernel::{Actor, ActorId, TextError};
use watcher::{
    InvalidText, Percentage, Period, PeriodError, Question, QuestionDraft, QuestionId, ResponseId,
    SatisfactionError, SatisfactionSurvey, ServicePointId, ServicePointIndex, SurveyCommand,
    SurveyError, SurveyEvent, SurveyId, SurveyStatus, Tally, response_satisfaction,
};

type Framework = TestFramework<SatisfactionSurvey>;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn today() -> NaiveDate {
    date(2026, 3, 17)
}

fn period() -> Period {
    Period {
        starts_on: date(2026, 3, 1),
        ends_on: date(2026, 4, 30),
    }
}

/// A survey at two points; version 1 asks about reception (1-5, weight 2) and delays (1-5,
/// weight 1).
struct Story {
    survey: SurveyId,
    counter: ServicePointId,
    line: ServicePointId,
    reception: QuestionId,
    delays: QuestionId,
}

impl Story {
    fn new() -> Self {
        Self {
            survey: SurveyId::new_v7(),
            counter: ServicePointId::new_v7(),
            line: ServicePointId::new_v7(),
            reception: QuestionId::new_v7(),
            delays: QuestionId::new_v7(),
        }
    }

    fn created(&self, world: &World) -> SurveyEvent {
        SurveyEvent::SurveyCreated {
            survey: self.survey,
            title: text("Satisfaction des usagers, printemps 2026"),
            period: period(),
            service_points: vec![self.counter, self.line],
            by: world.supervisor.id,
            created_at: now(),
        }
    }

    fn drafts(&self) -> Vec<QuestionDraft> {
        vec![
            QuestionDraft {
                id: self.reception,
                label: "Comment avez-vous été accueilli ?".into(),
                weight: 2,
                levels: 5,
            },
            QuestionDraft {
                id: self.delays,
                label: "Les délais vous conviennent-ils ?".into(),
                weight: 1,
                levels: 5,
            },
        ]
    }

    fn questions(&self) -> Vec<Question> {
        self.drafts()
            .into_iter()
            .map(|d| Question {
                id: d.id,
                label: text(&d.label),
                weight: d.weight,
                levels: d.levels,
            })
            .collect()
    }

    fn published(&self, world: &World) -> SurveyEvent {
        SurveyEvent::QuestionnairePublished {
            version: 1,
            questions: self.questions(),
            by: world.supervisor.id,
            published_at: now(),
        }
    }

    fn open(&self, world: &World) -> Vec<SurveyEvent> {
        vec![self.created(world), self.published(world)]
    }

    fn closed(&self, world: &World) -> SurveyEvent {
        SurveyEvent::SurveyClosed {
            indices: vec![],
            by: world.supervisor.id,
            closed_at: now(),
        }
    }

    fn respond(&self, actor: Actor, answers: BTreeMap<QuestionId, u8>) -> SurveyCommand {
        SurveyCommand::RecordResponse {
            actor,
            response: ResponseId::new_v7(),
            service_point: self.counter,
            questionnaire_version: 1,
            responded_on: today(),
            answers,
        }
    }

    /// Reception 5 of 5, delays 3 of 5: (2 * 4/4 + 1 * 2/4) / 3 = 83.33.
    fn answers(&self) -> BTreeMap<QuestionId, u8> {
        BTreeMap::from([(self.reception, 5), (self.delays, 3)])
    }
}

// ----- CreateSurvey ---------------------------------------------------------------------

#[tokio::test]
async fn a_supervisor_creates_a_survey_at_service_points_over_a_period() {
    let world = World::new();
    let story = Story::new();
    Framework::with(world.services())
        .given_no_previous_events()
        .when_async(SurveyCommand::CreateSurvey {
            actor: world.supervisor,
            survey: story.survey,
            title: "Satisfaction des usagers, printemps 2026".into(),
            starts_on: period().starts_on,
            ends_on: period().ends_on,
            service_points: vec![story.counter, story.line],
        })
        .await
        .then_expect_events(vec![story.created(&world)]);
}

#[tokio::test]
async fn creating_needs_a_supervisor_a_new_survey_a_title_a_valid_period_and_distinct_points() {
    let world = World::new();
    let story = Story::new();
    let create =
        |actor, title: &str, starts_on, ends_on, service_points| SurveyCommand::CreateSurvey {
            actor,
            survey: story.survey,
            title: title.into(),
            starts_on,
            ends_on,
            service_points,
        };
    let (start, end) = (period().starts_on, period().ends_on);
    let points = vec![story.counter];
    let yesterday = today() - Duration::days(1);
    let cases = [
        (
            create(world.member, "T", start, end, points.clone()),
            vec![],
            SurveyError::NotDepartmentSupervisor,
        ),
        (
            create(world.head, "T", start, end, points.clone()),
            vec![story.created(&world)],
            SurveyError::AlreadyCreated,
        ),
        (
            create(world.head, "", start, end, points.clone()),
            vec![],
            SurveyError::InvalidText(InvalidText {
                field: "title",
                reason: TextError::Empty,
            }),
        ),
        (
            create(world.head, "T", end, start, points.clone()),
            vec![],
            SurveyError::Period(PeriodError::EndsBeforeStart {
                starts_on: end,
                ends_on: start,
            }),
        ),
        (
            create(world.head, "T", start, yesterday, points),
            vec![],
            SurveyError::Period(PeriodError::Over { ends_on: yesterday }),
        ),
        (
            create(world.head, "T", start, end, vec![]),
            vec![],
            SurveyError::NoServicePoints,
        ),
        (
            create(world.head, "T", start, end, vec![story.line, story.line]),
            vec![],
            SurveyError::DuplicateServicePoint(story.line),
        ),
    ];
    for (command, given, error) in cases {
        Framework::with(world.services())
            .given(given)
            .when_async(command)
            .await
            .then_expect_error(error);
    }
}

// ----- PublishQuestionnaire -------------------------------------------------------------

#[tokio::test]
async fn questionnaire_versions_are_published_one_after_the_other() {
    let world = World::new();
    let story = Story::new();
    Framework::with(world.services())
        .given(vec![story.created(&world)])
        .when_async(SurveyCommand::PublishQuestionnaire {
            actor: world.supervisor,
            questions: story.drafts(),
        })
        .await
        .then_expect_events(vec![story.published(&world)]);
    Framework::with(world.services())
        .given(story.open(&world))
        .when_async(SurveyCommand::PublishQuestionnaire {
            actor: world.head,
            questions: story.drafts()[..1].to_vec(),
        })
        .await
        .then_expect_events(vec![SurveyEvent::QuestionnairePublished {
            version: 2,
            questions: story.questions()[..1].to_vec(),
            by: world.head.id,
            published_at: now(),
        }]);
}

#[tokio::test]
async fn a_questionnaire_is_published_by_a_supervisor_in_an_open_survey_with_valid_questions() {
    let mut world = World::new();
    world.config.max_questions = 2;
    let story = Story::new();
    let publish = |actor, questions| SurveyCommand::PublishQuestionnaire { actor, questions };
    let with = |change: &dyn Fn(&mut QuestionDraft)| {
        let mut drafts = story.drafts();
        change(&mut drafts[0]);
        drafts
    };
    let created = vec![story.created(&world)];
    let mut three = story.drafts();
    three.push(QuestionDraft {
        id: QuestionId::new_v7(),
        ..story.drafts()[0].clone()
    });
    let cases = [
        (
            publish(world.head, story.drafts()),
            vec![],
            SurveyError::NotCreated,
        ),
        (
            publish(world.head, story.drafts()),
            vec![story.created(&world), story.closed(&world)],
            SurveyError::WrongStatus {
                status: SurveyStatus::Closed,
            },
        ),
        (
            publish(world.member, story.drafts()),
            created.clone(),
            SurveyError::NotDepartmentSupervisor,
        ),
        (
            publish(world.head, vec![]),
            created.clone(),
            SurveyError::NoQuestions,
        ),
        (
            publish(world.head, three),
            created.clone(),
            SurveyError::TooManyQuestions { max: 2, actual: 3 },
        ),
        (
            publish(world.head, with(&|d| d.id = story.delays)),
            created.clone(),
            SurveyError::DuplicateQuestion(story.delays),
        ),
        (
            publish(world.head, with(&|d| d.weight = 0)),
            created.clone(),
            SurveyError::WeightOutOfRange {
                question: story.reception,
                weight: 0,
                max: 100,
            },
        ),
        (
            publish(world.head, with(&|d| d.levels = 1)),
            created.clone(),
            SurveyError::ScaleOutOfRange {
                question: story.reception,
                levels: 1,
                limit: 10,
            },
        ),
        (
            publish(world.head, with(&|d| d.levels = 11)),
            created.clone(),
            SurveyError::ScaleOutOfRange {
                question: story.reception,
                levels: 11,
                limit: 10,
            },
        ),
        (
            publish(world.head, with(&|d| d.label = "\t".into())),
            created,
            SurveyError::InvalidLabel {
                question: story.reception,
                reason: TextError::Empty,
            },
        ),
    ];
    for (command, given, error) in cases {
        Framework::with(world.services())
            .given(given)
            .when_async(command)
            .await
            .then_expect_error(error);
    }
}

// ----- RecordResponse -------------------------------------------------------------------

#[tokio::test]
async fn an_anonymous_response_is_recorded_with_its_satisfaction_and_no_respondent() {
    let world = World::new();
    let story = Story::new();
    let response = ResponseId::new_v7();
    let events = Framework::with(world.services())
        .given(story.open(&world))
        .when_async(SurveyCommand::RecordResponse {
            actor: world.intake,
            response,
            service_point: story.counter,
            questionnaire_version: 1,
            responded_on: today(),
            answers: story.answers(),
        })
        .await
        .inspect_result()
        .unwrap();
    assert_eq!(
        events,
        vec![SurveyEvent::ResponseRecorded {
            response,
            service_point: story.counter,
            questionnaire_version: 1,
            responded_on: today(),
            answers: story.answers(),
            satisfaction: Percentage::saturating(8_333),
        }]
    );
    let json = serde_json::to_string(&events[0]).unwrap();
    assert!(!json.contains(&world.intake.id.to_string()));
    assert!(
        !json.contains("actor") && !json.contains("subject"),
        "{json}"
    );
}

#[tokio::test]
async fn a_member_types_in_a_paper_form_answered_earlier_on_an_older_version() {
    let world = World::new();
    let story = Story::new();
    let mut given = story.open(&world);
    given.push(SurveyEvent::QuestionnairePublished {
        version: 2,
        questions: story.questions()[..1].to_vec(),
        by: world.head.id,
        published_at: now(),
    });
    let mut command = story.respond(world.member, BTreeMap::from([(story.delays, 1)]));
    if let SurveyCommand::RecordResponse { responded_on, .. } = &mut command {
        *responded_on = period().starts_on;
    }
    let events = Framework::with(world.services())
        .given(given)
        .when_async(command)
        .await
        .inspect_result()
        .unwrap();
    assert!(matches!(
        &events[..],
        [SurveyEvent::ResponseRecorded { questionnaire_version: 1, satisfaction, .. }]
            if *satisfaction == Percentage::ZERO
    ));
}

#[tokio::test]
async fn a_signed_in_respondent_or_an_outside_agent_cannot_record_a_response() {
    let world = World::new();
    let story = Story::new();
    for actor in [
        Actor::citizen(ActorId::new_v7()),
        world.body_agent,
        world.impostor(),
    ] {
        Framework::with(world.services())
            .given(story.open(&world))
            .when_async(story.respond(actor, story.answers()))
            .await
            .then_expect_error(SurveyError::NotAnonymousIntake);
    }
}

#[tokio::test]
async fn a_response_fits_an_open_survey_its_points_versions_period_and_questions() {
    let world = World::new();
    let story = Story::new();
    let open = story.open(&world);
    let with = |change: &dyn Fn(&mut SurveyCommand)| {
        let mut command = story.respond(world.intake, story.answers());
        change(&mut command);
        command
    };
    let elsewhere = ServicePointId::new_v7();
    let stranger = QuestionId::new_v7();
    let tomorrow = today() + Duration::days(1);
    let before = period().starts_on - Duration::days(1);
    let cases = [
        (with(&|_| {}), vec![], SurveyError::NotCreated),
        (
            with(&|_| {}),
            vec![
                story.created(&world),
                story.published(&world),
                story.closed(&world),
            ],
            SurveyError::WrongStatus {
                status: SurveyStatus::Closed,
            },
        ),
        (
            with(&|c| {
                if let SurveyCommand::RecordResponse { service_point, .. } = c {
                    *service_point = elsewhere;
                }
            }),
            open.clone(),
            SurveyError::ServicePointNotInSurvey(elsewhere),
        ),
        (
            with(&|_| {}),
            vec![story.created(&world)],
            SurveyError::UnknownQuestionnaireVersion(1),
        ),
        (
            with(&|c| {
                if let SurveyCommand::RecordResponse {
                    questionnaire_version,
                    ..
                } = c
                {
                    *questionnaire_version = 0;
                }
            }),
            open.clone(),
            SurveyError::UnknownQuestionnaireVersion(0),
        ),
        (
            with(&|c| {
                if let SurveyCommand::RecordResponse { responded_on, .. } = c {
                    *responded_on = tomorrow;
                }
            }),
            open.clone(),
            SurveyError::ResponseInFuture {
                responded_on: tomorrow,
                today: today(),
            },
        ),
        (
            with(&|c| {
                if let SurveyCommand::RecordResponse { responded_on, .. } = c {
                    *responded_on = before;
                }
            }),
            open.clone(),
            SurveyError::OutsidePeriod {
                responded_on: before,
                period: period(),
            },
        ),
        (
            story.respond(world.intake, BTreeMap::new()),
            open.clone(),
            SurveyError::Answers(SatisfactionError::NoAnswers),
        ),
        (
            story.respond(world.intake, BTreeMap::from([(stranger, 3)])),
            open.clone(),
            SurveyError::Answers(SatisfactionError::UnknownQuestion(stranger)),
        ),
        (
            story.respond(world.intake, BTreeMap::from([(story.reception, 0)])),
            open.clone(),
            SurveyError::Answers(SatisfactionError::AnswerOutOfScale(story.reception)),
        ),
        (
            story.respond(world.intake, BTreeMap::from([(story.delays, 6)])),
            open,
            SurveyError::Answers(SatisfactionError::AnswerOutOfScale(story.delays)),
        ),
    ];
    for (command, given, error) in cases {
        Framework::with(world.services())
            .given(given)
            .when_async(command)
            .await
            .then_expect_error(error);
    }
}

// ----- CloseSurvey ----------------------------------------------------------------------

fn recorded(story: &Story, service_point: ServicePointId, satisfaction: u16) -> SurveyEvent {
    SurveyEvent::ResponseRecorded {
        response: ResponseId::new_v7(),
        service_point,
        questionnaire_version: 1,
        responded_on: today(),
        answers: story.answers(),
        satisfaction: Percentage::saturating(satisfaction),
    }
}

#[tokio::test]
async fn closing_computes_each_points_satisfaction_index() {
    let world = World::new();
    let story = Story::new();
    let mut given = story.open(&world);
    given.extend([
        recorded(&story, story.counter, 8_333),
        recorded(&story, story.counter, 5_000),
        recorded(&story, story.counter, 0),
    ]);
    let mut expected = vec![
        ServicePointIndex {
            service_point: story.counter,
            responses: 3,
            // (8333 + 5000 + 0) / 3 = 4444.33 -> 44.44
            index: Some(Percentage::saturating(4_444)),
        },
        ServicePointIndex {
            service_point: story.line,
            responses: 0,
            index: None,
        },
    ];
    expected.sort_by_key(|i| i.service_point);
    Framework::with(world.services())
        .given(given)
        .when_async(SurveyCommand::CloseSurvey { actor: world.head })
        .await
        .then_expect_events(vec![SurveyEvent::SurveyClosed {
            indices: expected,
            by: world.head.id,
            closed_at: now(),
        }]);
}

#[tokio::test]
async fn closing_needs_an_open_survey_and_a_supervisor() {
    let world = World::new();
    let story = Story::new();
    let close = |actor| SurveyCommand::CloseSurvey { actor };
    Framework::with(world.services())
        .given_no_previous_events()
        .when_async(close(world.head))
        .await
        .then_expect_error(SurveyError::NotCreated);
    Framework::with(world.services())
        .given(vec![story.created(&world), story.closed(&world)])
        .when_async(close(world.head))
        .await
        .then_expect_error(SurveyError::WrongStatus {
            status: SurveyStatus::Closed,
        });
    Framework::with(world.services())
        .given(vec![story.created(&world)])
        .when_async(close(world.member))
        .await
        .then_expect_error(SurveyError::NotDepartmentSupervisor);
}

// ----- The index, as a pure function ----------------------------------------------------

#[test]
fn the_aggregate_keeps_a_running_tally_per_point() {
    let world = World::new();
    let story = Story::new();
    let mut survey = SatisfactionSurvey::default();
    for event in story.open(&world) {
        survey.apply(event);
    }
    survey.apply(recorded(&story, story.line, 6_000));
    survey.apply(recorded(&story, story.line, 7_001));
    assert_eq!(
        survey.tally(story.line),
        Some(Tally {
            responses: 2,
            total_basis_points: 13_001
        })
    );
    assert_eq!(survey.tally(story.counter).and_then(|t| t.index()), None);
    assert_eq!(survey.questionnaire(1).map(<[Question]>::len), Some(2));
    assert_eq!(survey.questionnaire(2), None);
    assert_eq!(survey.status(), Some(SurveyStatus::Open));
}

#[test]
fn the_index_is_the_mean_satisfaction_rounded_down_and_tallies_add_up() {
    let tally: Tally = [10_000, 0, 1]
        .map(Percentage::saturating)
        .into_iter()
        .collect();
    assert_eq!(tally.index(), Some(Percentage::saturating(3_333)));
    let more: Tally = [Percentage::saturating(5_000)].into_iter().collect();
    assert_eq!(
        tally.merge(more).index(),
        Some(Percentage::saturating(3_750))
    );
    assert_eq!(Tally::default().index(), None);
}

#[test]
fn a_responses_satisfaction_weighs_the_answered_questions_only() {
    let story = Story::new();
    let questions = story.questions();
    let satisfaction = |answers: &[(QuestionId, u8)]| {
        response_satisfaction(&questions, &answers.iter().copied().collect())
    };
    assert_eq!(
        satisfaction(&[(story.reception, 5), (story.delays, 5)]),
        Ok(Percentage::FULL)
    );
    assert_eq!(
        satisfaction(&[(story.reception, 1), (story.delays, 1)]),
        Ok(Percentage::ZERO)
    );
    // Skipping the delays question: only reception counts.
    assert_eq!(
        satisfaction(&[(story.reception, 4)]),
        Ok(Percentage::saturating(7_500))
    );
}
