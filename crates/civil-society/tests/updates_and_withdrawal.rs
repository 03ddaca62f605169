#![allow(clippy::unwrap_used)]
//! Keeping entries up to date (decree 2019-401 art. 4) and voluntary withdrawal.

mod common;

use chrono::NaiveDate;
use civil_society::{
    DateInFuture, EntryData, InvalidText, OrganisationCommand, OrganisationError,
    OrganisationEvent, OrganisationStatus, RegisteredOrganisation, Requirement,
};
use common::steps::{
    acknowledged, hearing_convened, hearing_held, irregularity_found, notice_sent, struck_off,
    suspension_decided, withdrawn,
};
use common::{World, complete_entry, complete_record, date, public_record, text};
use kernel::{Actor, CivilSocietyOrganisationId, Role, TextError};

use OrganisationStatus::{
    Active, FormalNoticeSent, HearingConvened, HearingHeld, IrregularityFound, NoticeAcknowledged,
    StruckOff, Suspended, Unregistered, Withdrawn,
};

const LIVE: [OrganisationStatus; 7] = [
    Active,
    IrregularityFound,
    FormalNoticeSent,
    NoticeAcknowledged,
    HearingConvened,
    HearingHeld,
    Suspended,
];

fn today() -> NaiveDate {
    date(2026, 6, 1)
}

fn registered_on() -> NaiveDate {
    date(2026, 1, 12)
}

fn update(actor: Actor, entry: EntryData) -> OrganisationCommand {
    OrganisationCommand::UpdateEntry { actor, entry }
}

fn withdraw(actor: Actor, requested_on: NaiveDate) -> OrganisationCommand {
    OrganisationCommand::RecordWithdrawal {
        actor,
        requested_on,
        request_reference: "BO-2026/0101".to_owned(),
    }
}

fn bureau_roles() -> Vec<Role> {
    vec![Role::RegisterBureauAgent, Role::RegisterBureauHead]
}

// decree 2019-401 art. 4: the bureau keeps the register up to date; an update restates the
// entry whole, the representative sealed again.
#[tokio::test]
async fn the_bureau_updates_an_entry() {
    let world = World::on(today());
    let agent = world.bureau_agent();
    world
        .framework::<RegisteredOrganisation>()
        .given(vec![world.registered(registered_on())])
        .when_async(update(agent, complete_entry()))
        .await
        .then_expect_events(vec![OrganisationEvent::EntryUpdated {
            entry: complete_record(&world).await,
            missing: vec![],
            updated_on: today(),
            by: agent.id,
        }]);
}

// decree 2019-401 art. 4, 8: an update need not supply what the entry lacked, and says what
// is still missing.
#[tokio::test]
async fn an_update_of_an_incomplete_entry_lists_what_is_still_missing() {
    let world = World::on(today());
    let head = world.bureau_head();
    let moved = EntryData {
        registered_office: Some("3, avenue de la République, 2070 La Marsa".to_owned()),
        representative: None,
        ..complete_entry()
    };
    let mut expected = public_record();
    expected.registered_office = Some(text("3, avenue de la République, 2070 La Marsa"));
    world
        .framework::<RegisteredOrganisation>()
        .given(vec![world.registered(registered_on())])
        .when_async(update(head, moved))
        .await
        .then_expect_events(vec![OrganisationEvent::EntryUpdated {
            entry: expected,
            missing: vec![
                Requirement::LegalRepresentative,
                Requirement::Email,
                Requirement::Phone,
            ],
            updated_on: today(),
            by: head.id,
        }]);
}

// decree 2019-401 art. 8: an update may not remove a mandatory item the entry had.
#[tokio::test]
async fn an_update_may_not_drop_a_mandatory_item() {
    let world = World::on(today());
    let dropped = EntryData {
        legal_form: None,
        fields_of_activity: vec![],
        ..complete_entry()
    };
    world
        .framework::<RegisteredOrganisation>()
        .given(vec![world.registered(registered_on())])
        .when_async(update(world.bureau_agent(), dropped))
        .await
        .then_expect_error(OrganisationError::MissingRequirements(vec![
            Requirement::LegalForm,
            Requirement::FieldsOfActivity,
        ]));
}

