//! Visits: planning, recording (offline too), evidence, submission, review, report,
//! cancellation; and what the inspected body may see.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use common::{Sample, VisitStory, World, now, planned_at, text};
use cqrs_es::Aggregate as _;
use cqrs_es::test::TestFramework;
use kernel::personal_data::{EnvelopeError, SubjectId};
use kernel::{Actor, Role, TextError};
use watcher::{
    Answer, Audience, CancellationReason, Channel, CriterionId, Evidence, FindingId, FindingKind,
    InvalidText, Percentage, ScoringError, VerificationOutcome, Visit, VisitCommand, VisitError,
    VisitEvent, VisitId, VisitReport, VisitStatus, score_visit,
};

type Framework = TestFramework<Visit>;

fn record(world: &World, sample: &Sample, occurred_at: DateTime<Utc>) -> VisitCommand {
    VisitCommand::RecordVisit {
        actor: world.member,
        occurred_at,
        service_asked: "Extrait de naissance".into(),
        waiting_minutes: Some(25),
        observations: "Accueil correct.".into(),
        answers: sample.good_answers(),
    }
}

fn evidence(hash_digit: char) -> Evidence {
    Evidence {
        content_hash: hash_digit.to_string().repeat(64),
        media_type: "image/jpeg".into(),
        size_bytes: 2_000_000,
    }
}

/// The member acting as a supervisor: the same person, so still not a reviewer.
fn member_as_supervisor(world: &World) -> Actor {
    Actor::agent(world.member.id, Role::WatcherSupervisor, world.department)
}

// ----- PlanVisit ------------------------------------------------------------------------

#[tokio::test]
async fn a_visit_is_planned_with_its_assignment_and_whole_checklist_version() {
    let world = World::new();
    let story = VisitStory::new(&world);
    Framework::with(world.services())
        .given_no_previous_events()
        .when_async(VisitCommand::PlanVisit {
            actor: world.supervisor,
            assignment: story.assignment,
            checklist: story.sample.version.clone(),
            subject: story.subject,
        })
        .await
        .then_expect_events(vec![VisitEvent::VisitPlanned {
            assignment: story.assignment,
            checklist: story.sample.version.clone(),
            subject: story.subject,
            by: world.supervisor.id,
            planned_at: now(),
        }]);
}

#[tokio::test]
async fn planning_needs_a_supervisor_and_a_new_visit() {
    let world = World::new();
    let story = VisitStory::new(&world);
    let plan = |actor| VisitCommand::PlanVisit {
        actor,
        assignment: story.assignment,
        checklist: story.sample.version.clone(),
        subject: story.subject,
    };
    for actor in [world.member, world.impostor()] {
        Framework::with(world.services())
            .given_no_previous_events()
            .when_async(plan(actor))
            .await
            .then_expect_error(VisitError::NotDepartmentSupervisor);
    }
    Framework::with(world.services())
        .given(vec![story.planned(&world)])
        .when_async(plan(world.head))
        .await
        .then_expect_error(VisitError::AlreadyPlanned);
}

#[tokio::test]
async fn nothing_but_planning_happens_to_a_visit_not_planned() {
    let world = World::new();
    let story = VisitStory::new(&world);
    let commands = vec![
        record(&world, &story.sample, now()),
        VisitCommand::AttachEvidence {
            actor: world.member,
            evidence: evidence('a'),
        },
        VisitCommand::RecordFinding {
            actor: world.member,
            finding: FindingId::new_v7(),
            kind: FindingKind::Recommendation,
            criterion: None,
            description: "x".into(),
        },
        VisitCommand::SubmitVisit {
            actor: world.member,
        },
        VisitCommand::AcceptVisit {
            actor: world.supervisor,
        },
        VisitCommand::SendBackVisit {
            actor: world.supervisor,
            remarks: "x".into(),
        },
        VisitCommand::SendReport {
            actor: world.supervisor,
        },
        VisitCommand::ProposeCorrectiveAction {
            actor: world.body_agent,
            finding: FindingId::new_v7(),
            action: "x".into(),
            due_on: now().date_naive(),
        },
        VisitCommand::VerifyFinding {
            actor: world.supervisor,
            finding: FindingId::new_v7(),
            follow_up: VisitId::new_v7(),
            outcome: VerificationOutcome::Implemented,
            notes: "x".into(),
        },
        VisitCommand::CancelVisit {
            actor: world.supervisor,
            reason: CancellationReason::PlanChanged,
        },
    ];
    for command in commands {
        Framework::with(world.services())
            .given_no_previous_events()
            .when_async(command)
            .await
            .then_expect_error(VisitError::NotPlanned);
    }
}

