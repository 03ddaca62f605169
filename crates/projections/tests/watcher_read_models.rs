//! The Citizen Watcher's read models on both backends, fed by the projection runner from a
//! scripted history (tests/support_watcher): every query against hand-computed rows, the
//! inspected body's view that cannot name who visited, rebuild equality, and a rebuild "as
//! of" a position and a date into a scratch store.
#![allow(clippy::unwrap_used)]

mod support_watcher;

use std::collections::BTreeSet;

use chrono::Duration;
use event_store::Store;
use kernel::organisation::Governorate;
use projections::Page;
use projections::watcher::{
    Average, BodyFindingRow, BodyReportRow, ReferralFilter, ReferralRow, ReviewState,
    ServicePointFilter, VisitFilter, VisitRow, coverage, open_findings_for_body, referrals,
    reports_for_body, satisfaction_index, service_points, visits_by_campaign,
};
use sqlx::{AnyPool, Column, Row};
use support_watcher::{
    ACTION, History, NOTES, OBSERVATIONS, PlannedVisit, REMARKS, SERVICE_ASKED, at, calendar,
    catch_up_all, day, dump_all, finding_text, runner,
};
use watcher::{
    CampaignId, CancellationReason, CorruptionCategory, Coverage, FindingKind, FindingStatus,
    Percentage, Period, ReferralOutcome, ReferralStatus, ServicePointStatus, Severity, Share,
    VerificationOutcome, VisitStatus,
};

fn all() -> Page {
    Page {
        limit: 200,
        offset: 0,
    }
}

fn bp(basis_points: u16) -> Option<Percentage> {
    Percentage::from_basis_points(basis_points)
}

fn period(from: (u32, u32), to: (u32, u32)) -> Period {
    Period {
        starts_on: day(from.0, from.1),
        ends_on: day(to.0, to.1),
    }
}

fn first_semester() -> Period {
    period((1, 1), (6, 30))
}

/// A history written and projected.
async fn projected(store: Store) -> History {
    let history = History::first_part(store).await;
    catch_up_all(&runner(history.store()), history.script.appended).await;
    history
}

/// A visit as planned, before anything else happened to it.
fn planned(
    h: &History,
    visit: PlannedVisit,
    planned_at: chrono::DateTime<chrono::Utc>,
) -> VisitRow {
    VisitRow {
        visit: visit.id,
        campaign: h.campaign,
        service_point: visit.point.id,
        organisation: visit.point.organisation,
        governorate: visit.point.governorate,
        channel: visit.point.channel,
        member: visit.member.id,
        status: VisitStatus::Planned,
        planned_at,
        occurred_at: None,
        score: None,
        critical_failed: false,
        findings: 0,
        revision: 0,
        review: None,
        reviewed_by: None,
        reviewed_at: None,
        report_sent_at: None,
        cancellation_reason: None,
    }
}

/// V1 to V6 on 15 June, in planning order (V1 to V5 share their planning instant: the
/// visit id decides).
fn visits_on_15_june(h: &History) -> Vec<VisitRow> {
    let w = h.world();
    let reported =
        |visit, happened, score, findings, revision, reviewer: kernel::Actor, day: u32, month| {
            VisitRow {
                status: VisitStatus::ReportSent,
                occurred_at: Some(happened),
                score: bp(score),
                critical_failed: score == 4_900,
                findings,
                revision,
                review: Some(ReviewState::Accepted),
                reviewed_by: Some(reviewer.id),
                reviewed_at: Some(at(month, day)),
                report_sent_at: Some(at(month, day + 1)),
                ..planned(h, visit, at(1, 5))
            }
        };
    let mut rows = vec![
        reported(
            h.v1,
            at(2, 10) - Duration::hours(1),
            10_000,
            1,
            1,
            w.supervisor,
            11,
            2,
        ),
        reported(
            h.v2,
            at(3, 3) - Duration::minutes(30),
            4_900,
            2,
            2,
            w.head,
            5,
            3,
        ),
        reported(
            h.v3,
            at(4, 14) - Duration::hours(1),
            5_833,
            1,
            1,
            w.supervisor,
            15,
            4,
        ),
        reported(
            h.v4,
            at(5, 20) - Duration::hours(1),
            8_750,
            1,
            1,
            w.supervisor,
            21,
            5,
        ),
        VisitRow {
            status: VisitStatus::Cancelled,
            cancellation_reason: Some(CancellationReason::PlanChanged),
            ..planned(h, h.v5, at(1, 5))
        },
        VisitRow {
            status: VisitStatus::Submitted,
            occurred_at: Some(at(6, 5) - Duration::hours(1)),
            score: bp(10_000),
            revision: 1,
            review: Some(ReviewState::Pending),
            ..planned(h, h.v6, at(6, 1))
        },
    ];
    rows.sort_by_key(|row| (row.planned_at, row.visit));
    rows
}

