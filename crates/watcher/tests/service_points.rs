//! Service points: registration of a public body's counters, lines, websites and addresses,
//! and their retirement.
#![allow(clippy::unwrap_used)]

mod common;

use common::{World, now, text};
use cqrs_es::test::TestFramework;
use kernel::organisation::Governorate;
use kernel::{OrganisationId, OrganisationKind, TextError};
use watcher::{
    Channel, InvalidText, ServicePoint, ServicePointCommand, ServicePointError, ServicePointEvent,
    ServicePointId, ServicePointRef, ServicePointStatus,
};

type Framework = TestFramework<ServicePoint>;

fn register(
    world: &World,
    channel: Channel,
    organisation: OrganisationId,
    locator: &str,
) -> (ServicePointCommand, ServicePointRef) {
    let point = ServicePointRef {
        id: ServicePointId::new_v7(),
        organisation,
        governorate: Governorate::Sfax,
        channel,
    };
    let command = ServicePointCommand::RegisterServicePoint {
        actor: world.supervisor,
        point: point.id,
        organisation,
        governorate: point.governorate,
        channel,
        name: "Bureau d'ordre central".into(),
        locator: locator.into(),
    };
    (command, point)
}

fn registered(world: &World) -> ServicePointEvent {
    ServicePointEvent::ServicePointRegistered {
        point: world.counter(),
        name: text("Bureau d'ordre central"),
        locator: text("Rue Habib Bourguiba, Sfax"),
        by: world.supervisor.id,
        registered_at: now(),
    }
}

#[tokio::test]
async fn a_supervisor_registers_a_counter_of_a_public_body() {
    let world = World::new();
    let (command, point) = register(
        &world,
        Channel::Counter,
        world.structure,
        "  Rue Habib Bourguiba, Sfax ",
    );
    Framework::with(world.services())
        .given_no_previous_events()
        .when_async(command)
        .await
        .then_expect_events(vec![ServicePointEvent::ServicePointRegistered {
            point,
            name: text("Bureau d'ordre central"),
            locator: text("Rue Habib Bourguiba, Sfax"),
            by: world.supervisor.id,
            registered_at: now(),
        }]);
}

#[tokio::test]
async fn phone_lines_websites_and_email_addresses_are_registered_with_their_locator() {
    let world = World::new();
    for (channel, locator) in [
        (Channel::Phone, "+216 71 123 456"),
        (Channel::Phone, "(71) 123-456"),
        (Channel::Website, "https://www.commune-sfax.gov.tn/services"),
        (Channel::Email, "bureau.relations@commune-sfax.gov.tn"),
    ] {
        let (command, point) = register(&world, channel, world.municipality, locator);
        let events = Framework::with(world.services())
            .given_no_previous_events()
            .when_async(command)
            .await
            .inspect_result()
            .unwrap();
        assert!(
            matches!(&events[..], [ServicePointEvent::ServicePointRegistered { point: p, .. }] if *p == point),
            "{channel:?} {locator}"
        );
    }
}

#[tokio::test]
async fn only_supervisors_and_the_head_of_the_department_register_points() {
    let world = World::new();
    for actor in [world.member, world.body_agent, world.impostor()] {
        let (mut command, _) = register(&world, Channel::Counter, world.structure, "Sfax");
        if let ServicePointCommand::RegisterServicePoint { actor: a, .. } = &mut command {
            *a = actor;
        }
        Framework::with(world.services())
            .given_no_previous_events()
            .when_async(command)
            .await
            .then_expect_error(ServicePointError::NotDepartmentSupervisor);
    }
    let (mut command, _) = register(&world, Channel::Counter, world.structure, "Sfax");
    if let ServicePointCommand::RegisterServicePoint { actor, .. } = &mut command {
        *actor = world.head;
    }
    assert!(
        Framework::with(world.services())
            .given_no_previous_events()
            .when_async(command)
            .await
            .inspect_result()
            .is_ok()
    );
}

#[tokio::test]
async fn a_point_is_registered_once() {
    let world = World::new();
    let (command, _) = register(&world, Channel::Counter, world.structure, "Sfax");
    Framework::with(world.services())
        .given(vec![registered(&world)])
        .when_async(command)
        .await
        .then_expect_error(ServicePointError::AlreadyRegistered);
}

#[tokio::test]
async fn the_organisation_must_be_in_the_directory() {
    let world = World::new();
    let unknown = OrganisationId::new_v7();
    let (command, _) = register(&world, Channel::Counter, unknown, "Sfax");
    Framework::with(world.services())
        .given_no_previous_events()
        .when_async(command)
        .await
        .then_expect_error(ServicePointError::UnknownOrganisation(unknown));
}

