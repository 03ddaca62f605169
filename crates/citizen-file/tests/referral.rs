//! Referrals: the handling organisation refers a file to one or several structures (each
//! referral a chain-of-custody record), and each structure acknowledges, replies to or
//! returns its own referral.
#![allow(clippy::unwrap_used)]

mod common;

use citizen_file::{
    CitizenFile, CitizenFileCommand, CitizenFileEvent, DeadlinePolicy, Feasibility, FileError,
    FileKind, FileStatus, InvalidText, KindDetails, ReferralId, ReferralStatus, ReplyOutcome,
    Urgency,
};
use common::{NOTIFICATION, World};
use cqrs_es::Aggregate;
use kernel::calendar::{DeadlineRule, DeadlineUnit};
use kernel::{OrganisationId, OrganisationKind, Role, TextError};

const KIND: KindDetails = KindDetails::Petition;

async fn admitted(world: &World, kind: KindDetails) -> Vec<CitizenFileEvent> {
    world.run([world.submit(kind), world.admit(kind)]).await
}

async fn referred(world: &World, kind: KindDetails) -> Vec<CitizenFileEvent> {
    world
        .run([
            world.submit(kind),
            world.admit(kind),
            world.refer(kind, world.referral),
        ])
        .await
}

fn state(events: &[CitizenFileEvent]) -> CitizenFile {
    let mut file = CitizenFile::default();
    for event in events.iter().cloned() {
        file.apply(event);
    }
    file
}

// decree 2019-1242 art. 4, 7: the office refers the file to the structure concerned
#[tokio::test]
async fn a_referral_records_from_to_why_and_when_with_the_structures_deadline() {
    let mut world = World::new();
    let policy = DeadlinePolicy {
        rule: DeadlineRule::new(10, DeadlineUnit::WorkingDays, "configuration: hospitals"),
        max_extension: 5,
    };
    world
        .config
        .reply
        .structures
        .insert(world.structure, policy.clone());
    let history = admitted(&world, KIND).await;
    world.advance_days(1);
    let agent = world.office_agent();
    let reason = "Compétence de la direction";
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::ReferFile {
            actor: agent,
            referral: world.referral,
            to: world.structure,
            reason: reason.into(),
        })
        .await
        .then_expect_events(vec![CitizenFileEvent::FileReferred {
            referral: world.referral,
            from: world.office,
            to: world.structure,
            reason: world.seal_text(reason).await,
            by: agent.id,
            at: world.now(),
            deadline: world.scheduled(&policy, world.now()),
        }]);
}

#[tokio::test]
async fn a_file_may_be_referred_to_several_structures_and_stays_referred_until_all_answer() {
    let world = World::new();
    let second = ReferralId::new_v7();
    let events = world
        .run([
            world.submit(KIND),
            world.admit(KIND),
            world.refer(KIND, world.referral),
            CitizenFileCommand::ReferFile {
                actor: world.office_agent(),
                referral: second,
                to: world.other_structure,
                reason: "Volet équipement".into(),
            },
            world.reply(KIND, world.referral),
        ])
        .await;
    let file = state(&events);
    assert_eq!(file.status(), FileStatus::Referred);
    assert_eq!(
        file.referral_status(world.referral),
        Some(ReferralStatus::Replied)
    );
    let events = world
        .run_after(
            events,
            [CitizenFileCommand::ReturnReferral {
                actor: world.agent_of(Role::StructureAgent, world.other_structure),
                referral: second,
                reason: "Hors compétence".into(),
            }],
        )
        .await;
    assert_eq!(state(&events).status(), FileStatus::UnderStudy);
}

#[tokio::test]
async fn a_file_is_referred_only_once_admitted() {
    let world = World::new();
    let history = world.run([world.submit(KIND)]).await;
    world
        .framework()
        .given(history)
        .when_async(world.refer(KIND, world.referral))
        .await
        .then_expect_error(FileError::WrongState {
            status: FileStatus::Received,
        });
}

#[tokio::test]
async fn only_the_handling_organisation_refers() {
    let world = World::new();
    let history = admitted(&world, KIND).await;
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::ReferFile {
            actor: world.structure_agent(),
            referral: world.referral,
            to: world.other_structure,
            reason: "Je transmets".into(),
        })
        .await
        .then_expect_error(FileError::NotTheHandlingOrganisation {
            handled_by: world.office,
        });
}

