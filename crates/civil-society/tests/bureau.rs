#![allow(clippy::unwrap_used)]
//! The register of a local authority: its opening (art. 5, 17), its bureau (art. 3-4) and the
//! mandatory items it requires (art. 8, configured per local authority).

mod common;

use std::collections::BTreeSet;

use civil_society::{
    AppointedMember, AppointmentOrder, BureauMember, CivilSocietyConfig, CivilSocietyRegister,
    DateInFuture, DocumentKind, InvalidText, RegisterCommand, RegisterError, RegisterEvent,
    RegistrationRequirements, Requirement,
};
use common::{World, date, text};
use cqrs_es::Aggregate;
use cqrs_es::event_sink::EventSink;
use kernel::calendar::{ExplanationStep, NonWorkingReason, RollPolicy};
use kernel::personal_data::SubjectId;
use kernel::{Actor, ActorId, Role, TextError};

fn today() -> chrono::NaiveDate {
    date(2026, 3, 2)
}

fn opened(world: &World) -> RegisterEvent {
    RegisterEvent::RegisterOpened {
        local_authority: world.local_authority,
        opened_on: date(2026, 1, 5),
        migration_window: world.migration_window(date(2026, 1, 5)),
        requirements: RegistrationRequirements::default(),
        by: ActorId::new_v7(),
    }
}

fn open(actor: Actor, world: &World) -> RegisterCommand {
    RegisterCommand::OpenRegister {
        actor,
        local_authority: world.local_authority,
        opened_on: date(2026, 1, 5),
        requirements: RegistrationRequirements::default(),
    }
}

// decree 2019-401 art. 5, 17: the electronic register opens; the year for migrating the paper
// register runs from that day, computed once and carried in the event.
#[tokio::test]
async fn a_platform_administrator_opens_the_register_of_a_local_authority() {
    let world = World::on(today());
    let admin = world.admin();
    world
        .framework::<CivilSocietyRegister>()
        .given_no_previous_events()
        .when_async(open(admin, &world))
        .await
        .then_expect_events(vec![RegisterEvent::RegisterOpened {
            local_authority: world.local_authority,
            opened_on: date(2026, 1, 5),
            migration_window: world.migration_window(date(2026, 1, 5)),
            requirements: RegistrationRequirements::default(),
            by: admin.id,
        }]);
}

// decree 2019-401 art. 17 (Arabic): within a year of the establishment. A register opened on
// 9 April 2026 has until Friday 9 April 2027, Martyrs' Day; the weekend follows, so the
// window rolls to Monday 12 April 2027 (domain notes, section 5: roll to the next working day).
#[tokio::test]
async fn the_migration_window_is_one_year_rolled_past_holidays_and_weekends() {
    let world = World::on(date(2026, 4, 9));
    let events = world
        .framework::<CivilSocietyRegister>()
        .given_no_previous_events()
        .when_async(RegisterCommand::OpenRegister {
            actor: world.admin(),
            local_authority: world.local_authority,
            opened_on: date(2026, 4, 9),
            requirements: RegistrationRequirements::default(),
        })
        .await
        .inspect_result()
        .unwrap();
    let [
        RegisterEvent::RegisterOpened {
            migration_window: window,
            ..
        },
    ] = events.as_slice()
    else {
        panic!("expected the register to open, got {events:?}");
    };
    assert_eq!(window.months, 12);
    assert_eq!(window.nominal_end, date(2027, 4, 9));
    assert_eq!(window.due_date, date(2027, 4, 12));
    assert!(
        window
            .deadline
            .explanation
            .steps
            .iter()
            .any(|step| matches!(
                step,
                ExplanationStep::Rolled { from, to, reason: NonWorkingReason::Holiday { .. } }
                    if *from == date(2027, 4, 9) && *to == date(2027, 4, 12)
            ))
    );
}

// decree 2019-401 art. 3-5: the president's administration acts for its own local authority.
#[tokio::test]
async fn only_the_administrator_of_that_local_authority_opens_its_register() {
    let world = World::on(today());
    for actor in [
        world.bureau_head(),
        Actor::agent(
            ActorId::new_v7(),
            Role::PlatformAdmin,
            world.other_local_authority,
        ),
        Actor::citizen(ActorId::new_v7()),
        Actor::system(ActorId::new_v7()),
    ] {
        world
            .framework::<CivilSocietyRegister>()
            .given_no_previous_events()
            .when_async(open(actor, &world))
            .await
            .then_expect_error(RegisterError::NotAllowed {
                allowed: vec![Role::PlatformAdmin],
            });
    }
}

