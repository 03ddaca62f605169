#![allow(clippy::unwrap_used)]
//! The art. 9 procedure of decree 2019-401, step by step and walked through every branch with
//! real 2026 dates on the Tunisian calendar.
//!
//! The main timeline: registered Monday 12 January 2026; the council finds the financial
//! situation irregular on Monday 2 March; the registered letter is posted on Tuesday 3 March
//! and received on Monday 9 March. One month from 9 March is Thursday 9 April, Martyrs' Day:
//! the month ends at the end of Friday 10 April. The hearing invitation goes on Monday 13 April
//! for Monday 20 April; the council suspends communication on Monday 27 April and strikes the
//! organisation off on Monday 11 May.

mod common;

use chrono::NaiveDate;
use civil_society::{
    Attachment, AttachmentProblem, CouncilDecision, DateInFuture, InvalidText, IrregularSituation,
    OrganisationCommand, OrganisationError, OrganisationEvent, OrganisationStatus,
    RegisteredOrganisation, RegistrationRequest, RegularisationTiming, RequestChannel,
};
use common::steps::{
    acknowledged, decision, hearing_convened, hearing_held, irregularity_found, notice_sent,
    regularisation_term, struck_off, suspension_decided,
};
use common::{World, complete_entry, date, eligible, minutes, text};
use cqrs_es::Aggregate;
use cqrs_es::event_sink::EventSink;
use kernel::calendar::{ExplanationStep, NonWorkingReason};
use kernel::{Actor, CivilSocietyOrganisationId, Role, TextError};

use OrganisationStatus::{
    Active, FormalNoticeSent, HearingConvened, HearingHeld, IrregularityFound, NoticeAcknowledged,
    StruckOff, Suspended, Unregistered,
};

const BEFORE_SUSPENSION: [OrganisationStatus; 5] = [
    IrregularityFound,
    FormalNoticeSent,
    NoticeAcknowledged,
    HearingConvened,
    HearingHeld,
];

fn bureau() -> Vec<Role> {
    vec![Role::RegisterBureauAgent, Role::RegisterBureauHead]
}

fn council() -> Vec<Role> {
    vec![Role::CouncilSecretary]
}

fn council_decision(reference: &str, decided_on: NaiveDate) -> CouncilDecision {
    CouncilDecision {
        reference: reference.to_owned(),
        decided_on,
    }
}

fn find(actor: Actor, decided_on: NaiveDate) -> OrganisationCommand {
    OrganisationCommand::FindIrregularity {
        actor,
        decision: council_decision("Délibération n° 2026-031", decided_on),
        situation: IrregularSituation::Financial,
        grounds: "Rapports financiers 2024 et 2025 non déposés".to_owned(),
    }
}

fn send(actor: Actor, sent_on: NaiveDate) -> OrganisationCommand {
    OrganisationCommand::SendFormalNotice {
        actor,
        letter_reference: "RR 1234 5678 9TN".to_owned(),
        sent_on,
    }
}

fn acknowledge(actor: Actor, acknowledged_on: NaiveDate) -> OrganisationCommand {
    OrganisationCommand::RecordAcknowledgement {
        actor,
        acknowledged_on,
    }
}

fn regularise(actor: Actor, regularised_on: NaiveDate) -> OrganisationCommand {
    OrganisationCommand::RecordRegularisation {
        actor,
        regularised_on,
        reference: "Courrier n° 2026/118: rapports déposés".to_owned(),
    }
}

fn convene(actor: Actor, sent_on: NaiveDate, hearing_on: NaiveDate) -> OrganisationCommand {
    OrganisationCommand::ConveneHearing {
        actor,
        invitation_reference: "Convocation n° 2026/77".to_owned(),
        sent_on,
        hearing_on,
    }
}

fn hold(actor: Actor, held_on: NaiveDate) -> OrganisationCommand {
    OrganisationCommand::RecordHearing {
        actor,
        held_on,
        organisation_appeared: false,
        minutes_reference: "PV n° 2026/12".to_owned(),
        minutes: minutes(),
    }
}

fn suspend(actor: Actor, decided_on: NaiveDate) -> OrganisationCommand {
    OrganisationCommand::DecideSuspension {
        actor,
        decision: council_decision("Délibération n° 2026-058", decided_on),
    }
}

fn lift(actor: Actor, decided_on: NaiveDate) -> OrganisationCommand {
    OrganisationCommand::LiftSuspension {
        actor,
        decision: council_decision("Délibération n° 2026-064", decided_on),
    }
}

fn strike_off(actor: Actor, decided_on: NaiveDate) -> OrganisationCommand {
    OrganisationCommand::StrikeOff {
        actor,
        decision: council_decision("Délibération n° 2026-071", decided_on),
    }
}

/// The history up to `status` on the main timeline.
fn history(world: &World, status: OrganisationStatus) -> Vec<OrganisationEvent> {
    let steps = [
        (Active, world.registered(date(2026, 1, 12))),
        (IrregularityFound, irregularity_found(date(2026, 3, 2))),
        (FormalNoticeSent, notice_sent(date(2026, 3, 3))),
        (NoticeAcknowledged, acknowledged(world, date(2026, 3, 9))),
        (
            HearingConvened,
            hearing_convened(date(2026, 4, 13), date(2026, 4, 20)),
        ),
        (HearingHeld, hearing_held(date(2026, 4, 20))),
        (Suspended, suspension_decided(date(2026, 4, 27))),
        (StruckOff, struck_off(date(2026, 5, 11))),
    ];
    let mut events = Vec::new();
    for (reached, event) in steps {
        events.push(event);
        if reached == status {
            return events;
        }
    }
    panic!("{status:?} is not on the main timeline");
}

