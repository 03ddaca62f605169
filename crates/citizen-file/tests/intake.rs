//! Receipt of files: online submission by the author, registration by an office for the
//! counter, mail, phone, fax and e-mail channels, and the validation of what a file carries.
#![allow(clippy::unwrap_used)]

mod common;

use citizen_file::{
    AttachmentProblem, AttachmentRef, Channel, CitizenFileCommand, CitizenFileEvent, Coordinates,
    FileError, FileKind, InvalidText, KindDetails, Location, Urgency,
};
use common::{KINDS, NOTIFICATION, World};
use cqrs_es::DomainEvent;
use kernel::personal_data::{EnvelopeError, KeyVault};
use kernel::{OrganisationKind, Role, TextError};

fn attachment(hash_byte: char, media_type: &str, size_bytes: u64) -> AttachmentRef {
    AttachmentRef {
        sha256: hash_byte.to_string().repeat(64),
        media_type: media_type.into(),
        size_bytes,
    }
}

// decree 2019-1242 art. 2; decree 93-982 art. 7 (receipt immediate)
#[tokio::test]
async fn a_registered_user_submits_any_kind_and_gets_an_immediate_receipt() {
    for kind in KINDS {
        let world = World::new();
        let receipt = world.receipt(kind, Some(world.account)).await;
        world
            .framework()
            .given_no_previous_events()
            .when_async(world.submit(kind))
            .await
            .then_expect_events(vec![CitizenFileEvent::FileSubmitted { receipt }]);
    }
}

// decree 2019-1242 art. 10: urgency sets the pace
#[tokio::test]
async fn a_life_threatening_notification_is_due_within_24_hours_with_its_location_and_photos() {
    let world = World::new();
    let kind = KindDetails::Notification {
        urgency: Urgency::LifeThreatening,
    };
    let mut file = world.new_file(kind);
    file.attachments = vec![attachment('A', "IMAGE/JPEG", 2_000_000)];
    let events = world
        .framework()
        .given_no_previous_events()
        .when_async(CitizenFileCommand::SubmitFile {
            actor: world.author(),
            file,
        })
        .await
        .inspect_result()
        .unwrap();
    let [CitizenFileEvent::FileSubmitted { receipt }] = events.as_slice() else {
        panic!("{events:?}");
    };
    assert_eq!(
        receipt.coordinates,
        Some(Coordinates {
            latitude: 36.8065,
            longitude: 10.1815
        })
    );
    // Normalised: lowercase hash and media type.
    assert_eq!(receipt.attachments[0].sha256, "a".repeat(64));
    assert_eq!(receipt.attachments[0].media_type, "image/jpeg");
    let due = receipt.reply_deadline.computed.due_at().unwrap();
    assert_eq!(due, world.now() + chrono::Duration::hours(24));
    assert!(
        receipt
            .reply_deadline
            .deadline
            .rule
            .source
            .contains("art. 10"),
        "{}",
        receipt.reply_deadline.deadline.rule.source
    );
}

#[tokio::test]
async fn the_receipt_holds_no_personal_data_in_clear() {
    let world = World::new();
    let events = world
        .framework()
        .given_no_previous_events()
        .when_async(world.submit(NOTIFICATION))
        .await
        .inspect_result()
        .unwrap();
    let json = serde_json::to_string(&events).unwrap();
    for secret in [
        "Amira",
        "08123456",
        "amira@example.tn",
        "71 000 000",
        "Bourguiba",
        "éclairage",
    ] {
        assert!(!json.contains(secret), "{secret} in {json}");
    }
}

#[tokio::test]
async fn event_types_are_the_variant_names_at_version_1() {
    let world = World::new();
    let events = world.run(world.answered(KindDetails::Suggestion)).await;
    assert!(events.len() >= 6);
    for event in events {
        let json = serde_json::to_value(&event).unwrap();
        let tag = json.as_object().unwrap().keys().next().unwrap().clone();
        assert_eq!(event.event_type(), tag);
        assert_eq!(event.event_version(), "1");
    }
}

