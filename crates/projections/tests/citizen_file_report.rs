//! The e-Moatinet performance report against figures computed by hand from the scripted
//! history (see `support_citizen::april`), its JSON, CSV and HTML renderings in French and
//! Arabic, the organisation filter, files "as they stood at the end of the period", and its
//! reproducibility from the returned cursor after more events were appended.
#![allow(clippy::unwrap_used)]

mod support_citizen;

use chrono::NaiveDate;
use citizen_file::{Channel, FileKind, ReferralStatus};
use event_store::Store;
use kernel::OrganisationId;
use projections::citizen_file::{
    AnswerStats, Delay, FileState, HandlingPerformance, PerformanceParams, ReportError,
    ReportLanguage, Satisfaction, StructurePerformance, Tally, performance_report,
};
use projections::{Cell, ReportDocument};
use support_citizen::{April, april, early_may, read_all};

fn day(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, day).unwrap()
}

fn params(month: u32, last_day: u32, language: ReportLanguage) -> PerformanceParams {
    PerformanceParams {
        period_start: day(month, 1),
        period_end: day(month, last_day),
        language,
        organisation: None,
    }
}

fn tally<T>(values: impl IntoIterator<Item = (T, u64)>) -> Vec<Tally<T>> {
    values
        .into_iter()
        .map(|(value, count)| Tally { value, count })
        .collect()
}

fn stats(
    answered: u64,
    within_deadline: u64,
    share: Option<f64>,
    median_hours: Option<i64>,
    p90_hours: Option<i64>,
) -> AnswerStats {
    AnswerStats {
        answered,
        within_deadline,
        within_deadline_share: share,
        median_delay: median_hours.map(|hours| Delay { hours }),
        p90_delay: p90_hours.map(|hours| Delay { hours }),
    }
}

fn no_answer() -> AnswerStats {
    stats(0, 0, None, None, None)
}

/// April 2026, as computed by hand from the history's table.
fn april_handling(history: &April) -> Vec<HandlingPerformance> {
    let w = &history.world;
    let mut expected = vec![
        // Office A. Received in April: F1, F2, F7, F8, F9 (F0 came in March).
        // Answers signed in April: F0 on 6 April (owed since 2 March 09:00: 35 days 5 hours
        // = 845 h, late), F0 again on 8 April (owed since the contest of 7 April 09:00:
        // 30 h, in time), F1 on 17 April (14 April 09:00 to 15:00 three days later: 78 h,
        // in time). Sorted 30, 78, 845: median rank ⌈1.5⌉ = 2 → 78 h; 90th ⌈2.7⌉ = 3 →
        // 845 h. In time 2 of 3. Nothing overdue on 30 April (F2 due 19 May, F8 18 May,
        // F9 suspended). Referred in April: R1. Ratings 2 (F0) and 5 (F1): 3.5. One
        // contest (F0).
        HandlingPerformance {
            organisation: w.office_a,
            received: 5,
            by_kind: tally([(FileKind::Petition, 2), (FileKind::GuidanceRequest, 3)]),
            by_channel: tally([
                (Channel::Online, 2),
                (Channel::Mail, 1),
                (Channel::Phone, 1),
                (Channel::Email, 1),
            ]),
            by_state: tally([
                (FileState::UnderStudy, 2),
                (FileState::AwaitingInformation, 1),
                (FileState::Answered, 1),
                (FileState::Closed, 1),
            ]),
            answers: stats(3, 2, Some(2.0 / 3.0), Some(78), Some(845)),
            overdue: 0,
            transfers: 1,
            returns: 0,
            satisfaction: Satisfaction {
                ratings: 2,
                average: Some(3.5),
            },
            reopenings: 1,
        },
        // Office B. Received in April: F6 (merged by the end). F5, received in March, was
        // due on 22 April 23:00 and is still open: overdue.
        HandlingPerformance {
            organisation: w.office_b,
            received: 1,
            by_kind: tally([(FileKind::Petition, 1)]),
            by_channel: tally([(Channel::Online, 1)]),
            by_state: tally([(FileState::Merged, 1)]),
            answers: no_answer(),
            overdue: 1,
            transfers: 0,
            returns: 0,
            satisfaction: Satisfaction {
                ratings: 0,
                average: None,
            },
            reopenings: 0,
        },
        // The Central Bureau. Received F3 and F4. F3 answered on 17 April 12:00, 13 April
        // 13:00 + 95 h, after its 72 hours. Referrals R3, R4a, R4b; R4a returned. F3 rated 3.
        HandlingPerformance {
            organisation: w.bureau,
            received: 2,
            by_kind: tally([(FileKind::Suggestion, 1), (FileKind::Notification, 1)]),
            by_channel: tally([(Channel::Online, 2)]),
            by_state: tally([(FileState::Referred, 1), (FileState::Answered, 1)]),
            answers: stats(1, 0, Some(0.0), Some(95), Some(95)),
            overdue: 0,
            transfers: 3,
            returns: 1,
            satisfaction: Satisfaction {
                ratings: 1,
                average: Some(3.0),
            },
            reopenings: 0,
        },
    ];
    expected.sort_by_key(|o| o.organisation);
    expected
}