// ---------------------------------------------------------------- finding the irregularity

// decree 2019-401 art. 9: the council finds the legal or financial situation irregular.
#[tokio::test]
async fn the_council_secretary_records_the_finding_of_an_irregular_situation() {
    let world = World::on(date(2026, 3, 2));
    let secretary = world.council_secretary();
    world
        .framework::<RegisteredOrganisation>()
        .given(history(&world, Active))
        .when_async(find(secretary, date(2026, 3, 2)))
        .await
        .then_expect_events(vec![OrganisationEvent::IrregularityFound {
            decision: decision("Délibération n° 2026-031", date(2026, 3, 2)),
            situation: IrregularSituation::Financial,
            grounds: text("Rapports financiers 2024 et 2025 non déposés"),
            by: secretary.id,
        }]);
}

// decree 2019-401 art. 9: a decision of the council, not of the bureau.
#[tokio::test]
async fn only_the_council_secretary_of_that_local_authority_records_the_finding() {
    let world = World::on(date(2026, 3, 2));
    let other_secretary = Actor::agent(
        kernel::ActorId::new_v7(),
        Role::CouncilSecretary,
        world.other_local_authority,
    );
    for actor in [world.bureau_head(), other_secretary] {
        world
            .framework::<RegisteredOrganisation>()
            .given(history(&world, Active))
            .when_async(find(actor, date(2026, 3, 2)))
            .await
            .then_expect_error(OrganisationError::NotAllowed { allowed: council() });
    }
}

#[tokio::test]
async fn a_procedure_opens_on_an_active_entry_only() {
    let world = World::on(date(2026, 6, 1));
    for status in [IrregularityFound, NoticeAcknowledged, Suspended, StruckOff] {
        world
            .framework::<RegisteredOrganisation>()
            .given(history(&world, status))
            .when_async(find(world.council_secretary(), date(2026, 6, 1)))
            .await
            .then_expect_error(OrganisationError::WrongStatus {
                status,
                expected: vec![Active],
            });
    }
    world
        .framework::<RegisteredOrganisation>()
        .given_no_previous_events()
        .when_async(find(world.council_secretary(), date(2026, 6, 1)))
        .await
        .then_expect_error(OrganisationError::WrongStatus {
            status: Unregistered,
            expected: vec![Active],
        });
}

#[tokio::test]
async fn the_decision_is_dated_between_registration_and_today() {
    let world = World::on(date(2026, 3, 2));
    world
        .framework::<RegisteredOrganisation>()
        .given(history(&world, Active))
        .when_async(find(world.council_secretary(), date(2026, 1, 9)))
        .await
        .then_expect_error(OrganisationError::DateBeforePreviousStep {
            field: "decision.decided_on",
            date: date(2026, 1, 9),
            earliest: date(2026, 1, 12),
        });
    world
        .framework::<RegisteredOrganisation>()
        .given(history(&world, Active))
        .when_async(find(world.council_secretary(), date(2026, 3, 3)))
        .await
        .then_expect_error(OrganisationError::DateInFuture(DateInFuture {
            field: "decision.decided_on",
            date: date(2026, 3, 3),
            today: date(2026, 3, 2),
        }));
}

#[tokio::test]
async fn the_decision_needs_its_reference_and_grounds() {
    let world = World::on(date(2026, 3, 2));
    let cases = [
        (
            OrganisationCommand::FindIrregularity {
                actor: world.council_secretary(),
                decision: council_decision("", date(2026, 3, 2)),
                situation: IrregularSituation::Legal,
                grounds: "Statuts non conformes".to_owned(),
            },
            "decision.reference",
            TextError::Empty,
        ),
        (
            OrganisationCommand::FindIrregularity {
                actor: world.council_secretary(),
                decision: council_decision("Délibération n° 2026-031", date(2026, 3, 2)),
                situation: IrregularSituation::LegalAndFinancial,
                grounds: "x".repeat(4_001),
            },
            "grounds",
            TextError::TooLong {
                max: 4_000,
                actual: 4_001,
            },
        ),
    ];
    for (command, field, error) in cases {
        world
            .framework::<RegisteredOrganisation>()
            .given(history(&world, Active))
            .when_async(command)
            .await
            .then_expect_error(OrganisationError::InvalidText(InvalidText {
                field: field.to_owned(),
                error,
            }));
    }
}

// ---------------------------------------------------------------- formal notice

// decree 2019-401 art. 9: formal notice by registered letter with acknowledgement of receipt.
#[tokio::test]
async fn the_bureau_records_the_formal_notice() {
    let world = World::on(date(2026, 3, 3));
    let agent = world.bureau_agent();
    world
        .framework::<RegisteredOrganisation>()
        .given(history(&world, IrregularityFound))
        .when_async(send(agent, date(2026, 3, 3)))
        .await
        .then_expect_events(vec![OrganisationEvent::FormalNoticeSent {
            letter_reference: text("RR 1234 5678 9TN"),
            sent_on: date(2026, 3, 3),
            by: agent.id,
        }]);
}