// ----- RecordVisit ----------------------------------------------------------------------

#[tokio::test]
async fn the_member_records_the_visit_with_its_computed_score_and_the_points_channel() {
    let world = World::new();
    let story = VisitStory::new(&world);
    let occurred_at = now() - Duration::hours(3);
    let answers = story.sample.good_answers();
    Framework::with(world.services())
        .given(vec![story.planned(&world)])
        .when_async(record(&world, &story.sample, occurred_at))
        .await
        .then_expect_events(vec![VisitEvent::VisitRecorded {
            occurred_at,
            recorded_at: now(),
            channel: Channel::Counter,
            service_asked: text("Extrait de naissance"),
            waiting_minutes: Some(25),
            observations: world.seal(story.subject, "Accueil correct.").await,
            score: score_visit(&story.sample.version, &answers).unwrap(),
            answers,
        }]);
}

#[tokio::test]
async fn an_offline_record_keeps_the_time_the_visit_happened_not_the_upload_time() {
    let world = World::new();
    let story = VisitStory::new(&world);
    // Visited five days ago without network; uploaded now.
    let occurred_at = now() - Duration::days(5);
    let events = Framework::with(world.services())
        .given(vec![story.planned(&world)])
        .when_async(record(&world, &story.sample, occurred_at))
        .await
        .inspect_result()
        .unwrap();
    let [
        VisitEvent::VisitRecorded {
            occurred_at: happened,
            recorded_at,
            ..
        },
    ] = &events[..]
    else {
        panic!("{events:?}");
    };
    assert_eq!(*happened, occurred_at);
    assert_eq!(*recorded_at, now());
}

#[tokio::test]
async fn a_time_in_the_future_is_refused_beyond_the_phone_clock_allowance() {
    let world = World::new();
    let story = VisitStory::new(&world);
    let allowance = Duration::seconds(i64::from(world.config.clock_skew_tolerance_seconds));
    assert!(
        Framework::with(world.services())
            .given(vec![story.planned(&world)])
            .when_async(record(&world, &story.sample, now() + allowance))
            .await
            .inspect_result()
            .is_ok()
    );
    let occurred_at = now() + allowance + Duration::seconds(1);
    Framework::with(world.services())
        .given(vec![story.planned(&world)])
        .when_async(record(&world, &story.sample, occurred_at))
        .await
        .then_expect_error(VisitError::OccurredInFuture {
            occurred_at,
            now: now(),
        });
}

#[tokio::test]
async fn a_visit_cannot_have_happened_before_it_was_planned() {
    let world = World::new();
    let story = VisitStory::new(&world);
    let occurred_at = planned_at() - Duration::minutes(1);
    Framework::with(world.services())
        .given(vec![story.planned(&world)])
        .when_async(record(&world, &story.sample, occurred_at))
        .await
        .then_expect_error(VisitError::OccurredBeforePlan {
            occurred_at,
            planned_at: planned_at(),
        });
}

#[tokio::test]
async fn only_the_assigned_member_acting_for_the_department_records() {
    let world = World::new();
    let story = VisitStory::new(&world);
    let elsewhere = Actor::agent(world.member.id, Role::WatcherMember, world.ministry);
    for actor in [world.other_member, world.supervisor, elsewhere] {
        let VisitCommand::RecordVisit {
            occurred_at,
            service_asked,
            waiting_minutes,
            observations,
            answers,
            ..
        } = record(&world, &story.sample, now())
        else {
            unreachable!()
        };
        Framework::with(world.services())
            .given(vec![story.planned(&world)])
            .when_async(VisitCommand::RecordVisit {
                actor,
                occurred_at,
                service_asked,
                waiting_minutes,
                observations,
                answers,
            })
            .await
            .then_expect_error(VisitError::NotTheAssignedMember);
    }
}