fn april_structures(history: &April) -> Vec<StructurePerformance> {
    let w = &history.world;
    let mut expected = vec![
        // S1. Referred in April: R1 (F1, replied) and R4b (F4, pending). Replies in April:
        // R0b (3 March 10:00 to 6 April 09:00: 33 days 23 hours = 815 h, late) and R1
        // (14 April 11:00 to 16 April 09:00: 46 h, in time). Sorted 46, 815: median rank
        // ⌈1⌉ = 1 → 46 h; 90th ⌈1.8⌉ = 2 → 815 h.
        StructurePerformance {
            organisation: w.structure_1,
            received: 2,
            by_kind: tally([(FileKind::Petition, 1), (FileKind::Suggestion, 1)]),
            by_channel: tally([(Channel::Online, 2)]),
            by_state: tally([(ReferralStatus::Pending, 1), (ReferralStatus::Replied, 1)]),
            replies: stats(2, 1, Some(0.5), Some(46), Some(815)),
            overdue: 0,
            returns: 0,
        },
        // S2. Referred in April: R3 (F3, replied) and R4a (F4, returned the same day). R3:
        // 13 April 14:00 to 17 April 10:00 = 92 h, within its extended 96 hours.
        StructurePerformance {
            organisation: w.structure_2,
            received: 2,
            by_kind: tally([(FileKind::Suggestion, 1), (FileKind::Notification, 1)]),
            by_channel: tally([(Channel::Online, 2)]),
            by_state: tally([(ReferralStatus::Replied, 1), (ReferralStatus::Returned, 1)]),
            replies: stats(1, 1, Some(1.0), Some(92), Some(92)),
            overdue: 0,
            returns: 1,
        },
    ];
    expected.sort_by_key(|o| o.organisation);
    expected
}

/// The summary row of `organisation`.
fn summary_row(document: &ReportDocument, organisation: OrganisationId) -> Vec<Cell> {
    document.sections[0]
        .rows
        .iter()
        .find(|row| row[0] == Cell::Text(organisation.to_string()))
        .unwrap()
        .clone()
}