// Decision: a letter returned unclaimed is followed by a new one, which replaces it.
#[tokio::test]
async fn a_new_letter_can_follow_an_unclaimed_one() {
    let world = World::on(date(2026, 3, 20));
    let head = world.bureau_head();
    world
        .framework::<RegisteredOrganisation>()
        .given(history(&world, FormalNoticeSent))
        .when_async(OrganisationCommand::SendFormalNotice {
            actor: head,
            letter_reference: "RR 1234 9999 9TN".to_owned(),
            sent_on: date(2026, 3, 19),
        })
        .await
        .then_expect_events(vec![OrganisationEvent::FormalNoticeSent {
            letter_reference: text("RR 1234 9999 9TN"),
            sent_on: date(2026, 3, 19),
            by: head.id,
        }]);
}

#[tokio::test]
async fn a_formal_notice_follows_a_finding() {
    let world = World::on(date(2026, 3, 20));
    for status in [Active, NoticeAcknowledged] {
        world
            .framework::<RegisteredOrganisation>()
            .given(history(&world, status))
            .when_async(send(world.bureau_agent(), date(2026, 3, 20)))
            .await
            .then_expect_error(OrganisationError::WrongStatus {
                status,
                expected: vec![IrregularityFound, FormalNoticeSent],
            });
    }
}

#[tokio::test]
async fn a_formal_notice_is_not_posted_before_the_decision() {
    let world = World::on(date(2026, 3, 3));
    world
        .framework::<RegisteredOrganisation>()
        .given(history(&world, IrregularityFound))
        .when_async(send(world.bureau_agent(), date(2026, 2, 27)))
        .await
        .then_expect_error(OrganisationError::DateBeforePreviousStep {
            field: "sent_on",
            date: date(2026, 2, 27),
            earliest: date(2026, 3, 2),
        });
}

#[tokio::test]
async fn the_bureau_sends_the_notice_not_the_council() {
    let world = World::on(date(2026, 3, 3));
    world
        .framework::<RegisteredOrganisation>()
        .given(history(&world, IrregularityFound))
        .when_async(send(world.council_secretary(), date(2026, 3, 3)))
        .await
        .then_expect_error(OrganisationError::NotAllowed { allowed: bureau() });
}

// ---------------------------------------------------------------- acknowledgement and the month

// decree 2019-401 art. 9: one month from the notification. From Monday 9 March 2026 the month
// ends on Thursday 9 April, Martyrs' Day, and rolls to Friday 10 April (domain notes, section
// 5); the event carries the computed term with the kernel's explanation.
#[tokio::test]
async fn the_month_runs_from_the_acknowledgement_and_rolls_past_martyrs_day() {
    let world = World::on(date(2026, 3, 10));
    let agent = world.bureau_agent();
    let term = regularisation_term(&world, date(2026, 3, 9));
    assert_eq!(term.nominal_end, date(2026, 4, 9));
    assert_eq!(term.due_date, date(2026, 4, 10));
    let steps = &term.deadline.explanation.steps;
    assert!(matches!(
        &steps[0],
        ExplanationStep::Started { amount: 31, source, .. }
            if source.contains("2026-03-09 to 2026-04-09 = 31 calendar days")
    ));
    let martyrs_day = NonWorkingReason::Holiday {
        name_fr: "Journée des Martyrs".to_owned(),
        name_ar: "عيد الشهداء".to_owned(),
    };
    assert!(steps.contains(&ExplanationStep::Rolled {
        from: date(2026, 4, 9),
        to: date(2026, 4, 10),
        reason: martyrs_day,
    }));
    assert_eq!(term.deadline.calendar_version, "TN-2026.1");
    assert!(
        term.deadline
            .explanation
            .to_string()
            .ends_with("Échéance : fin du vendredi 10/04/2026 (heure de Tunis)")
    );
    world
        .framework::<RegisteredOrganisation>()
        .given(history(&world, FormalNoticeSent))
        .when_async(acknowledge(agent, date(2026, 3, 9)))
        .await
        .then_expect_events(vec![OrganisationEvent::NoticeAcknowledged {
            acknowledged_on: date(2026, 3, 9),
            regularisation_term: term,
            by: agent.id,
        }]);
}

async fn term_from(world: &World, acknowledged_on: NaiveDate) -> civil_society::MonthTerm {
    let mut given = history(world, IrregularityFound);
    given.push(notice_sent(acknowledged_on));
    let events = world
        .framework::<RegisteredOrganisation>()
        .given(given)
        .when_async(acknowledge(world.bureau_agent(), acknowledged_on))
        .await
        .inspect_result()
        .unwrap();
    let [
        OrganisationEvent::NoticeAcknowledged {
            regularisation_term,
            ..
        },
    ] = events.as_slice()
    else {
        panic!("expected an acknowledgement, got {events:?}");
    };
    regularisation_term.clone()
}

// decree 2019-401 art. 9: a month is not 30 days. From Friday 30 January 2026 it ends on the
// last day of February, Saturday 28, and rolls over the weekend to Monday 2 March.
#[tokio::test]
async fn a_month_from_the_end_of_january_ends_with_february_and_rolls_past_the_weekend() {
    let world = World::on(date(2026, 3, 2));
    let term = term_from(&world, date(2026, 1, 30)).await;
    assert_eq!(term.nominal_end, date(2026, 2, 28));
    assert_eq!(term.due_date, date(2026, 3, 2));
    assert!(term.deadline.explanation.steps.iter().any(|step| matches!(
        step,
        ExplanationStep::Rolled {
            reason: NonWorkingReason::Weekend(chrono::Weekday::Sat),
            ..
        }
    )));
}

