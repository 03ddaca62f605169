//! Findings: recorded with the visit, reported to the body, answered with corrective actions,
//! verified by follow-up visits; open until verified as implemented (circular 21 of 2019 on
//! acting on the team's observations).
#![allow(clippy::unwrap_used)]

mod common;

use chrono::{Duration, NaiveDate};
use common::{VisitStory, World, now};
use cqrs_es::Aggregate as _;
use cqrs_es::test::TestFramework;
use kernel::{Actor, ActorId, Role, TextError};
use watcher::{
    CriterionId, FindingId, FindingKind, FindingStatus, InvalidText, ReportedFinding, Severity,
    VerificationOutcome, Visit, VisitCommand, VisitError, VisitEvent, VisitId, VisitStatus,
};

type Framework = TestFramework<Visit>;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 17).unwrap()
}

/// A visit with one shortcoming (about the critical criterion) and one recommendation,
/// accepted and reported.
struct Story {
    visit: VisitStory,
    shortcoming: FindingId,
    recommendation: FindingId,
}

impl Story {
    fn new(world: &World) -> Self {
        Self {
            visit: VisitStory::new(world),
            shortcoming: FindingId::new_v7(),
            recommendation: FindingId::new_v7(),
        }
    }

    async fn shortcoming_recorded(&self, world: &World) -> VisitEvent {
        VisitEvent::FindingRecorded {
            finding: self.shortcoming,
            kind: FindingKind::Shortcoming {
                severity: Severity::Serious,
            },
            criterion: Some(self.visit.sample.no_bribe),
            description: world.seal(self.visit.subject, "Frais non affichés").await,
            recorded_at: now(),
        }
    }

    async fn recommendation_recorded(&self, world: &World) -> VisitEvent {
        VisitEvent::FindingRecorded {
            finding: self.recommendation,
            kind: FindingKind::Recommendation,
            criterion: None,
            description: world.seal(self.visit.subject, "Installer des sièges").await,
            recorded_at: now(),
        }
    }

    /// Recorded, with both findings, not yet submitted.
    async fn with_findings(&self, world: &World) -> Vec<VisitEvent> {
        vec![
            self.visit.planned(world),
            self.visit.recorded(world).await,
            self.shortcoming_recorded(world).await,
            self.recommendation_recorded(world).await,
        ]
    }

    async fn report_sent(&self, world: &World) -> Vec<VisitEvent> {
        let mut events = self.with_findings(world).await;
        events.push(self.visit.submitted(1));
        events.push(self.visit.accepted(world));
        let sent = Framework::with(world.services())
            .given(events.clone())
            .when_async(VisitCommand::SendReport {
                actor: world.supervisor,
            })
            .await
            .inspect_result()
            .unwrap();
        events.extend(sent);
        events
    }

    async fn action_proposed(&self, world: &World, finding: FindingId) -> VisitEvent {
        VisitEvent::CorrectiveActionProposed {
            finding,
            action: world.seal(self.visit.subject, "Afficher les frais").await,
            due_on: today() + Duration::days(30),
            by: world.body_agent.id,
            organisation: world.structure,
            proposed_at: now(),
        }
    }

    async fn verified(
        &self,
        world: &World,
        finding: FindingId,
        outcome: VerificationOutcome,
    ) -> VisitEvent {
        VisitEvent::FindingVerified {
            finding,
            follow_up: VisitId::new_v7(),
            outcome,
            notes: world.seal(self.visit.subject, "Vu sur place").await,
            verified_at: now(),
        }
    }
}

fn record_finding(
    world: &World,
    finding: FindingId,
    criterion: Option<CriterionId>,
) -> VisitCommand {
    VisitCommand::RecordFinding {
        actor: world.member,
        finding,
        kind: FindingKind::Shortcoming {
            severity: Severity::Moderate,
        },
        criterion,
        description: "Aucune information sur les délais".into(),
    }
}

fn propose(actor: Actor, finding: FindingId, due_on: NaiveDate) -> VisitCommand {
    VisitCommand::ProposeCorrectiveAction {
        actor,
        finding,
        action: "Afficher les frais".into(),
        due_on,
    }
}

fn verify(world: &World, finding: FindingId, outcome: VerificationOutcome) -> VisitCommand {
    VisitCommand::VerifyFinding {
        actor: world.supervisor,
        finding,
        follow_up: VisitId::new_v7(),
        outcome,
        notes: "Vu sur place".into(),
    }
}