#[tokio::test]
async fn a_referral_goes_to_a_known_structure_that_answers_files() {
    let world = World::new();
    let history = admitted(&world, KIND).await;
    let refer_to = |to: OrganisationId| CitizenFileCommand::ReferFile {
        actor: world.office_agent(),
        referral: world.referral,
        to,
        reason: "Pour attribution".into(),
    };
    let unknown = OrganisationId::new_v7();
    world
        .framework()
        .given(history.clone())
        .when_async(refer_to(unknown))
        .await
        .then_expect_error(FileError::UnknownOrganisation {
            organisation: unknown,
        });
    for (to, kind) in [
        (world.other_office, OrganisationKind::CitizenRelationsOffice),
        (world.bureau, OrganisationKind::CentralBureau),
    ] {
        world
            .framework()
            .given(history.clone())
            .when_async(refer_to(to))
            .await
            .then_expect_error(FileError::NotAStructure {
                organisation: to,
                kind,
            });
    }
}

#[tokio::test]
async fn a_structure_holding_the_file_is_not_sent_it_again_nor_a_referral_id_reused() {
    let world = World::new();
    let history = referred(&world, KIND).await;
    world
        .framework()
        .given(history.clone())
        .when_async(world.refer(KIND, ReferralId::new_v7()))
        .await
        .then_expect_error(FileError::AlreadyReferredTo {
            structure: world.structure,
        });
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::ReferFile {
            actor: world.office_agent(),
            referral: world.referral,
            to: world.other_structure,
            reason: "Encore".into(),
        })
        .await
        .then_expect_error(FileError::ReferralAlreadyExists {
            referral: world.referral,
        });
}

#[tokio::test]
async fn a_referral_needs_a_reason() {
    let world = World::new();
    let history = admitted(&world, KIND).await;
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::ReferFile {
            actor: world.office_agent(),
            referral: world.referral,
            to: world.structure,
            reason: "".into(),
        })
        .await
        .then_expect_error(FileError::InvalidText(InvalidText {
            field: "reason",
            error: TextError::Empty,
        }));
}

// decree 2019-1242 art. 10: danger sets the pace, whatever the structure's usual deadline
#[tokio::test]
async fn an_urgent_notifications_referral_follows_its_urgency_rule() {
    let mut world = World::new();
    world.config.reply.structures.insert(
        world.structure,
        DeadlinePolicy {
            rule: DeadlineRule::new(60, DeadlineUnit::CalendarDays, "configuration"),
            max_extension: 0,
        },
    );
    let kind = KindDetails::Notification {
        urgency: Urgency::LifeThreatening,
    };
    let events = referred(&world, kind).await;
    let Some(CitizenFileEvent::FileReferred { deadline, .. }) = events.last() else {
        panic!("{events:?}");
    };
    assert_eq!(deadline.deadline.rule.amount, 24);
    assert_eq!(deadline.deadline.rule.unit, DeadlineUnit::Hours);
}

#[tokio::test]
async fn the_structure_acknowledges_its_referral() {
    let world = World::new();
    let history = referred(&world, KIND).await;
    let agent = world.structure_agent();
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::AcknowledgeReferral {
            actor: agent,
            referral: world.referral,
        })
        .await
        .then_expect_events(vec![CitizenFileEvent::ReferralAcknowledged {
            referral: world.referral,
            by: agent.id,
            organisation: world.structure,
            at: world.now(),
        }]);
}

#[tokio::test]
async fn a_referral_is_acknowledged_once() {
    let world = World::new();
    let history = referred(&world, KIND).await;
    let acknowledge = CitizenFileCommand::AcknowledgeReferral {
        actor: world.structure_agent(),
        referral: world.referral,
    };
    let history = world.run_after(history, [acknowledge.clone()]).await;
    world
        .framework()
        .given(history)
        .when_async(acknowledge)
        .await
        .then_expect_error(FileError::WrongReferralState {
            referral: world.referral,
            status: ReferralStatus::Acknowledged,
        });
}

// decree 2019-1242 art. 4: the structure answers files referred to it, and only those
#[tokio::test]
async fn only_the_structure_referred_to_acts_on_the_referral() {
    let world = World::new();
    let history = referred(&world, KIND).await;
    let outsiders = [
        world.agent_of(Role::StructureAgent, world.other_structure),
        world.agent_of(Role::Signatory, world.structure),
        world.office_agent(),
    ];
    for actor in outsiders {
        let commands = [
            CitizenFileCommand::AcknowledgeReferral {
                actor,
                referral: world.referral,
            },
            CitizenFileCommand::ReplyToReferral {
                actor,
                referral: world.referral,
                outcome: ReplyOutcome::Answer,
                text: "Réponse".into(),
            },
            CitizenFileCommand::ReturnReferral {
                actor,
                referral: world.referral,
                reason: "Non".into(),
            },
        ];
        for command in commands {
            world
                .framework()
                .given(history.clone())
                .when_async(command)
                .await
                .then_expect_error(FileError::NotReferredToYourStructure {
                    referral: world.referral,
                });
        }
    }
}

