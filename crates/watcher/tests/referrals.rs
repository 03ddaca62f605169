//! Corruption referrals: a finding of extortion, unfairness, abuse of influence or breach of
//! equality, integrity or transparency referred to a competent authority, acknowledged, and
//! closed with the authority's outcome (department page 004; decree 93-147 as amended by
//! 2016-1072).
#![allow(clippy::unwrap_used)]

mod common;

use chrono::{Duration, NaiveDate};
use common::{World, now, text};
use cqrs_es::Aggregate as _;
use cqrs_es::test::TestFramework;
use kernel::personal_data::{EnvelopeError, SubjectId};
use kernel::{Actor, TextError};
use watcher::{
    CorruptionCategory, CorruptionReferral, FindingId, InvalidText, ReferralCommand, ReferralError,
    ReferralEvent, ReferralId, ReferralOutcome, ReferralStatus, VisitId,
};

type Framework = TestFramework<CorruptionReferral>;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 17).unwrap()
}

struct Story {
    referral: ReferralId,
    visit: VisitId,
    finding: FindingId,
    subject: SubjectId,
}

impl Story {
    fn new() -> Self {
        Self {
            referral: ReferralId::new_v7(),
            visit: VisitId::new_v7(),
            finding: FindingId::new_v7(),
            subject: SubjectId::new_v7(),
        }
    }

    fn refer(&self, world: &World, actor: Actor) -> ReferralCommand {
        ReferralCommand::ReferFinding {
            actor,
            referral: self.referral,
            visit: self.visit,
            finding: self.finding,
            organisation: world.structure,
            category: CorruptionCategory::Extortion,
            authority: world.authority,
            subject: self.subject,
            summary: "Un agent a demandé 20 dinars pour accélérer le dossier.".into(),
        }
    }

    /// Referred ten days ago.
    async fn referred(&self, world: &World) -> ReferralEvent {
        ReferralEvent::FindingReferred {
            referral: self.referral,
            visit: self.visit,
            finding: self.finding,
            organisation: world.structure,
            category: CorruptionCategory::Extortion,
            authority: world.authority,
            summary: world
                .seal(
                    self.subject,
                    "Un agent a demandé 20 dinars pour accélérer le dossier.",
                )
                .await,
            by: world.head.id,
            referred_at: now() - Duration::days(10),
        }
    }

    fn acknowledged(&self, world: &World) -> ReferralEvent {
        ReferralEvent::ReferralAcknowledged {
            acknowledged_on: today() - Duration::days(8),
            authority_reference: None,
            by: world.supervisor.id,
            recorded_at: now(),
        }
    }

    async fn closed(&self, world: &World) -> ReferralEvent {
        ReferralEvent::ReferralOutcomeRecorded {
            outcome: ReferralOutcome::NoFurtherAction,
            decided_on: today(),
            summary: world.seal(self.subject, "Classé").await,
            by: world.head.id,
            recorded_at: now(),
        }
    }
}

fn acknowledge(actor: Actor, on: NaiveDate, reference: Option<&str>) -> ReferralCommand {
    ReferralCommand::RecordAcknowledgement {
        actor,
        acknowledged_on: on,
        authority_reference: reference.map(String::from),
    }
}

fn outcome(actor: Actor, on: NaiveDate, summary: &str) -> ReferralCommand {
    ReferralCommand::RecordOutcome {
        actor,
        outcome: ReferralOutcome::ProceedingsOpened,
        decided_on: on,
        summary: summary.into(),
    }
}

// ----- ReferFinding ---------------------------------------------------------------------

#[tokio::test]
async fn the_head_refers_a_finding_to_a_configured_authority_with_a_sealed_summary() {
    let world = World::new();
    let story = Story::new();
    world.clock.set(now() - Duration::days(10));
    Framework::with(world.services())
        .given_no_previous_events()
        .when_async(story.refer(&world, world.head))
        .await
        .then_expect_events(vec![story.referred(&world).await]);
}