#[tokio::test]
async fn a_submitted_or_reviewed_record_is_not_recorded_again() {
    let world = World::new();
    let story = VisitStory::new(&world);
    let accepted = story.up_to_accepted(&world).await;
    for (events, status) in [
        (accepted[..3].to_vec(), VisitStatus::Submitted),
        (accepted.clone(), VisitStatus::Accepted),
    ] {
        Framework::with(world.services())
            .given(events)
            .when_async(record(&world, &story.sample, now()))
            .await
            .then_expect_error(VisitError::WrongStatus { status });
    }
}

#[tokio::test]
async fn the_service_asked_observations_and_waiting_time_are_validated() {
    let world = World::new();
    let story = VisitStory::new(&world);
    let with = |change: &dyn Fn(&mut VisitCommand)| {
        let mut command = record(&world, &story.sample, now());
        change(&mut command);
        command
    };
    let cases: Vec<(VisitCommand, VisitError)> = vec![
        (
            with(&|c| {
                if let VisitCommand::RecordVisit { service_asked, .. } = c {
                    *service_asked = String::new();
                }
            }),
            VisitError::InvalidText(InvalidText {
                field: "service_asked",
                reason: TextError::Empty,
            }),
        ),
        (
            with(&|c| {
                if let VisitCommand::RecordVisit { observations, .. } = c {
                    *observations = "\u{200B}".into();
                }
            }),
            VisitError::InvalidText(InvalidText {
                field: "observations",
                reason: TextError::ForbiddenCharacter {
                    position: 1,
                    code_point: 0x200B,
                    why: "invisible character",
                },
            }),
        ),
        (
            with(&|c| {
                if let VisitCommand::RecordVisit {
                    waiting_minutes, ..
                } = c
                {
                    *waiting_minutes = Some(43_201);
                }
            }),
            VisitError::WaitingTooLong {
                minutes: 43_201,
                max: 43_200,
            },
        ),
    ];
    for (command, error) in cases {
        Framework::with(world.services())
            .given(vec![story.planned(&world)])
            .when_async(command)
            .await
            .then_expect_error(error);
    }
}

#[tokio::test]
async fn never_served_is_recorded_as_no_waiting_time() {
    let world = World::new();
    let story = VisitStory::new(&world);
    let mut command = record(&world, &story.sample, now());
    if let VisitCommand::RecordVisit {
        waiting_minutes, ..
    } = &mut command
    {
        *waiting_minutes = None;
    }
    let events = Framework::with(world.services())
        .given(vec![story.planned(&world)])
        .when_async(command)
        .await
        .inspect_result()
        .unwrap();
    assert!(matches!(
        &events[..],
        [VisitEvent::VisitRecorded {
            waiting_minutes: None,
            ..
        }]
    ));
}

#[tokio::test]
async fn answers_must_fit_the_planned_checklist_version() {
    let world = World::new();
    let story = VisitStory::new(&world);
    let sample = &story.sample;
    let stranger = CriterionId::new_v7();
    let mut extra = sample.good_answers();
    extra.insert(stranger, Answer::Yes);
    let mut missing = sample.good_answers();
    missing.remove(&sample.waiting);
    let mut wrong_kind = sample.good_answers();
    wrong_kind.insert(sample.welcome, Answer::Level(1));
    let mut too_high = sample.good_answers();
    too_high.insert(sample.waiting, Answer::Level(5));
    let nothing: BTreeMap<_, _> = sample
        .good_answers()
        .into_keys()
        .map(|id| (id, Answer::NotApplicable))
        .collect();
    for (answers, error) in [
        (extra, ScoringError::UnknownCriterion(stranger)),
        (missing, ScoringError::MissingAnswer(sample.waiting)),
        (wrong_kind, ScoringError::AnswerOutOfScale(sample.welcome)),
        (too_high, ScoringError::AnswerOutOfScale(sample.waiting)),
        (nothing, ScoringError::NothingApplicable),
    ] {
        let mut command = record(&world, sample, now());
        if let VisitCommand::RecordVisit { answers: a, .. } = &mut command {
            *a = answers;
        }
        Framework::with(world.services())
            .given(vec![story.planned(&world)])
            .when_async(command)
            .await
            .then_expect_error(VisitError::Answers(error));
    }
}

