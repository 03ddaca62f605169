#![allow(clippy::unwrap_used)]
//! The obligations of the local registers, event by event: on the scripted 2026 history
//! (see `support_democracy`) every change is checked against hand-computed due dates, and
//! the branches the history does not take are checked on single events.

mod support_democracy;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use civil_society::{OrganisationEvent, OrganisationStatus, RegularisationTiming};
use event_store::RecordedEvent;
use kernel::calendar::{DeadlineUnit, RollPolicy};
use kernel::{
    AccessChannel, Actor, ActorId, EventMetadata, OrganisationId, Role, Text, TextLimits,
};
use opinions::{CouncilSessionId, ReportingEvent};
use projections::local_democracy::{
    COMMITTEE_REPORT, LocalDemocracyObligations, REGULARISATION, SUMMARY_POSTING,
};
use projections::{Obligation, ObligationChange, ObligationRules, Responsible};
use support_democracy::{World, date, events, midnight, story};

fn responsible(organisation: OrganisationId, roles: &[Role]) -> Responsible {
    Responsible {
        organisation,
        roles: roles.to_vec(),
    }
}

struct Expected {
    kind: &'static str,
    id: String,
    aggregate_type: &'static str,
    aggregate_id: String,
    reference: String,
    responsible: Responsible,
    escalation: Vec<Responsible>,
    due_at: DateTime<Utc>,
}

fn open(expected: Expected) -> ObligationChange {
    ObligationChange::Open(Box::new(Obligation {
        id: expected.id,
        kind: expected.kind.to_owned(),
        aggregate_type: expected.aggregate_type.to_owned(),
        aggregate_id: expected.aggregate_id,
        reference: expected.reference,
        responsible: expected.responsible,
        escalation: expected.escalation,
        due_at: expected.due_at,
        deadline: None,
        calendar_version: Some("TN-2026.1".to_owned()),
    }))
}

