//! Checklists: creation and publication of immutable, numbered versions.
#![allow(clippy::unwrap_used)]

mod common;

use common::{World, now, text};
use cqrs_es::Aggregate as _;
use cqrs_es::test::TestFramework;
use kernel::TextError;
use watcher::{
    Checklist, ChecklistCommand, ChecklistError, ChecklistEvent, ChecklistId, ChecklistVersion,
    Criterion, CriterionDraft, CriterionId, InvalidText, Percentage, Scale, Theme, WatcherConfig,
};

type Framework = TestFramework<Checklist>;

fn created(world: &World, checklist: ChecklistId) -> ChecklistEvent {
    ChecklistEvent::ChecklistCreated {
        checklist,
        title: text("Accueil au guichet"),
        by: world.head.id,
        created_at: now(),
    }
}

fn draft(theme: Theme, weight: u16, scale: Scale, critical: bool) -> CriterionDraft {
    CriterionDraft {
        id: CriterionId::new_v7(),
        theme,
        label: "Un critère".into(),
        weight,
        scale,
        critical,
    }
}

fn publish(world: &World, criteria: Vec<CriterionDraft>) -> ChecklistCommand {
    ChecklistCommand::PublishChecklistVersion {
        actor: world.supervisor,
        criteria,
    }
}

fn expected_version(
    checklist: ChecklistId,
    number: u32,
    drafts: &[CriterionDraft],
    cap: Percentage,
) -> ChecklistVersion {
    ChecklistVersion {
        checklist,
        number,
        title: text("Accueil au guichet"),
        criteria: drafts
            .iter()
            .map(|d| Criterion {
                id: d.id,
                theme: d.theme,
                label: text(&d.label),
                weight: d.weight,
                scale: d.scale,
                critical: d.critical,
            })
            .collect(),
        critical_cap: cap,
        published_at: now(),
    }
}

#[tokio::test]
async fn the_head_creates_a_checklist() {
    let world = World::new();
    let checklist = ChecklistId::new_v7();
    Framework::with(world.services())
        .given_no_previous_events()
        .when_async(ChecklistCommand::CreateChecklist {
            actor: world.head,
            checklist,
            title: "Accueil au guichet".into(),
        })
        .await
        .then_expect_events(vec![created(&world, checklist)]);
}

#[tokio::test]
async fn creating_needs_a_supervisor_a_new_checklist_and_a_title() {
    let world = World::new();
    let checklist = ChecklistId::new_v7();
    let create = |actor, title: &str| ChecklistCommand::CreateChecklist {
        actor,
        checklist,
        title: title.into(),
    };
    for actor in [world.member, world.impostor()] {
        Framework::with(world.services())
            .given_no_previous_events()
            .when_async(create(actor, "Accueil"))
            .await
            .then_expect_error(ChecklistError::NotDepartmentSupervisor);
    }
    Framework::with(world.services())
        .given(vec![created(&world, checklist)])
        .when_async(create(world.head, "Accueil"))
        .await
        .then_expect_error(ChecklistError::AlreadyCreated);
    Framework::with(world.services())
        .given_no_previous_events()
        .when_async(create(world.head, "\u{202E}Accueil"))
        .await
        .then_expect_error(ChecklistError::InvalidText(InvalidText {
            field: "title",
            reason: TextError::ForbiddenCharacter {
                position: 1,
                code_point: 0x202E,
                why: "direction embedding, override or isolate control",
            },
        }));
}

#[tokio::test]
async fn a_version_copies_the_configured_critical_cap_and_is_numbered_from_one() {
    let world = World::new();
    let checklist = ChecklistId::new_v7();
    let drafts = vec![
        draft(Theme::Reception, 2, Scale::YesNo, false),
        draft(Theme::Waiting, 1, Scale::Levels { max: 4 }, false),
        draft(Theme::Integrity, 3, Scale::YesNo, true),
        draft(Theme::QualityLabel, 1, Scale::Levels { max: 10 }, false),
    ];
    Framework::with(world.services())
        .given(vec![created(&world, checklist)])
        .when_async(publish(&world, drafts.clone()))
        .await
        .then_expect_events(vec![ChecklistEvent::ChecklistVersionPublished {
            version: expected_version(checklist, 1, &drafts, world.config.critical_cap),
            by: world.supervisor.id,
        }]);
}

