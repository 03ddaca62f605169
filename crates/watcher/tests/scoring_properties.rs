//! Property tests of scoring: deterministic, bounded to 0..=100, capped when a critical
//! criterion fails, independent of the criteria's order; and a new checklist version never
//! changes the score of a visit planned with an older one.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;

use chrono::Duration;
use common::{VisitStory, World, now, text};
use cqrs_es::Aggregate;
use cqrs_es::event_sink::EventSink;
use proptest::prelude::*;
use watcher::{
    Answer, Checklist, ChecklistCommand, ChecklistEvent, ChecklistId, ChecklistVersion, Criterion,
    CriterionDraft, CriterionId, Percentage, Scale, Theme, Visit, VisitCommand, VisitEvent,
    score_visit,
};

fn theme() -> impl Strategy<Value = Theme> {
    prop::sample::select(Theme::ALL.to_vec())
}

fn scale() -> impl Strategy<Value = Scale> {
    prop_oneof![
        Just(Scale::YesNo),
        (2u8..=10).prop_map(|max| Scale::Levels { max })
    ]
}

/// A criterion and a valid answer to it.
fn criterion_and_answer() -> impl Strategy<Value = (Criterion, Answer)> {
    (
        theme(),
        1u16..=100,
        scale(),
        any::<bool>(),
        any::<u8>(),
        0u8..10,
    )
        .prop_map(|(theme, weight, scale, critical, level, pick)| {
            let answer = match scale {
                _ if pick == 0 => Answer::NotApplicable,
                Scale::YesNo if level % 2 == 0 => Answer::Yes,
                Scale::YesNo => Answer::No,
                Scale::Levels { max } => Answer::Level(level % (max + 1)),
            };
            let criterion = Criterion {
                id: CriterionId::new_v7(),
                theme,
                label: text("Critère"),
                weight,
                scale,
                critical,
            };
            (criterion, answer)
        })
}

/// A version of 1 to 40 criteria with a cap, and valid answers to each.
fn version_and_answers() -> impl Strategy<Value = (ChecklistVersion, BTreeMap<CriterionId, Answer>)>
{
    (
        prop::collection::vec(criterion_and_answer(), 1..40),
        0u16..=10_000,
    )
        .prop_map(|(items, cap)| {
            let answers = items.iter().map(|(c, a)| (c.id, *a)).collect();
            let version = ChecklistVersion {
                checklist: ChecklistId::new_v7(),
                number: 1,
                title: text("Grille"),
                criteria: items.into_iter().map(|(c, _)| c).collect(),
                critical_cap: Percentage::saturating(cap),
                published_at: now(),
            };
            (version, answers)
        })
}

fn is_failure(answer: Answer) -> bool {
    matches!(answer, Answer::No | Answer::Level(0))
}

