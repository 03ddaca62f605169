#![allow(clippy::unwrap_used)]
//! Registration on a paper or electronic request (decree 2019-401 art. 7), eligibility
//! (art. 2) and the mandatory data and documents (art. 8, as configured).

mod common;

use std::collections::BTreeSet;

use chrono::NaiveDate;
use civil_society::{
    Attachment, AttachmentProblem, DateInFuture, Document, DocumentKind, Eligibility, EntryData,
    Ineligibility, InvalidText, OrganisationCommand, OrganisationError, OrganisationEvent,
    OrganisationStatus, RegisteredOrganisation, RegistrationRequest, RegistrationRequirements,
    Representative, RequestChannel, Requirement,
};
use common::{World, complete_entry, complete_record, date, eligible, statutes, text};
use cqrs_es::Aggregate;
use kernel::{Actor, ActorId, CivilSocietyOrganisationId, Role, TextError};

fn today() -> NaiveDate {
    date(2026, 3, 2)
}

fn request(entry: EntryData) -> RegistrationRequest {
    RegistrationRequest {
        channel: RequestChannel::Electronic,
        reference: "EM-2026-000318".to_owned(),
        received_on: date(2026, 2, 26),
        eligibility: eligible(),
        entry,
    }
}

fn register(world: &World, actor: Actor, request: RegistrationRequest) -> OrganisationCommand {
    OrganisationCommand::Register {
        actor,
        organisation: world.organisation,
        local_authority: world.local_authority,
        request,
    }
}

async fn refused(world: &World, command: OrganisationCommand, error: OrganisationError) {
    world
        .framework::<RegisteredOrganisation>()
        .given_no_previous_events()
        .when_async(command)
        .await
        .then_expect_error(error);
}

// decree 2019-401 art. 7, 8: an electronic request with every mandatory item is registered
// on the day the bureau handles it; the representative's details are sealed.
#[tokio::test]
async fn a_complete_electronic_request_is_registered() {
    let world = World::on(today());
    let agent = world.bureau_agent();
    world
        .framework::<RegisteredOrganisation>()
        .given_no_previous_events()
        .when_async(register(&world, agent, request(complete_entry())))
        .await
        .then_expect_events(vec![OrganisationEvent::OrganisationRegistered {
            organisation: world.organisation,
            local_authority: world.local_authority,
            channel: RequestChannel::Electronic,
            request_reference: text("EM-2026-000318"),
            received_on: date(2026, 2, 26),
            registered_on: today(),
            eligibility: eligible(),
            entry: complete_record(&world).await,
            by: agent.id,
        }]);
}

// decree 2019-401 art. 7: "sur demande écrite": the head of the bureau registers a paper
// request as well.
#[tokio::test]
async fn a_paper_request_is_registered_by_the_head_of_the_bureau() {
    let world = World::on(today());
    let head = world.bureau_head();
    let paper = RegistrationRequest {
        channel: RequestChannel::Paper,
        reference: "BO-2026/0042".to_owned(),
        ..request(complete_entry())
    };
    world
        .framework::<RegisteredOrganisation>()
        .given_no_previous_events()
        .when_async(register(&world, head, paper))
        .await
        .then_expect_events(vec![OrganisationEvent::OrganisationRegistered {
            organisation: world.organisation,
            local_authority: world.local_authority,
            channel: RequestChannel::Paper,
            request_reference: text("BO-2026/0042"),
            received_on: date(2026, 2, 26),
            registered_on: today(),
            eligibility: eligible(),
            entry: complete_record(&world).await,
            by: head.id,
        }]);
}

#[tokio::test]
async fn the_personal_data_of_the_representative_is_not_readable_in_the_event() {
    let world = World::on(today());
    let events = world
        .framework::<RegisteredOrganisation>()
        .given_no_previous_events()
        .when_async(register(
            &world,
            world.bureau_agent(),
            request(complete_entry()),
        ))
        .await
        .inspect_result()
        .unwrap();
    let json = serde_json::to_string(&events).unwrap();
    for personal in ["Amira", "Ben Salah", "contact@amis", "71 000 000"] {
        assert!(!json.contains(personal), "{personal} in {json}");
    }
    // The organisation's own public data is readable.
    assert!(json.contains("Association des Amis du Parc de la Marsa"));
}