// decree 2019-401 art. 9 with the lunar holidays of the calendar data: from Monday 27 April
// 2026 the month ends on Wednesday 27 May, Aïd el-Idha, whose second day follows: the month
// ends on Friday 29 May.
#[tokio::test]
async fn a_month_ending_on_aid_el_idha_rolls_past_both_days() {
    let world = World::on(date(2026, 4, 28));
    let term = term_from(&world, date(2026, 4, 27)).await;
    assert_eq!(term.nominal_end, date(2026, 5, 27));
    assert_eq!(term.due_date, date(2026, 5, 29));
}

// decree 2019-401 art. 9: a month ending on a working day does not move.
#[tokio::test]
async fn a_month_ending_on_a_working_day_does_not_move() {
    let world = World::on(date(2026, 3, 17));
    let term = term_from(&world, date(2026, 3, 16)).await;
    assert_eq!(term.nominal_end, date(2026, 4, 16));
    assert_eq!(term.due_date, date(2026, 4, 16));
}

#[tokio::test]
async fn an_acknowledgement_follows_a_letter() {
    let world = World::on(date(2026, 3, 10));
    for status in [IrregularityFound, NoticeAcknowledged] {
        world
            .framework::<RegisteredOrganisation>()
            .given(history(&world, status))
            .when_async(acknowledge(world.bureau_agent(), date(2026, 3, 9)))
            .await
            .then_expect_error(OrganisationError::WrongStatus {
                status,
                expected: vec![FormalNoticeSent],
            });
    }
}

#[tokio::test]
async fn a_letter_is_not_received_before_it_is_posted_nor_in_the_future() {
    let world = World::on(date(2026, 3, 10));
    world
        .framework::<RegisteredOrganisation>()
        .given(history(&world, FormalNoticeSent))
        .when_async(acknowledge(world.bureau_agent(), date(2026, 3, 2)))
        .await
        .then_expect_error(OrganisationError::DateBeforePreviousStep {
            field: "acknowledged_on",
            date: date(2026, 3, 2),
            earliest: date(2026, 3, 3),
        });
    world
        .framework::<RegisteredOrganisation>()
        .given(history(&world, FormalNoticeSent))
        .when_async(acknowledge(world.bureau_agent(), date(2026, 3, 11)))
        .await
        .then_expect_error(OrganisationError::DateInFuture(DateInFuture {
            field: "acknowledged_on",
            date: date(2026, 3, 11),
            today: date(2026, 3, 10),
        }));
}

#[tokio::test]
async fn the_bureau_records_the_acknowledgement() {
    let world = World::on(date(2026, 3, 10));
    world
        .framework::<RegisteredOrganisation>()
        .given(history(&world, FormalNoticeSent))
        .when_async(acknowledge(world.other_bureau_agent(), date(2026, 3, 9)))
        .await
        .then_expect_error(OrganisationError::NotAllowed { allowed: bureau() });
}

// ---------------------------------------------------------------- regularisation

// decree 2019-401 art. 9: regularised within the month, back to active. The last day is the
// rolled one, Friday 10 April: regularising that day is within the month.
#[tokio::test]
async fn regularised_on_the_rolled_last_day_is_within_the_month() {
    let world = World::on(date(2026, 4, 10));
    let agent = world.bureau_agent();
    world
        .framework::<RegisteredOrganisation>()
        .given(history(&world, NoticeAcknowledged))
        .when_async(regularise(agent, date(2026, 4, 10)))
        .await
        .then_expect_events(vec![OrganisationEvent::Regularised {
            regularised_on: date(2026, 4, 10),
            reference: text("Courrier n° 2026/118: rapports déposés"),
            timing: RegularisationTiming::WithinTerm,
            by: agent.id,
        }]);
}

#[tokio::test]
async fn regularisation_is_timed_against_the_month() {
    let world = World::on(date(2026, 4, 30));
    let cases = [
        (
            IrregularityFound,
            date(2026, 3, 2),
            RegularisationTiming::BeforeTermStarted,
        ),
        (
            FormalNoticeSent,
            date(2026, 3, 5),
            RegularisationTiming::BeforeTermStarted,
        ),
        (
            NoticeAcknowledged,
            date(2026, 4, 13),
            RegularisationTiming::AfterTerm,
        ),
        (
            HearingConvened,
            date(2026, 4, 15),
            RegularisationTiming::AfterTerm,
        ),
        (
            HearingHeld,
            date(2026, 4, 20),
            RegularisationTiming::AfterTerm,
        ),
    ];
    for (status, regularised_on, timing) in cases {
        let head = world.bureau_head();
        world
            .framework::<RegisteredOrganisation>()
            .given(history(&world, status))
            .when_async(regularise(head, regularised_on))
            .await
            .then_expect_events(vec![OrganisationEvent::Regularised {
                regularised_on,
                reference: text("Courrier n° 2026/118: rapports déposés"),
                timing,
                by: head.id,
            }]);
    }
}

// Decision: once the council has suspended communication, only its decision lifts it.
#[tokio::test]
async fn the_bureau_cannot_regularise_a_suspended_or_active_entry() {
    let world = World::on(date(2026, 5, 4));
    for status in [Active, Suspended, StruckOff] {
        world
            .framework::<RegisteredOrganisation>()
            .given(history(&world, status))
            .when_async(regularise(world.bureau_agent(), date(2026, 5, 4)))
            .await
            .then_expect_error(OrganisationError::WrongStatus {
                status,
                expected: BEFORE_SUSPENSION.to_vec(),
            });
    }
}