proptest! {
    #[test]
    fn scoring_is_deterministic_bounded_and_capped(
        (version, answers) in version_and_answers(),
    ) {
        let applicable = answers.values().any(|a| *a != Answer::NotApplicable);
        let Ok(card) = score_visit(&version, &answers) else {
            prop_assert!(!applicable);
            return Ok(());
        };
        // Deterministic: again, and after a serialization round trip of its inputs.
        prop_assert_eq!(score_visit(&version, &answers).unwrap(), card.clone());
        let replayed: ChecklistVersion =
            serde_json::from_str(&serde_json::to_string(&version).unwrap()).unwrap();
        prop_assert_eq!(score_visit(&replayed, &answers).unwrap(), card.clone());
        // Bounded.
        prop_assert!(card.score.basis_points() <= 10_000);
        prop_assert!(card.score <= card.raw);
        for theme in &card.themes {
            prop_assert!(theme.score.basis_points() <= 10_000);
        }
        // Capped exactly when a critical criterion failed.
        let failed: Vec<_> = version
            .criteria
            .iter()
            .filter(|c| c.critical && is_failure(answers[&c.id]))
            .map(|c| c.id)
            .collect();
        prop_assert_eq!(&card.failed_critical, &failed);
        if failed.is_empty() {
            prop_assert_eq!(card.score, card.raw);
            prop_assert_eq!(card.cap_applied, None);
        } else {
            prop_assert!(card.score <= version.critical_cap);
            prop_assert_eq!(card.score, card.raw.min(version.critical_cap));
        }
        // Full marks on every applicable criterion, and only then, give 100.
        let full = version.criteria.iter().all(|c| match answers[&c.id] {
            Answer::No => false,
            Answer::Level(level) => Scale::Levels { max: level } == c.scale,
            Answer::Yes | Answer::NotApplicable => true,
        });
        prop_assert_eq!(card.raw == Percentage::FULL, full);
    }

    #[test]
    fn the_order_of_the_criteria_does_not_change_the_score(
        (version, answers) in version_and_answers(),
        seed in any::<u64>(),
    ) {
        let mut shuffled = version.clone();
        let len = shuffled.criteria.len();
        shuffled.criteria.rotate_left(usize::try_from(seed % len as u64).unwrap());
        shuffled.criteria.reverse();
        let (a, b) = (score_visit(&version, &answers), score_visit(&shuffled, &answers));
        prop_assert_eq!(a.as_ref().map(|c| (c.score, c.raw)), b.as_ref().map(|c| (c.score, c.raw)));
    }

    #[test]
    fn a_new_checklist_version_leaves_old_visits_scores_unchanged(
        (first, answers) in version_and_answers(),
        (second, _) in version_and_answers(),
    ) {
        prop_assume!(answers.values().any(|a| *a != Answer::NotApplicable));
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        runtime.block_on(async {
            let world = World::new();
            let services = world.services();
            let drafts = |version: &ChecklistVersion| -> Vec<CriterionDraft> {
                version.criteria.iter().map(|c| CriterionDraft {
                    id: c.id,
                    theme: c.theme,
                    label: c.label.as_str().to_owned(),
                    weight: c.weight,
                    scale: c.scale,
                    critical: c.critical,
                }).collect()
            };
            // Publish version 1 through the checklist aggregate.
            let mut checklist = Checklist::default();
            let checklist_id = ChecklistId::new_v7();
            for command in [
                ChecklistCommand::CreateChecklist {
                    actor: world.head,
                    checklist: checklist_id,
                    title: "Grille".into(),
                },
                ChecklistCommand::PublishChecklistVersion {
                    actor: world.head,
                    criteria: drafts(&first),
                },
            ] {
                execute(&mut checklist, command, &services).await;
            }
            let v1 = checklist.latest().unwrap().clone();
            let expected = score_visit(&v1, &answers).unwrap();

            // Plan and record a visit with version 1.
            let mut story = VisitStory::new(&world);
            story.sample.version = v1.clone();
            let mut visit = Visit::default();
            visit.apply(story.planned(&world));
            let record = VisitCommand::RecordVisit {
                actor: world.member,
                occurred_at: now() - Duration::days(1),
                service_asked: "Certificat".into(),
                waiting_minutes: Some(5),
                observations: "RAS".into(),
                answers: answers.clone(),
            };
            let recorded = execute(&mut visit, record.clone(), &services).await;
            assert!(matches!(&recorded[..], [VisitEvent::VisitRecorded { score, .. }] if *score == expected));

            // Publish version 2: other criteria, and the old ones with other weights and
            // criticality (and the cap configured then).
            let mut changed = drafts(&second);
            changed.extend(drafts(&first).into_iter().map(|mut d| {
                d.weight = 101 - d.weight;
                d.critical = !d.critical;
                d
            }));
            let mut later = world.services();
            later.config.critical_cap = second.critical_cap;
            let published = execute(
                &mut checklist,
                ChecklistCommand::PublishChecklistVersion { actor: world.head, criteria: changed },
                &later,
            ).await;
            assert!(matches!(&published[..], [ChecklistEvent::ChecklistVersionPublished { version, .. }] if version.number == 2));
            assert_eq!(checklist.version(1), Some(&v1));

            // The old visit's score is unchanged: in its state, on a correction recorded after
            // version 2, and after a replay of its events.
            assert_eq!(visit.score(), Some(&expected));
            let corrected = execute(&mut visit, record, &services).await;
            assert!(matches!(&corrected[..], [VisitEvent::VisitRecorded { score, .. }] if *score == expected));
            let mut replayed = Visit::default();
            replayed.apply(story.planned(&world));
            for event in recorded.into_iter().chain(corrected) {
                let json = serde_json::to_string(&event).unwrap();
                replayed.apply(serde_json::from_str(&json).unwrap());
            }
            assert_eq!(replayed.score(), Some(&expected));
        });
    }
}

/// Handles `command` on `aggregate` and returns the events, which are already applied.
async fn execute<A: Aggregate>(
    aggregate: &mut A,
    command: A::Command,
    services: &A::Services,
) -> Vec<A::Event> {
    let sink = EventSink::default();
    aggregate.handle(command, services, &sink).await.unwrap();
    sink.collect().await
}
