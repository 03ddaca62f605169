//! Deadlines: extensions within their limit, the 48-hour first response to e-mails, the
//! worker's command, and the configuration of every rule.
#![allow(clippy::unwrap_used)]

mod common;

use citizen_file::{
    Channel, CitizenFileCommand, CitizenFileConfig, CitizenFileEvent, ConfigError, DeadlinePolicy,
    DeadlineTarget, FileError, FileStatus, ForumConfig, KindDetails, MoreTimeReason,
    ReferralStatus, ScheduledDeadline, Urgency,
};
use common::{NOTIFICATION, World};
use kernel::calendar::{DeadlineRule, DeadlineUnit, Extension};
use kernel::{ActorKind, Role};

const KIND: KindDetails = KindDetails::Petition;

fn extend(world: &World, target: DeadlineTarget, amount: u32) -> CitizenFileCommand {
    CitizenFileCommand::ExtendDeadline {
        actor: world.office_agent(),
        target,
        amount,
        reason: MoreTimeReason::CoordinationWithOtherStructures,
    }
}

fn extended(
    world: &World,
    base: &ScheduledDeadline,
    amount: u32,
    reason: MoreTimeReason,
) -> ScheduledDeadline {
    let mut deadline = base.deadline.clone();
    deadline.extensions.push(Extension {
        amount,
        granted_at: world.now(),
        reason: reason.label().into(),
    });
    ScheduledDeadline {
        computed: deadline.compute(&world.calendar).unwrap(),
        deadline,
        extension_limit: base.extension_limit,
    }
}

// circular 2 of 2020 names consulting documents and coordinating with other structures
#[tokio::test]
async fn the_office_extends_the_reply_deadline_with_a_reason_within_its_limit() {
    let world = World::new();
    let received = world.now();
    let history = world.run([world.submit(KIND), world.admit(KIND)]).await;
    world.advance_days(20);
    let agent = world.office_agent();
    let reason = MoreTimeReason::DocumentsToConsult;
    let deadline = extended(&world, &world.reply_deadline(KIND, received), 10, reason);
    assert!(
        deadline.computed.due_at().unwrap()
            > world
                .reply_deadline(KIND, received)
                .computed
                .due_at()
                .unwrap()
    );
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::ExtendDeadline {
            actor: agent,
            target: DeadlineTarget::Reply,
            amount: 10,
            reason,
        })
        .await
        .then_expect_events(vec![CitizenFileEvent::DeadlineExtended {
            target: DeadlineTarget::Reply,
            amount: 10,
            reason,
            by: agent.id,
            organisation: world.office,
            at: world.now(),
            deadline,
        }]);
}

#[tokio::test]
async fn the_office_extends_a_structures_deadline() {
    let world = World::new();
    let history = world
        .run([
            world.submit(KIND),
            world.admit(KIND),
            world.refer(KIND, world.referral),
        ])
        .await;
    let referred_at = world.now();
    world.advance_days(3);
    let base = world.scheduled(world.config.reply.for_file(&KIND), referred_at);
    let events = world
        .framework()
        .given(history)
        .when_async(extend(&world, DeadlineTarget::Referral(world.referral), 5))
        .await
        .inspect_result()
        .unwrap();
    let [CitizenFileEvent::DeadlineExtended { deadline, .. }] = events.as_slice() else {
        panic!("{events:?}");
    };
    assert_eq!(
        *deadline,
        extended(
            &world,
            &base,
            5,
            MoreTimeReason::CoordinationWithOtherStructures
        )
    );
}

#[tokio::test]
async fn an_extension_adds_some_time() {
    let world = World::new();
    let history = world.run([world.submit(KIND)]).await;
    world
        .framework()
        .given(history)
        .when_async(extend(&world, DeadlineTarget::Reply, 0))
        .await
        .then_expect_error(FileError::ZeroExtension);
}

#[tokio::test]
async fn extensions_stay_within_their_limit_in_total() {
    let world = World::new();
    let history = world
        .run([
            world.submit(KIND),
            extend(&world, DeadlineTarget::Reply, 10),
        ])
        .await;
    world
        .framework()
        .given(history)
        .when_async(extend(&world, DeadlineTarget::Reply, 6))
        .await
        .then_expect_error(FileError::ExtensionLimitExceeded {
            limit: 15,
            already: 10,
            requested: 6,
        });
}

// decree 2019-1242 art. 10: immediate danger admits no extension (default configuration)
#[tokio::test]
async fn a_life_threatening_notification_cannot_be_extended() {
    let world = World::new();
    let kind = KindDetails::Notification {
        urgency: Urgency::LifeThreatening,
    };
    let history = world.run([world.submit(kind)]).await;
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::ExtendDeadline {
            actor: world.bureau_agent(),
            target: DeadlineTarget::Reply,
            amount: 1,
            reason: MoreTimeReason::FieldWork,
        })
        .await
        .then_expect_error(FileError::ExtensionLimitExceeded {
            limit: 0,
            already: 0,
            requested: 1,
        });
}