#[tokio::test]
async fn an_unknown_referral_is_refused() {
    let world = World::new();
    let history = referred(&world, KIND).await;
    let unknown = ReferralId::new_v7();
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::AcknowledgeReferral {
            actor: world.structure_agent(),
            referral: unknown,
        })
        .await
        .then_expect_error(FileError::NoSuchReferral { referral: unknown });
}

#[tokio::test]
async fn the_structure_replies_within_its_deadline() {
    let world = World::new();
    let history = referred(&world, KIND).await;
    world.advance_days(5);
    let agent = world.structure_agent();
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::ReplyToReferral {
            actor: agent,
            referral: world.referral,
            outcome: ReplyOutcome::Answer,
            text: "Le dossier est réglé.".into(),
        })
        .await
        .then_expect_events(vec![CitizenFileEvent::ReferralReplied {
            referral: world.referral,
            outcome: ReplyOutcome::Answer,
            text: world.seal_text("Le dossier est réglé.").await,
            by: agent.id,
            organisation: world.structure,
            at: world.now(),
            within_deadline: true,
        }]);
}

// decree 2019-1242 art. 4: a late reply is still owed; the record says it was late
#[tokio::test]
async fn a_late_reply_is_taken_and_recorded_as_late() {
    let world = World::new();
    let history = referred(&world, KIND).await;
    world.advance_days(45);
    let events = world
        .framework()
        .given(history)
        .when_async(world.reply(KIND, world.referral))
        .await
        .inspect_result()
        .unwrap();
    assert!(matches!(
        events.as_slice(),
        [CitizenFileEvent::ReferralReplied {
            within_deadline: false,
            ..
        }]
    ));
}

// decree 2019-1242 art. 9: the structure returns a feasibility assessment
#[tokio::test]
async fn a_suggestion_is_answered_with_a_feasibility_assessment() {
    let world = World::new();
    let kind = KindDetails::Suggestion;
    let history = referred(&world, kind).await;
    for feasibility in [
        Feasibility::Feasible,
        Feasibility::PartlyFeasible,
        Feasibility::NotFeasible,
    ] {
        let outcome = ReplyOutcome::FeasibilityAssessment { feasibility };
        let events = world
            .framework()
            .given(history.clone())
            .when_async(CitizenFileCommand::ReplyToReferral {
                actor: world.structure_agent(),
                referral: world.referral,
                outcome,
                text: "Coût élevé, mise en œuvre partielle possible.".into(),
            })
            .await
            .inspect_result()
            .unwrap();
        assert!(matches!(
            events.as_slice(),
            [CitizenFileEvent::ReferralReplied { outcome: o, .. }] if *o == outcome
        ));
    }
}

// decree 2019-1242 art. 10: the structure reports its intervention and the harm removed
#[tokio::test]
async fn a_notification_is_answered_with_an_intervention_report() {
    let world = World::new();
    let history = referred(&world, NOTIFICATION).await;
    let intervened_at = world.now();
    world.advance_hours(3);
    let outcome = ReplyOutcome::InterventionReport {
        intervened_at,
        harm_removed: true,
    };
    let events = world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::ReplyToReferral {
            actor: world.structure_agent(),
            referral: world.referral,
            outcome,
            text: "Lampadaire remplacé.".into(),
        })
        .await
        .inspect_result()
        .unwrap();
    assert!(matches!(
        events.as_slice(),
        [CitizenFileEvent::ReferralReplied { outcome: o, .. }] if *o == outcome
    ));
}

#[tokio::test]
async fn an_intervention_cannot_be_reported_before_it_happens() {
    let world = World::new();
    let history = referred(&world, NOTIFICATION).await;
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::ReplyToReferral {
            actor: world.structure_agent(),
            referral: world.referral,
            outcome: ReplyOutcome::InterventionReport {
                intervened_at: world.now() + chrono::Duration::hours(1),
                harm_removed: true,
            },
            text: "Demain".into(),
        })
        .await
        .then_expect_error(FileError::InterventionInTheFuture);
}