// decree 2019-401 art. 3: registers are kept by local authorities.
#[tokio::test]
async fn a_register_is_only_opened_for_a_local_authority() {
    let world = World::on(today());
    world
        .framework::<CivilSocietyRegister>()
        .given_no_previous_events()
        .when_async(RegisterCommand::OpenRegister {
            actor: Actor::agent(ActorId::new_v7(), Role::PlatformAdmin, world.ministry),
            local_authority: world.ministry,
            opened_on: date(2026, 1, 5),
            requirements: RegistrationRequirements::default(),
        })
        .await
        .then_expect_error(RegisterError::NotALocalAuthority(world.ministry));
}

#[tokio::test]
async fn a_register_opens_once() {
    let world = World::on(today());
    world
        .framework::<CivilSocietyRegister>()
        .given(vec![opened(&world)])
        .when_async(open(world.admin(), &world))
        .await
        .then_expect_error(RegisterError::AlreadyOpen {
            opened_on: date(2026, 1, 5),
        });
}

#[tokio::test]
async fn a_register_cannot_open_in_the_future() {
    let world = World::on(today());
    world
        .framework::<CivilSocietyRegister>()
        .given_no_previous_events()
        .when_async(RegisterCommand::OpenRegister {
            actor: world.admin(),
            local_authority: world.local_authority,
            opened_on: date(2026, 3, 3),
            requirements: RegistrationRequirements::default(),
        })
        .await
        .then_expect_error(RegisterError::DateInFuture(DateInFuture {
            field: "opened_on",
            date: date(2026, 3, 3),
            today: today(),
        }));
}

fn member(name: &str) -> BureauMember {
    BureauMember {
        agent: ActorId::new_v7(),
        subject: SubjectId::new_v7(),
        full_name: name.to_owned(),
    }
}

fn order() -> AppointmentOrder {
    AppointmentOrder {
        reference: "Arrêté n° 2026-17 du président de la commune".to_owned(),
        signed_on: date(2026, 2, 2),
        published_on: date(2026, 2, 4),
    }
}

fn appoint(actor: Actor, head: &BureauMember, deputy: &BureauMember) -> RegisterCommand {
    RegisterCommand::AppointBureau {
        actor,
        order: order(),
        head: head.clone(),
        deputy: deputy.clone(),
    }
}

// decree 2019-401 art. 4: the president appoints the head of the bureau and a deputy by a
// published order; names are personal data, sealed under each member's subject.
#[tokio::test]
async fn the_order_appointing_the_head_and_deputy_is_recorded() {
    let world = World::on(today());
    let admin = world.admin();
    let head = member("Sami Trabelsi");
    let deputy = member("Leïla Gharbi");
    world
        .framework::<CivilSocietyRegister>()
        .given(vec![opened(&world)])
        .when_async(appoint(admin, &head, &deputy))
        .await
        .then_expect_events(vec![RegisterEvent::BureauAppointed {
            order_reference: text("Arrêté n° 2026-17 du président de la commune"),
            signed_on: date(2026, 2, 2),
            published_on: date(2026, 2, 4),
            head: AppointedMember {
                agent: head.agent,
                name: world.seal(head.subject, &"Sami Trabelsi".to_owned()).await,
            },
            deputy: AppointedMember {
                agent: deputy.agent,
                name: world.seal(deputy.subject, &"Leïla Gharbi".to_owned()).await,
            },
            by: admin.id,
        }]);
}

// decree 2019-401 art. 4: a new order replaces the bureau; the state shows the latest.
#[tokio::test]
async fn a_new_order_replaces_the_bureau() {
    let world = World::on(today());
    let mut register = CivilSocietyRegister::default();
    register.apply(opened(&world));
    let sink = EventSink::default();
    let (first_head, first_deputy) = (member("Sami Trabelsi"), member("Leïla Gharbi"));
    let (second_head, second_deputy) = (member("Hédi Jaziri"), member("Sonia Mabrouk"));
    for (head, deputy) in [(&first_head, &first_deputy), (&second_head, &second_deputy)] {
        register
            .handle(appoint(world.admin(), head, deputy), &world.services, &sink)
            .await
            .unwrap();
    }
    let bureau = register.bureau().unwrap();
    assert_eq!(
        (bureau.head, bureau.deputy),
        (second_head.agent, second_deputy.agent)
    );
    assert_eq!(bureau.signed_on, date(2026, 2, 2));
    assert_eq!(sink.collect().await.len(), 2);
    assert_eq!(register.opened_on(), Some(date(2026, 1, 5)));
    assert_eq!(register.local_authority(), Some(world.local_authority));
}

