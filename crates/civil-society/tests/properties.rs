#![allow(clippy::unwrap_used)]
//! Property: whatever commands arrive, in whatever order, on whatever dates and from whichever
//! actor, an entry only moves along the lifecycle of decree 2019-401 art. 9 (and art. 7, 16-17):
//! never active again once struck off or withdrawn, never suspended without a hearing, never
//! heard before the month ran out, never struck off unheard, steps never dated backwards, and
//! replaying its events gives back the same entry.

mod common;

use chrono::{Duration, NaiveDate};
use civil_society::{
    CouncilDecision, IrregularSituation, OrganisationCommand, OrganisationEvent,
    OrganisationStatus, PaperEntry, RegisteredOrganisation, RegistrationRequest, RequestChannel,
};
use common::{World, complete_entry, date, eligible, minutes};
use cqrs_es::Aggregate;
use cqrs_es::event_sink::EventSink;
use kernel::Actor;
use proptest::prelude::*;

use OrganisationStatus::{
    Active, FormalNoticeSent, HearingConvened, HearingHeld, IrregularityFound, NoticeAcknowledged,
    StruckOff, Suspended, Unregistered, Withdrawn,
};

#[derive(Clone, Copy, Debug)]
enum Kind {
    Register,
    Import,
    Update,
    Withdraw,
    Find,
    Send,
    Acknowledge,
    Regularise,
    Convene,
    Hold,
    Suspend,
    Lift,
    StrikeOff,
}

/// Which command: any, or the one that moves the entry on from where it stands (one of the
/// branches, by number), so that sequences reach the end of the procedure often.
#[derive(Clone, Copy, Debug)]
enum Pick {
    Any(Kind),
    Next(u8),
}

impl Pick {
    fn kind(self, status: OrganisationStatus) -> Kind {
        let branch = match self {
            Self::Any(kind) => return kind,
            Self::Next(branch) => branch,
        };
        let choose = |kinds: &[Kind]| kinds[usize::from(branch) % kinds.len()];
        match status {
            Unregistered => choose(&[Kind::Register, Kind::Import]),
            Active => choose(&[
                Kind::Find,
                Kind::Find,
                Kind::Find,
                Kind::Update,
                Kind::Withdraw,
            ]),
            IrregularityFound => Kind::Send,
            FormalNoticeSent => choose(&[Kind::Acknowledge, Kind::Acknowledge, Kind::Send]),
            NoticeAcknowledged => choose(&[Kind::Convene, Kind::Convene, Kind::Regularise]),
            HearingConvened => choose(&[Kind::Hold, Kind::Hold, Kind::Convene]),
            HearingHeld => choose(&[Kind::Suspend, Kind::StrikeOff, Kind::Regularise]),
            Suspended => choose(&[Kind::StrikeOff, Kind::Lift, Kind::Withdraw]),
            StruckOff | Withdrawn => choose(&[Kind::Register, Kind::Lift, Kind::Update]),
        }
    }
}

/// One arriving command: which, how many days after the previous one, how far back its act
/// is dated, and whether the actor holds the role it needs.
#[derive(Clone, Copy, Debug)]
struct Move {
    pick: Pick,
    advance_days: i64,
    dated_back: i64,
    right_actor: bool,
}

fn moves() -> impl Strategy<Value = Vec<Move>> {
    let kind = prop_oneof![
        Just(Kind::Register),
        Just(Kind::Import),
        Just(Kind::Update),
        Just(Kind::Withdraw),
        Just(Kind::Find),
        Just(Kind::Send),
        Just(Kind::Acknowledge),
        Just(Kind::Regularise),
        Just(Kind::Convene),
        Just(Kind::Hold),
        Just(Kind::Suspend),
        Just(Kind::Lift),
        Just(Kind::StrikeOff),
    ];
    let pick = prop_oneof![
        1 => kind.prop_map(Pick::Any),
        3 => any::<u8>().prop_map(Pick::Next),
    ];
    let one = (pick, 0i64..25, 0i64..6, prop::bool::weighted(0.9)).prop_map(
        |(pick, advance_days, dated_back, right_actor)| Move {
            pick,
            advance_days,
            dated_back,
            right_actor,
        },
    );
    prop::collection::vec(one, 1..60)
}

