//! Property test of the visit lifecycle (ADR 0004): random command sequences, by random
//! actors, never take a visit to a state its lifecycle forbids, never let the member review
//! their own visit, never close a finding twice, and never put the member's identity in an
//! event the inspected body reads.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::Duration;
use common::{VisitStory, World, now};
use cqrs_es::event_sink::EventSink;
use cqrs_es::{Aggregate, DomainEvent};
use proptest::prelude::*;
use watcher::{
    Audience, CancellationReason, Evidence, FindingId, FindingKind, FindingStatus, Severity,
    VerificationOutcome, Visit, VisitCommand, VisitEvent, VisitId, VisitStatus,
};

/// Who issues a step.
#[derive(Clone, Copy, Debug)]
enum Who {
    Member,
    OtherMember,
    Supervisor,
    BodyAgent,
}

/// One step of a random history.
#[derive(Clone, Debug)]
enum Step {
    Record { hours_ago: i64 },
    Attach { digit: u8 },
    Finding { which: u8 },
    Submit,
    Accept,
    SendBack,
    Report,
    Propose { which: u8, days: i64 },
    Verify { which: u8, implemented: bool },
    Cancel,
}

/// A step, issued by the actor it is meant for three times out of four, so that histories
/// go deep into the lifecycle, and by a random actor otherwise.
fn step() -> impl Strategy<Value = (Who, Step)> {
    let who = prop_oneof![
        Just(Who::Member),
        Just(Who::OtherMember),
        Just(Who::Supervisor),
        Just(Who::BodyAgent),
    ];
    // Cancelling ends a history: it is rare, so that most histories go further.
    let step = prop_oneof![
        10 => (-1i64..200).prop_map(|hours_ago| Step::Record { hours_ago }),
        10 => (0u8..4).prop_map(|digit| Step::Attach { digit }),
        10 => (0u8..3).prop_map(|which| Step::Finding { which }),
        10 => Just(Step::Submit),
        10 => Just(Step::Accept),
        5 => Just(Step::SendBack),
        10 => Just(Step::Report),
        10 => (0u8..3, -1i64..400).prop_map(|(which, days)| Step::Propose { which, days }),
        10 => (0u8..3, any::<bool>()).prop_map(|(which, implemented)| Step::Verify {
            which,
            implemented
        }),
        1 => Just(Step::Cancel),
    ];
    (step, who, 0u8..4).prop_map(|(step, who, dice)| {
        let meant = match step {
            Step::Record { .. } | Step::Attach { .. } | Step::Finding { .. } | Step::Submit => {
                Who::Member
            }
            Step::Propose { .. } => Who::BodyAgent,
            Step::Accept | Step::SendBack | Step::Report | Step::Verify { .. } | Step::Cancel => {
                Who::Supervisor
            }
        };
        (if dice == 0 { who } else { meant }, step)
    })
}