on_both_backends!(
    each_event_of_the_history_opens_meets_or_cancels_the_right_obligations,
    |world: World| async move {
        story(&world).await;
        let cast = &world.cast;
        let rules = LocalDemocracyObligations;
        let mut changes = Vec::new();
        for event in events(&world).await {
            for mut change in rules.changes(&event, &[]).unwrap() {
                // The deadline's inputs recompute, on the calendar, to the same due instant.
                if let ObligationChange::Open(obligation) = &mut change {
                    let inputs = obligation.deadline.take().unwrap();
                    let recomputed = inputs.compute(&world.calendar).unwrap();
                    assert_eq!(recomputed.due_at(), Some(obligation.due_at));
                    if obligation.kind == REGULARISATION {
                        // One month from the acknowledgement, as the calendar days it spans.
                        assert_eq!(inputs.rule.amount, 31);
                        assert_eq!(inputs.rule.unit, DeadlineUnit::CalendarDays);
                        assert_eq!(inputs.rule.roll, RollPolicy::NextWorkingDay);
                    }
                }
                changes.push((event.event_type.clone(), change));
            }
        }

        let la = cast.la;
        let report = |session: CouncilSessionId, reference: &str, due: DateTime<Utc>| {
            open(Expected {
                kind: COMMITTEE_REPORT,
                id: format!("{la}/committee-report/{session}"),
                aggregate_type: "CouncilReporting",
                aggregate_id: la.to_string(),
                reference: reference.to_owned(),
                responsible: responsible(la, &[Role::CommitteeMember]),
                escalation: vec![responsible(la, &[Role::CouncilSecretary])],
                due_at: due,
            })
        };
        let posting = |session: CouncilSessionId, reference: &str, due: DateTime<Utc>| {
            open(Expected {
                kind: SUMMARY_POSTING,
                id: format!("{la}/summary-posting/{session}"),
                aggregate_type: "CouncilReporting",
                aggregate_id: la.to_string(),
                reference: reference.to_owned(),
                responsible: responsible(la, &[Role::CouncilSecretary]),
                escalation: vec![
                    responsible(la, &[Role::RegisterBureauHead]),
                    responsible(la, &[Role::CommitteeMember]),
                ],
                due_at: due,
            })
        };
        let month = |organisation: kernel::CivilSocietyOrganisationId, due: DateTime<Utc>| {
            open(Expected {
                kind: REGULARISATION,
                id: format!("{organisation}/regularisation"),
                aggregate_type: "RegisteredOrganisation",
                aggregate_id: organisation.to_string(),
                reference: organisation.to_string(),
                responsible: responsible(
                    la,
                    &[Role::RegisterBureauAgent, Role::RegisterBureauHead],
                ),
                escalation: vec![
                    responsible(la, &[Role::RegisterBureauHead]),
                    responsible(la, &[Role::CommitteeMember]),
                ],
                due_at: due,
            })
        };
        let met = |id: String| ObligationChange::Met { id };
        let expected = vec![
            // Reports due by the end of the eve of each session (art. 14).
            (
                "OrdinarySessionScheduled",
                report(cast.s1, "2026-03-16", midnight(date(2026, 3, 16))),
            ),
            (
                "OrdinarySessionScheduled",
                report(cast.s2, "2026-06-15", midnight(date(2026, 6, 15))),
            ),
            // D: Thu 5 March + 1 month = Sun 5 April, rolled to Mon 6 April.
            (
                "NoticeAcknowledged",
                month(cast.d, midnight(date(2026, 4, 7))),
            ),
            // C: Mon 9 March + 1 month = Thu 9 April (Martyrs' Day), rolled to Fri 10 April.
            (
                "NoticeAcknowledged",
                month(cast.c, midnight(date(2026, 4, 11))),
            ),
            (
                "CommitteeReportFiled",
                met(format!("{la}/committee-report/{}", cast.s1)),
            ),
            // Met already; the meeting with a report meets it again (a rescheduling may have
            // reopened it).
            (
                "CouncilMeetingHeld",
                met(format!("{la}/committee-report/{}", cast.s1)),
            ),
            // Mon 16 March + 5 days = Sat 21 March, rolled to Mon 23 March (art. 15).
            (
                "CouncilMeetingHeld",
                posting(cast.s1, "2026-03-16", midnight(date(2026, 3, 24))),
            ),
            ("Regularised", met(format!("{}/regularisation", cast.d))),
            (
                "SummaryPosted",
                met(format!("{la}/summary-posting/{}", cast.s1)),
            ),
            // Past the month, the bureau convened the hearing: its follow-up is done.
            ("HearingConvened", met(format!("{}/regularisation", cast.c))),
            // The session moved: the report is due by the eve of the new date.
            (
                "OrdinarySessionRescheduled",
                report(cast.s2, "2026-06-22", midnight(date(2026, 6, 22))),
            ),
            (
                "CommitteeReportFiled",
                met(format!("{la}/committee-report/{}", cast.s2)),
            ),
            (
                "CouncilMeetingHeld",
                met(format!("{la}/committee-report/{}", cast.s2)),
            ),
            // Mon 22 June + 5 days = Sat 27 June, rolled to Mon 29 June.
            (
                "CouncilMeetingHeld",
                posting(cast.s2, "2026-06-22", midnight(date(2026, 6, 30))),
            ),
        ];
        let expected: Vec<(String, ObligationChange)> = expected
            .into_iter()
            .map(|(event, change)| (event.to_owned(), change))
            .collect();
        assert_eq!(changes, expected);
    }
);

// ------------------------------------------------------------------------ single events

fn text(raw: &str) -> Text {
    Text::new(raw, TextLimits::line(100)).unwrap()
}

fn recorded(
    aggregate_type: &str,
    aggregate_id: String,
    payload: serde_json::Value,
    metadata: HashMap<String, String>,
) -> RecordedEvent {
    RecordedEvent {
        position: 42,
        transaction: 42,
        aggregate_type: aggregate_type.to_owned(),
        aggregate_id,
        sequence: 3,
        event_type: payload
            .as_object()
            .and_then(|o| o.keys().next().cloned())
            .unwrap_or_default(),
        event_version: "1".to_owned(),
        payload,
        metadata,
        recorded_at: Utc::now(),
        hash: Vec::new(),
    }
}

fn organisation_event(
    event: &OrganisationEvent,
    metadata: HashMap<String, String>,
) -> RecordedEvent {
    recorded(
        "RegisteredOrganisation",
        "0190f0f0-0000-7000-8000-000000000001".to_owned(),
        serde_json::to_value(event).unwrap(),
        metadata,
    )
}