fn only(rows: &[VisitRow], keep: impl Fn(&VisitRow) -> bool) -> Vec<VisitRow> {
    rows.iter().filter(|row| keep(row)).cloned().collect()
}

async fn check_visits(h: &History) {
    let pool = h.pool();
    let expected = visits_on_15_june(h);
    let page = visits_by_campaign(pool, h.campaign, VisitFilter::default(), all())
        .await
        .unwrap();
    assert_eq!(page.total, 6);
    assert_eq!(page.items, expected);

    let filtered = async |filter| {
        visits_by_campaign(pool, h.campaign, filter, all())
            .await
            .unwrap()
            .items
    };
    assert_eq!(
        filtered(VisitFilter {
            status: Some(VisitStatus::ReportSent),
            ..VisitFilter::default()
        })
        .await,
        only(&expected, |r| r.status == VisitStatus::ReportSent)
    );
    // Kasserine: V2 and V6.
    let kasserine = filtered(VisitFilter {
        governorate: Some(Governorate::Kasserine),
        ..VisitFilter::default()
    })
    .await;
    assert_eq!(
        kasserine.iter().map(|r| r.visit).collect::<BTreeSet<_>>(),
        BTreeSet::from([h.v2.id, h.v6.id])
    );
    // P1: V1 and V4.
    assert_eq!(
        filtered(VisitFilter {
            service_point: Some(h.p1.id),
            ..VisitFilter::default()
        })
        .await,
        only(&expected, |r| r.service_point == h.p1.id)
    );
    // Combined: the cancelled visit in Sfax is V5; nothing is cancelled in Kasserine.
    let cancelled_in = async |governorate| {
        filtered(VisitFilter {
            status: Some(VisitStatus::Cancelled),
            governorate: Some(governorate),
            ..VisitFilter::default()
        })
        .await
    };
    assert_eq!(
        cancelled_in(Governorate::Sfax).await,
        only(&expected, |r| r.visit == h.v5.id)
    );
    assert!(cancelled_in(Governorate::Kasserine).await.is_empty());

    // Pages: the third and fourth of six.
    let page = visits_by_campaign(
        pool,
        h.campaign,
        VisitFilter::default(),
        Page {
            limit: 2,
            offset: 2,
        },
    )
    .await
    .unwrap();
    assert_eq!((page.total, page.items), (6, expected[2..4].to_vec()));
    let elsewhere = visits_by_campaign(pool, CampaignId::new_v7(), VisitFilter::default(), all())
        .await
        .unwrap();
    assert_eq!((elsewhere.total, elsewhere.items.len()), (0, 0));
}

fn report(
    h: &History,
    visit: PlannedVisit,
    answers: &std::collections::BTreeMap<watcher::CriterionId, watcher::Answer>,
    occurred_on: (u32, u32),
    findings: u32,
    sent_on: (u32, u32),
) -> BodyReportRow {
    BodyReportRow {
        visit: visit.id,
        organisation: visit.point.organisation,
        service_point: visit.point.id,
        channel: visit.point.channel,
        occurred_on: day(occurred_on.0, occurred_on.1),
        score: h.score(answers),
        findings,
        sent_at: at(sent_on.0, sent_on.1),
    }
}

/// A finding as reported, before any action.
async fn reported_finding(
    h: &History,
    visit: PlannedVisit,
    finding: watcher::FindingId,
    kind: FindingKind,
    criterion: Option<watcher::CriterionId>,
    sent_on: (u32, u32),
) -> BodyFindingRow {
    BodyFindingRow {
        finding,
        visit: visit.id,
        organisation: visit.point.organisation,
        service_point: visit.point.id,
        kind,
        criterion,
        description: h.world().seal(visit.subject, &finding_text(finding)).await,
        status: FindingStatus::Open,
        corrective_action: None,
        due_on: None,
        last_verification: None,
        verified_on: None,
        reported_at: at(sent_on.0, sent_on.1),
    }
}