#[tokio::test]
async fn only_a_registered_user_submits_online() {
    let world = World::new();
    world
        .framework()
        .given_no_previous_events()
        .when_async(CitizenFileCommand::SubmitFile {
            actor: world.office_agent(),
            file: world.new_file(KindDetails::Petition),
        })
        .await
        .then_expect_error(FileError::NotACitizen);
}

// decree 2019-1242 art. 7 (offices study petitions), art. 9 and 10 (the Central Bureau)
#[tokio::test]
async fn each_kind_goes_to_the_organisation_the_decree_names() {
    let world = World::new();
    for (kind, wrong, expected) in [
        (
            KindDetails::Petition,
            world.bureau,
            OrganisationKind::CitizenRelationsOffice,
        ),
        (
            KindDetails::GuidanceRequest,
            world.structure,
            OrganisationKind::CitizenRelationsOffice,
        ),
        (
            KindDetails::Suggestion,
            world.office,
            OrganisationKind::CentralBureau,
        ),
        (NOTIFICATION, world.office, OrganisationKind::CentralBureau),
    ] {
        let mut file = world.new_file(kind);
        file.handled_by = wrong;
        world
            .framework()
            .given_no_previous_events()
            .when_async(CitizenFileCommand::SubmitFile {
                actor: world.author(),
                file,
            })
            .await
            .then_expect_error(FileError::WrongHandlingOrganisation {
                kind: kind.kind(),
                expected,
            });
    }
}

#[tokio::test]
async fn an_empty_title_or_an_over_long_body_is_refused() {
    let world = World::new();
    let mut empty = world.new_file(KindDetails::Petition);
    empty.title = "   ".into();
    world
        .framework()
        .given_no_previous_events()
        .when_async(CitizenFileCommand::SubmitFile {
            actor: world.author(),
            file: empty,
        })
        .await
        .then_expect_error(FileError::InvalidText(InvalidText {
            field: "title",
            error: TextError::Empty,
        }));

    let mut long = world.new_file(KindDetails::Petition);
    long.body = "x".repeat(10_001);
    world
        .framework()
        .given_no_previous_events()
        .when_async(CitizenFileCommand::SubmitFile {
            actor: world.author(),
            file: long,
        })
        .await
        .then_expect_error(FileError::InvalidText(InvalidText {
            field: "body",
            error: TextError::TooLong {
                max: 10_000,
                actual: 10_001,
            },
        }));
}