#[tokio::test]
async fn an_expired_deadline_is_not_extended() {
    let world = World::new();
    let received = world.now();
    let history = world.run([world.submit(KIND)]).await;
    let due_at = world
        .reply_deadline(KIND, received)
        .computed
        .due_at()
        .unwrap();
    world.clock.set(due_at);
    world
        .framework()
        .given(history)
        .when_async(extend(&world, DeadlineTarget::Reply, 1))
        .await
        .then_expect_error(FileError::DeadlinePassed { due_at });
}

#[tokio::test]
async fn only_the_handling_organisation_extends() {
    let world = World::new();
    let history = world.run([world.submit(KIND)]).await;
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::ExtendDeadline {
            actor: world.structure_agent(),
            target: DeadlineTarget::Reply,
            amount: 1,
            reason: MoreTimeReason::FieldWork,
        })
        .await
        .then_expect_error(FileError::NotTheHandlingOrganisation {
            handled_by: world.office,
        });
}

#[tokio::test]
async fn an_answered_file_or_a_closed_or_unknown_referral_is_not_extended() {
    let world = World::new();
    let answered = world.run(world.answered(KIND)).await;
    world
        .framework()
        .given(answered)
        .when_async(extend(&world, DeadlineTarget::Reply, 1))
        .await
        .then_expect_error(FileError::WrongState {
            status: FileStatus::Answered,
        });
    let replied = world.run(world.ready_to_answer(KIND)).await;
    let unknown = citizen_file::ReferralId::new_v7();
    world
        .framework()
        .given(replied.clone())
        .when_async(extend(&world, DeadlineTarget::Referral(unknown), 1))
        .await
        .then_expect_error(FileError::NoSuchReferral { referral: unknown });
    world
        .framework()
        .given(replied)
        .when_async(extend(&world, DeadlineTarget::Referral(world.referral), 1))
        .await
        .then_expect_error(FileError::WrongReferralState {
            referral: world.referral,
            status: ReferralStatus::Replied,
        });
}

async fn emailed(world: &World) -> Vec<CitizenFileEvent> {
    world
        .run([CitizenFileCommand::RegisterFile {
            actor: world.office_agent(),
            file: world.new_file(KIND),
            channel: Channel::Email,
            received_at: world.now(),
            account: None,
        }])
        .await
}

// circular 2 of 2020: within 48 hours, answer or tell the sender more time is needed
#[tokio::test]
async fn the_sender_of_an_email_is_told_in_time_that_more_time_is_needed() {
    let world = World::new();
    let history = emailed(&world).await;
    world.advance_hours(47);
    let agent = world.office_agent();
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::TellSenderMoreTimeNeeded {
            actor: agent,
            reason: MoreTimeReason::DocumentsToConsult,
        })
        .await
        .then_expect_events(vec![CitizenFileEvent::SenderToldMoreTimeNeeded {
            reason: MoreTimeReason::DocumentsToConsult,
            by: agent.id,
            organisation: world.office,
            at: world.now(),
            within_deadline: true,
        }]);
}

// circular 2 of 2020: a late message is still sent; the record says it was late
#[tokio::test]
async fn a_late_first_response_is_recorded_as_late() {
    let world = World::new();
    let history = emailed(&world).await;
    world.advance_hours(48);
    let events = world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::TellSenderMoreTimeNeeded {
            actor: world.office_agent(),
            reason: MoreTimeReason::DocumentsToConsult,
        })
        .await
        .inspect_result()
        .unwrap();
    assert!(matches!(
        events.as_slice(),
        [CitizenFileEvent::SenderToldMoreTimeNeeded {
            within_deadline: false,
            ..
        }]
    ));
}

#[tokio::test]
async fn the_48_hour_rule_is_for_emails_only() {
    let world = World::new();
    let history = world.run([world.submit(KIND)]).await;
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::TellSenderMoreTimeNeeded {
            actor: world.office_agent(),
            reason: MoreTimeReason::FieldWork,
        })
        .await
        .then_expect_error(FileError::NotAnEmailFile);
}

#[tokio::test]
async fn the_sender_gets_one_first_response_which_a_request_for_information_also_is() {
    let world = World::new();
    let tell = CitizenFileCommand::TellSenderMoreTimeNeeded {
        actor: world.office_agent(),
        reason: MoreTimeReason::DocumentsToConsult,
    };
    let told = world.run_after(emailed(&world).await, [tell.clone()]).await;
    let asked = world
        .run_after(
            emailed(&world).await,
            [world.admit(KIND), world.request_information(KIND)],
        )
        .await;
    for history in [told, asked] {
        world
            .framework()
            .given(history)
            .when_async(tell.clone())
            .await
            .then_expect_error(FileError::FirstResponseAlreadyGiven);
    }
}