fn serious() -> FindingKind {
    FindingKind::Shortcoming {
        severity: Severity::Serious,
    }
}

fn minor() -> FindingKind {
    FindingKind::Shortcoming {
        severity: Severity::Minor,
    }
}

async fn check_body_views(h: &History) {
    let (pool, w, c) = (h.pool(), h.world(), &h.criteria);
    let reports = async |organisation| {
        reports_for_body(pool, organisation, all())
            .await
            .unwrap()
            .items
    };
    let open = async |organisation| {
        open_findings_for_body(pool, organisation, all())
            .await
            .unwrap()
            .items
    };

    // The structure received V1 and V4 (newest first); V5 was cancelled, never reported.
    assert_eq!(
        reports(w.structure).await,
        [
            report(h, h.v4, &c.slow(), (5, 20), 1, (5, 22)),
            report(h, h.v1, &c.good(), (2, 10), 1, (2, 12)),
        ]
    );
    // The municipality received V2 only: V6 awaits review, and nothing of it reached it.
    assert_eq!(
        reports(w.municipality).await,
        [report(h, h.v2, &c.bribe(), (3, 3), 2, (3, 6))]
    );
    assert_eq!(
        reports(w.ministry).await,
        [report(h, h.v3, &c.cold(), (4, 14), 1, (4, 16))]
    );

    // F1 was verified implemented: closed. F5 is open without an action.
    assert_eq!(
        open(w.structure).await,
        [reported_finding(h, h.v4, h.f5, minor(), None, (5, 22)).await]
    );
    // F2: answered (due 30 April), verified not implemented on 5 May: open again, its action
    // and date kept. F3: open without an action.
    let mut municipality = vec![
        BodyFindingRow {
            corrective_action: Some(w.seal(h.v2.subject, ACTION).await),
            due_on: Some(day(4, 30)),
            last_verification: Some(VerificationOutcome::NotImplemented),
            verified_on: Some(day(5, 5)),
            ..reported_finding(h, h.v2, h.f2, serious(), Some(c.no_bribe), (3, 6)).await
        },
        reported_finding(h, h.v2, h.f3, minor(), None, (3, 6)).await,
    ];
    municipality.sort_by_key(|row| row.finding);
    assert_eq!(open(w.municipality).await, municipality);
    // F4: an action due 31 July.
    let moderate = FindingKind::Shortcoming {
        severity: Severity::Moderate,
    };
    assert_eq!(
        open(w.ministry).await,
        [BodyFindingRow {
            status: FindingStatus::ActionProposed { due_on: day(7, 31) },
            corrective_action: Some(w.seal(h.v3.subject, ACTION).await),
            due_on: Some(day(7, 31)),
            ..reported_finding(h, h.v3, h.f4, moderate, Some(c.welcome), (4, 16)).await
        }]
    );
    // A body with nothing reported.
    assert_eq!(
        reports_for_body(pool, w.authority, all())
            .await
            .unwrap()
            .total,
        0
    );
}

fn referral_rows(h: &History) -> Vec<ReferralRow> {
    let w = h.world();
    vec![
        ReferralRow {
            referral: h.r1,
            visit: h.v2.id,
            finding: h.f2,
            organisation: w.municipality,
            category: CorruptionCategory::Extortion,
            authority: w.authority,
            status: ReferralStatus::Closed,
            referred_at: at(3, 9),
            acknowledged_on: Some(day(3, 16)),
            authority_reference: Some("INLUCC-2026-17".into()),
            outcome: Some(ReferralOutcome::ProceedingsOpened),
            decided_on: Some(day(5, 4)),
        },
        ReferralRow {
            referral: h.r2,
            visit: h.v3.id,
            finding: h.f4,
            organisation: w.ministry,
            category: CorruptionCategory::BreachOfTransparency,
            authority: w.prosecutor,
            status: ReferralStatus::Closed,
            referred_at: at(4, 22),
            acknowledged_on: None,
            authority_reference: None,
            outcome: Some(ReferralOutcome::NoFurtherAction),
            decided_on: Some(day(6, 10)),
        },
        ReferralRow {
            referral: h.r3,
            visit: h.v2.id,
            finding: h.f3,
            organisation: w.municipality,
            category: CorruptionCategory::Unfairness,
            authority: w.authority,
            status: ReferralStatus::Sent,
            referred_at: at(6, 15),
            acknowledged_on: None,
            authority_reference: None,
            outcome: None,
            decided_on: None,
        },
    ]
}

