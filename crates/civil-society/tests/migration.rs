#![allow(clippy::unwrap_used)]
//! Migration of the paper register (decree 2019-401 art. 16-17): entries keep their original
//! date and paper reference, say they were imported, and are imported within a year of the
//! electronic register's establishment (art. 17, Arabic text).

mod common;

use chrono::NaiveDate;
use civil_society::{
    DateInFuture, EntryData, InvalidText, OrganisationCommand, OrganisationError,
    OrganisationEvent, OrganisationStatus, PaperEntry, RegisteredOrganisation,
    RegistrationRequirements, Requirement,
};
use common::steps::irregularity_found;
use common::{
    World, complete_entry, complete_record, date, default_opening, eligible, public_record, text,
};
use cqrs_es::Aggregate;
use cqrs_es::event_sink::EventSink;
use kernel::{Actor, ActorId, CivilSocietyOrganisationId, Role, TextError};

fn paper(registered_on: NaiveDate, entry: EntryData) -> PaperEntry {
    PaperEntry {
        reference: "Registre papier, vol. 1, p. 12, n° 37".to_owned(),
        registered_on,
        eligibility: Some(eligible()),
        entry,
    }
}

fn import(world: &World, actor: Actor, paper: PaperEntry) -> OrganisationCommand {
    OrganisationCommand::ImportPaperEntry {
        actor,
        organisation: world.organisation,
        local_authority: world.local_authority,
        paper,
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

// decree 2019-401 art. 16-17: the paper entry keeps its date (14 November 2019) and reference.
#[tokio::test]
async fn a_paper_entry_is_imported_with_its_original_date_and_reference() {
    let world = World::on(date(2026, 3, 2));
    let agent = world.bureau_agent();
    world
        .framework::<RegisteredOrganisation>()
        .given_no_previous_events()
        .when_async(import(
            &world,
            agent,
            paper(date(2019, 11, 14), complete_entry()),
        ))
        .await
        .then_expect_events(vec![OrganisationEvent::PaperEntryImported {
            organisation: world.organisation,
            local_authority: world.local_authority,
            paper_reference: text("Registre papier, vol. 1, p. 12, n° 37"),
            registered_on: date(2019, 11, 14),
            imported_on: date(2026, 3, 2),
            eligibility: Some(eligible()),
            entry: complete_record(&world).await,
            missing: vec![],
            by: agent.id,
        }]);
}

// decree 2019-401 art. 17: "all the data" of the paper register moves, complete or not; what
// art. 8 (as configured) requires and the paper lacks is listed for the bureau (art. 4).
#[tokio::test]
async fn an_incomplete_paper_entry_is_imported_listing_what_is_missing() {
    let world = World::on(date(2026, 3, 2));
    let head = world.bureau_head();
    let sparse = EntryData {
        representative: None,
        ..complete_entry()
    };
    world
        .framework::<RegisteredOrganisation>()
        .given_no_previous_events()
        .when_async(import(
            &world,
            head,
            PaperEntry {
                eligibility: None,
                ..paper(date(2019, 11, 14), sparse)
            },
        ))
        .await
        .then_expect_events(vec![OrganisationEvent::PaperEntryImported {
            organisation: world.organisation,
            local_authority: world.local_authority,
            paper_reference: text("Registre papier, vol. 1, p. 12, n° 37"),
            registered_on: date(2019, 11, 14),
            imported_on: date(2026, 3, 2),
            eligibility: None,
            entry: public_record(),
            missing: vec![
                Requirement::LegalRepresentative,
                Requirement::Email,
                Requirement::Phone,
            ],
            by: head.id,
        }]);
}

// decree 2019-401 art. 17: the entry says it was imported and reads with its paper date; it
// lives on like any other entry (completed by an update, taken through art. 9).
#[tokio::test]
async fn an_imported_entry_says_so_and_lives_on() {
    let world = World::on(date(2026, 3, 2));
    let mut entry = RegisteredOrganisation::default();
    let sink = EventSink::default();
    let sparse = EntryData {
        representative: None,
        ..complete_entry()
    };
    entry
        .handle(
            import(
                &world,
                world.bureau_agent(),
                paper(date(2019, 11, 14), sparse),
            ),
            &world.services,
            &sink,
        )
        .await
        .unwrap();
    assert!(entry.imported());
    assert_eq!(entry.registered_on(), Some(date(2019, 11, 14)));
    assert_eq!(entry.status(), OrganisationStatus::Active);
    entry
        .handle(
            OrganisationCommand::UpdateEntry {
                actor: world.bureau_agent(),
                entry: complete_entry(),
            },
            &world.services,
            &sink,
        )
        .await
        .unwrap();
    entry.apply(irregularity_found(date(2026, 3, 2)));
    assert_eq!(entry.status(), OrganisationStatus::IrregularityFound);
    let events = sink.collect().await;
    assert!(matches!(
        &events[1],
        OrganisationEvent::EntryUpdated { missing, .. } if missing.is_empty()
    ));
}

// decree 2019-401 art. 17 (Arabic): "within a period not exceeding one year". Opened on Monday
// 5 January 2026, the register takes paper entries until the end of Tuesday 5 January 2027.
#[tokio::test]
async fn paper_entries_are_imported_until_the_year_ends() {
    let world = World::on(date(2027, 1, 5));
    let events = world
        .framework::<RegisteredOrganisation>()
        .given_no_previous_events()
        .when_async(import(
            &world,
            world.bureau_agent(),
            paper(date(2019, 11, 14), complete_entry()),
        ))
        .await
        .inspect_result()
        .unwrap();
    assert_eq!(events.len(), 1);
    world.set_today(date(2027, 1, 6));
    refused(
        &world,
        import(
            &world,
            world.bureau_agent(),
            paper(date(2019, 11, 14), complete_entry()),
        ),
        OrganisationError::MigrationWindowClosed {
            due_date: date(2027, 1, 5),
        },
    )
    .await;
}

// decree 2019-401 art. 17: a register opened on Wednesday 9 April 2025 has a year ending on
// Martyrs' Day 2026, a Thursday: the window closes at the end of Friday 10 April 2026.
#[tokio::test]
async fn a_window_ending_on_a_holiday_stays_open_the_next_working_day() {
    let world = World::on(date(2026, 4, 10));
    world.open_register(date(2025, 4, 9), RegistrationRequirements::default());
    let events = world
        .framework::<RegisteredOrganisation>()
        .given_no_previous_events()
        .when_async(import(
            &world,
            world.bureau_agent(),
            paper(date(2024, 6, 3), complete_entry()),
        ))
        .await
        .inspect_result()
        .unwrap();
    assert_eq!(events.len(), 1);
    world.set_today(date(2026, 4, 13));
    refused(
        &world,
        import(
            &world,
            world.bureau_agent(),
            paper(date(2024, 6, 3), complete_entry()),
        ),
        OrganisationError::MigrationWindowClosed {
            due_date: date(2026, 4, 10),
        },
    )
    .await;
}

// decree 2019-401 art. 16: the paper register is kept only until the electronic one exists.
#[tokio::test]
async fn a_paper_entry_after_the_opening_is_refused() {
    let world = World::on(date(2026, 3, 2));
    refused(
        &world,
        import(
            &world,
            world.bureau_agent(),
            paper(date(2026, 1, 6), complete_entry()),
        ),
        OrganisationError::PaperEntryAfterOpening {
            registered_on: date(2026, 1, 6),
            opened_on: default_opening(),
        },
    )
    .await;
}

#[tokio::test]
async fn a_paper_entry_on_the_opening_day_is_accepted() {
    let world = World::on(date(2026, 3, 2));
    let events = world
        .framework::<RegisteredOrganisation>()
        .given_no_previous_events()
        .when_async(import(
            &world,
            world.bureau_agent(),
            paper(default_opening(), complete_entry()),
        ))
        .await
        .inspect_result()
        .unwrap();
    assert_eq!(events.len(), 1);
}

#[tokio::test]
async fn a_paper_entry_cannot_be_dated_in_the_future() {
    let world = World::on(date(2026, 3, 2));
    refused(
        &world,
        import(
            &world,
            world.bureau_agent(),
            paper(date(2026, 3, 3), complete_entry()),
        ),
        OrganisationError::DateInFuture(DateInFuture {
            field: "paper.registered_on",
            date: date(2026, 3, 3),
            today: date(2026, 3, 2),
        }),
    )
    .await;
}

// decree 2019-401 art. 17: into the electronic register, which must exist.
#[tokio::test]
async fn no_import_without_an_open_register() {
    let world = World::on(date(2026, 3, 2));
    world.index.close(world.local_authority);
    refused(
        &world,
        import(
            &world,
            world.bureau_agent(),
            paper(date(2019, 11, 14), complete_entry()),
        ),
        OrganisationError::RegisterNotOpen {
            local_authority: world.local_authority,
        },
    )
    .await;
}

// law 2018-52: an organisation already registered electronically is not imported twice.
#[tokio::test]
async fn an_import_duplicating_a_live_entry_is_refused() {
    let world = World::on(date(2026, 3, 2));
    let existing = CivilSocietyOrganisationId::new_v7();
    world
        .index
        .add_entry(world.local_authority, "1523467B", existing);
    refused(
        &world,
        import(
            &world,
            world.bureau_agent(),
            paper(date(2019, 11, 14), complete_entry()),
        ),
        OrganisationError::DuplicateRegisterNumber { existing },
    )
    .await;
}

// decree 2019-401 art. 3-4: the bureau migrates its own register.
#[tokio::test]
async fn only_the_bureau_of_that_local_authority_imports() {
    let world = World::on(date(2026, 3, 2));
    for actor in [
        world.other_bureau_agent(),
        world.admin(),
        Actor::system(ActorId::new_v7()),
    ] {
        refused(
            &world,
            import(&world, actor, paper(date(2019, 11, 14), complete_entry())),
            OrganisationError::NotAllowed {
                allowed: vec![Role::RegisterBureauAgent, Role::RegisterBureauHead],
            },
        )
        .await;
    }
}

#[tokio::test]
async fn an_entry_is_imported_once() {
    let world = World::on(date(2026, 3, 2));
    world
        .framework::<RegisteredOrganisation>()
        .given(vec![world.registered(date(2026, 1, 12))])
        .when_async(import(
            &world,
            world.bureau_agent(),
            paper(date(2019, 11, 14), complete_entry()),
        ))
        .await
        .then_expect_error(OrganisationError::WrongStatus {
            status: OrganisationStatus::Active,
            expected: vec![OrganisationStatus::Unregistered],
        });
}

#[tokio::test]
async fn the_paper_reference_is_required() {
    let world = World::on(date(2026, 3, 2));
    refused(
        &world,
        import(
            &world,
            world.bureau_agent(),
            PaperEntry {
                reference: " ".to_owned(),
                ..paper(date(2019, 11, 14), complete_entry())
            },
        ),
        OrganisationError::InvalidText(InvalidText {
            field: "paper.reference".to_owned(),
            error: TextError::Empty,
        }),
    )
    .await;
}