// ----- RecordFinding --------------------------------------------------------------------

#[tokio::test]
async fn the_member_records_shortcomings_and_recommendations_with_the_visit() {
    let world = World::new();
    let story = Story::new(&world);
    let given = vec![
        story.visit.planned(&world),
        story.visit.recorded(&world).await,
    ];
    Framework::with(world.services())
        .given(given.clone())
        .when_async(VisitCommand::RecordFinding {
            actor: world.member,
            finding: story.shortcoming,
            kind: FindingKind::Shortcoming {
                severity: Severity::Serious,
            },
            criterion: Some(story.visit.sample.no_bribe),
            description: "Frais non affichés".into(),
        })
        .await
        .then_expect_events(vec![story.shortcoming_recorded(&world).await]);
    Framework::with(world.services())
        .given(given)
        .when_async(VisitCommand::RecordFinding {
            actor: world.member,
            finding: story.recommendation,
            kind: FindingKind::Recommendation,
            criterion: None,
            description: "Installer des sièges".into(),
        })
        .await
        .then_expect_events(vec![story.recommendation_recorded(&world).await]);
}

#[tokio::test]
async fn a_finding_is_new_within_the_limit_about_a_criterion_of_the_version_and_described() {
    let mut world = World::new();
    world.config.max_findings_per_visit = 2;
    let story = Story::new(&world);
    let with_two = story.with_findings(&world).await;
    let recorded = with_two[..2].to_vec();
    let stranger = CriterionId::new_v7();
    let mut undescribed = record_finding(&world, FindingId::new_v7(), None);
    if let VisitCommand::RecordFinding { description, .. } = &mut undescribed {
        *description = String::new();
    }
    let cases = [
        (
            record_finding(&world, story.shortcoming, None),
            with_two.clone(),
            VisitError::FindingAlreadyRecorded(story.shortcoming),
        ),
        (
            record_finding(&world, FindingId::new_v7(), None),
            with_two,
            VisitError::TooManyFindings { max: 2 },
        ),
        (
            record_finding(&world, FindingId::new_v7(), Some(stranger)),
            recorded.clone(),
            VisitError::UnknownCriterion(stranger),
        ),
        (
            undescribed,
            recorded,
            VisitError::InvalidText(InvalidText {
                field: "description",
                reason: TextError::Empty,
            }),
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

#[tokio::test]
async fn findings_come_from_the_assigned_member_while_the_record_is_open() {
    let world = World::new();
    let story = Story::new(&world);
    let mut submitted = story.with_findings(&world).await;
    submitted.push(story.visit.submitted(1));
    Framework::with(world.services())
        .given(submitted.clone())
        .when_async(record_finding(&world, FindingId::new_v7(), None))
        .await
        .then_expect_error(VisitError::WrongStatus {
            status: VisitStatus::Submitted,
        });
    let VisitCommand::RecordFinding {
        finding,
        kind,
        criterion,
        description,
        ..
    } = record_finding(&world, FindingId::new_v7(), None)
    else {
        unreachable!()
    };
    Framework::with(world.services())
        .given(submitted[..2].to_vec())
        .when_async(VisitCommand::RecordFinding {
            actor: world.other_member,
            finding,
            kind,
            criterion,
            description,
        })
        .await
        .then_expect_error(VisitError::NotTheAssignedMember);
}

#[tokio::test]
async fn the_report_carries_every_finding() {
    let world = World::new();
    let story = Story::new(&world);
    let events = story.report_sent(&world).await;
    let Some(VisitEvent::ReportSent { report }) = events.last() else {
        panic!("{events:?}");
    };
    let mut expected = vec![
        ReportedFinding {
            finding: story.shortcoming,
            kind: FindingKind::Shortcoming {
                severity: Severity::Serious,
            },
            criterion: Some(story.visit.sample.no_bribe),
            description: world.seal(story.visit.subject, "Frais non affichés").await,
        },
        ReportedFinding {
            finding: story.recommendation,
            kind: FindingKind::Recommendation,
            criterion: None,
            description: world
                .seal(story.visit.subject, "Installer des sièges")
                .await,
        },
    ];
    expected.sort_by_key(|f| f.finding);
    assert_eq!(report.findings, expected);
}

// ----- ProposeCorrectiveAction ----------------------------------------------------------

#[tokio::test]
async fn an_agent_of_a_structure_within_the_body_answers_a_finding_with_an_action_and_a_date() {
    let world = World::new();
    let story = Story::new(&world);
    Framework::with(world.services())
        .given(story.report_sent(&world).await)
        .when_async(propose(
            world.body_agent,
            story.shortcoming,
            today() + Duration::days(30),
        ))
        .await
        .then_expect_events(vec![story.action_proposed(&world, story.shortcoming).await]);
}

#[tokio::test]
async fn an_agent_of_the_body_above_the_structure_may_answer_and_revise_the_answer() {
    let world = World::new();
    let story = Story::new(&world);
    let ministry_agent = Actor::agent(ActorId::new_v7(), Role::OfficeHead, world.ministry);
    let mut given = story.report_sent(&world).await;
    given.push(story.action_proposed(&world, story.shortcoming).await);
    let events = Framework::with(world.services())
        .given(given)
        .when_async(propose(ministry_agent, story.shortcoming, today()))
        .await
        .inspect_result()
        .unwrap();
    assert!(matches!(
        &events[..],
        [VisitEvent::CorrectiveActionProposed { organisation, due_on, .. }]
            if *organisation == world.ministry && *due_on == today()
    ));
}

#[tokio::test]
async fn only_the_inspected_body_answers_after_the_report() {
    let world = World::new();
    let story = Story::new(&world);
    let reported = story.report_sent(&world).await;
    let due = today() + Duration::days(10);
    for actor in [world.stranger, world.supervisor, world.member] {
        Framework::with(world.services())
            .given(reported.clone())
            .when_async(propose(actor, story.shortcoming, due))
            .await
            .then_expect_error(VisitError::NotTheInspectedBody);
    }
    let accepted = reported[..reported.len() - 1].to_vec();
    Framework::with(world.services())
        .given(accepted)
        .when_async(propose(world.body_agent, story.shortcoming, due))
        .await
        .then_expect_error(VisitError::WrongStatus {
            status: VisitStatus::Accepted,
        });
}

#[tokio::test]
async fn an_action_answers_an_open_finding_with_a_date_from_today_within_the_limit() {
    let world = World::new();
    let story = Story::new(&world);
    let reported = story.report_sent(&world).await;
    let mut closed = reported.clone();
    closed.push(
        story
            .verified(
                &world,
                story.recommendation,
                VerificationOutcome::Implemented,
            )
            .await,
    );
    let unknown = FindingId::new_v7();
    let latest = today() + Duration::days(365);
    let mut unexplained = propose(world.body_agent, story.shortcoming, today());
    if let VisitCommand::ProposeCorrectiveAction { action, .. } = &mut unexplained {
        *action = " ".into();
    }
    let cases = [
        (
            propose(world.body_agent, unknown, today()),
            &reported,
            VisitError::UnknownFinding(unknown),
        ),
        (
            propose(world.body_agent, story.recommendation, today()),
            &closed,
            VisitError::FindingClosed(story.recommendation),
        ),
        (
            propose(
                world.body_agent,
                story.shortcoming,
                today() - Duration::days(1),
            ),
            &reported,
            VisitError::DueDateInPast {
                due_on: today() - Duration::days(1),
                today: today(),
            },
        ),
        (
            propose(
                world.body_agent,
                story.shortcoming,
                latest + Duration::days(1),
            ),
            &reported,
            VisitError::DueDateTooFar {
                due_on: latest + Duration::days(1),
                latest,
            },
        ),
        (
            unexplained,
            &reported,
            VisitError::InvalidText(InvalidText {
                field: "action",
                reason: TextError::Empty,
            }),
        ),
    ];
    for (command, given, error) in cases {
        Framework::with(world.services())
            .given(given.clone())
            .when_async(command)
            .await
            .then_expect_error(error);
    }
}

// ----- VerifyFinding --------------------------------------------------------------------

#[tokio::test]
async fn a_follow_up_visit_finding_the_action_implemented_closes_the_finding() {
    let world = World::new();
    let story = Story::new(&world);
    let mut given = story.report_sent(&world).await;
    given.push(story.action_proposed(&world, story.shortcoming).await);
    let follow_up = VisitId::new_v7();
    let events = Framework::with(world.services())
        .given(given.clone())
        .when_async(VisitCommand::VerifyFinding {
            actor: world.supervisor,
            finding: story.shortcoming,
            follow_up,
            outcome: VerificationOutcome::Implemented,
            notes: "Vu sur place".into(),
        })
        .await
        .inspect_result()
        .unwrap();
    assert_eq!(
        events,
        vec![VisitEvent::FindingVerified {
            finding: story.shortcoming,
            follow_up,
            outcome: VerificationOutcome::Implemented,
            notes: world.seal(story.visit.subject, "Vu sur place").await,
            verified_at: now(),
        }]
    );
    let mut visit = Visit::default();
    for event in given.into_iter().chain(events) {
        visit.apply(event);
    }
    assert_eq!(
        visit.finding_status(story.shortcoming),
        Some(FindingStatus::Verified)
    );
    assert_eq!(
        visit.open_findings().collect::<Vec<_>>(),
        vec![story.recommendation]
    );
}

#[tokio::test]
async fn findings_stay_open_until_verified_and_a_failed_verification_reopens_them() {
    let world = World::new();
    let story = Story::new(&world);
    let mut visit = Visit::default();
    for event in story.report_sent(&world).await {
        visit.apply(event);
    }
    let all_open = |visit: &Visit| {
        let mut open: Vec<_> = visit.open_findings().collect();
        open.sort();
        let mut expected = vec![story.shortcoming, story.recommendation];
        expected.sort();
        open == expected
    };
    assert!(all_open(&visit));
    visit.apply(story.action_proposed(&world, story.shortcoming).await);
    assert_eq!(
        visit.finding_status(story.shortcoming),
        Some(FindingStatus::ActionProposed {
            due_on: today() + Duration::days(30)
        })
    );
    assert!(all_open(&visit));
    visit.apply(
        story
            .verified(
                &world,
                story.shortcoming,
                VerificationOutcome::NotImplemented,
            )
            .await,
    );
    assert_eq!(
        visit.finding_status(story.shortcoming),
        Some(FindingStatus::Open)
    );
    assert!(all_open(&visit));
    assert_eq!(visit.status(), Some(VisitStatus::ReportSent));
}

#[tokio::test]
async fn verification_is_by_a_supervisor_of_an_open_reported_finding_from_another_visit() {
    let world = World::new();
    let story = Story::new(&world);
    let reported = story.report_sent(&world).await;
    let mut closed = reported.clone();
    closed.push(
        story
            .verified(&world, story.shortcoming, VerificationOutcome::Implemented)
            .await,
    );
    let unknown = FindingId::new_v7();
    let accepted = reported[..reported.len() - 1].to_vec();
    let mut same_visit = verify(&world, story.shortcoming, VerificationOutcome::Implemented);
    let mut no_notes = same_visit.clone();
    if let VisitCommand::VerifyFinding { follow_up, .. } = &mut same_visit {
        *follow_up = story.visit.assignment.visit;
    }
    if let VisitCommand::VerifyFinding { notes, .. } = &mut no_notes {
        *notes = String::new();
    }
    let by_member = VisitCommand::VerifyFinding {
        actor: world.member,
        finding: story.shortcoming,
        follow_up: VisitId::new_v7(),
        outcome: VerificationOutcome::Implemented,
        notes: "x".into(),
    };
    let cases = [
        (by_member, &reported, VisitError::NotDepartmentSupervisor),
        (
            verify(&world, story.shortcoming, VerificationOutcome::Implemented),
            &accepted,
            VisitError::WrongStatus {
                status: VisitStatus::Accepted,
            },
        ),
        (
            verify(&world, unknown, VerificationOutcome::Implemented),
            &reported,
            VisitError::UnknownFinding(unknown),
        ),
        (
            verify(
                &world,
                story.shortcoming,
                VerificationOutcome::NotImplemented,
            ),
            &closed,
            VisitError::FindingClosed(story.shortcoming),
        ),
        (same_visit, &reported, VisitError::FollowUpIsThisVisit),
        (
            no_notes,
            &reported,
            VisitError::InvalidText(InvalidText {
                field: "notes",
                reason: TextError::Empty,
            }),
        ),
    ];
    for (command, given, error) in cases {
        Framework::with(world.services())
            .given(given.clone())
            .when_async(command)
            .await
            .then_expect_error(error);
    }
}