async fn check_referrals(h: &History) {
    let (pool, w) = (h.pool(), h.world());
    let rows = referral_rows(h);
    let find = async |filter| referrals(pool, filter, all()).await.unwrap();
    let everything = find(ReferralFilter::default()).await;
    assert_eq!((everything.total, everything.items), (3, rows.clone()));
    let pick = |indices: &[usize]| indices.iter().map(|i| rows[*i].clone()).collect::<Vec<_>>();
    assert_eq!(
        find(ReferralFilter {
            status: Some(ReferralStatus::Closed),
            ..ReferralFilter::default()
        })
        .await
        .items,
        pick(&[0, 1])
    );
    assert_eq!(
        find(ReferralFilter {
            authority: Some(w.authority),
            ..ReferralFilter::default()
        })
        .await
        .items,
        pick(&[0, 2])
    );
    assert_eq!(
        find(ReferralFilter {
            category: Some(CorruptionCategory::Unfairness),
            ..ReferralFilter::default()
        })
        .await
        .items,
        pick(&[2])
    );
    assert_eq!(
        find(ReferralFilter {
            status: Some(ReferralStatus::Sent),
            authority: Some(w.prosecutor),
            category: None,
        })
        .await
        .total,
        0
    );
}

fn share(covered: u64, total: u64) -> Share {
    Share { covered, total }
}

async fn check_coverage(h: &History) {
    let (pool, w) = (h.pool(), h.world());
    let points = async |filter| {
        service_points(pool, filter, all())
            .await
            .unwrap()
            .items
            .into_iter()
            .map(|row| (row.point, row.status, row.retired_on))
            .collect::<Vec<_>>()
    };
    let mut everything = points(ServicePointFilter::default()).await;
    assert_eq!(everything.len(), 5);
    everything.retain(|(_, status, _)| *status == ServicePointStatus::Retired);
    assert_eq!(
        everything,
        [(h.p4, ServicePointStatus::Retired, Some(day(2, 9)))]
    );
    let ids = async |filter| {
        points(filter)
            .await
            .into_iter()
            .map(|(point, ..)| point.id)
            .collect::<BTreeSet<_>>()
    };
    assert_eq!(
        ids(ServicePointFilter {
            governorate: Some(Governorate::Sfax),
            ..ServicePointFilter::default()
        })
        .await,
        BTreeSet::from([h.p1.id, h.p3.id])
    );
    assert_eq!(
        ids(ServicePointFilter {
            organisation: Some(w.municipality),
            status: Some(ServicePointStatus::Active),
            ..ServicePointFilter::default()
        })
        .await,
        BTreeSet::from([h.p2.id])
    );
    let first = service_points(pool, ServicePointFilter::default(), all())
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|row| row.point == h.p1)
        .unwrap();
    assert_eq!(
        (first.name.as_str(), first.registered_on),
        ("Guichet de l'état civil", day(1, 5))
    );

    // First semester: active on 30 June P1, P2, P3, P5 (P4 retired in February); covered by
    // accepted visits P1 (V1, V4), P2 (V2), P5 (V3); V6 awaits review, V5 was cancelled.
    assert_eq!(
        coverage(pool, first_semester()).await.unwrap(),
        Coverage {
            overall: share(3, 4),
            by_governorate: [
                (Governorate::Tunis, share(1, 1)),
                (Governorate::Sfax, share(1, 2)),
                (Governorate::Kasserine, share(1, 1)),
            ]
            .into(),
        }
    );
    assert_eq!(
        coverage(pool, first_semester())
            .await
            .unwrap()
            .overall
            .rate(),
        bp(7_500)
    );
    // January: P4 still active, nothing accepted yet.
    assert_eq!(
        coverage(pool, period((1, 1), (1, 31))).await.unwrap(),
        Coverage {
            overall: share(0, 5),
            by_governorate: [
                (Governorate::Tunis, share(0, 1)),
                (Governorate::Sfax, share(0, 2)),
                (Governorate::Kasserine, share(0, 2)),
            ]
            .into(),
        }
    );
    // January and February: V1 only.
    assert_eq!(
        coverage(pool, period((1, 1), (2, 28)))
            .await
            .unwrap()
            .overall,
        share(1, 4)
    );
}