// decree 2019-401 art. 3-4: the bureau of the local authority keeps its register.
#[tokio::test]
async fn only_the_bureau_of_that_local_authority_registers() {
    let world = World::on(today());
    for actor in [
        world.other_bureau_agent(),
        world.council_secretary(),
        world.admin(),
        Actor::citizen(ActorId::new_v7()),
    ] {
        refused(
            &world,
            register(&world, actor, request(complete_entry())),
            OrganisationError::NotAllowed {
                allowed: vec![Role::RegisterBureauAgent, Role::RegisterBureauHead],
            },
        )
        .await;
    }
}

#[tokio::test]
async fn an_entry_is_registered_once() {
    let world = World::on(today());
    world
        .framework::<RegisteredOrganisation>()
        .given(vec![world.registered(date(2026, 1, 12))])
        .when_async(register(
            &world,
            world.bureau_agent(),
            request(complete_entry()),
        ))
        .await
        .then_expect_error(OrganisationError::WrongStatus {
            status: OrganisationStatus::Active,
            expected: vec![OrganisationStatus::Unregistered],
        });
}

// decree 2019-401 art. 5: no register, no registration.
#[tokio::test]
async fn a_local_authority_without_an_open_register_registers_nobody() {
    let world = World::on(today());
    world.index.close(world.local_authority);
    refused(
        &world,
        register(&world, world.bureau_agent(), request(complete_entry())),
        OrganisationError::RegisterNotOpen {
            local_authority: world.local_authority,
        },
    )
    .await;
}

// decree 2019-401 art. 2: national organisations only.
#[tokio::test]
async fn a_foreign_organisation_is_not_eligible() {
    let world = World::on(today());
    let foreign = RegistrationRequest {
        eligibility: Eligibility {
            national: false,
            ..eligible()
        },
        ..request(complete_entry())
    };
    refused(
        &world,
        register(&world, world.bureau_agent(), foreign),
        OrganisationError::NotEligible(Ineligibility::NotNational),
    )
    .await;
}

// decree 2019-401 art. 2: active in the territory or with members among its residents.
#[tokio::test]
async fn an_organisation_without_a_tie_to_the_territory_is_not_eligible() {
    let world = World::on(today());
    let unrelated = RegistrationRequest {
        eligibility: Eligibility {
            national: true,
            active_in_territory: false,
            members_among_residents: false,
        },
        ..request(complete_entry())
    };
    refused(
        &world,
        register(&world, world.bureau_agent(), unrelated),
        OrganisationError::NotEligible(Ineligibility::NoTieToTheTerritory),
    )
    .await;
}

// decree 2019-401 art. 2: either tie is enough, and the ground is recorded.
#[tokio::test]
async fn members_among_the_residents_are_enough_and_recorded() {
    let world = World::on(today());
    let ground = Eligibility {
        national: true,
        active_in_territory: false,
        members_among_residents: true,
    };
    let events = world
        .framework::<RegisteredOrganisation>()
        .given_no_previous_events()
        .when_async(register(
            &world,
            world.bureau_agent(),
            RegistrationRequest {
                eligibility: ground,
                ..request(complete_entry())
            },
        ))
        .await
        .inspect_result()
        .unwrap();
    assert!(matches!(
        events.as_slice(),
        [OrganisationEvent::OrganisationRegistered { eligibility, .. }] if *eligibility == ground
    ));
}