#[tokio::test]
async fn the_department_and_external_authorities_are_not_inspected_bodies() {
    let world = World::new();
    for (organisation, kind) in [
        (world.department, OrganisationKind::WatcherDepartment),
        (world.authority, OrganisationKind::ExternalAuthority),
    ] {
        let (command, _) = register(&world, Channel::Counter, organisation, "Tunis");
        Framework::with(world.services())
            .given_no_previous_events()
            .when_async(command)
            .await
            .then_expect_error(ServicePointError::NotAPublicBody { organisation, kind });
    }
}

#[tokio::test]
async fn name_and_locator_are_validated_text() {
    let world = World::new();
    let (mut command, _) = register(&world, Channel::Counter, world.structure, "Sfax");
    if let ServicePointCommand::RegisterServicePoint { name, .. } = &mut command {
        *name = "  ".into();
    }
    Framework::with(world.services())
        .given_no_previous_events()
        .when_async(command)
        .await
        .then_expect_error(ServicePointError::InvalidText(InvalidText {
            field: "name",
            reason: TextError::Empty,
        }));
    let (command, _) = register(&world, Channel::Counter, world.structure, "Rue\nde Sfax");
    Framework::with(world.services())
        .given_no_previous_events()
        .when_async(command)
        .await
        .then_expect_error(ServicePointError::InvalidText(InvalidText {
            field: "locator",
            reason: TextError::LineBreak { position: 4 },
        }));
}

#[tokio::test]
async fn a_locator_that_does_not_fit_the_channel_is_refused() {
    let world = World::new();
    for (channel, locator, reason) in [
        (
            Channel::Phone,
            "71 12 34 ab",
            "a phone number has digits, spaces, dashes, dots, brackets and a leading +",
        ),
        (
            Channel::Phone,
            "71 123",
            "a phone number has 8 to 15 digits",
        ),
        (
            Channel::Website,
            "www.commune-sfax.gov.tn",
            "a website is an http:// or https:// address without spaces",
        ),
        (
            Channel::Website,
            "https://",
            "a website is an http:// or https:// address without spaces",
        ),
        (
            Channel::Email,
            "bureau.commune-sfax.gov.tn",
            "an e-mail address is local@domain.tld without spaces",
        ),
        (
            Channel::Email,
            "bureau@localhost",
            "an e-mail address is local@domain.tld without spaces",
        ),
    ] {
        let (command, _) = register(&world, channel, world.municipality, locator);
        Framework::with(world.services())
            .given_no_previous_events()
            .when_async(command)
            .await
            .then_expect_error(ServicePointError::InvalidLocator { channel, reason });
    }
}

#[tokio::test]
async fn a_supervisor_retires_an_active_point() {
    let world = World::new();
    Framework::with(world.services())
        .given(vec![registered(&world)])
        .when_async(ServicePointCommand::RetireServicePoint {
            actor: world.head,
            reason: "Bureau fermé".into(),
        })
        .await
        .then_expect_events(vec![ServicePointEvent::ServicePointRetired {
            reason: text("Bureau fermé"),
            by: world.head.id,
            retired_at: now(),
        }]);
}

#[tokio::test]
async fn retiring_needs_a_registered_active_point_a_supervisor_and_a_reason() {
    let world = World::new();
    let retire = |actor, reason: &str| ServicePointCommand::RetireServicePoint {
        actor,
        reason: reason.into(),
    };
    Framework::with(world.services())
        .given_no_previous_events()
        .when_async(retire(world.supervisor, "Fermé"))
        .await
        .then_expect_error(ServicePointError::NotRegistered);
    let retired = ServicePointEvent::ServicePointRetired {
        reason: text("Fermé"),
        by: world.head.id,
        retired_at: now(),
    };
    Framework::with(world.services())
        .given(vec![registered(&world), retired])
        .when_async(retire(world.supervisor, "Fermé"))
        .await
        .then_expect_error(ServicePointError::WrongStatus {
            status: ServicePointStatus::Retired,
        });
    Framework::with(world.services())
        .given(vec![registered(&world)])
        .when_async(retire(world.member, "Fermé"))
        .await
        .then_expect_error(ServicePointError::NotDepartmentSupervisor);
    Framework::with(world.services())
        .given(vec![registered(&world)])
        .when_async(retire(world.supervisor, ""))
        .await
        .then_expect_error(ServicePointError::InvalidText(InvalidText {
            field: "reason",
            reason: TextError::Empty,
        }));
}

#[test]
fn state_follows_the_events() {
    use cqrs_es::Aggregate as _;
    let world = World::new();
    let mut point = ServicePoint::default();
    assert_eq!(point.status(), None);
    point.apply(registered(&world));
    assert_eq!(point.status(), Some(ServicePointStatus::Active));
    assert_eq!(point.point().map(|p| p.channel), Some(Channel::Counter));
    point.apply(ServicePointEvent::ServicePointRetired {
        reason: text("Fermé"),
        by: world.head.id,
        retired_at: now(),
    });
    assert_eq!(point.status(), Some(ServicePointStatus::Retired));
}