#[tokio::test]
async fn a_failed_critical_criterion_caps_the_recorded_score() {
    let world = World::new();
    let story = VisitStory::new(&world);
    let mut command = record(&world, &story.sample, now());
    if let VisitCommand::RecordVisit { answers, .. } = &mut command {
        *answers = story.sample.bribe_answers();
    }
    let events = Framework::with(world.services())
        .given(vec![story.planned(&world)])
        .when_async(command)
        .await
        .inspect_result()
        .unwrap();
    let [VisitEvent::VisitRecorded { score, .. }] = &events[..] else {
        panic!("{events:?}");
    };
    assert_eq!(score.raw, Percentage::saturating(5_000));
    assert_eq!(score.score, Percentage::saturating(4_900));
    assert_eq!(score.cap_applied, Some(Percentage::saturating(4_900)));
    assert_eq!(score.failed_critical, vec![story.sample.no_bribe]);
}

#[tokio::test]
async fn observations_of_an_erased_subject_cannot_be_recorded() {
    let world = World::new();
    let story = VisitStory::new(&world);
    world.cipher.vault().erase(story.subject).await.unwrap();
    Framework::with(world.services())
        .given(vec![story.planned(&world)])
        .when_async(record(&world, &story.sample, now()))
        .await
        .then_expect_error(VisitError::PersonalData(EnvelopeError::SubjectErased(
            story.subject,
        )));
}

#[tokio::test]
async fn the_member_corrects_the_record_after_a_send_back() {
    let world = World::new();
    let story = VisitStory::new(&world);
    let given = vec![
        story.planned(&world),
        story.recorded(&world).await,
        story.submitted(1),
        VisitEvent::VisitSentBack {
            remarks: world.seal(story.subject, "Préciser l'attente").await,
            by: world.supervisor.id,
            sent_back_at: now(),
        },
    ];
    let mut command = record(&world, &story.sample, now() - Duration::days(2));
    if let VisitCommand::RecordVisit {
        waiting_minutes, ..
    } = &mut command
    {
        *waiting_minutes = Some(40);
    }
    let events = Framework::with(world.services())
        .given(given)
        .when_async(command)
        .await
        .inspect_result()
        .unwrap();
    assert!(matches!(
        &events[..],
        [VisitEvent::VisitRecorded {
            waiting_minutes: Some(40),
            ..
        }]
    ));
}

// ----- AttachEvidence -------------------------------------------------------------------

#[tokio::test]
async fn the_member_attaches_evidence_by_reference_with_its_media_type_in_lower_case() {
    let world = World::new();
    let story = VisitStory::new(&world);
    Framework::with(world.services())
        .given(vec![story.planned(&world), story.recorded(&world).await])
        .when_async(VisitCommand::AttachEvidence {
            actor: world.member,
            evidence: Evidence {
                media_type: "Image/JPEG".into(),
                ..evidence('b')
            },
        })
        .await
        .then_expect_events(vec![VisitEvent::EvidenceAttached {
            evidence: evidence('b'),
            attached_at: now(),
        }]);
}