#[tokio::test]
async fn a_title_with_a_direction_override_is_refused() {
    let world = World::new();
    let mut file = world.new_file(KindDetails::Petition);
    file.title = "abc\u{202E}def".into();
    let error = world
        .framework()
        .given_no_previous_events()
        .when_async(CitizenFileCommand::SubmitFile {
            actor: world.author(),
            file,
        })
        .await
        .inspect_result()
        .unwrap_err();
    assert!(
        matches!(
            error,
            FileError::InvalidText(InvalidText {
                field: "title",
                error: TextError::ForbiddenCharacter { position: 4, .. }
            })
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_author_name_is_required_and_on_one_line() {
    let world = World::new();
    let mut file = world.new_file(KindDetails::Petition);
    file.author.name = "Amira\nBen Salah".into();
    world
        .framework()
        .given_no_previous_events()
        .when_async(CitizenFileCommand::SubmitFile {
            actor: world.author(),
            file,
        })
        .await
        .then_expect_error(FileError::InvalidText(InvalidText {
            field: "author.name",
            error: TextError::LineBreak { position: 6 },
        }));
}

#[tokio::test]
async fn a_malformed_email_or_phone_is_refused() {
    let world = World::new();
    for (email, phone, error) in [
        (Some("amira.example.tn"), None, FileError::InvalidEmail),
        (Some("amira@tn"), None, FileError::InvalidEmail),
        (Some("a b@example.tn"), None, FileError::InvalidEmail),
        (None, Some("71 abc"), FileError::InvalidPhone),
        (None, Some("+216"), FileError::InvalidPhone),
    ] {
        let mut file = world.new_file(KindDetails::Petition);
        file.author.email = email.map(str::to_owned);
        file.author.phone = phone.map(str::to_owned);
        world
            .framework()
            .given_no_previous_events()
            .when_async(CitizenFileCommand::SubmitFile {
                actor: world.author(),
                file,
            })
            .await
            .then_expect_error(error);
    }
}

// decree 2019-1242 art. 10: a notification says where the problem is
#[tokio::test]
async fn a_notification_without_coordinates_or_address_is_refused() {
    let world = World::new();
    for location in [
        None,
        Some(Location {
            coordinates: None,
            address: None,
        }),
    ] {
        let mut file = world.new_file(NOTIFICATION);
        file.location = location;
        world
            .framework()
            .given_no_previous_events()
            .when_async(CitizenFileCommand::SubmitFile {
                actor: world.author(),
                file,
            })
            .await
            .then_expect_error(FileError::NotificationNeedsLocation);
    }
}

#[tokio::test]
async fn a_notification_located_by_address_alone_is_received() {
    let world = World::new();
    let mut file = world.new_file(NOTIFICATION);
    file.location = Some(Location {
        coordinates: None,
        address: Some("Route de la Marsa".into()),
    });
    let events = world
        .framework()
        .given_no_previous_events()
        .when_async(CitizenFileCommand::SubmitFile {
            actor: world.author(),
            file,
        })
        .await
        .inspect_result()
        .unwrap();
    assert!(matches!(
        events.as_slice(),
        [CitizenFileEvent::FileSubmitted { receipt }] if receipt.coordinates.is_none()
    ));
}

#[tokio::test]
async fn coordinates_outside_tunisia_or_not_numbers_are_refused() {
    let world = World::new();
    for (latitude, longitude) in [(10.18, 36.8), (48.85, 2.35), (f64::NAN, 10.0)] {
        let mut file = world.new_file(NOTIFICATION);
        file.location = Some(Location {
            coordinates: Some(Coordinates {
                latitude,
                longitude,
            }),
            address: None,
        });
        world
            .framework()
            .given_no_previous_events()
            .when_async(CitizenFileCommand::SubmitFile {
                actor: world.author(),
                file,
            })
            .await
            .then_expect_error(FileError::OutsideTunisia);
    }
}

#[tokio::test]
async fn attachment_references_are_checked_one_by_one() {
    let world = World::new();
    let cases = [
        (
            vec![AttachmentRef {
                sha256: "xyz".into(),
                media_type: "image/png".into(),
                size_bytes: 10,
            }],
            AttachmentProblem::BadHash,
        ),
        (
            vec![attachment('b', "application/x-msdownload", 10)],
            AttachmentProblem::MediaTypeNotAllowed,
        ),
        (
            vec![attachment('c', "image/png", 0)],
            AttachmentProblem::Empty,
        ),
        (
            vec![attachment('d', "image/png", 10 * 1024 * 1024 + 1)],
            AttachmentProblem::TooLarge {
                max_bytes: 10 * 1024 * 1024,
            },
        ),
        (
            vec![
                attachment('e', "image/png", 10),
                attachment('E', "image/jpeg", 20),
            ],
            AttachmentProblem::Duplicate,
        ),
    ];
    for (attachments, problem) in cases {
        let index = attachments.len() - 1;
        let mut file = world.new_file(NOTIFICATION);
        file.attachments = attachments;
        world
            .framework()
            .given_no_previous_events()
            .when_async(CitizenFileCommand::SubmitFile {
                actor: world.author(),
                file,
            })
            .await
            .then_expect_error(FileError::InvalidAttachment { index, problem });
    }
}

#[tokio::test]
async fn too_many_attachments_are_refused() {
    let world = World::new();
    let mut file = world.new_file(NOTIFICATION);
    file.attachments = "0123456789a"
        .chars()
        .map(|c| attachment(c, "image/png", 10))
        .collect();
    world
        .framework()
        .given_no_previous_events()
        .when_async(CitizenFileCommand::SubmitFile {
            actor: world.author(),
            file,
        })
        .await
        .then_expect_error(FileError::TooManyAttachments { max: 10, given: 11 });
}

#[tokio::test]
async fn a_file_is_received_only_once() {
    let world = World::new();
    let history = world.run([world.submit(KindDetails::Petition)]).await;
    world
        .framework()
        .given(history)
        .when_async(world.submit(KindDetails::Petition))
        .await
        .then_expect_error(FileError::AlreadyReceived);
}

#[tokio::test]
async fn commands_on_a_file_never_received_are_refused() {
    let world = World::new();
    world
        .framework()
        .given_no_previous_events()
        .when_async(world.admit(KindDetails::Petition))
        .await
        .then_expect_error(FileError::NoSuchFile);
}

fn register(world: &World, kind: KindDetails, channel: Channel) -> CitizenFileCommand {
    CitizenFileCommand::RegisterFile {
        actor: world.handler(kind),
        file: world.new_file(kind),
        channel,
        received_at: world.now(),
        account: None,
    }
}

// decree 2019-1242 art. 7: the office registers what reaches it by other channels
#[tokio::test]
async fn an_office_registers_a_file_brought_to_its_counter_with_the_channel() {
    let world = World::new();
    let agent = world.office_agent();
    let receipt = world.receipt(KindDetails::Petition, None).await;
    world
        .framework()
        .given_no_previous_events()
        .when_async(CitizenFileCommand::RegisterFile {
            actor: agent,
            file: world.new_file(KindDetails::Petition),
            channel: Channel::Counter,
            received_at: world.now(),
            account: None,
        })
        .await
        .then_expect_events(vec![CitizenFileEvent::FileRegistered {
            receipt,
            channel: Channel::Counter,
            by: agent.id,
            organisation: world.office,
            registered_at: world.now(),
            first_response_due: None,
        }]);
}

// circular 2 of 2020: e-mails answered, or the sender told more time is needed, in 48 hours
#[tokio::test]
async fn an_email_registered_later_owes_a_first_response_48_hours_after_it_arrived() {
    let world = World::new();
    let arrived = world.now();
    world.advance_hours(5);
    let agent = world.office_agent();
    let mut receipt = world.receipt(KindDetails::Petition, None).await;
    receipt.received_at = arrived;
    receipt.reply_deadline = world.reply_deadline(KindDetails::Petition, arrived);
    let first_response_due = world.computed(&world.config.email_first_response, arrived);
    // Tuesday 10:00 + 48 hours: Thursday 10:00, a working day.
    assert_eq!(
        first_response_due.due_at(),
        Some(arrived + chrono::Duration::hours(48))
    );
    assert!(
        first_response_due
            .explanation
            .steps
            .iter()
            .any(|s| format!("{s:?}").contains("circular 2 of 2020"))
    );
    world
        .framework()
        .given_no_previous_events()
        .when_async(CitizenFileCommand::RegisterFile {
            actor: agent,
            file: world.new_file(KindDetails::Petition),
            channel: Channel::Email,
            received_at: arrived,
            account: None,
        })
        .await
        .then_expect_events(vec![CitizenFileEvent::FileRegistered {
            receipt,
            channel: Channel::Email,
            by: agent.id,
            organisation: world.office,
            registered_at: world.now(),
            first_response_due: Some(first_response_due),
        }]);
}

#[tokio::test]
async fn every_offline_channel_can_be_registered_but_not_online() {
    let world = World::new();
    for channel in [
        Channel::Counter,
        Channel::Mail,
        Channel::Phone,
        Channel::Fax,
        Channel::Email,
    ] {
        let result = world
            .framework()
            .given_no_previous_events()
            .when_async(register(&world, KindDetails::GuidanceRequest, channel))
            .await
            .inspect_result();
        assert!(result.is_ok(), "{channel:?}: {result:?}");
    }
    world
        .framework()
        .given_no_previous_events()
        .when_async(register(&world, KindDetails::Petition, Channel::Online))
        .await
        .then_expect_error(FileError::OnlineIsNotARegistrationChannel);
}

// decree 2019-1242 art. 9, 10: suggestions and notifications go to the Central Bureau
#[tokio::test]
async fn an_office_counter_forwards_a_suggestion_to_the_central_bureau() {
    let world = World::new();
    let events = world
        .framework()
        .given_no_previous_events()
        .when_async(CitizenFileCommand::RegisterFile {
            actor: world.office_agent(),
            file: world.new_file(KindDetails::Suggestion),
            channel: Channel::Counter,
            received_at: world.now(),
            account: None,
        })
        .await
        .inspect_result()
        .unwrap();
    assert!(matches!(
        events.as_slice(),
        [CitizenFileEvent::FileRegistered { receipt, organisation, .. }]
            if receipt.handled_by == world.bureau && *organisation == world.office
    ));
}

#[tokio::test]
async fn only_office_and_central_bureau_agents_register_files() {
    let world = World::new();
    for actor in [
        world.structure_agent(),
        world.signatory(world.office),
        world.author(),
        world.worker(),
    ] {
        world
            .framework()
            .given_no_previous_events()
            .when_async(CitizenFileCommand::RegisterFile {
                actor,
                file: world.new_file(KindDetails::Petition),
                channel: Channel::Counter,
                received_at: world.now(),
                account: None,
            })
            .await
            .then_expect_error(FileError::NotAnIntakeAgent);
    }
}

// decree 2019-1242 art. 7: the receiving office studies the petition
#[tokio::test]
async fn an_office_registers_petitions_for_itself_only() {
    let world = World::new();
    for actor in [
        world.agent_of(Role::OfficeAgent, world.other_office),
        world.bureau_agent(),
    ] {
        world
            .framework()
            .given_no_previous_events()
            .when_async(CitizenFileCommand::RegisterFile {
                actor,
                file: world.new_file(KindDetails::Petition),
                channel: Channel::Mail,
                received_at: world.now(),
                account: None,
            })
            .await
            .then_expect_error(FileError::NotTheHandlingOrganisation {
                handled_by: world.office,
            });
    }
}

#[tokio::test]
async fn a_file_cannot_be_received_in_the_future() {
    let world = World::new();
    world
        .framework()
        .given_no_previous_events()
        .when_async(CitizenFileCommand::RegisterFile {
            actor: world.office_agent(),
            file: world.new_file(KindDetails::Petition),
            channel: Channel::Mail,
            received_at: world.now() + chrono::Duration::minutes(1),
            account: None,
        })
        .await
        .then_expect_error(FileError::ReceivedInTheFuture);
}

#[tokio::test]
async fn an_author_without_account_must_be_reachable() {
    let world = World::new();
    let mut file = world.new_file(KindDetails::Petition);
    file.author.email = None;
    file.author.phone = None;
    let command = |account| CitizenFileCommand::RegisterFile {
        actor: world.office_agent(),
        file: file.clone(),
        channel: Channel::Counter,
        received_at: world.now(),
        account,
    };
    world
        .framework()
        .given_no_previous_events()
        .when_async(command(None))
        .await
        .then_expect_error(FileError::NoWayToReachAuthor);
    // With an account, the platform reaches them.
    assert!(
        world
            .framework()
            .given_no_previous_events()
            .when_async(command(Some(world.account)))
            .await
            .inspect_result()
            .is_ok()
    );
}

// circular 2 of 2020: the answer goes back to the sender's address
#[tokio::test]
async fn a_file_received_by_email_needs_the_senders_address() {
    let world = World::new();
    let mut file = world.new_file(KindDetails::Petition);
    file.author.email = None;
    world
        .framework()
        .given_no_previous_events()
        .when_async(CitizenFileCommand::RegisterFile {
            actor: world.office_agent(),
            file,
            channel: Channel::Email,
            received_at: world.now(),
            account: None,
        })
        .await
        .then_expect_error(FileError::EmailChannelNeedsAnAddress);
}

#[test]
fn the_kind_of_a_file_names_its_handling_roles() {
    assert_eq!(
        FileKind::Petition.handling_roles(),
        &[Role::OfficeAgent, Role::OfficeHead]
    );
    assert_eq!(
        FileKind::Notification.handling_roles(),
        &[Role::CentralBureauAgent]
    );
}

// organic law 2004-63: nothing new is recorded about a person whose data was erased
#[tokio::test]
async fn nothing_is_received_for_an_erased_data_subject() {
    let world = World::new();
    world.vault.erase(world.subject).await.unwrap();
    world
        .framework()
        .given_no_previous_events()
        .when_async(world.submit(KindDetails::Petition))
        .await
        .then_expect_error(FileError::PersonalData(EnvelopeError::SubjectErased(
            world.subject,
        )));
}