async fn check_satisfaction(h: &History) {
    let pool = h.pool();
    let index = async |point, period| satisfaction_index(pool, point, period).await.unwrap();
    let average = |count, basis_points| Average {
        count,
        mean: bp(basis_points),
    };
    // (100.00 + 62.50 + 12.50) / 3 = 58.333... -> 58.33
    assert_eq!(index(None, first_semester()).await, average(3, 5_833));
    // (100.00 + 62.50) / 2 = 81.25
    assert_eq!(
        index(Some(h.p1.id), first_semester()).await,
        average(2, 8_125)
    );
    assert_eq!(
        index(Some(h.p1.id), period((2, 3), (2, 3))).await,
        average(1, 6_250)
    );
    assert_eq!(
        index(Some(h.p2.id), first_semester()).await,
        average(1, 1_250)
    );
    assert_eq!(
        index(None, period((7, 1), (12, 31))).await,
        Average {
            count: 0,
            mean: None
        }
    );
}

on_both_backends!(
    every_query_answers_as_computed_by_hand,
    |store: Store| async move {
        let history = projected(store).await;
        check_visits(&history).await;
        check_body_views(&history).await;
        check_referrals(&history).await;
        check_coverage(&history).await;
        check_satisfaction(&history).await;
    }
);

async fn columns(pool: &AnyPool, table: &str) -> BTreeSet<String> {
    sqlx::query(&format!("SELECT * FROM {table} LIMIT 1"))
        .fetch_one(pool)
        .await
        .unwrap()
        .columns()
        .iter()
        .map(|column| column.name().to_owned())
        .collect()
}

on_both_backends!(
    no_query_of_the_body_returns_or_can_return_who_visited,
    |store: Store| async move {
        let h = projected(store).await;
        let (pool, w) = (h.pool(), h.world());

        // What the body's tables can hold at all: nothing about the member, the time of day,
        // the service asked, the waiting time or the department's texts.
        let set = |names: &[&str]| {
            names
                .iter()
                .map(|n| (*n).to_owned())
                .collect::<BTreeSet<_>>()
        };
        assert_eq!(
            columns(pool, "watcher_body_reports").await,
            set(&[
                "visit_id",
                "organisation_id",
                "service_point_id",
                "channel",
                "occurred_on",
                "score_bp",
                "score_card",
                "findings",
                "sent_at",
            ])
        );
        assert_eq!(
            columns(pool, "watcher_body_findings").await,
            set(&[
                "finding_id",
                "visit_id",
                "organisation_id",
                "service_point_id",
                "kind",
                "severity",
                "criterion_id",
                "description",
                "status",
                "corrective_action",
                "due_on",
                "last_verification",
                "verified_on",
                "reported_at",
            ])
        );

        // What every body's queries return.
        let mut seen = String::new();
        for organisation in [w.structure, w.municipality, w.ministry] {
            let reports = reports_for_body(pool, organisation, all()).await.unwrap();
            let findings = open_findings_for_body(pool, organisation, all())
                .await
                .unwrap();
            assert!(reports.total > 0 && findings.total > 0);
            seen.push_str(&serde_json::to_string(&reports).unwrap());
            seen.push_str(&serde_json::to_string(&findings).unwrap());
        }
        // Positive control: the findings and the actions are there (sealed).
        assert!(seen.contains(&w.ciphertext(h.v2.subject, &finding_text(h.f2)).await));
        assert!(seen.contains(&w.ciphertext(h.v2.subject, ACTION).await));

        for actor in [w.member_1, w.member_2, w.supervisor, w.head] {
            assert!(!seen.contains(&actor.id.to_string()), "{actor:?} shown");
        }
        for visit in [h.v1, h.v2, h.v3, h.v4, h.v6] {
            let observations = w.ciphertext(visit.subject, OBSERVATIONS).await;
            assert!(!seen.contains(&observations), "observations shown");
        }
        for visit in [h.v1, h.v2] {
            let notes = w.ciphertext(visit.subject, NOTES).await;
            assert!(!seen.contains(&notes), "verification notes shown");
        }
        assert!(!seen.contains(&w.ciphertext(h.v2.subject, REMARKS).await));
        assert!(!seen.contains(SERVICE_ASKED));
        assert!(!seen.contains("waiting_minutes") && !seen.contains("service_asked"));
        // Every visit happened at 08:xx UTC, and nothing else did: no time of day shown.
        assert!(!seen.contains("T08:"));
        for visit in visits_on_15_june(&h) {
            if let Some(occurred_at) = visit.occurred_at {
                assert!(!seen.contains(&occurred_at.timestamp_millis().to_string()));
            }
        }
    }
);