#[tokio::test]
async fn the_next_publication_is_a_new_version_with_the_cap_configured_then() {
    let mut world = World::new();
    let checklist = ChecklistId::new_v7();
    let first = vec![draft(Theme::Reception, 2, Scale::YesNo, true)];
    let v1 = ChecklistEvent::ChecklistVersionPublished {
        version: expected_version(checklist, 1, &first, world.config.critical_cap),
        by: world.supervisor.id,
    };
    let mut second = first.clone();
    second[0].weight = 5;
    second.push(draft(Theme::Accessibility, 1, Scale::YesNo, false));
    world.config = WatcherConfig {
        critical_cap: Percentage::saturating(3_900),
        ..world.config.clone()
    };
    Framework::with(world.services())
        .given(vec![created(&world, checklist), v1])
        .when_async(publish(&world, second.clone()))
        .await
        .then_expect_events(vec![ChecklistEvent::ChecklistVersionPublished {
            version: expected_version(checklist, 2, &second, Percentage::saturating(3_900)),
            by: world.supervisor.id,
        }]);
}

#[tokio::test]
async fn publishing_needs_a_supervisor_and_an_existing_checklist() {
    let world = World::new();
    let checklist = ChecklistId::new_v7();
    let criteria = vec![draft(Theme::Reception, 1, Scale::YesNo, false)];
    Framework::with(world.services())
        .given_no_previous_events()
        .when_async(publish(&world, criteria.clone()))
        .await
        .then_expect_error(ChecklistError::NotCreated);
    Framework::with(world.services())
        .given(vec![created(&world, checklist)])
        .when_async(ChecklistCommand::PublishChecklistVersion {
            actor: world.member,
            criteria,
        })
        .await
        .then_expect_error(ChecklistError::NotDepartmentSupervisor);
}

#[tokio::test]
async fn a_version_has_between_one_and_the_configured_number_of_criteria() {
    let mut world = World::new();
    world.config.max_criteria = 2;
    let checklist = ChecklistId::new_v7();
    Framework::with(world.services())
        .given(vec![created(&world, checklist)])
        .when_async(publish(&world, vec![]))
        .await
        .then_expect_error(ChecklistError::NoCriteria);
    let three = vec![draft(Theme::Reception, 1, Scale::YesNo, false); 3];
    Framework::with(world.services())
        .given(vec![created(&world, checklist)])
        .when_async(publish(&world, three))
        .await
        .then_expect_error(ChecklistError::TooManyCriteria { max: 2, actual: 3 });
}

#[tokio::test]
async fn criteria_are_unique_weighted_within_limits_on_a_valid_scale_and_labelled() {
    let world = World::new();
    let checklist = ChecklistId::new_v7();
    let given = || vec![created(&world, checklist)];
    let twice = draft(Theme::Reception, 1, Scale::YesNo, false);
    Framework::with(world.services())
        .given(given())
        .when_async(publish(&world, vec![twice.clone(), twice.clone()]))
        .await
        .then_expect_error(ChecklistError::DuplicateCriterion(twice.id));
    for weight in [0, world.config.max_weight + 1] {
        let bad = draft(Theme::Waiting, weight, Scale::YesNo, false);
        Framework::with(world.services())
            .given(given())
            .when_async(publish(&world, vec![bad.clone()]))
            .await
            .then_expect_error(ChecklistError::WeightOutOfRange {
                criterion: bad.id,
                weight,
                max: world.config.max_weight,
            });
    }
    for max in [0, 1, 11] {
        let bad = draft(Theme::Waiting, 1, Scale::Levels { max }, false);
        Framework::with(world.services())
            .given(given())
            .when_async(publish(&world, vec![bad.clone()]))
            .await
            .then_expect_error(ChecklistError::ScaleOutOfRange {
                criterion: bad.id,
                max,
                limit: 10,
            });
    }
    let mut unlabelled = draft(Theme::Information, 1, Scale::YesNo, false);
    unlabelled.label = " ".into();
    Framework::with(world.services())
        .given(given())
        .when_async(publish(&world, vec![unlabelled.clone()]))
        .await
        .then_expect_error(ChecklistError::InvalidLabel {
            criterion: unlabelled.id,
            reason: TextError::Empty,
        });
}

#[test]
fn published_versions_stay_available_by_number() {
    let world = World::new();
    let checklist = ChecklistId::new_v7();
    let drafts = vec![draft(Theme::Reception, 1, Scale::YesNo, false)];
    let mut aggregate = Checklist::default();
    aggregate.apply(created(&world, checklist));
    assert!(aggregate.latest().is_none());
    for number in 1..=2 {
        aggregate.apply(ChecklistEvent::ChecklistVersionPublished {
            version: expected_version(checklist, number, &drafts, world.config.critical_cap),
            by: world.head.id,
        });
    }
    assert_eq!(aggregate.version(1).map(|v| v.number), Some(1));
    assert_eq!(aggregate.latest().map(|v| v.number), Some(2));
    assert!(aggregate.version(3).is_none());
}