on_both_backends!(
    the_april_report_matches_the_hand_computed_figures,
    |store: Store| async move {
        let history = april(&store).await;
        read_all(&store, history.events).await;
        let w = &history.world;
        let (report, document) = performance_report(
            &store.log(),
            &w.calendar,
            &params(4, 30, ReportLanguage::Fr),
            None,
        )
        .await
        .unwrap();
        assert_eq!(report.as_of, store.log().head().await.unwrap());
        assert_eq!(
            (report.period_start, report.period_end),
            (day(4, 1), day(4, 30))
        );
        assert_eq!(report.handling, april_handling(&history));
        assert_eq!(report.structures, april_structures(&history));

        // The document: the same figures, rounded for display.
        assert_eq!(document.kind, "e-moatinet-performance");
        assert_eq!(document.language, "fr");
        assert_eq!(document.as_of, report.as_of);
        assert_eq!(
            (document.period_start, document.period_end),
            (Some(day(4, 1)), Some(day(4, 30)))
        );
        assert_eq!(
            document
                .sections
                .iter()
                .map(|s| s.id.as_str())
                .collect::<Vec<_>>(),
            ["summary", "by-kind", "by-channel", "by-state"]
        );
        let summary = &document.sections[0];
        assert_eq!(summary.columns.len(), 14);
        assert_eq!(summary.rows.len(), 5);
        let i = |n: i64| Cell::Integer(n);
        let d = Cell::Decimal;
        assert_eq!(
            summary_row(&document, w.office_a),
            vec![
                Cell::Text(w.office_a.to_string()),
                "Bureau traitant".into(),
                i(5),
                i(3),
                i(2),
                d(66.67),
                d(3.25),
                d(35.21),
                i(0),
                i(1),
                i(0),
                i(2),
                d(3.5),
                i(1),
            ]
        );
        assert_eq!(
            summary_row(&document, w.office_b)[2..],
            [
                i(1),
                i(0),
                i(0),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                i(1),
                i(0),
                i(0),
                i(0),
                Cell::Empty,
                i(0),
            ]
        );
        assert_eq!(
            summary_row(&document, w.structure_1)[1..],
            [
                "Structure".into(),
                i(2),
                i(2),
                i(1),
                d(50.0),
                d(1.92),
                d(33.96),
                i(0),
                Cell::Empty,
                i(0),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
            ]
        );
        // Handling organisations first, then structures, each by id.
        let order: Vec<Cell> = summary.rows.iter().map(|row| row[0].clone()).collect();
        let ids = |list: Vec<OrganisationId>| list.into_iter().map(|o| Cell::Text(o.to_string()));
        let expected: Vec<Cell> = ids(report.handling.iter().map(|o| o.organisation).collect())
            .chain(ids(report
                .structures
                .iter()
                .map(|s| s.organisation)
                .collect()))
            .collect();
        assert_eq!(order, expected);
        // By kind, non-zero counts only: two kinds at office A, one at office B, two at the
        // Central Bureau, two at each structure.
        assert_eq!(document.sections[1].rows.len(), 2 + 1 + 2 + 2 + 2);

        // JSON: the typed report and the document.
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["handling"].as_array().unwrap().len(), 3);
        let document_json = serde_json::to_value(&document).unwrap();
        assert_eq!(document_json["sections"][0]["id"], "summary");

        // CSV: a section as a spreadsheet table, the whole report in long form.
        let by_kind = document.section_csv("by-kind").unwrap();
        assert_eq!(
            by_kind.lines().next(),
            Some("Organisation,Rôle,Type,Nombre")
        );
        let a = w.office_a;
        assert!(by_kind.contains(&format!("{a},Bureau traitant,Pétition,2\n")));
        assert!(by_kind.contains(&format!("{a},Bureau traitant,Demande d'orientation,3\n")));
        let long = document.to_csv().unwrap();
        let cells_in_document: usize = document
            .sections
            .iter()
            .map(|s| s.rows.len() * s.columns.len())
            .sum();
        assert_eq!(long.lines().count(), cells_in_document + 1);
        assert!(long.contains(",Délai au 90e centile (jours),35.21\n"));

        // HTML, left to right in French.
        let html = document.to_html().unwrap();
        assert!(html.contains("dir=\"ltr\""));
        assert!(html.contains("<td>35.21</td>"));
        assert!(html.contains("En cours d&#39;étude") || html.contains("En cours d&#x27;étude"));
    }
);

on_both_backends!(
    the_arabic_report_has_the_same_figures_right_to_left,
    |store: Store| async move {
        let history = april(&store).await;
        read_all(&store, history.events).await;
        let w = &history.world;
        let log = store.log();
        let (french, _) =
            performance_report(&log, &w.calendar, &params(4, 30, ReportLanguage::Fr), None)
                .await
                .unwrap();
        let (arabic, document) =
            performance_report(&log, &w.calendar, &params(4, 30, ReportLanguage::Ar), None)
                .await
                .unwrap();
        assert_eq!(arabic, french);
        assert_eq!(document.language, "ar");
        assert_eq!(document.title, "أداء منظومة المواطن الإلكتروني");
        assert_eq!(summary_row(&document, w.office_a)[1], "جهة المعالجة".into());
        let by_kind = document.section_csv("by-kind").unwrap();
        assert!(by_kind.contains(&format!("{},جهة المعالجة,عريضة,2", w.office_a)));
        let html = document.to_html().unwrap();
        assert!(html.contains("dir=\"rtl\""));
        assert!(html.contains("lang=\"ar\""));
        assert!(html.contains("طلب إرشاد"));
    }
);

on_both_backends!(
    march_shows_the_files_as_they_stood_at_the_end_of_march,
    |store: Store| async move {
        let history = april(&store).await;
        read_all(&store, history.events).await;
        let w = &history.world;
        let (report, _) = performance_report(
            &store.log(),
            &w.calendar,
            &params(3, 31, ReportLanguage::Fr),
            None,
        )
        .await
        .unwrap();
        let handling = |organisation| {
            report
                .handling
                .iter()
                .find(|o| o.organisation == organisation)
                .unwrap()
        };
        // F0 at the end of March: referred to S1, its reply due on 1 April: not yet overdue.
        let a = handling(w.office_a);
        assert_eq!(a.received, 1);
        assert_eq!(a.by_state, tally([(FileState::Referred, 1)]));
        assert_eq!((a.transfers, a.returns, a.overdue), (2, 1, 0));
        assert_eq!(a.answers, no_answer());
        // F5 was under study (F6 was merged into it in April).
        let b = handling(w.office_b);
        assert_eq!(b.by_state, tally([(FileState::UnderStudy, 1)]));
        assert_eq!(b.by_channel, tally([(Channel::Counter, 1)]));
        // The Central Bureau had no file yet.
        assert!(report.handling.iter().all(|o| o.organisation != w.bureau));
        // R0b was still pending at S1 (it replied on 6 April); S2 had returned R0.
        let structure = |organisation| {
            report
                .structures
                .iter()
                .find(|s| s.organisation == organisation)
                .unwrap()
        };
        let s1 = structure(w.structure_1);
        assert_eq!(s1.by_state, tally([(ReferralStatus::Pending, 1)]));
        assert_eq!(s1.replies, no_answer());
        let s2 = structure(w.structure_2);
        assert_eq!(s2.by_state, tally([(ReferralStatus::Returned, 1)]));
        assert_eq!(s2.returns, 1);
    }
);