#[tokio::test]
async fn every_category_of_the_decree_can_be_referred_by_a_supervisor() {
    let world = World::new();
    let story = Story::new();
    for category in [
        CorruptionCategory::Extortion,
        CorruptionCategory::Unfairness,
        CorruptionCategory::AbuseOfInfluence,
        CorruptionCategory::BreachOfEquality,
        CorruptionCategory::BreachOfIntegrity,
        CorruptionCategory::BreachOfTransparency,
    ] {
        let mut command = story.refer(&world, world.supervisor);
        if let ReferralCommand::ReferFinding { category: c, .. } = &mut command {
            *c = category;
        }
        let events = Framework::with(world.services())
            .given_no_previous_events()
            .when_async(command)
            .await
            .inspect_result()
            .unwrap();
        assert!(matches!(
            &events[..],
            [ReferralEvent::FindingReferred { category: c, .. }] if *c == category
        ));
    }
}

#[tokio::test]
async fn referring_needs_a_supervisor_a_new_referral_a_configured_authority_and_a_summary() {
    let world = World::new();
    let story = Story::new();
    for actor in [world.member, world.body_agent, world.impostor()] {
        Framework::with(world.services())
            .given_no_previous_events()
            .when_async(story.refer(&world, actor))
            .await
            .then_expect_error(ReferralError::NotDepartmentSupervisor);
    }
    Framework::with(world.services())
        .given(vec![story.referred(&world).await])
        .when_async(story.refer(&world, world.head))
        .await
        .then_expect_error(ReferralError::AlreadyReferred);
    let mut to_prosecutor = story.refer(&world, world.head);
    if let ReferralCommand::ReferFinding { authority, .. } = &mut to_prosecutor {
        *authority = world.prosecutor;
    }
    Framework::with(world.services())
        .given_no_previous_events()
        .when_async(to_prosecutor)
        .await
        .then_expect_error(ReferralError::NotACompetentAuthority(world.prosecutor));
    let mut unexplained = story.refer(&world, world.head);
    if let ReferralCommand::ReferFinding { summary, .. } = &mut unexplained {
        *summary = String::new();
    }
    Framework::with(world.services())
        .given_no_previous_events()
        .when_async(unexplained)
        .await
        .then_expect_error(ReferralError::InvalidText(InvalidText {
            field: "summary",
            reason: TextError::Empty,
        }));
    world.cipher.vault().erase(story.subject).await.unwrap();
    Framework::with(world.services())
        .given_no_previous_events()
        .when_async(story.refer(&world, world.head))
        .await
        .then_expect_error(ReferralError::PersonalData(EnvelopeError::SubjectErased(
            story.subject,
        )));
}

// ----- RecordAcknowledgement ------------------------------------------------------------

#[tokio::test]
async fn the_acknowledgement_is_recorded_with_the_authoritys_reference() {
    let world = World::new();
    let story = Story::new();
    Framework::with(world.services())
        .given(vec![story.referred(&world).await])
        .when_async(acknowledge(
            world.supervisor,
            today() - Duration::days(8),
            Some("INLUCC/2026/0457"),
        ))
        .await
        .then_expect_events(vec![ReferralEvent::ReferralAcknowledged {
            acknowledged_on: today() - Duration::days(8),
            authority_reference: Some(text("INLUCC/2026/0457")),
            by: world.supervisor.id,
            recorded_at: now(),
        }]);
    Framework::with(world.services())
        .given(vec![story.referred(&world).await])
        .when_async(acknowledge(
            world.supervisor,
            today() - Duration::days(8),
            None,
        ))
        .await
        .then_expect_events(vec![story.acknowledged(&world)]);
}