// decree 2019-401 art. 8 (list configured per local authority): an incomplete request is
// refused naming every missing item.
#[tokio::test]
async fn an_incomplete_request_is_refused_naming_every_missing_item() {
    let world = World::on(today());
    let incomplete = EntryData {
        name: "Jeunes de la Marsa".to_owned(),
        legal_form: None,
        national_register_number: None,
        legal_publication_reference: None,
        registered_office: None,
        representative: Some(Representative {
            email: None,
            ..complete_entry().representative.unwrap()
        }),
        fields_of_activity: vec![],
        documents: vec![],
    };
    refused(
        &world,
        register(&world, world.bureau_agent(), request(incomplete)),
        OrganisationError::MissingRequirements(vec![
            Requirement::LegalForm,
            Requirement::NationalRegisterNumber,
            Requirement::LegalPublicationReference,
            Requirement::RegisteredOffice,
            Requirement::Email,
            Requirement::FieldsOfActivity,
            Requirement::Document(DocumentKind::Statutes),
        ]),
    )
    .await;
}

// decree 2019-401 art. 8: the e-mail and phone belong to the representative; without one,
// all three are missing.
#[tokio::test]
async fn without_a_representative_the_contact_is_missing_too() {
    let world = World::on(today());
    let entry = EntryData {
        representative: None,
        ..complete_entry()
    };
    refused(
        &world,
        register(&world, world.bureau_agent(), request(entry)),
        OrganisationError::MissingRequirements(vec![
            Requirement::LegalRepresentative,
            Requirement::Email,
            Requirement::Phone,
        ]),
    )
    .await;
}

// decree 2019-401 art. 8: a local authority requiring less accepts less.
#[tokio::test]
async fn a_local_authority_with_fewer_requirements_accepts_a_shorter_request() {
    let world = World::on(today());
    world.index.set_requirements(
        world.local_authority,
        RegistrationRequirements {
            required: BTreeSet::from([Requirement::RegisteredOffice]),
        },
    );
    let short = EntryData {
        name: "Club de lecture de la Marsa".to_owned(),
        legal_form: None,
        national_register_number: None,
        legal_publication_reference: None,
        registered_office: Some("Maison de la culture, La Marsa".to_owned()),
        representative: None,
        fields_of_activity: vec![],
        documents: vec![],
    };
    let events = world
        .framework::<RegisteredOrganisation>()
        .given_no_previous_events()
        .when_async(register(&world, world.bureau_agent(), request(short)))
        .await
        .inspect_result()
        .unwrap();
    let [OrganisationEvent::OrganisationRegistered { entry, .. }] = events.as_slice() else {
        panic!("expected a registration, got {events:?}");
    };
    assert_eq!(
        entry.provided,
        BTreeSet::from([Requirement::RegisteredOffice])
    );
}

// decree 2019-401 art. 8 and law 2018-52: one national register number per register.
#[tokio::test]
async fn a_register_number_already_in_the_register_is_refused() {
    let world = World::on(today());
    let existing = CivilSocietyOrganisationId::new_v7();
    world
        .index
        .add_entry(world.local_authority, "1523467B", existing);
    refused(
        &world,
        register(&world, world.bureau_agent(), request(complete_entry())),
        OrganisationError::DuplicateRegisterNumber { existing },
    )
    .await;
}

#[tokio::test]
async fn the_same_number_in_another_register_is_no_duplicate() {
    let world = World::on(today());
    world.index.add_entry(
        world.other_local_authority,
        "1523467B",
        CivilSocietyOrganisationId::new_v7(),
    );
    let events = world
        .framework::<RegisteredOrganisation>()
        .given_no_previous_events()
        .when_async(register(
            &world,
            world.bureau_agent(),
            request(complete_entry()),
        ))
        .await
        .inspect_result()
        .unwrap();
    assert_eq!(events.len(), 1);
}

#[tokio::test]
async fn a_register_that_cannot_be_consulted_refuses_for_now() {
    let world = World::on(today());
    world.index.fail();
    refused(
        &world,
        register(&world, world.bureau_agent(), request(complete_entry())),
        OrganisationError::RegisterLookupFailed("read model unavailable".to_owned()),
    )
    .await;
}