#[tokio::test]
async fn a_regularisation_is_dated_after_the_step_it_answers() {
    let world = World::on(date(2026, 4, 10));
    world
        .framework::<RegisteredOrganisation>()
        .given(history(&world, NoticeAcknowledged))
        .when_async(regularise(world.bureau_agent(), date(2026, 3, 6)))
        .await
        .then_expect_error(OrganisationError::DateBeforePreviousStep {
            field: "regularised_on",
            date: date(2026, 3, 6),
            earliest: date(2026, 3, 9),
        });
}

#[tokio::test]
async fn the_bureau_records_a_regularisation() {
    let world = World::on(date(2026, 4, 10));
    world
        .framework::<RegisteredOrganisation>()
        .given(history(&world, NoticeAcknowledged))
        .when_async(regularise(world.council_secretary(), date(2026, 4, 10)))
        .await
        .then_expect_error(OrganisationError::NotAllowed { allowed: bureau() });
}

// ---------------------------------------------------------------- hearing

// decree 2019-401 art. 9: "en cas de non-réponse": once the month is over, the local
// authority invites the organisation to a hearing.
#[tokio::test]
async fn after_the_month_the_bureau_convenes_a_hearing() {
    let world = World::on(date(2026, 4, 13));
    let agent = world.bureau_agent();
    world
        .framework::<RegisteredOrganisation>()
        .given(history(&world, NoticeAcknowledged))
        .when_async(convene(agent, date(2026, 4, 13), date(2026, 4, 20)))
        .await
        .then_expect_events(vec![OrganisationEvent::HearingConvened {
            invitation_reference: text("Convocation n° 2026/77"),
            sent_on: date(2026, 4, 13),
            hearing_on: date(2026, 4, 20),
            by: agent.id,
        }]);
}

// decree 2019-401 art. 9: not during the month, its rolled last day included: on Martyrs' Day
// (the nominal end) and on Friday 10 April the organisation may still answer.
#[tokio::test]
async fn no_hearing_while_the_month_runs() {
    let world = World::on(date(2026, 4, 10));
    for sent_on in [date(2026, 3, 20), date(2026, 4, 9), date(2026, 4, 10)] {
        world
            .framework::<RegisteredOrganisation>()
            .given(history(&world, NoticeAcknowledged))
            .when_async(convene(world.bureau_agent(), sent_on, date(2026, 4, 20)))
            .await
            .then_expect_error(OrganisationError::RegularisationPeriodRunning {
                due_date: date(2026, 4, 10),
            });
    }
}

#[tokio::test]
async fn a_hearing_follows_an_acknowledged_notice() {
    let world = World::on(date(2026, 4, 13));
    for status in [IrregularityFound, FormalNoticeSent, HearingHeld] {
        world
            .framework::<RegisteredOrganisation>()
            .given(history(&world, status))
            .when_async(convene(
                world.bureau_agent(),
                date(2026, 4, 13),
                date(2026, 4, 20),
            ))
            .await
            .then_expect_error(OrganisationError::WrongStatus {
                status,
                expected: vec![NoticeAcknowledged, HearingConvened],
            });
    }
}

// Decision: a postponed hearing is convened again.
#[tokio::test]
async fn a_hearing_can_be_rescheduled() {
    let world = World::on(date(2026, 4, 17));
    let events = world
        .framework::<RegisteredOrganisation>()
        .given(history(&world, HearingConvened))
        .when_async(convene(
            world.bureau_agent(),
            date(2026, 4, 17),
            date(2026, 4, 27),
        ))
        .await
        .inspect_result()
        .unwrap();
    assert!(matches!(
        events.as_slice(),
        [OrganisationEvent::HearingConvened { hearing_on, .. }] if *hearing_on == date(2026, 4, 27)
    ));
}

#[tokio::test]
async fn a_hearing_is_not_held_before_the_invitation() {
    let world = World::on(date(2026, 4, 13));
    world
        .framework::<RegisteredOrganisation>()
        .given(history(&world, NoticeAcknowledged))
        .when_async(convene(
            world.bureau_agent(),
            date(2026, 4, 13),
            date(2026, 4, 10),
        ))
        .await
        .then_expect_error(OrganisationError::DateBeforePreviousStep {
            field: "hearing_on",
            date: date(2026, 4, 10),
            earliest: date(2026, 4, 13),
        });
}

#[tokio::test]
async fn the_bureau_convenes_the_hearing() {
    let world = World::on(date(2026, 4, 13));
    world
        .framework::<RegisteredOrganisation>()
        .given(history(&world, NoticeAcknowledged))
        .when_async(convene(
            world.council_secretary(),
            date(2026, 4, 13),
            date(2026, 4, 20),
        ))
        .await
        .then_expect_error(OrganisationError::NotAllowed { allowed: bureau() });
}

// decree 2019-401 art. 9 (and art. 13 for the register's hearings): minutes are drawn up.
#[tokio::test]
async fn the_hearing_is_recorded_with_its_minutes() {
    let world = World::on(date(2026, 4, 20));
    let head = world.bureau_head();
    world
        .framework::<RegisteredOrganisation>()
        .given(history(&world, HearingConvened))
        .when_async(OrganisationCommand::RecordHearing {
            actor: head,
            held_on: date(2026, 4, 20),
            organisation_appeared: true,
            minutes_reference: "PV n° 2026/12".to_owned(),
            minutes: minutes(),
        })
        .await
        .then_expect_events(vec![OrganisationEvent::HearingHeld {
            held_on: date(2026, 4, 20),
            organisation_appeared: true,
            minutes_reference: text("PV n° 2026/12"),
            minutes: minutes(),
            by: head.id,
        }]);
}