#[tokio::test]
async fn evidence_is_refused_when_malformed_unaccepted_empty_too_big_repeated_or_too_many() {
    let mut world = World::new();
    world.config.max_evidence_per_visit = 1;
    let story = VisitStory::new(&world);
    let recorded = vec![story.planned(&world), story.recorded(&world).await];
    let mut with_one = recorded.clone();
    with_one.push(VisitEvent::EvidenceAttached {
        evidence: evidence('c'),
        attached_at: now(),
    });
    let max = world.config.max_evidence_bytes;
    let cases = [
        (
            Evidence {
                content_hash: "C".repeat(64),
                ..evidence('c')
            },
            &recorded,
            VisitError::InvalidContentHash,
        ),
        (
            Evidence {
                content_hash: "c".repeat(63),
                ..evidence('c')
            },
            &recorded,
            VisitError::InvalidContentHash,
        ),
        (
            Evidence {
                media_type: "video/mp4".into(),
                ..evidence('d')
            },
            &recorded,
            VisitError::MediaTypeNotAccepted {
                media_type: "video/mp4".into(),
            },
        ),
        (
            Evidence {
                size_bytes: 0,
                ..evidence('d')
            },
            &recorded,
            VisitError::EvidenceSizeOutOfRange { size_bytes: 0, max },
        ),
        (
            Evidence {
                size_bytes: max + 1,
                ..evidence('d')
            },
            &recorded,
            VisitError::EvidenceSizeOutOfRange {
                size_bytes: max + 1,
                max,
            },
        ),
        (
            evidence('c'),
            &with_one,
            VisitError::EvidenceAlreadyAttached,
        ),
        (
            evidence('d'),
            &with_one,
            VisitError::TooMuchEvidence { max: 1 },
        ),
    ];
    for (evidence, given, error) in cases {
        Framework::with(world.services())
            .given(given.clone())
            .when_async(VisitCommand::AttachEvidence {
                actor: world.member,
                evidence,
            })
            .await
            .then_expect_error(error);
    }
}

#[tokio::test]
async fn evidence_comes_from_the_assigned_member_while_the_record_is_open() {
    let world = World::new();
    let story = VisitStory::new(&world);
    let attach = |actor| VisitCommand::AttachEvidence {
        actor,
        evidence: evidence('e'),
    };
    Framework::with(world.services())
        .given(vec![story.planned(&world)])
        .when_async(attach(world.member))
        .await
        .then_expect_error(VisitError::WrongStatus {
            status: VisitStatus::Planned,
        });
    Framework::with(world.services())
        .given(vec![story.planned(&world), story.recorded(&world).await])
        .when_async(attach(world.other_member))
        .await
        .then_expect_error(VisitError::NotTheAssignedMember);
}

// ----- SubmitVisit ----------------------------------------------------------------------

#[tokio::test]
async fn the_member_submits_the_record_and_resubmits_after_a_send_back() {
    let world = World::new();
    let story = VisitStory::new(&world);
    let submit = VisitCommand::SubmitVisit {
        actor: world.member,
    };
    let recorded = vec![story.planned(&world), story.recorded(&world).await];
    Framework::with(world.services())
        .given(recorded.clone())
        .when_async(submit.clone())
        .await
        .then_expect_events(vec![VisitEvent::VisitSubmitted {
            revision: 1,
            submitted_at: now(),
        }]);
    let mut sent_back = recorded;
    sent_back.push(story.submitted(1));
    sent_back.push(VisitEvent::VisitSentBack {
        remarks: world.seal(story.subject, "Joindre la photo").await,
        by: world.supervisor.id,
        sent_back_at: now(),
    });
    Framework::with(world.services())
        .given(sent_back)
        .when_async(submit)
        .await
        .then_expect_events(vec![VisitEvent::VisitSubmitted {
            revision: 2,
            submitted_at: now(),
        }]);
}

#[tokio::test]
async fn submitting_needs_a_record_and_the_assigned_member() {
    let world = World::new();
    let story = VisitStory::new(&world);
    Framework::with(world.services())
        .given(vec![story.planned(&world)])
        .when_async(VisitCommand::SubmitVisit {
            actor: world.member,
        })
        .await
        .then_expect_error(VisitError::WrongStatus {
            status: VisitStatus::Planned,
        });
    Framework::with(world.services())
        .given(vec![story.planned(&world), story.recorded(&world).await])
        .when_async(VisitCommand::SubmitVisit { actor: world.head })
        .await
        .then_expect_error(VisitError::NotTheAssignedMember);
}

// ----- AcceptVisit / SendBackVisit ------------------------------------------------------

#[tokio::test]
async fn a_supervisor_accepts_a_submitted_record_with_its_score() {
    let world = World::new();
    let story = VisitStory::new(&world);
    Framework::with(world.services())
        .given(vec![
            story.planned(&world),
            story.recorded(&world).await,
            story.submitted(1),
        ])
        .when_async(VisitCommand::AcceptVisit { actor: world.head })
        .await
        .then_expect_events(vec![VisitEvent::VisitAccepted {
            score: score_visit(&story.sample.version, &story.sample.good_answers()).unwrap(),
            by: world.head.id,
            accepted_at: now(),
        }]);
}