#[tokio::test]
async fn a_request_cannot_be_received_in_the_future() {
    let world = World::on(today());
    let future = RegistrationRequest {
        received_on: date(2026, 3, 3),
        ..request(complete_entry())
    };
    refused(
        &world,
        register(&world, world.bureau_agent(), future),
        OrganisationError::DateInFuture(DateInFuture {
            field: "request.received_on",
            date: date(2026, 3, 3),
            today: today(),
        }),
    )
    .await;
}

#[tokio::test]
async fn texts_are_validated_and_named() {
    let world = World::on(today());
    let long_name = "ج".repeat(201);
    let cases = [
        (
            RegistrationRequest {
                reference: String::new(),
                ..request(complete_entry())
            },
            "request.reference",
            TextError::Empty,
        ),
        (
            request(EntryData {
                name: long_name,
                ..complete_entry()
            }),
            "name",
            TextError::TooLong {
                max: 200,
                actual: 201,
            },
        ),
        (
            request(EntryData {
                fields_of_activity: vec!["Culture".to_owned(), "\u{200B}".to_owned()],
                ..complete_entry()
            }),
            "fields_of_activity[1]",
            TextError::ForbiddenCharacter {
                position: 1,
                code_point: 0x200B,
                why: "invisible character",
            },
        ),
        (
            request(EntryData {
                registered_office: Some("12, rue Habib Thameur\nLa Marsa".to_owned()),
                ..complete_entry()
            }),
            "registered_office",
            TextError::LineBreak { position: 22 },
        ),
        (
            request(EntryData {
                representative: Some(Representative {
                    full_name: " ".to_owned(),
                    ..complete_entry().representative.unwrap()
                }),
                ..complete_entry()
            }),
            "representative.full_name",
            TextError::Empty,
        ),
    ];
    for (request, field, error) in cases {
        refused(
            &world,
            register(&world, world.bureau_agent(), request),
            OrganisationError::InvalidText(InvalidText {
                field: field.to_owned(),
                error,
            }),
        )
        .await;
    }
}

fn with_contact(email: Option<&str>, phone: Option<&str>) -> EntryData {
    EntryData {
        representative: Some(Representative {
            email: email.map(str::to_owned),
            phone: phone.map(str::to_owned),
            ..complete_entry().representative.unwrap()
        }),
        ..complete_entry()
    }
}

#[tokio::test]
async fn an_implausible_email_is_refused_without_repeating_it() {
    let world = World::on(today());
    for email in [
        "amira",
        "amira@",
        "@mail.tn",
        "amira@mail",
        "a b@mail.tn",
        "a@b@mail.tn",
    ] {
        let error = world
            .framework::<RegisteredOrganisation>()
            .given_no_previous_events()
            .when_async(register(
                &world,
                world.bureau_agent(),
                request(with_contact(Some(email), Some("71 000 000"))),
            ))
            .await
            .inspect_result()
            .unwrap_err();
        assert_eq!(error, OrganisationError::InvalidEmail, "{email}");
        assert!(!error.to_string().contains(email));
    }
}

#[tokio::test]
async fn an_implausible_phone_is_refused() {
    let world = World::on(today());
    for phone in [
        "1234",
        "71 000 000 ext. 5",
        "+216 71 000 000 000 000",
        "71+000000",
    ] {
        refused(
            &world,
            register(
                &world,
                world.bureau_agent(),
                request(with_contact(Some("a@mail.tn"), Some(phone))),
            ),
            OrganisationError::InvalidPhone,
        )
        .await;
    }
}