// decree 2019-401 art. 4: entries under an art. 9 procedure are kept up to date too (the
// update may well be the regularisation's paperwork).
#[tokio::test]
async fn an_entry_under_procedure_can_be_updated() {
    let world = World::on(today());
    let events = world
        .framework::<RegisteredOrganisation>()
        .given(vec![
            world.registered(registered_on()),
            irregularity_found(date(2026, 3, 2)),
            notice_sent(date(2026, 3, 3)),
        ])
        .when_async(update(world.bureau_agent(), complete_entry()))
        .await
        .inspect_result()
        .unwrap();
    assert!(matches!(
        events.as_slice(),
        [OrganisationEvent::EntryUpdated { .. }]
    ));
}

// law 2018-52: the number stays unique among the register's live entries.
#[tokio::test]
async fn an_update_to_another_entrys_number_is_refused() {
    let world = World::on(today());
    let other = CivilSocietyOrganisationId::new_v7();
    world
        .index
        .add_entry(world.local_authority, "7654321Z", other);
    world
        .framework::<RegisteredOrganisation>()
        .given(vec![world.registered(registered_on())])
        .when_async(update(
            world.bureau_agent(),
            EntryData {
                national_register_number: Some("7654321z".to_owned()),
                ..complete_entry()
            },
        ))
        .await
        .then_expect_error(OrganisationError::DuplicateRegisterNumber { existing: other });
}

#[tokio::test]
async fn an_entry_keeping_its_own_number_is_no_duplicate() {
    let world = World::on(today());
    world
        .index
        .add_entry(world.local_authority, "1523467B", world.organisation);
    let events = world
        .framework::<RegisteredOrganisation>()
        .given(vec![world.registered(registered_on())])
        .when_async(update(world.bureau_agent(), complete_entry()))
        .await
        .inspect_result()
        .unwrap();
    assert_eq!(events.len(), 1);
}

#[tokio::test]
async fn an_update_is_validated_like_a_registration() {
    let world = World::on(today());
    world
        .framework::<RegisteredOrganisation>()
        .given(vec![world.registered(registered_on())])
        .when_async(update(
            world.bureau_agent(),
            EntryData {
                legal_form: Some(String::new()),
                ..complete_entry()
            },
        ))
        .await
        .then_expect_error(OrganisationError::InvalidText(InvalidText {
            field: "legal_form".to_owned(),
            error: TextError::Empty,
        }));
}

#[tokio::test]
async fn only_the_bureau_of_the_entrys_local_authority_updates_it() {
    let world = World::on(today());
    for actor in [
        world.other_bureau_agent(),
        world.council_secretary(),
        world.admin(),
    ] {
        world
            .framework::<RegisteredOrganisation>()
            .given(vec![world.registered(registered_on())])
            .when_async(update(actor, complete_entry()))
            .await
            .then_expect_error(OrganisationError::NotAllowed {
                allowed: bureau_roles(),
            });
    }
}

// decree 2019-401 art. 9: a struck-off entry refuses every command but reads; so does a
// withdrawn one; and there is nothing to update before registration.
#[tokio::test]
async fn only_live_entries_are_updated() {
    let world = World::on(today());
    let cases = [
        (vec![], Unregistered),
        (
            vec![
                world.registered(registered_on()),
                withdrawn(date(2026, 2, 2)),
            ],
            Withdrawn,
        ),
        (
            vec![
                world.registered(registered_on()),
                irregularity_found(date(2026, 3, 2)),
                notice_sent(date(2026, 3, 3)),
                acknowledged(&world, date(2026, 3, 9)),
                hearing_convened(date(2026, 4, 13), date(2026, 4, 20)),
                hearing_held(date(2026, 4, 20)),
                struck_off(date(2026, 5, 11)),
            ],
            StruckOff,
        ),
    ];
    for (given, status) in cases {
        world
            .framework::<RegisteredOrganisation>()
            .given(given)
            .when_async(update(world.bureau_agent(), complete_entry()))
            .await
            .then_expect_error(OrganisationError::WrongStatus {
                status,
                expected: LIVE.to_vec(),
            });
    }
}

#[tokio::test]
async fn an_organisation_withdraws_from_the_register() {
    let world = World::on(today());
    let agent = world.bureau_agent();
    world
        .framework::<RegisteredOrganisation>()
        .given(vec![world.registered(registered_on())])
        .when_async(withdraw(agent, date(2026, 5, 28)))
        .await
        .then_expect_events(vec![OrganisationEvent::Withdrawn {
            requested_on: date(2026, 5, 28),
            request_reference: text("BO-2026/0101"),
            status_before: Active,
            withdrawn_on: today(),
            by: agent.id,
        }]);
}