fn allowed(from: VisitStatus, to: VisitStatus) -> bool {
    use VisitStatus::*;
    from == to
        || matches!(
            (from, to),
            (Planned, CarriedOut | Cancelled)
                | (CarriedOut | SentBack, CarriedOut | Submitted)
                | (Submitted, Accepted | SentBack)
                | (Accepted, ReportSent)
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]
    #[test]
    fn random_histories_respect_the_lifecycle(steps in prop::collection::vec(step(), 1..80)) {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        runtime.block_on(async {
            let world = World::new();
            let services = world.services();
            let story = VisitStory::new(&world);
            let findings = [FindingId::new_v7(), FindingId::new_v7(), FindingId::new_v7()];
            let mut visit = Visit::default();
            visit.apply(story.planned(&world));
            let mut history = vec![story.planned(&world)];
            for (who, step) in steps {
                let actor = match who {
                    Who::Member => world.member,
                    Who::OtherMember => world.other_member,
                    Who::Supervisor => world.supervisor,
                    Who::BodyAgent => world.body_agent,
                };
                let command = match step {
                    Step::Record { hours_ago } => VisitCommand::RecordVisit {
                        actor,
                        occurred_at: now() - Duration::hours(hours_ago),
                        service_asked: "Certificat de résidence".into(),
                        waiting_minutes: Some(10),
                        observations: "RAS".into(),
                        answers: story.sample.bribe_answers(),
                    },
                    Step::Attach { digit } => VisitCommand::AttachEvidence {
                        actor,
                        evidence: Evidence {
                            content_hash: char::from(b'0' + digit).to_string().repeat(64),
                            media_type: "image/png".into(),
                            size_bytes: 1_000,
                        },
                    },
                    Step::Finding { which } => VisitCommand::RecordFinding {
                        actor,
                        finding: findings[usize::from(which)],
                        kind: FindingKind::Shortcoming { severity: Severity::Minor },
                        criterion: None,
                        description: "Pas de file d'attente".into(),
                    },
                    Step::Submit => VisitCommand::SubmitVisit { actor },
                    Step::Accept => VisitCommand::AcceptVisit { actor },
                    Step::SendBack => VisitCommand::SendBackVisit {
                        actor,
                        remarks: "À préciser".into(),
                    },
                    Step::Report => VisitCommand::SendReport { actor },
                    Step::Propose { which, days } => VisitCommand::ProposeCorrectiveAction {
                        actor,
                        finding: findings[usize::from(which)],
                        action: "Installer un distributeur de tickets".into(),
                        due_on: now().date_naive() + Duration::days(days),
                    },
                    Step::Verify { which, implemented } => VisitCommand::VerifyFinding {
                        actor,
                        finding: findings[usize::from(which)],
                        follow_up: VisitId::new_v7(),
                        outcome: if implemented {
                            VerificationOutcome::Implemented
                        } else {
                            VerificationOutcome::NotImplemented
                        },
                        notes: "Vu".into(),
                    },
                    Step::Cancel => VisitCommand::CancelVisit {
                        actor,
                        reason: CancellationReason::PlanChanged,
                    },
                };
                let before = visit.status().unwrap();
                let closed_before: Vec<_> = findings
                    .iter()
                    .filter(|f| visit.finding_status(**f) == Some(FindingStatus::Verified))
                    .copied()
                    .collect();
                let sink = EventSink::default();
                let result = visit.handle(command, &services, &sink).await;
                let events = sink.collect().await;
                if result.is_err() {
                    assert!(events.is_empty(), "a refusal writes nothing");
                    assert_eq!(visit.status(), Some(before), "a refusal changes nothing");
                    continue;
                }
                let after = visit.status().unwrap();
                assert!(allowed(before, after), "{before:?} -> {after:?}");
                for event in &events {
                    if let VisitEvent::VisitAccepted { by, .. } | VisitEvent::VisitSentBack { by, .. } = event {
                        assert_ne!(*by, world.member.id, "the member reviewed their own visit");
                    }
                    if let VisitEvent::VisitRecorded { occurred_at, .. } = event {
                        assert!(*occurred_at <= now() + Duration::minutes(5));
                        assert!(*occurred_at >= common::planned_at());
                    }
                    if let VisitEvent::FindingVerified { finding, .. }
                    | VisitEvent::CorrectiveActionProposed { finding, .. } = event
                    {
                        assert!(!closed_before.contains(finding), "a closed finding changed");
                    }
                    if event.audience() == Audience::DepartmentAndInspectedBody {
                        assert_eq!(after, VisitStatus::ReportSent, "{}", event.event_type());
                        let json = serde_json::to_string(event).unwrap();
                        assert!(!json.contains(&world.member.id.to_string()));
                    }
                }
                history.extend(events);
            }
            // Replaying the history gives the same state.
            let mut replayed = Visit::default();
            for event in history {
                replayed.apply(event);
            }
            assert_eq!(replayed.status(), visit.status());
            assert_eq!(replayed.score(), visit.score());
            for finding in findings {
                assert_eq!(replayed.finding_status(finding), visit.finding_status(finding));
            }
        });
    }
}