#[tokio::test]
async fn a_supervisor_sends_a_record_back_with_sealed_remarks() {
    let world = World::new();
    let story = VisitStory::new(&world);
    Framework::with(world.services())
        .given(vec![
            story.planned(&world),
            story.recorded(&world).await,
            story.submitted(1),
        ])
        .when_async(VisitCommand::SendBackVisit {
            actor: world.supervisor,
            remarks: "Préciser le nom du service".into(),
        })
        .await
        .then_expect_events(vec![VisitEvent::VisitSentBack {
            remarks: world
                .seal(story.subject, "Préciser le nom du service")
                .await,
            by: world.supervisor.id,
            sent_back_at: now(),
        }]);
}

#[tokio::test]
async fn review_is_by_another_supervisor_of_a_submitted_record() {
    let world = World::new();
    let story = VisitStory::new(&world);
    let submitted = [
        story.planned(&world),
        story.recorded(&world).await,
        story.submitted(1),
    ];
    let accept = |actor| VisitCommand::AcceptVisit { actor };
    let send_back = |actor, remarks: &str| VisitCommand::SendBackVisit {
        actor,
        remarks: remarks.into(),
    };
    let cases = [
        (
            accept(world.other_member),
            &submitted[..],
            VisitError::NotDepartmentSupervisor,
        ),
        (
            send_back(world.other_member, "x"),
            &submitted[..],
            VisitError::NotDepartmentSupervisor,
        ),
        (
            accept(member_as_supervisor(&world)),
            &submitted[..],
            VisitError::OwnVisit,
        ),
        (
            send_back(member_as_supervisor(&world), "x"),
            &submitted[..],
            VisitError::OwnVisit,
        ),
        (
            accept(world.supervisor),
            &submitted[..2],
            VisitError::WrongStatus {
                status: VisitStatus::CarriedOut,
            },
        ),
        (
            send_back(world.supervisor, "x"),
            &submitted[..2],
            VisitError::WrongStatus {
                status: VisitStatus::CarriedOut,
            },
        ),
        (
            send_back(world.supervisor, " "),
            &submitted[..],
            VisitError::InvalidText(InvalidText {
                field: "remarks",
                reason: TextError::Empty,
            }),
        ),
    ];
    for (command, given, error) in cases {
        Framework::with(world.services())
            .given(given.to_vec())
            .when_async(command)
            .await
            .then_expect_error(error);
    }
}

// ----- SendReport -----------------------------------------------------------------------

#[tokio::test]
async fn the_report_goes_to_the_body_with_the_local_date_and_score_but_not_the_member() {
    let world = World::new();
    let story = VisitStory::new(&world);
    let point = story.assignment.service_point;
    let events = Framework::with(world.services())
        .given(story.up_to_accepted(&world).await)
        .when_async(VisitCommand::SendReport {
            actor: world.supervisor,
        })
        .await
        .inspect_result()
        .unwrap();
    assert_eq!(
        events,
        vec![VisitEvent::ReportSent {
            report: VisitReport {
                visit: story.assignment.visit,
                organisation: point.organisation,
                service_point: point.id,
                channel: Channel::Counter,
                // 15 March 2026 09:00 UTC is 10:00 in Tunis.
                occurred_on: NaiveDate::from_ymd_opt(2026, 3, 15).unwrap(),
                score: score_visit(&story.sample.version, &story.sample.good_answers()).unwrap(),
                findings: vec![],
                sent_at: now(),
            },
        }]
    );
    let json = serde_json::to_string(&events[0]).unwrap();
    assert!(!json.contains(&world.member.id.to_string()), "{json}");
    assert!(!json.contains(&world.supervisor.id.to_string()), "{json}");
    assert!(!json.contains("Extrait de naissance"), "{json}");
}