#[tokio::test]
async fn a_closed_file_owes_no_first_response() {
    let world = World::new();
    let history = world
        .run_after(
            emailed(&world).await,
            [CitizenFileCommand::MergeIntoFile {
                actor: world.office_agent(),
                surviving: citizen_file::FileId::new_v7(),
            }],
        )
        .await;
    let error = world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::TellSenderMoreTimeNeeded {
            actor: world.office_agent(),
            reason: MoreTimeReason::DocumentsToConsult,
        })
        .await
        .inspect_result()
        .unwrap_err();
    assert!(
        matches!(
            error,
            FileError::WrongState {
                status: FileStatus::Merged(_)
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn only_the_handling_organisation_tells_the_sender() {
    let world = World::new();
    let history = emailed(&world).await;
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::TellSenderMoreTimeNeeded {
            actor: world.agent_of(Role::OfficeAgent, world.other_office),
            reason: MoreTimeReason::DocumentsToConsult,
        })
        .await
        .then_expect_error(FileError::NotTheHandlingOrganisation {
            handled_by: world.office,
        });
}

#[tokio::test]
async fn only_the_platforms_worker_checks_deadlines() {
    let world = World::new();
    let history = world.run([world.submit(KIND)]).await;
    for actor in [world.office_agent(), world.author()] {
        assert_ne!(actor.kind, ActorKind::System);
        world
            .framework()
            .given(history.clone())
            .when_async(CitizenFileCommand::CheckDeadlines { actor })
            .await
            .then_expect_error(FileError::NotASystemActor);
    }
    world
        .framework()
        .given_no_previous_events()
        .when_async(CitizenFileCommand::CheckDeadlines {
            actor: world.worker(),
        })
        .await
        .then_expect_error(FileError::NoSuchFile);
}

// decree 2019-1242 art. 4: the administration's lateness closes nothing; it is reported
#[tokio::test]
async fn an_overdue_reply_deadline_does_not_close_the_file() {
    let world = World::new();
    let history = world.run([world.submit(KIND), world.admit(KIND)]).await;
    world.advance_days(90);
    world
        .framework()
        .given(history)
        .when_async(CitizenFileCommand::CheckDeadlines {
            actor: world.worker(),
        })
        .await
        .then_expect_events(vec![]);
}

#[tokio::test]
async fn urgency_rules_apply_only_to_the_urgencies_configured() {
    let config = CitizenFileConfig::default();
    let reply = &config.reply;
    assert_eq!(reply.for_file(&NOTIFICATION), &reply.notification);
    assert_eq!(
        reply
            .for_file(&KindDetails::Notification {
                urgency: Urgency::High
            })
            .rule
            .amount,
        72
    );
    assert_eq!(reply.for_file(&KindDetails::Suggestion), &reply.suggestion);
}

#[test]
fn the_default_configuration_is_valid_and_cites_its_sources() {
    let config = CitizenFileConfig::default();
    assert_eq!(config.validate(), Ok(()));
    assert_eq!(ForumConfig::default().validate(), Ok(()));
    // circular 2 of 2020
    assert_eq!(config.email_first_response.amount, 48);
    assert_eq!(config.email_first_response.unit, DeadlineUnit::Hours);
    assert!(
        config
            .email_first_response
            .source
            .contains("circular 2 of 2020")
    );
    // domain notes §1: 30 calendar days by default, an assumption
    assert_eq!(config.reply.petition.rule.amount, 30);
    assert_eq!(config.reply.petition.rule.unit, DeadlineUnit::CalendarDays);
    assert!(config.reply.petition.rule.source.contains("assumption"));
}

#[test]
fn a_configuration_file_states_only_what_it_changes() {
    let config: CitizenFileConfig = serde_json::from_value(serde_json::json!({
        "reply": {
            "guidance_request": {
                "amount": 20,
                "unit": "calendar_days",
                "source": "organic law 2016-22 art. 14 (access to information)"
            }
        },
        "text": { "title": 120 }
    }))
    .unwrap();
    assert_eq!(config.reply.guidance_request.rule.amount, 20);
    assert_eq!(config.reply.guidance_request.max_extension, 0);
    assert_eq!(
        config.reply.petition,
        CitizenFileConfig::default().reply.petition
    );
    assert_eq!(config.text.title, 120);
    assert_eq!(config.text.body, 10_000);
    assert_eq!(config.validate(), Ok(()));
}

#[test]
fn impossible_rules_are_refused_at_start_up() {
    let mut zero = CitizenFileConfig::default();
    zero.contest_period.amount = 0;
    assert_eq!(
        zero.validate(),
        Err(ConfigError::ZeroDeadline {
            which: "contest_period".into()
        })
    );

    let mut long = CitizenFileConfig::default();
    long.reply.urgency.insert(
        Urgency::Low,
        DeadlinePolicy {
            rule: DeadlineRule::new(3_650, DeadlineUnit::CalendarDays, "x"),
            max_extension: 20,
        },
    );
    assert_eq!(
        long.validate(),
        Err(ConfigError::DeadlineTooLong {
            which: "reply.urgency.Low".into(),
            total: 3_670,
            unit: DeadlineUnit::CalendarDays,
            max: 3_660,
        })
    );

    let mut text = CitizenFileConfig::default();
    text.text.answer = 0;
    assert_eq!(
        text.validate(),
        Err(ConfigError::Zero {
            which: "text.answer"
        })
    );

    let forum = ForumConfig {
        max_open_days: 0,
        ..ForumConfig::default()
    };
    assert_eq!(
        forum.validate(),
        Err(ConfigError::Zero {
            which: "max_open_days"
        })
    );
}