#[tokio::test]
async fn a_hearing_is_recorded_once_convened() {
    let world = World::on(date(2026, 4, 20));
    for status in [NoticeAcknowledged, HearingHeld] {
        world
            .framework::<RegisteredOrganisation>()
            .given(history(&world, status))
            .when_async(hold(world.bureau_agent(), date(2026, 4, 20)))
            .await
            .then_expect_error(OrganisationError::WrongStatus {
                status,
                expected: vec![HearingConvened],
            });
    }
}

#[tokio::test]
async fn the_minutes_are_a_valid_attachment_and_the_hearing_follows_the_invitation() {
    let world = World::on(date(2026, 4, 20));
    world
        .framework::<RegisteredOrganisation>()
        .given(history(&world, HearingConvened))
        .when_async(OrganisationCommand::RecordHearing {
            actor: world.bureau_agent(),
            held_on: date(2026, 4, 20),
            organisation_appeared: false,
            minutes_reference: "PV n° 2026/12".to_owned(),
            minutes: Attachment {
                content_hash: "not a hash".to_owned(),
                ..minutes()
            },
        })
        .await
        .then_expect_error(OrganisationError::InvalidAttachment {
            field: "minutes".to_owned(),
            problem: AttachmentProblem::ContentHash,
        });
    world
        .framework::<RegisteredOrganisation>()
        .given(history(&world, HearingConvened))
        .when_async(hold(world.bureau_agent(), date(2026, 4, 10)))
        .await
        .then_expect_error(OrganisationError::DateBeforePreviousStep {
            field: "held_on",
            date: date(2026, 4, 10),
            earliest: date(2026, 4, 13),
        });
    world
        .framework::<RegisteredOrganisation>()
        .given(history(&world, HearingConvened))
        .when_async(hold(world.council_secretary(), date(2026, 4, 20)))
        .await
        .then_expect_error(OrganisationError::NotAllowed { allowed: bureau() });
}

// ---------------------------------------------------------------- council decisions

// decree 2019-401 art. 9: the council may suspend communication once the organisation was
// heard.
#[tokio::test]
async fn the_council_suspends_communication_after_the_hearing() {
    let world = World::on(date(2026, 4, 27));
    let secretary = world.council_secretary();
    world
        .framework::<RegisteredOrganisation>()
        .given(history(&world, HearingHeld))
        .when_async(suspend(secretary, date(2026, 4, 27)))
        .await
        .then_expect_events(vec![OrganisationEvent::SuspensionDecided {
            decision: decision("Délibération n° 2026-058", date(2026, 4, 27)),
            by: secretary.id,
        }]);
}

// decree 2019-401 art. 9: no suspension without the formal notice, the month and the hearing.
#[tokio::test]
async fn no_suspension_without_a_hearing() {
    let world = World::on(date(2026, 4, 27));
    for status in [
        Active,
        IrregularityFound,
        FormalNoticeSent,
        NoticeAcknowledged,
        HearingConvened,
        Suspended,
    ] {
        world
            .framework::<RegisteredOrganisation>()
            .given(history(&world, status))
            .when_async(suspend(world.council_secretary(), date(2026, 4, 27)))
            .await
            .then_expect_error(OrganisationError::WrongStatus {
                status,
                expected: vec![HearingHeld],
            });
    }
}

#[tokio::test]
async fn the_suspension_is_the_councils_and_follows_the_hearing() {
    let world = World::on(date(2026, 4, 27));
    world
        .framework::<RegisteredOrganisation>()
        .given(history(&world, HearingHeld))
        .when_async(suspend(world.bureau_head(), date(2026, 4, 27)))
        .await
        .then_expect_error(OrganisationError::NotAllowed { allowed: council() });
    world
        .framework::<RegisteredOrganisation>()
        .given(history(&world, HearingHeld))
        .when_async(suspend(world.council_secretary(), date(2026, 4, 17)))
        .await
        .then_expect_error(OrganisationError::DateBeforePreviousStep {
            field: "decision.decided_on",
            date: date(2026, 4, 17),
            earliest: date(2026, 4, 20),
        });
}

// Decision: a suspended organisation that regularises comes back by a council decision.
#[tokio::test]
async fn the_council_lifts_the_suspension_of_a_regularised_organisation() {
    let world = World::on(date(2026, 5, 4));
    let secretary = world.council_secretary();
    world
        .framework::<RegisteredOrganisation>()
        .given(history(&world, Suspended))
        .when_async(lift(secretary, date(2026, 5, 4)))
        .await
        .then_expect_events(vec![OrganisationEvent::SuspensionLifted {
            decision: decision("Délibération n° 2026-064", date(2026, 5, 4)),
            by: secretary.id,
        }]);
}

#[tokio::test]
async fn only_a_suspension_is_lifted_and_only_by_the_council() {
    let world = World::on(date(2026, 5, 4));
    for status in [Active, HearingHeld, StruckOff] {
        world
            .framework::<RegisteredOrganisation>()
            .given(history(&world, status))
            .when_async(lift(world.council_secretary(), date(2026, 5, 4)))
            .await
            .then_expect_error(OrganisationError::WrongStatus {
                status,
                expected: vec![Suspended],
            });
    }
    world
        .framework::<RegisteredOrganisation>()
        .given(history(&world, Suspended))
        .when_async(lift(world.bureau_head(), date(2026, 5, 4)))
        .await
        .then_expect_error(OrganisationError::NotAllowed { allowed: council() });
}