#[test]
fn a_withdrawal_during_the_month_cancels_it_and_only_then() {
    let withdrawn = |status_before| OrganisationEvent::Withdrawn {
        requested_on: date(2026, 3, 20),
        request_reference: text("BO-2026/0099"),
        status_before,
        withdrawn_on: date(2026, 3, 20),
        by: ActorId::new_v7(),
    };
    let rules = LocalDemocracyObligations;
    let during = organisation_event(
        &withdrawn(OrganisationStatus::NoticeAcknowledged),
        HashMap::new(),
    );
    assert_eq!(
        rules.changes(&during, &[]).unwrap(),
        [ObligationChange::Cancelled {
            id: "0190f0f0-0000-7000-8000-000000000001/regularisation".to_owned()
        }]
    );
    for status_before in [
        OrganisationStatus::Active,
        OrganisationStatus::FormalNoticeSent,
        OrganisationStatus::HearingHeld,
    ] {
        let event = organisation_event(&withdrawn(status_before), HashMap::new());
        assert!(
            rules.changes(&event, &[]).unwrap().is_empty(),
            "{status_before:?}"
        );
    }
}

#[test]
fn a_regularisation_before_the_month_started_meets_nothing() {
    let regularised = |timing| OrganisationEvent::Regularised {
        regularised_on: date(2026, 3, 4),
        reference: text("Courrier n° 2026/100"),
        timing,
        by: ActorId::new_v7(),
    };
    let rules = LocalDemocracyObligations;
    let before = organisation_event(
        &regularised(RegularisationTiming::BeforeTermStarted),
        HashMap::new(),
    );
    assert!(rules.changes(&before, &[]).unwrap().is_empty());
    let after = organisation_event(
        &regularised(RegularisationTiming::AfterTerm),
        HashMap::new(),
    );
    assert!(matches!(
        rules.changes(&after, &[]).unwrap().as_slice(),
        [ObligationChange::Met { .. }]
    ));
}

#[test]
fn an_acknowledgement_without_the_acting_local_authority_fails_loudly() {
    let calendar = kernel::calendar::HolidayCalendar::tunisia().unwrap();
    let term = civil_society::MonthTerm::compute(
        &calendar,
        date(2026, 3, 9),
        1,
        RollPolicy::NextWorkingDay,
        "decree 2019-401 art. 9: time to regularise from the notification",
    )
    .unwrap();
    let acknowledged = OrganisationEvent::NoticeAcknowledged {
        acknowledged_on: date(2026, 3, 9),
        regularisation_term: term,
        by: ActorId::new_v7(),
    };
    let rules = LocalDemocracyObligations;
    let error = rules
        .changes(&organisation_event(&acknowledged, HashMap::new()), &[])
        .unwrap_err();
    assert!(error.to_string().contains("no acting organisation"));
    // With the gateway's metadata, the grant names the local authority.
    let la = OrganisationId::new_v7();
    let bureau = Actor::agent(ActorId::new_v7(), Role::RegisterBureauAgent, la);
    let metadata = EventMetadata::new(&bureau, AccessChannel::Web, Utc::now()).to_map();
    let changes = rules
        .changes(&organisation_event(&acknowledged, metadata), &[])
        .unwrap();
    let [ObligationChange::Open(obligation)] = changes.as_slice() else {
        panic!("{changes:?}");
    };
    assert_eq!(obligation.responsible.organisation, la);
    assert_eq!(obligation.due_at, midnight(date(2026, 4, 11)));
}

#[test]
fn a_meeting_without_a_report_cancels_the_report_and_opens_no_posting() {
    let la = OrganisationId::new_v7();
    let session = CouncilSessionId::new_v7();
    let held = ReportingEvent::CouncilMeetingHeld {
        session,
        held_on: date(2026, 3, 16),
        posting_due: None,
        by: ActorId::new_v7(),
        recorded_at: Utc::now(),
    };
    let event = recorded(
        "CouncilReporting",
        la.to_string(),
        serde_json::to_value(&held).unwrap(),
        HashMap::new(),
    );
    assert_eq!(
        LocalDemocracyObligations.changes(&event, &[]).unwrap(),
        [ObligationChange::Cancelled {
            id: format!("{la}/committee-report/{session}")
        }]
    );
    let taken_down = ReportingEvent::SummaryTakenDown {
        session,
        by: ActorId::new_v7(),
        at: Utc::now(),
    };
    let event = recorded(
        "CouncilReporting",
        la.to_string(),
        serde_json::to_value(&taken_down).unwrap(),
        HashMap::new(),
    );
    // The display period is enforced by the domain, not reminded of.
    assert!(
        LocalDemocracyObligations
            .changes(&event, &[])
            .unwrap()
            .is_empty()
    );
}

#[test]
fn events_of_other_domains_change_nothing() {
    let event = recorded(
        "CitizenFile",
        "x".to_owned(),
        serde_json::json!({ "FileReceived": {} }),
        HashMap::new(),
    );
    assert!(
        LocalDemocracyObligations
            .changes(&event, &[])
            .unwrap()
            .is_empty()
    );
}