on_both_backends!(
    rebuilding_from_position_zero_gives_identical_rows,
    |store: Store| async move {
        let h = projected(store).await;
        let pool = h.pool();
        let before = dump_all(pool).await;
        assert!(before.values().all(|rows| !rows.is_empty()), "{before:?}");
        let runner = runner(h.store());
        for (name, _) in support_watcher::TABLES {
            assert_eq!(
                runner.rebuild(name).await.unwrap(),
                h.script.appended as u64,
                "{name}"
            );
        }
        assert_eq!(dump_all(pool).await, before);
    }
);

on_both_backends!(
    a_read_model_rebuilt_as_of_a_position_or_a_date_shows_that_moment,
    |store: Store| async move {
        let h = projected(store).await;
        let (scratch, _dir) = support_watcher::sqlite_store().await;

        // As of a date: the last event recorded by noon on 6 March is V2's report.
        let log = h.store().log();
        assert_eq!(
            log.cursor_as_of(at(3, 6) + Duration::hours(2))
                .await
                .unwrap(),
            h.mid
        );
        for projection in projections::watcher::projections(&calendar()) {
            let applied =
                event_store::replay_into(&log, &scratch, projection.as_ref(), Some(h.mid), 7)
                    .await
                    .unwrap();
            assert_eq!(applied, h.events_at_mid as u64);
        }
        let pool = scratch.any_pool();
        let w = h.world();

        // On 6 March: V1, V2 reported and V5 cancelled as they end up; V3 and V4 planned
        // only; V6 not yet planned.
        let mut expected = visits_on_15_june(&h);
        expected.retain(|row| row.visit != h.v6.id);
        for row in &mut expected {
            if row.visit == h.v3.id || row.visit == h.v4.id {
                *row = planned(&h, if row.visit == h.v3.id { h.v3 } else { h.v4 }, at(1, 5));
            }
        }
        assert_eq!(
            visits_by_campaign(pool, h.campaign, VisitFilter::default(), all())
                .await
                .unwrap()
                .items,
            expected
        );
        // F1 answered, not yet verified; F2 and F3 just reported.
        assert_eq!(
            open_findings_for_body(pool, w.structure, all())
                .await
                .unwrap()
                .items,
            [BodyFindingRow {
                status: FindingStatus::ActionProposed { due_on: day(3, 31) },
                corrective_action: Some(w.seal(h.v1.subject, ACTION).await),
                due_on: Some(day(3, 31)),
                ..reported_finding(&h, h.v1, h.f1, FindingKind::Recommendation, None, (2, 12)).await
            }]
        );
        assert_eq!(
            open_findings_for_body(pool, w.municipality, all())
                .await
                .unwrap()
                .total,
            2
        );
        assert_eq!(
            referrals(pool, ReferralFilter::default(), all())
                .await
                .unwrap()
                .total,
            0
        );
        // Covered by then: P1 (V1) and P2 (V2) of the four points active on 30 June.
        assert_eq!(
            coverage(pool, first_semester()).await.unwrap().overall,
            share(2, 4)
        );
        // R1 and R2 only: (100.00 + 62.50) / 2.
        assert_eq!(
            satisfaction_index(pool, None, first_semester())
                .await
                .unwrap(),
            Average {
                count: 2,
                mean: bp(8_125)
            }
        );

        // The live read models are untouched.
        assert_eq!(
            visits_by_campaign(h.pool(), h.campaign, VisitFilter::default(), all())
                .await
                .unwrap()
                .total,
            6
        );
    }
);
