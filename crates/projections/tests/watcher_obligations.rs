//! The watcher's obligations: what each event of the scripted history (tests/support_watcher)
//! opens, meets or leaves open, read back from the global log on both backends.
#![allow(clippy::unwrap_used)]

mod support_watcher;

use chrono::{DateTime, TimeZone, Utc};
use event_store::{Cursor, Store};
use kernel::{OrganisationId, Role};
use projections::watcher::{CORRECTIVE_ACTION, WatcherObligations};
use projections::{Obligation, ObligationChange, ObligationRules, Responsible};
use support_watcher::{History, PlannedVisit, calendar, wait_for};
use watcher::FindingId;

/// Every change the rules make over the whole log, in log order.
async fn changes(
    store: &Store,
    rules: &WatcherObligations,
    events: usize,
) -> Vec<ObligationChange> {
    wait_for(store, events).await;
    let log = store.log().read(Cursor::START, None, 10_000).await.unwrap();
    assert_eq!(log.len(), events);
    log.iter()
        .flat_map(|event| rules.changes(event, &[]).unwrap())
        .collect()
}

fn id(visit: PlannedVisit, finding: FindingId) -> String {
    format!("{}/corrective-action/{finding}", visit.id)
}

/// The end of a promised day in Tunis (UTC+1 all year): 23:00 UTC that day.
fn end_of(month: u32, day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, 23, 0, 0).unwrap()
}

fn open(
    h: &History,
    visit: PlannedVisit,
    finding: FindingId,
    responsible: OrganisationId,
    due_at: DateTime<Utc>,
) -> ObligationChange {
    let department = |role| Responsible {
        organisation: h.world().department,
        roles: vec![role],
    };
    ObligationChange::Open(Box::new(Obligation {
        id: id(visit, finding),
        kind: CORRECTIVE_ACTION.into(),
        aggregate_type: "Visit".into(),
        aggregate_id: visit.id.to_string(),
        reference: format!("{}/{finding}", visit.id),
        responsible: Responsible {
            organisation: responsible,
            roles: vec![Role::StructureAgent],
        },
        escalation: vec![
            department(Role::WatcherSupervisor),
            department(Role::DepartmentHead),
        ],
        due_at,
        deadline: None,
        calendar_version: None,
    }))
}

on_both_backends!(
    a_promised_date_opens_an_obligation_met_only_when_verified_implemented,
    |store: Store| async move {
        let mut h = History::first_part(store.clone()).await;
        let w = h.world();
        let rules = WatcherObligations::new(w.department, calendar());

        // Only the three corrective actions and F1's verification change obligations:
        // registering, planning, recording, reviewing, reporting, referring and surveying
        // owe nothing with a date (the domain sets none). F2 verified not implemented on
        // 5 May stays open with its promised date (30 April), so it is overdue.
        let first = changes(&store, &rules, h.script.appended).await;
        assert_eq!(
            first,
            [
                open(&h, h.v1, h.f1, w.structure, end_of(3, 31)),
                open(&h, h.v2, h.f2, w.municipality, end_of(4, 30)),
                ObligationChange::Met { id: id(h.v1, h.f1) },
                open(&h, h.v3, h.f4, w.ministry, end_of(7, 31)),
            ]
        );

        // The municipality's new promise for F2 replaces the open one (same id).
        h.second_part().await;
        let w = h.world();
        let all = changes(&store, &rules, h.script.appended).await;
        assert_eq!(all[..4], first[..]);
        assert_eq!(
            all[4..],
            [open(&h, h.v2, h.f2, w.municipality, end_of(7, 20))]
        );

        // Nothing in them says who visited.
        let json = serde_json::to_string(&all).unwrap();
        for member in [w.member_1, w.member_2, w.supervisor, w.head] {
            assert!(!json.contains(&member.id.to_string()));
        }
    }
);