// Decision (the decree is silent): withdrawal is possible during an art. 9 procedure, even
// once suspended, and the event says where the procedure stood.
#[tokio::test]
async fn a_withdrawal_during_the_procedure_records_where_it_stood() {
    let world = World::on(today());
    let before_suspension = vec![
        world.registered(registered_on()),
        irregularity_found(date(2026, 3, 2)),
        notice_sent(date(2026, 3, 3)),
    ];
    let mut suspended = before_suspension.clone();
    suspended.extend([
        acknowledged(&world, date(2026, 3, 9)),
        hearing_convened(date(2026, 4, 13), date(2026, 4, 20)),
        hearing_held(date(2026, 4, 20)),
        suspension_decided(date(2026, 4, 27)),
    ]);
    for (given, status_before) in [
        (before_suspension, FormalNoticeSent),
        (suspended, Suspended),
    ] {
        let head = world.bureau_head();
        world
            .framework::<RegisteredOrganisation>()
            .given(given)
            .when_async(withdraw(head, date(2026, 3, 4)))
            .await
            .then_expect_events(vec![OrganisationEvent::Withdrawn {
                requested_on: date(2026, 3, 4),
                request_reference: text("BO-2026/0101"),
                status_before,
                withdrawn_on: today(),
                by: head.id,
            }]);
    }
}

#[tokio::test]
async fn a_withdrawn_or_struck_off_entry_cannot_withdraw() {
    let world = World::on(today());
    let cases = [
        (vec![], Unregistered),
        (
            vec![
                world.registered(registered_on()),
                withdrawn(date(2026, 2, 2)),
            ],
            Withdrawn,
        ),
        (
            vec![
                world.registered(registered_on()),
                irregularity_found(date(2026, 3, 2)),
                notice_sent(date(2026, 3, 3)),
                acknowledged(&world, date(2026, 3, 9)),
                hearing_convened(date(2026, 4, 13), date(2026, 4, 20)),
                hearing_held(date(2026, 4, 20)),
                struck_off(date(2026, 5, 11)),
            ],
            StruckOff,
        ),
    ];
    for (given, status) in cases {
        world
            .framework::<RegisteredOrganisation>()
            .given(given)
            .when_async(withdraw(world.bureau_agent(), date(2026, 5, 28)))
            .await
            .then_expect_error(OrganisationError::WrongStatus {
                status,
                expected: LIVE.to_vec(),
            });
    }
}

#[tokio::test]
async fn only_the_bureau_records_a_withdrawal() {
    let world = World::on(today());
    for actor in [world.other_bureau_agent(), world.council_secretary()] {
        world
            .framework::<RegisteredOrganisation>()
            .given(vec![world.registered(registered_on())])
            .when_async(withdraw(actor, date(2026, 5, 28)))
            .await
            .then_expect_error(OrganisationError::NotAllowed {
                allowed: bureau_roles(),
            });
    }
}

#[tokio::test]
async fn a_withdrawal_request_is_dated_between_registration_and_today() {
    let world = World::on(today());
    world
        .framework::<RegisteredOrganisation>()
        .given(vec![world.registered(registered_on())])
        .when_async(withdraw(world.bureau_agent(), date(2026, 1, 9)))
        .await
        .then_expect_error(OrganisationError::DateBeforePreviousStep {
            field: "requested_on",
            date: date(2026, 1, 9),
            earliest: registered_on(),
        });
    world
        .framework::<RegisteredOrganisation>()
        .given(vec![world.registered(registered_on())])
        .when_async(withdraw(world.bureau_agent(), date(2026, 6, 2)))
        .await
        .then_expect_error(OrganisationError::DateInFuture(DateInFuture {
            field: "requested_on",
            date: date(2026, 6, 2),
            today: today(),
        }));
}

#[tokio::test]
async fn a_withdrawal_request_needs_its_reference() {
    let world = World::on(today());
    world
        .framework::<RegisteredOrganisation>()
        .given(vec![world.registered(registered_on())])
        .when_async(OrganisationCommand::RecordWithdrawal {
            actor: world.bureau_agent(),
            requested_on: date(2026, 5, 28),
            request_reference: "\t".to_owned(),
        })
        .await
        .then_expect_error(OrganisationError::InvalidText(InvalidText {
            field: "request_reference".to_owned(),
            error: TextError::Empty,
        }));
}