#[tokio::test]
async fn an_acknowledgement_follows_the_sending_once_and_is_dated_between_it_and_today() {
    let world = World::new();
    let story = Story::new();
    let referred = vec![story.referred(&world).await];
    let acknowledged = vec![story.referred(&world).await, story.acknowledged(&world)];
    let closed = vec![story.referred(&world).await, story.closed(&world).await];
    let sent_on = today() - Duration::days(10);
    let cases = [
        (
            acknowledge(world.supervisor, today(), None),
            vec![],
            ReferralError::NotReferred,
        ),
        (
            acknowledge(world.member, today(), None),
            referred.clone(),
            ReferralError::NotDepartmentSupervisor,
        ),
        (
            acknowledge(world.supervisor, today(), None),
            acknowledged,
            ReferralError::WrongStatus {
                status: ReferralStatus::Acknowledged,
            },
        ),
        (
            acknowledge(world.supervisor, today(), None),
            closed,
            ReferralError::WrongStatus {
                status: ReferralStatus::Closed,
            },
        ),
        (
            acknowledge(world.supervisor, today() + Duration::days(1), None),
            referred.clone(),
            ReferralError::DateInFuture {
                date: today() + Duration::days(1),
                today: today(),
            },
        ),
        (
            acknowledge(world.supervisor, sent_on - Duration::days(1), None),
            referred.clone(),
            ReferralError::DateBeforeReferral {
                date: sent_on - Duration::days(1),
                referred_on: sent_on,
            },
        ),
        (
            acknowledge(world.supervisor, today(), Some("réf\n2026")),
            referred,
            ReferralError::InvalidText(InvalidText {
                field: "authority_reference",
                reason: TextError::LineBreak { position: 4 },
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

// ----- RecordOutcome --------------------------------------------------------------------

#[tokio::test]
async fn the_outcome_closes_the_referral_acknowledged_or_not() {
    let world = World::new();
    let story = Story::new();
    let expected = ReferralEvent::ReferralOutcomeRecorded {
        outcome: ReferralOutcome::ProceedingsOpened,
        decided_on: today() - Duration::days(1),
        summary: world.seal(story.subject, "Poursuites engagées").await,
        by: world.head.id,
        recorded_at: now(),
    };
    for given in [
        vec![story.referred(&world).await],
        vec![story.referred(&world).await, story.acknowledged(&world)],
    ] {
        Framework::with(world.services())
            .given(given)
            .when_async(outcome(
                world.head,
                today() - Duration::days(1),
                "Poursuites engagées",
            ))
            .await
            .then_expect_events(vec![expected.clone()]);
    }
    let mut referral = CorruptionReferral::default();
    referral.apply(story.referred(&world).await);
    assert_eq!(referral.status(), Some(ReferralStatus::Sent));
    referral.apply(expected);
    assert_eq!(referral.status(), Some(ReferralStatus::Closed));
}

#[tokio::test]
async fn an_outcome_is_recorded_once_by_a_supervisor_dated_between_sending_and_today() {
    let world = World::new();
    let story = Story::new();
    let referred = vec![story.referred(&world).await];
    let sent_on = today() - Duration::days(10);
    let cases = [
        (
            outcome(world.head, today(), "x"),
            vec![],
            ReferralError::NotReferred,
        ),
        (
            outcome(world.body_agent, today(), "x"),
            referred.clone(),
            ReferralError::NotDepartmentSupervisor,
        ),
        (
            outcome(world.head, today(), "x"),
            vec![story.referred(&world).await, story.closed(&world).await],
            ReferralError::WrongStatus {
                status: ReferralStatus::Closed,
            },
        ),
        (
            outcome(world.head, today() + Duration::days(1), "x"),
            referred.clone(),
            ReferralError::DateInFuture {
                date: today() + Duration::days(1),
                today: today(),
            },
        ),
        (
            outcome(world.head, sent_on - Duration::days(1), "x"),
            referred.clone(),
            ReferralError::DateBeforeReferral {
                date: sent_on - Duration::days(1),
                referred_on: sent_on,
            },
        ),
        (
            outcome(world.head, today(), ""),
            referred,
            ReferralError::InvalidText(InvalidText {
                field: "summary",
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