fn command(world: &World, m: Move, kind: Kind, today: NaiveDate) -> OrganisationCommand {
    let on = today - Duration::days(m.dated_back);
    let bureau = if m.right_actor {
        world.bureau_agent()
    } else {
        world.council_secretary()
    };
    let council = if m.right_actor {
        world.council_secretary()
    } else {
        world.bureau_head()
    };
    let decision = |reference: &str| CouncilDecision {
        reference: reference.to_owned(),
        decided_on: on,
    };
    let actor: Actor = bureau;
    match kind {
        Kind::Register => OrganisationCommand::Register {
            actor,
            organisation: world.organisation,
            local_authority: world.local_authority,
            request: RegistrationRequest {
                channel: RequestChannel::Electronic,
                reference: "EM-1".to_owned(),
                received_on: on,
                eligibility: eligible(),
                entry: complete_entry(),
            },
        },
        Kind::Import => OrganisationCommand::ImportPaperEntry {
            actor,
            organisation: world.organisation,
            local_authority: world.local_authority,
            paper: PaperEntry {
                reference: "vol. 1, n° 1".to_owned(),
                registered_on: date(2025, 12, 1),
                eligibility: None,
                entry: complete_entry(),
            },
        },
        Kind::Update => OrganisationCommand::UpdateEntry {
            actor,
            entry: complete_entry(),
        },
        Kind::Withdraw => OrganisationCommand::RecordWithdrawal {
            actor,
            requested_on: on,
            request_reference: "W-1".to_owned(),
        },
        Kind::Find => OrganisationCommand::FindIrregularity {
            actor: council,
            decision: decision("D-1"),
            situation: IrregularSituation::Legal,
            grounds: "Statuts non conformes".to_owned(),
        },
        Kind::Send => OrganisationCommand::SendFormalNotice {
            actor,
            letter_reference: "RR-1".to_owned(),
            sent_on: on,
        },
        Kind::Acknowledge => OrganisationCommand::RecordAcknowledgement {
            actor,
            acknowledged_on: on,
        },
        Kind::Regularise => OrganisationCommand::RecordRegularisation {
            actor,
            regularised_on: on,
            reference: "R-1".to_owned(),
        },
        Kind::Convene => OrganisationCommand::ConveneHearing {
            actor,
            invitation_reference: "C-1".to_owned(),
            sent_on: on,
            hearing_on: on + Duration::days(7),
        },
        Kind::Hold => OrganisationCommand::RecordHearing {
            actor,
            held_on: on,
            organisation_appeared: false,
            minutes_reference: "PV-1".to_owned(),
            minutes: minutes(),
        },
        Kind::Suspend => OrganisationCommand::DecideSuspension {
            actor: council,
            decision: decision("D-2"),
        },
        Kind::Lift => OrganisationCommand::LiftSuspension {
            actor: council,
            decision: decision("D-3"),
        },
        Kind::StrikeOff => OrganisationCommand::StrikeOff {
            actor: council,
            decision: decision("D-4"),
        },
    }
}

/// The transitions the lifecycle allows (self-loops: updates, a second letter, a rescheduled
/// hearing).
fn allowed(from: OrganisationStatus, to: OrganisationStatus) -> bool {
    matches!(
        (from, to),
        (Unregistered, Active)
            | (Active, IrregularityFound)
            | (IrregularityFound, FormalNoticeSent)
            | (FormalNoticeSent, NoticeAcknowledged)
            | (NoticeAcknowledged, HearingConvened)
            | (HearingConvened, HearingHeld)
            | (HearingHeld, Suspended)
            | (HearingHeld | Suspended, StruckOff)
            | (
                IrregularityFound | FormalNoticeSent | NoticeAcknowledged,
                Active
            )
            | (HearingConvened | HearingHeld | Suspended, Active)
            | (
                Active
                    | IrregularityFound
                    | FormalNoticeSent
                    | NoticeAcknowledged
                    | HearingConvened
                    | HearingHeld
                    | Suspended,
                Withdrawn
            )
    ) || (from == to && from.is_live())
}