// decree 2019-401 art. 9: struck off when not regularised, suspended first or not.
#[tokio::test]
async fn the_council_strikes_off_a_heard_organisation_that_did_not_regularise() {
    let world = World::on(date(2026, 5, 11));
    for status in [HearingHeld, Suspended] {
        let secretary = world.council_secretary();
        world
            .framework::<RegisteredOrganisation>()
            .given(history(&world, status))
            .when_async(strike_off(secretary, date(2026, 5, 11)))
            .await
            .then_expect_events(vec![OrganisationEvent::StruckOff {
                decision: decision("Délibération n° 2026-071", date(2026, 5, 11)),
                by: secretary.id,
            }]);
    }
}

#[tokio::test]
async fn no_striking_off_without_a_hearing_and_only_by_the_council() {
    let world = World::on(date(2026, 5, 11));
    for status in [Active, NoticeAcknowledged, HearingConvened, StruckOff] {
        world
            .framework::<RegisteredOrganisation>()
            .given(history(&world, status))
            .when_async(strike_off(world.council_secretary(), date(2026, 5, 11)))
            .await
            .then_expect_error(OrganisationError::WrongStatus {
                status,
                expected: vec![HearingHeld, Suspended],
            });
    }
    world
        .framework::<RegisteredOrganisation>()
        .given(history(&world, Suspended))
        .when_async(strike_off(world.bureau_head(), date(2026, 5, 11)))
        .await
        .then_expect_error(OrganisationError::NotAllowed { allowed: council() });
}

// decree 2019-401 art. 9: a struck-off entry refuses every command (each from an actor
// allowed to issue it, so that the refusal is the state's) and stays readable.
#[tokio::test]
async fn a_struck_off_entry_refuses_every_command_but_reads() {
    let world = World::on(date(2026, 6, 1));
    let day = date(2026, 6, 1);
    let commands = [
        OrganisationCommand::UpdateEntry {
            actor: world.bureau_agent(),
            entry: complete_entry(),
        },
        OrganisationCommand::RecordWithdrawal {
            actor: world.bureau_agent(),
            requested_on: day,
            request_reference: "BO-2026/0200".to_owned(),
        },
        find(world.council_secretary(), day),
        send(world.bureau_agent(), day),
        acknowledge(world.bureau_agent(), day),
        regularise(world.bureau_agent(), day),
        convene(world.bureau_agent(), day, day),
        hold(world.bureau_agent(), day),
        suspend(world.council_secretary(), day),
        lift(world.council_secretary(), day),
        strike_off(world.council_secretary(), day),
        OrganisationCommand::Register {
            actor: world.bureau_agent(),
            organisation: world.organisation,
            local_authority: world.local_authority,
            request: RegistrationRequest {
                channel: RequestChannel::Paper,
                reference: "BO-2026/0300".to_owned(),
                received_on: day,
                eligibility: eligible(),
                entry: complete_entry(),
            },
        },
    ];
    for command in commands {
        let error = world
            .framework::<RegisteredOrganisation>()
            .given(history(&world, StruckOff))
            .when_async(command)
            .await
            .inspect_result()
            .unwrap_err();
        assert!(
            matches!(
                error,
                OrganisationError::WrongStatus {
                    status: StruckOff,
                    ..
                }
            ),
            "{error:?}"
        );
    }
    let mut entry = RegisteredOrganisation::default();
    for event in history(&world, StruckOff) {
        entry.apply(event);
    }
    assert_eq!(entry.status(), StruckOff);
    assert!(!entry.status().is_live());
    assert_eq!(entry.id(), Some(world.organisation));
    assert_eq!(entry.registered_on(), Some(date(2026, 1, 12)));
}

// ---------------------------------------------------------------- walks through every branch

/// Drives one entry through commands on given days, as the gateway would.
struct Walk {
    world: World,
    entry: RegisteredOrganisation,
}

impl Walk {
    async fn registered() -> Self {
        let world = World::on(date(2026, 1, 12));
        let mut walk = Self {
            entry: RegisteredOrganisation::default(),
            world,
        };
        let command = OrganisationCommand::Register {
            actor: walk.world.bureau_agent(),
            organisation: walk.world.organisation,
            local_authority: walk.world.local_authority,
            request: RegistrationRequest {
                channel: RequestChannel::Electronic,
                reference: "EM-2026-000318".to_owned(),
                received_on: date(2026, 1, 8),
                eligibility: eligible(),
                entry: complete_entry(),
            },
        };
        walk.on(date(2026, 1, 12), command).await;
        walk
    }

    /// Handles `command` on `day`; returns the event and checks the status it leads to.
    async fn on(&mut self, day: NaiveDate, command: OrganisationCommand) -> OrganisationEvent {
        self.world.set_today(day);
        let sink = EventSink::default();
        self.entry
            .handle(command, &self.world.services, &sink)
            .await
            .unwrap();
        let mut events = sink.collect().await;
        assert_eq!(events.len(), 1);
        events.remove(0)
    }

    fn status(&self) -> OrganisationStatus {
        self.entry.status()
    }

    /// Up to the acknowledgement of 9 March; the month ends on Friday 10 April.
    async fn noticed(&mut self) {
        let w = &self.world;
        let (secretary, agent) = (w.council_secretary(), w.bureau_agent());
        self.on(date(2026, 3, 2), find(secretary, date(2026, 3, 2)))
            .await;
        assert!(self.status().communication_open());
        self.on(date(2026, 3, 3), send(agent, date(2026, 3, 3)))
            .await;
        self.on(date(2026, 3, 10), acknowledge(agent, date(2026, 3, 9)))
            .await;
        assert_eq!(self.status(), NoticeAcknowledged);
        assert_eq!(self.entry.regularisation_due(), Some(date(2026, 4, 10)));
    }