#[tokio::test]
async fn the_bureau_is_appointed_in_an_open_register() {
    let world = World::on(today());
    world
        .framework::<CivilSocietyRegister>()
        .given_no_previous_events()
        .when_async(appoint(world.admin(), &member("A"), &member("B")))
        .await
        .then_expect_error(RegisterError::NotOpen);
}

// decree 2019-401 art. 4: the president's order, recorded by the local authority's
// administration only.
#[tokio::test]
async fn only_the_administrator_records_the_appointment() {
    let world = World::on(today());
    for actor in [
        world.bureau_head(),
        world.council_secretary(),
        Actor::citizen(ActorId::new_v7()),
    ] {
        world
            .framework::<CivilSocietyRegister>()
            .given(vec![opened(&world)])
            .when_async(appoint(actor, &member("A"), &member("B")))
            .await
            .then_expect_error(RegisterError::NotAllowed {
                allowed: vec![Role::PlatformAdmin],
            });
    }
}

// decree 2019-401 art. 4: a head and a deputy, two people.
#[tokio::test]
async fn head_and_deputy_are_two_people() {
    let world = World::on(today());
    let head = member("Sami Trabelsi");
    let same_account = BureauMember {
        subject: SubjectId::new_v7(),
        ..head.clone()
    };
    let same_person = BureauMember {
        agent: ActorId::new_v7(),
        ..head.clone()
    };
    for deputy in [same_account, same_person] {
        world
            .framework::<CivilSocietyRegister>()
            .given(vec![opened(&world)])
            .when_async(appoint(world.admin(), &head, &deputy))
            .await
            .then_expect_error(RegisterError::HeadAndDeputyAreTheSamePerson);
    }
}

#[tokio::test]
async fn an_order_is_published_after_it_is_signed() {
    let world = World::on(today());
    world
        .framework::<CivilSocietyRegister>()
        .given(vec![opened(&world)])
        .when_async(RegisterCommand::AppointBureau {
            actor: world.admin(),
            order: AppointmentOrder {
                published_on: date(2026, 2, 1),
                ..order()
            },
            head: member("A"),
            deputy: member("B"),
        })
        .await
        .then_expect_error(RegisterError::PublishedBeforeSigned {
            signed_on: date(2026, 2, 2),
            published_on: date(2026, 2, 1),
        });
}

#[tokio::test]
async fn an_order_cannot_be_dated_in_the_future() {
    let world = World::on(today());
    world
        .framework::<CivilSocietyRegister>()
        .given(vec![opened(&world)])
        .when_async(RegisterCommand::AppointBureau {
            actor: world.admin(),
            order: AppointmentOrder {
                signed_on: date(2026, 3, 2),
                published_on: date(2026, 3, 9),
                ..order()
            },
            head: member("A"),
            deputy: member("B"),
        })
        .await
        .then_expect_error(RegisterError::DateInFuture(DateInFuture {
            field: "order.published_on",
            date: date(2026, 3, 9),
            today: today(),
        }));
}

#[tokio::test]
async fn the_order_reference_and_names_are_validated_texts() {
    let world = World::on(today());
    let cases = [
        (
            RegisterCommand::AppointBureau {
                actor: world.admin(),
                order: AppointmentOrder {
                    reference: "  ".to_owned(),
                    ..order()
                },
                head: member("A"),
                deputy: member("B"),
            },
            "order.reference",
            TextError::Empty,
        ),
        (
            appoint(world.admin(), &member("Sami\u{202E}Trabelsi"), &member("B")),
            "head.full_name",
            TextError::ForbiddenCharacter {
                position: 5,
                code_point: 0x202E,
                why: "direction embedding, override or isolate control",
            },
        ),
        (
            appoint(world.admin(), &member("A"), &member("Leïla\nGharbi")),
            "deputy.full_name",
            TextError::LineBreak { position: 6 },
        ),
    ];
    for (command, field, error) in cases {
        world
            .framework::<CivilSocietyRegister>()
            .given(vec![opened(&world)])
            .when_async(command)
            .await
            .then_expect_error(RegisterError::InvalidText(InvalidText {
                field: field.to_owned(),
                error,
            }));
    }
}