#[tokio::test]
async fn the_report_is_sent_by_a_supervisor_once_the_visit_is_accepted() {
    let world = World::new();
    let story = VisitStory::new(&world);
    let accepted = story.up_to_accepted(&world).await;
    Framework::with(world.services())
        .given(accepted[..3].to_vec())
        .when_async(VisitCommand::SendReport {
            actor: world.supervisor,
        })
        .await
        .then_expect_error(VisitError::WrongStatus {
            status: VisitStatus::Submitted,
        });
    Framework::with(world.services())
        .given(accepted)
        .when_async(VisitCommand::SendReport {
            actor: world.member,
        })
        .await
        .then_expect_error(VisitError::NotDepartmentSupervisor);
}

// ----- CancelVisit ----------------------------------------------------------------------

#[tokio::test]
async fn a_supervisor_cancels_a_visit_not_yet_carried_out() {
    let world = World::new();
    let story = VisitStory::new(&world);
    Framework::with(world.services())
        .given(vec![story.planned(&world)])
        .when_async(VisitCommand::CancelVisit {
            actor: world.supervisor,
            reason: CancellationReason::ConflictOfInterest,
        })
        .await
        .then_expect_events(vec![VisitEvent::VisitCancelled {
            reason: CancellationReason::ConflictOfInterest,
            by: world.supervisor.id,
            cancelled_at: now(),
        }]);
}

#[tokio::test]
async fn cancelling_needs_a_supervisor_and_a_visit_not_carried_out() {
    let world = World::new();
    let story = VisitStory::new(&world);
    let cancel = |actor| VisitCommand::CancelVisit {
        actor,
        reason: CancellationReason::MemberUnavailable,
    };
    Framework::with(world.services())
        .given(vec![story.planned(&world), story.recorded(&world).await])
        .when_async(cancel(world.supervisor))
        .await
        .then_expect_error(VisitError::WrongStatus {
            status: VisitStatus::CarriedOut,
        });
    Framework::with(world.services())
        .given(vec![story.planned(&world)])
        .when_async(cancel(world.member))
        .await
        .then_expect_error(VisitError::NotDepartmentSupervisor);
    let mut cancelled = Visit::default();
    cancelled.apply(story.planned(&world));
    cancelled.apply(VisitEvent::VisitCancelled {
        reason: CancellationReason::PlanChanged,
        by: world.head.id,
        cancelled_at: now(),
    });
    assert_eq!(cancelled.status(), Some(VisitStatus::Cancelled));
}

// ----- What the inspected body sees -----------------------------------------------------

#[tokio::test]
async fn only_the_report_and_the_follow_up_of_findings_reach_the_inspected_body() {
    let world = World::new();
    let story = VisitStory::new(&world);
    let mut events = story.up_to_accepted(&world).await;
    let report = Framework::with(world.services())
        .given(events.clone())
        .when_async(VisitCommand::SendReport {
            actor: world.supervisor,
        })
        .await
        .inspect_result()
        .unwrap();
    events.extend(report);
    let body_visible: Vec<_> = events
        .iter()
        .filter(|e| e.audience() == Audience::DepartmentAndInspectedBody)
        .map(cqrs_es::DomainEvent::event_type)
        .collect();
    assert_eq!(body_visible, vec!["ReportSent"]);
    assert_eq!(events[0].audience(), Audience::Department);
    // Whatever reaches the body never names the member.
    for event in events
        .iter()
        .filter(|e| e.audience() == Audience::DepartmentAndInspectedBody)
    {
        let json = serde_json::to_string(event).unwrap();
        assert!(!json.contains(&world.member.id.to_string()));
    }
    let sealed = SubjectId::new_v7();
    let follow_ups = [
        VisitEvent::CorrectiveActionProposed {
            finding: FindingId::new_v7(),
            action: world.seal(sealed, "Afficher les tarifs").await,
            due_on: now().date_naive(),
            by: world.body_agent.id,
            organisation: world.structure,
            proposed_at: now(),
        },
        VisitEvent::FindingVerified {
            finding: FindingId::new_v7(),
            follow_up: VisitId::new_v7(),
            outcome: VerificationOutcome::Implemented,
            notes: world.seal(sealed, "Tarifs affichés").await,
            verified_at: now(),
        },
    ];
    for event in follow_ups {
        assert_eq!(event.audience(), Audience::DepartmentAndInspectedBody);
    }
}