on_both_backends!(
    the_report_is_reproduced_from_its_cursor_after_more_events,
    |store: Store| async move {
        let history = april(&store).await;
        read_all(&store, history.events).await;
        let w = &history.world;
        let log = store.log();
        let april_params = params(4, 30, ReportLanguage::Fr);
        let (report, document) = performance_report(&log, &w.calendar, &april_params, None)
            .await
            .unwrap();

        // May: S1 replies to R4b; a letter received on 29 April is registered on 5 May.
        early_may(&store, &history).await;
        read_all(&store, history.events + 2).await;

        // From the returned cursor: the same report, whatever was appended since.
        let (again, mut document_again) =
            performance_report(&log, &w.calendar, &april_params, Some(document.as_of))
                .await
                .unwrap();
        assert_eq!(again, report);
        document_again.generated_at = document.generated_at;
        assert_eq!(document_again, document);

        // From the new head: the late letter joins office A's April; S1's reply of 4 May
        // belongs to May.
        let (now, _) = performance_report(&log, &w.calendar, &april_params, None)
            .await
            .unwrap();
        assert!(now.as_of > report.as_of);
        assert_eq!(now.structures, report.structures);
        let office_a = |r: &projections::citizen_file::PerformanceReport| {
            r.handling
                .iter()
                .find(|o| o.organisation == w.office_a)
                .unwrap()
                .clone()
        };
        let (before, after) = (office_a(&report), office_a(&now));
        assert_eq!(after.received, before.received + 1);
        assert_eq!(
            after.by_channel,
            tally([
                (Channel::Online, 2),
                (Channel::Mail, 2),
                (Channel::Phone, 1),
                (Channel::Email, 1),
            ])
        );
        assert_eq!(after.answers, before.answers);

        // May: nothing received. Overdue at the end of May: at office A F8 (18 May), F2
        // (19 May) and the late letter F10 (29 May), not F9 (its clock is stopped); F4 at the
        // Central Bureau (15 May; S1 replied on 4 May: 15 April 16:00 + 449 h, in time);
        // F5 at office B.
        let (may, _) =
            performance_report(&log, &w.calendar, &params(5, 31, ReportLanguage::Fr), None)
                .await
                .unwrap();
        let figures = |organisation| {
            may.handling
                .iter()
                .find(|o| o.organisation == organisation)
                .map(|o| (o.received, o.overdue))
        };
        assert_eq!(figures(w.office_a), Some((0, 3)));
        assert_eq!(figures(w.bureau), Some((0, 1)));
        assert_eq!(figures(w.office_b), Some((0, 1)));
        let s1 = may
            .structures
            .iter()
            .find(|s| s.organisation == w.structure_1)
            .unwrap();
        assert_eq!(s1.replies, stats(1, 1, Some(1.0), Some(449), Some(449)));
        assert_eq!((s1.received, s1.overdue), (0, 0));
    }
);

on_both_backends!(
    the_report_can_be_limited_to_one_organisation,
    |store: Store| async move {
        let history = april(&store).await;
        read_all(&store, history.events).await;
        let w = &history.world;
        let only_s1 = PerformanceParams {
            organisation: Some(w.structure_1),
            ..params(4, 30, ReportLanguage::Fr)
        };
        let (report, document) = performance_report(&store.log(), &w.calendar, &only_s1, None)
            .await
            .unwrap();
        assert!(report.handling.is_empty());
        let s1: Vec<_> = april_structures(&history)
            .into_iter()
            .filter(|s| s.organisation == w.structure_1)
            .collect();
        assert_eq!(report.structures, s1);
        assert_eq!(document.sections[0].rows.len(), 1);

        let backwards = PerformanceParams {
            period_start: day(4, 30),
            period_end: day(4, 1),
            ..only_s1
        };
        assert!(matches!(
            performance_report(&store.log(), &w.calendar, &backwards, None).await,
            Err(ReportError::EmptyPeriod { .. })
        ));
    }
);