fn lenient() -> RegistrationRequirements {
    RegistrationRequirements {
        required: BTreeSet::from([
            Requirement::LegalForm,
            Requirement::RegisteredOffice,
            Requirement::Document(DocumentKind::Statutes),
        ]),
    }
}

// decree 2019-401 art. 8 (list missing from our copy): each local authority sets its list.
#[tokio::test]
async fn the_administrator_configures_the_mandatory_items() {
    let world = World::on(today());
    let admin = world.admin();
    world
        .framework::<CivilSocietyRegister>()
        .given(vec![opened(&world)])
        .when_async(RegisterCommand::ConfigureRequirements {
            actor: admin,
            requirements: lenient(),
        })
        .await
        .then_expect_events(vec![RegisterEvent::RequirementsConfigured {
            requirements: lenient(),
            by: admin.id,
        }]);
}

#[tokio::test]
async fn configuring_the_requirements_in_force_is_refused() {
    let world = World::on(today());
    world
        .framework::<CivilSocietyRegister>()
        .given(vec![opened(&world)])
        .when_async(RegisterCommand::ConfigureRequirements {
            actor: world.admin(),
            requirements: RegistrationRequirements::default(),
        })
        .await
        .then_expect_error(RegisterError::RequirementsUnchanged);
}

#[tokio::test]
async fn requirements_are_configured_on_an_open_register_by_its_administrator() {
    let world = World::on(today());
    world
        .framework::<CivilSocietyRegister>()
        .given_no_previous_events()
        .when_async(RegisterCommand::ConfigureRequirements {
            actor: world.admin(),
            requirements: lenient(),
        })
        .await
        .then_expect_error(RegisterError::NotOpen);
    world
        .framework::<CivilSocietyRegister>()
        .given(vec![opened(&world)])
        .when_async(RegisterCommand::ConfigureRequirements {
            actor: world.bureau_head(),
            requirements: lenient(),
        })
        .await
        .then_expect_error(RegisterError::NotAllowed {
            allowed: vec![Role::PlatformAdmin],
        });
}

#[test]
fn the_default_requirements_are_those_of_the_domain_notes() {
    let required: Vec<_> = RegistrationRequirements::default()
        .required
        .into_iter()
        .collect();
    assert_eq!(
        required,
        vec![
            Requirement::LegalForm,
            Requirement::NationalRegisterNumber,
            Requirement::LegalPublicationReference,
            Requirement::RegisteredOffice,
            Requirement::LegalRepresentative,
            Requirement::Email,
            Requirement::Phone,
            Requirement::FieldsOfActivity,
            Requirement::Document(DocumentKind::Statutes),
        ]
    );
}

// decree 2019-401 art. 9 (one month) and art. 17 (one year, Arabic text); the roll is the
// domain notes' assumption. A configuration file may give only what it changes.
#[test]
fn the_configuration_defaults_follow_the_decree() {
    let config = CivilSocietyConfig::default();
    assert_eq!(config.regularisation_months, 1);
    assert_eq!(config.migration_window_months, 12);
    assert_eq!(config.roll, RollPolicy::NextWorkingDay);
    let partial: CivilSocietyConfig =
        serde_json::from_str(r#"{"limits": {"grounds": 8000}}"#).unwrap();
    assert_eq!(partial.limits.grounds, 8_000);
    assert_eq!(partial.limits.name, 200);
    assert_eq!(partial.regularisation_months, 1);
    assert!(serde_json::from_str::<CivilSocietyConfig>(r#"{"regularisation_month": 2}"#).is_err());
}

#[test]
fn register_events_are_named_and_versioned() {
    use cqrs_es::DomainEvent;
    let world = World::on(today());
    let event = opened(&world);
    assert_eq!(event.event_type(), "RegisterOpened");
    assert_eq!(event.event_version(), "1");
    assert_eq!(CivilSocietyRegister::TYPE, "CivilSocietyRegister");
    let json = serde_json::to_value(&event).unwrap();
    assert_eq!(
        serde_json::from_value::<RegisterEvent>(json).unwrap(),
        event
    );
}