#[tokio::test]
async fn attachments_need_a_sha256_and_a_media_type() {
    let world = World::on(today());
    let document = |content_hash: &str, media_type: &str| Document {
        kind: DocumentKind::Statutes,
        file: Attachment {
            content_hash: content_hash.to_owned(),
            media_type: media_type.to_owned(),
            file_name: "statuts.pdf".to_owned(),
        },
    };
    let good_hash = statutes().file.content_hash;
    let cases = [
        (
            document("abc", "application/pdf"),
            AttachmentProblem::ContentHash,
        ),
        (
            document(&"g".repeat(64), "application/pdf"),
            AttachmentProblem::ContentHash,
        ),
        (document(&good_hash, "pdf"), AttachmentProblem::MediaType),
        (
            document(&good_hash, "application/"),
            AttachmentProblem::MediaType,
        ),
        (
            document(&good_hash, "application/pdf; charset=x"),
            AttachmentProblem::MediaType,
        ),
    ];
    for (bad, problem) in cases {
        let entry = EntryData {
            documents: vec![statutes(), bad],
            ..complete_entry()
        };
        refused(
            &world,
            register(&world, world.bureau_agent(), request(entry)),
            OrganisationError::InvalidAttachment {
                field: "documents[1]".to_owned(),
                problem,
            },
        )
        .await;
    }
}

#[tokio::test]
async fn attachment_references_are_normalised() {
    let world = World::on(today());
    let mut upper = statutes();
    upper.file.content_hash = upper.file.content_hash.to_uppercase();
    upper.file.media_type = "Application/PDF".to_owned();
    let events = world
        .framework::<RegisteredOrganisation>()
        .given_no_previous_events()
        .when_async(register(
            &world,
            world.bureau_agent(),
            request(EntryData {
                documents: vec![upper],
                ..complete_entry()
            }),
        ))
        .await
        .inspect_result()
        .unwrap();
    let [OrganisationEvent::OrganisationRegistered { entry, .. }] = events.as_slice() else {
        panic!("expected a registration, got {events:?}");
    };
    assert_eq!(entry.documents, vec![statutes()]);
}

#[tokio::test]
async fn lists_are_bounded() {
    let world = World::on(today());
    refused(
        &world,
        register(
            &world,
            world.bureau_agent(),
            request(EntryData {
                fields_of_activity: vec!["Culture".to_owned(); 21],
                ..complete_entry()
            }),
        ),
        OrganisationError::TooMany {
            field: "fields_of_activity",
            max: 20,
            actual: 21,
        },
    )
    .await;
    refused(
        &world,
        register(
            &world,
            world.bureau_agent(),
            request(EntryData {
                documents: vec![statutes(); 31],
                ..complete_entry()
            }),
        ),
        OrganisationError::TooMany {
            field: "documents",
            max: 30,
            actual: 31,
        },
    )
    .await;
}

// Law 2004-63: nothing new is written about a person whose data was erased.
#[tokio::test]
async fn a_representative_whose_data_was_erased_cannot_be_recorded_again() {
    let world = World::on(today());
    let subject = kernel::personal_data::SubjectId::new_v7();
    world.services.cipher.vault().erase(subject).await.unwrap();
    let entry = EntryData {
        representative: Some(Representative {
            subject,
            ..complete_entry().representative.unwrap()
        }),
        ..complete_entry()
    };
    refused(
        &world,
        register(&world, world.bureau_agent(), request(entry)),
        OrganisationError::PersonalData(kernel::personal_data::EnvelopeError::SubjectErased(
            subject,
        )),
    )
    .await;
}

#[tokio::test]
async fn a_registered_entry_reads_as_active_and_open_to_communication() {
    let world = World::on(today());
    let mut entry = RegisteredOrganisation::default();
    assert_eq!(entry.status(), OrganisationStatus::Unregistered);
    assert!(!entry.status().communication_open());
    entry.apply(world.registered(date(2026, 1, 12)));
    assert_eq!(entry.status(), OrganisationStatus::Active);
    assert!(entry.status().communication_open());
    assert_eq!(entry.id(), Some(world.organisation));
    assert_eq!(entry.local_authority(), Some(world.local_authority));
    assert_eq!(entry.registered_on(), Some(date(2026, 1, 12)));
    assert!(!entry.imported());
    assert_eq!(RegisteredOrganisation::TYPE, "RegisteredOrganisation");
}