    /// From the acknowledgement to the hearing of 20 April, with no response in the month.
    async fn heard(&mut self) {
        self.noticed().await;
        let agent = self.world.bureau_agent();
        self.on(
            date(2026, 4, 13),
            convene(agent, date(2026, 4, 13), date(2026, 4, 20)),
        )
        .await;
        self.on(date(2026, 4, 20), hold(agent, date(2026, 4, 20)))
            .await;
        assert_eq!(self.status(), HearingHeld);
    }
}

// Branch 1: regularised within the month: back to active, and a later procedure starts anew.
#[tokio::test]
async fn walk_regularised_within_the_month() {
    let mut walk = Walk::registered().await;
    walk.noticed().await;
    let agent = walk.world.bureau_agent();
    let event = walk
        .on(date(2026, 4, 8), regularise(agent, date(2026, 4, 7)))
        .await;
    assert!(matches!(
        event,
        OrganisationEvent::Regularised {
            timing: RegularisationTiming::WithinTerm,
            ..
        }
    ));
    assert_eq!(walk.status(), Active);
    assert_eq!(walk.entry.regularisation_due(), None);
    // A second finding a year later opens a new procedure with a new month.
    let secretary = walk.world.council_secretary();
    walk.on(date(2027, 3, 1), find(secretary, date(2027, 3, 1)))
        .await;
    assert_eq!(walk.status(), IrregularityFound);
}

// Branch 2: no response, hearing, and the organisation regularises before any council decision.
#[tokio::test]
async fn walk_regularised_after_the_hearing() {
    let mut walk = Walk::registered().await;
    walk.heard().await;
    let agent = walk.world.bureau_agent();
    let event = walk
        .on(date(2026, 4, 22), regularise(agent, date(2026, 4, 22)))
        .await;
    assert!(matches!(
        event,
        OrganisationEvent::Regularised {
            timing: RegularisationTiming::AfterTerm,
            ..
        }
    ));
    assert_eq!(walk.status(), Active);
}

// Branch 3: suspended, then regularised: the council lifts the suspension.
#[tokio::test]
async fn walk_suspended_then_lifted() {
    let mut walk = Walk::registered().await;
    walk.heard().await;
    let secretary = walk.world.council_secretary();
    walk.on(date(2026, 4, 27), suspend(secretary, date(2026, 4, 27)))
        .await;
    assert_eq!(walk.status(), Suspended);
    assert!(walk.status().is_live());
    assert!(!walk.status().communication_open());
    walk.on(date(2026, 5, 25), lift(secretary, date(2026, 5, 25)))
        .await;
    assert_eq!(walk.status(), Active);
    assert!(walk.status().communication_open());
}

// Branch 4: suspended and never regularised: struck off; back only by a new registration,
// under a new identifier, once the read model no longer lists the old entry as live.
#[tokio::test]
async fn walk_suspended_then_struck_off_then_registered_anew() {
    let mut walk = Walk::registered().await;
    walk.heard().await;
    let secretary = walk.world.council_secretary();
    walk.on(date(2026, 4, 27), suspend(secretary, date(2026, 4, 27)))
        .await;
    walk.on(date(2026, 5, 11), strike_off(secretary, date(2026, 5, 11)))
        .await;
    assert_eq!(walk.status(), StruckOff);

    let world = &walk.world;
    world.set_today(date(2026, 9, 1));
    let anew = CivilSocietyOrganisationId::new_v7();
    let events = world
        .framework::<RegisteredOrganisation>()
        .given_no_previous_events()
        .when_async(OrganisationCommand::Register {
            actor: world.bureau_agent(),
            organisation: anew,
            local_authority: world.local_authority,
            request: RegistrationRequest {
                channel: RequestChannel::Paper,
                reference: "BO-2026/0555".to_owned(),
                received_on: date(2026, 8, 28),
                eligibility: eligible(),
                entry: complete_entry(),
            },
        })
        .await
        .inspect_result()
        .unwrap();
    assert!(matches!(
        events.as_slice(),
        [OrganisationEvent::OrganisationRegistered { organisation, registered_on, .. }]
            if *organisation == anew && *registered_on == date(2026, 9, 1)
    ));
}

// Branch 5: heard, not regularised, struck off without a suspension.
#[tokio::test]
async fn walk_struck_off_straight_after_the_hearing() {
    let mut walk = Walk::registered().await;
    walk.heard().await;
    let secretary = walk.world.council_secretary();
    walk.on(date(2026, 5, 4), strike_off(secretary, date(2026, 5, 4)))
        .await;
    assert_eq!(walk.status(), StruckOff);
}

// Branch 6: a letter returned unclaimed, a new one acknowledged: the month runs from the
// acknowledgement of the second.
#[tokio::test]
async fn walk_second_letter_after_an_unclaimed_one() {
    let mut walk = Walk::registered().await;
    let (secretary, agent) = (walk.world.council_secretary(), walk.world.bureau_agent());
    walk.on(date(2026, 3, 2), find(secretary, date(2026, 3, 2)))
        .await;
    walk.on(date(2026, 3, 3), send(agent, date(2026, 3, 3)))
        .await;
    walk.on(date(2026, 3, 26), send(agent, date(2026, 3, 26)))
        .await;
    walk.on(date(2026, 3, 31), acknowledge(agent, date(2026, 3, 30)))
        .await;
    // One month from Monday 30 March is Thursday 30 April, a working day.
    assert_eq!(walk.entry.regularisation_due(), Some(date(2026, 4, 30)));
}