// decree 2019-1242 art. 7-10: what the structure returns depends on the kind
#[tokio::test]
async fn a_reply_must_fit_the_kind() {
    let world = World::new();
    let cases = [
        (
            KindDetails::Petition,
            ReplyOutcome::FeasibilityAssessment {
                feasibility: Feasibility::Feasible,
            },
        ),
        (KindDetails::Suggestion, ReplyOutcome::Answer),
        (NOTIFICATION, ReplyOutcome::Answer),
        (
            KindDetails::GuidanceRequest,
            ReplyOutcome::InterventionReport {
                intervened_at: world.now(),
                harm_removed: false,
            },
        ),
    ];
    for (kind, outcome) in cases {
        let history = referred(&world, kind).await;
        world
            .framework()
            .given(history)
            .when_async(CitizenFileCommand::ReplyToReferral {
                actor: world.structure_agent(),
                referral: world.referral,
                outcome,
                text: "Réponse".into(),
            })
            .await
            .then_expect_error(FileError::ReplyDoesNotFitKind { kind: kind.kind() });
    }
    assert!(ReplyOutcome::Answer.fits(FileKind::GuidanceRequest));
}

#[tokio::test]
async fn a_reply_needs_a_text_within_the_limit() {
    let world = World::new();
    let history = referred(&world, KIND).await;
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::ReplyToReferral {
            actor: world.structure_agent(),
            referral: world.referral,
            outcome: ReplyOutcome::Answer,
            text: "r".repeat(20_001),
        })
        .await
        .then_expect_error(FileError::InvalidText(InvalidText {
            field: "text",
            error: TextError::TooLong {
                max: 20_000,
                actual: 20_001,
            },
        }));
}

#[tokio::test]
async fn a_structure_that_is_not_competent_returns_the_file_to_the_office() {
    let world = World::new();
    let history = referred(&world, KIND).await;
    let agent = world.structure_agent();
    let reason = "Relève du ministère de l'intérieur";
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::ReturnReferral {
            actor: agent,
            referral: world.referral,
            reason: reason.into(),
        })
        .await
        .then_expect_events(vec![CitizenFileEvent::ReferralReturned {
            referral: world.referral,
            reason: world.seal_text(reason).await,
            by: agent.id,
            organisation: world.structure,
            at: world.now(),
        }]);
}

#[tokio::test]
async fn the_office_reroutes_a_returned_file_to_another_structure() {
    let world = World::new();
    let history = referred(&world, KIND).await;
    let history = world
        .run_after(
            history,
            [CitizenFileCommand::ReturnReferral {
                actor: world.structure_agent(),
                referral: world.referral,
                reason: "Hors compétence".into(),
            }],
        )
        .await;
    assert_eq!(state(&history).status(), FileStatus::UnderStudy);
    let rerouted = ReferralId::new_v7();
    let events = world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::ReferFile {
            actor: world.office_agent(),
            referral: rerouted,
            to: world.other_structure,
            reason: "Réorientation".into(),
        })
        .await
        .inspect_result()
        .unwrap();
    assert!(matches!(
        events.as_slice(),
        [CitizenFileEvent::FileReferred { referral, from, to, .. }]
            if *referral == rerouted && *from == world.office && *to == world.other_structure
    ));
}

#[tokio::test]
async fn a_referral_replied_or_returned_takes_nothing_more() {
    let world = World::new();
    let history = referred(&world, KIND).await;
    let replied = world
        .run_after(history.clone(), [world.reply(KIND, world.referral)])
        .await;
    let returned = world
        .run_after(
            history,
            [CitizenFileCommand::ReturnReferral {
                actor: world.structure_agent(),
                referral: world.referral,
                reason: "Non".into(),
            }],
        )
        .await;
    for (history, status) in [
        (replied, ReferralStatus::Replied),
        (returned, ReferralStatus::Returned),
    ] {
        for command in [
            world.reply(KIND, world.referral),
            CitizenFileCommand::ReturnReferral {
                actor: world.structure_agent(),
                referral: world.referral,
                reason: "Non".into(),
            },
        ] {
            world
                .framework()
                .given(history.clone())
                .when_async(command)
                .await
                .then_expect_error(FileError::WrongReferralState {
                    referral: world.referral,
                    status,
                });
        }
    }
}

#[tokio::test]
async fn a_return_needs_a_reason() {
    let world = World::new();
    let history = referred(&world, KIND).await;
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::ReturnReferral {
            actor: world.structure_agent(),
            referral: world.referral,
            reason: " ".into(),
        })
        .await
        .then_expect_error(FileError::InvalidText(InvalidText {
            field: "reason",
            error: TextError::Empty,
        }));
}