/// The date of the step an event records, if it is a dated step of the procedure.
fn step_date(event: &OrganisationEvent) -> Option<NaiveDate> {
    use OrganisationEvent as E;
    match event {
        E::OrganisationRegistered { registered_on, .. }
        | E::PaperEntryImported { registered_on, .. } => Some(*registered_on),
        E::IrregularityFound { decision, .. }
        | E::SuspensionDecided { decision, .. }
        | E::SuspensionLifted { decision, .. }
        | E::StruckOff { decision, .. } => Some(decision.decided_on),
        E::FormalNoticeSent { sent_on, .. } | E::HearingConvened { sent_on, .. } => Some(*sent_on),
        E::NoticeAcknowledged {
            acknowledged_on, ..
        } => Some(*acknowledged_on),
        E::Regularised { regularised_on, .. } => Some(*regularised_on),
        E::HearingHeld { held_on, .. } => Some(*held_on),
        E::EntryUpdated { .. } | E::Withdrawn { .. } => None,
    }
}

async fn run(moves: Vec<Move>) -> Result<(), TestCaseError> {
    let mut today = date(2026, 1, 12);
    let world = World::on(today);
    let mut entry = RegisteredOrganisation::default();
    let mut history = Vec::new();
    let mut last_step: Option<NaiveDate> = None;
    let mut due: Option<NaiveDate> = None;
    for m in moves {
        today += Duration::days(m.advance_days);
        world.set_today(today);
        let from = entry.status();
        let sink = EventSink::default();
        let command = command(&world, m, m.pick.kind(from), today);
        let outcome = entry.handle(command, &world.services, &sink).await;
        let events = sink.collect().await;
        let to = entry.status();
        match outcome {
            Err(_) => {
                prop_assert!(events.is_empty());
                prop_assert_eq!(from, to, "a refused command changed the state");
            }
            Ok(()) => {
                prop_assert_eq!(events.len(), 1);
                let event = &events[0];
                prop_assert!(allowed(from, to), "{:?} -> {:?} by {:?}", from, to, m);
                prop_assert!(m.right_actor, "a command from the wrong actor was accepted");
                if let Some(on) = step_date(event) {
                    prop_assert!(on <= today, "a step dated in the future");
                    if let Some(last) = last_step {
                        prop_assert!(on >= last, "a step dated before the previous one");
                    }
                    last_step = Some(on);
                }
                match event {
                    OrganisationEvent::NoticeAcknowledged {
                        regularisation_term,
                        ..
                    } => due = Some(regularisation_term.due_date),
                    OrganisationEvent::HearingConvened { sent_on, .. } => {
                        let due = due.unwrap();
                        prop_assert!(*sent_on > due, "hearing convened before the month ran out");
                    }
                    _ => {}
                }
                history.extend(events);
            }
        }
        if matches!(from, StruckOff | Withdrawn) {
            prop_assert_eq!(from, to, "a final state was left");
        }
        if to == Suspended && from != Suspended {
            prop_assert_eq!(from, HearingHeld, "suspended without a hearing");
        }
    }
    let mut replayed = RegisteredOrganisation::default();
    for event in history {
        // Events survive the store: serialize, deserialize, apply.
        let stored = serde_json::to_string(&event).unwrap();
        replayed.apply(serde_json::from_str(&stored).unwrap());
    }
    prop_assert_eq!(replayed, entry);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn no_command_sequence_leaves_the_lifecycle(moves in moves()) {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        runtime.block_on(run(moves))?;
    }
}
