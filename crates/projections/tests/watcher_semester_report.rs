//! The Citizen Watcher's semester activity report, folded from the scripted history
//! (tests/support_watcher) on both backends: every number computed by hand, the JSON, CSV
//! and HTML renderings in French and Arabic, and reproducibility from the returned cursor.
#![allow(clippy::unwrap_used)]

mod support_watcher;

use std::collections::BTreeMap;

use event_store::{Cursor, Store};
use kernel::organisation::Governorate;
use projections::ReportDocument;
use projections::watcher::{
    Average, FindingClass, FindingCounts, Language, ReferralCounts, ReferralLine, Semester,
    SemesterParams, SemesterReport, ServicePointSatisfaction, VisitCounts, semester_report,
};
use support_watcher::{History, calendar, day};
use watcher::{CorruptionCategory, Coverage, Percentage, Period, Share, Theme};

fn params(semester: Semester, language: Language) -> SemesterParams {
    SemesterParams {
        year: 2026,
        semester,
        language,
        coverage_target: Percentage::from_basis_points(8_000).unwrap(),
    }
}

async fn compute(
    h: &History,
    semester: Semester,
    language: Language,
    as_of: Option<Cursor>,
) -> (SemesterReport, ReportDocument) {
    semester_report(
        &h.store().log(),
        &calendar(),
        &params(semester, language),
        as_of,
    )
    .await
    .unwrap()
}

fn average(count: u64, basis_points: u16) -> Average {
    Average {
        count,
        mean: Percentage::from_basis_points(basis_points),
    }
}

fn visits(planned: u64, cancelled: u64, carried_out: u64, accepted: u64) -> VisitCounts {
    VisitCounts {
        planned,
        cancelled,
        carried_out,
        accepted,
    }
}

fn findings(
    findings: u64,
    with_action: u64,
    implemented: u64,
    open: u64,
    overdue: u64,
) -> FindingCounts {
    FindingCounts {
        findings,
        with_action,
        implemented,
        open,
        overdue,
    }
}

fn share(covered: u64, total: u64) -> Share {
    Share { covered, total }
}

/// The first semester of 2026 as of 15 June, computed by hand from the history.
fn first_semester_by_hand(h: &History) -> SemesterReport {
    let w = h.world();
    SemesterReport {
        year: 2026,
        semester: Semester::First,
        period: Period {
            starts_on: day(1, 1),
            ends_on: day(6, 30),
        },
        as_of: h.end_of_first_semester,
        // Planned: V1 V4 V5 (Sfax), V2 V6 (Kasserine), V3 (Tunis). Cancelled: V5.
        // Carried out: V1 V4, V2 V6, V3. Accepted: all but V6.
        visits: visits(6, 1, 5, 4),
        visits_by_governorate: BTreeMap::from([
            (Governorate::Tunis, visits(1, 0, 1, 1)),
            (Governorate::Sfax, visits(3, 1, 2, 2)),
            (Governorate::Kasserine, visits(2, 0, 2, 1)),
        ]),
        // (100.00 + 49.00 + 58.33 + 87.50) / 4 = 294.83 / 4 = 73.7075 -> 73.70
        score: average(4, 7_370),
        scores_by_body: BTreeMap::from([
            // V1 100.00 and V4 87.50: 93.75.
            (w.structure, average(2, 9_375)),
            (w.municipality, average(1, 4_900)),
            (w.ministry, average(1, 5_833)),
        ]),
        scores_by_theme: BTreeMap::from([
            // Reception: 100 (V1), 100 (V2), 0 (V3), 100 (V4) -> 75.00
            (Theme::Reception, average(4, 7_500)),
            // Waiting: 100, 100, 50 (2/4), 25 (1/4) -> 275 / 4 = 68.75
            (Theme::Waiting, average(4, 6_875)),
            // Integrity: 100, 0 (bribe, before the cap), 100, 100 -> 75.00
            (Theme::Integrity, average(4, 7_500)),
        ]),
        // F2 serious: answered (due 30 April), not implemented: open and overdue on 30 June.
        // F4 moderate: answered, due 31 July: open, not overdue. F3 and F5 minor: open,
        // unanswered. F1 recommendation: answered and verified implemented.
        findings: BTreeMap::from([
            (FindingClass::Serious, findings(1, 1, 0, 1, 1)),
            (FindingClass::Moderate, findings(1, 1, 0, 1, 0)),
            (FindingClass::Minor, findings(2, 0, 0, 2, 0)),
            (FindingClass::Recommendation, findings(1, 1, 1, 0, 0)),
        ]),
        findings_total: findings(5, 3, 1, 4, 1),
        // In the page's order: extortion (R1), unfairness (R3), transparency (R2).
        referrals: vec![
            ReferralLine {
                category: CorruptionCategory::Extortion,
                authority: w.authority,
                counts: ReferralCounts {
                    referred: 1,
                    acknowledged: 1,
                    proceedings_opened: 1,
                    ..ReferralCounts::default()
                },
            },
            ReferralLine {
                category: CorruptionCategory::Unfairness,
                authority: w.authority,
                counts: ReferralCounts {
                    referred: 1,
                    awaiting_outcome: 1,
                    ..ReferralCounts::default()
                },
            },
            ReferralLine {
                category: CorruptionCategory::BreachOfTransparency,
                authority: w.prosecutor,
                counts: ReferralCounts {
                    referred: 1,
                    no_further_action: 1,
                    ..ReferralCounts::default()
                },
            },
        ],
        // Active on 30 June: P1 P3 (Sfax), P2 (Kasserine; P4 retired), P5 (Tunis); covered by
        // accepted visits: P1, P2, P5 -> 3 / 4 = 75.00 < 80.00.
        coverage: Coverage {
            overall: share(3, 4),
            by_governorate: BTreeMap::from([
                (Governorate::Tunis, share(1, 1)),
                (Governorate::Sfax, share(1, 2)),
                (Governorate::Kasserine, share(1, 1)),
            ]),
        },
        coverage_target: Percentage::from_basis_points(8_000).unwrap(),
        // (100.00 + 62.50 + 12.50) / 3 = 58.33; P1 (100.00 + 62.50) / 2 = 81.25; P2 12.50.
        satisfaction: average(3, 5_833),
        satisfaction_by_service_point: BTreeMap::from([
            (
                h.p1.id,
                ServicePointSatisfaction {
                    governorate: Some(Governorate::Sfax),
                    index: average(2, 8_125),
                },
            ),
            (
                h.p2.id,
                ServicePointSatisfaction {
                    governorate: Some(Governorate::Kasserine),
                    index: average(1, 1_250),
                },
            ),
        ]),
    }
}

on_both_backends!(
    the_first_semester_report_has_the_numbers_computed_by_hand,
    |store: Store| async move {
        let h = History::first_part(store).await;
        let (report, document) = compute(&h, Semester::First, Language::Fr, None).await;
        assert_eq!(report, first_semester_by_hand(&h));
        assert_eq!(document.as_of, h.end_of_first_semester);

        // As of 6 March: V1 and V2 accepted (P1, P2 covered); V3 and V4 planned only; R1 and
        // R2 given; F1 answered (due 31 March, after 6 March but before 30 June: counted as
        // overdue at the end of the semester, the column says so), F2 and F3 unanswered.
        let (early, _) = compute(&h, Semester::First, Language::Fr, Some(h.mid)).await;
        assert_eq!(early.as_of, h.mid);
        assert_eq!(early.visits, visits(5, 1, 2, 2));
        assert_eq!(early.score, average(2, 7_450));
        assert_eq!(early.coverage.overall, share(2, 4));
        assert_eq!(early.findings_total, findings(3, 1, 0, 3, 1));
        assert!(early.referrals.is_empty());
        assert_eq!(early.satisfaction, average(2, 8_125));

        // A cursor past the head is brought back to it.
        let far = Cursor {
            transaction: i64::MAX,
            position: i64::MAX,
        };
        let (clamped, _) = compute(&h, Semester::First, Language::Fr, Some(far)).await;
        assert_eq!(clamped, report);
    }
);

on_both_backends!(
    the_report_renders_as_json_csv_and_html_in_french_and_arabic,
    |store: Store| async move {
        let h = History::first_part(store).await;
        let (report, fr) = compute(&h, Semester::First, Language::Fr, None).await;
        let (report_ar, ar) = compute(&h, Semester::First, Language::Ar, None).await;
        assert_eq!(report_ar, report);

        assert_eq!(fr.kind, "watcher-semester");
        assert_eq!(
            fr.title,
            "Citoyen superviseur : rapport d'activité, premier semestre 2026"
        );
        assert_eq!(ar.title, "المواطن الرقيب: تقرير النشاط، السداسي الأول 2026");
        assert_eq!(
            (fr.period_start, fr.period_end),
            (Some(day(1, 1)), Some(day(6, 30)))
        );
        let ids: Vec<&str> = fr.sections.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "visits",
                "scores-by-body",
                "scores-by-theme",
                "findings",
                "referrals",
                "coverage",
                "satisfaction"
            ]
        );
        assert!(
            fr.sections
                .iter()
                .all(|s| s.rows.iter().all(|r| r.len() == s.columns.len()))
        );

        // One table as a spreadsheet: governorates in the official order, then the total.
        assert_eq!(
            fr.section_csv("visits").unwrap(),
            "Gouvernorat,Planifiées,Annulées,Effectuées,Acceptées\n\
             Tunis,1,0,1,1\n\
             Sfax,3,1,2,2\n\
             Kasserine,2,0,2,1\n\
             Total,6,1,5,4\n"
        );
        assert_eq!(
            fr.section_csv("findings").unwrap(),
            "Constat,Constats,Avec action corrective,Mis en œuvre (vérifiés),Ouverts,\
             En retard au 2026-06-30\n\
             Manquement grave,1,1,0,1,1\n\
             Manquement modéré,1,1,0,1,0\n\
             Manquement mineur,2,0,0,2,0\n\
             Recommandation,1,1,1,0,0\n\
             Total,5,3,1,4,1\n"
        );
        assert_eq!(
            fr.section_csv("coverage").unwrap(),
            "Gouvernorat,Points de service actifs,Visités,Taux (%),Objectif (%),Objectif atteint\n\
             Ensemble,4,3,75.00,80.00,non\n\
             Tunis,1,1,100.00,80.00,oui\n\
             Sfax,2,1,50.00,80.00,non\n\
             Kasserine,1,1,100.00,80.00,oui\n"
        );
        assert_eq!(
            fr.section_csv("scores-by-theme").unwrap(),
            "Thème,Visites,Score moyen (sur 100)\n\
             Accueil,4,75.00\n\
             Attente,4,68.75\n\
             Intégrité,4,75.00\n"
        );
        let w = h.world();
        let referrals = fr.section_csv("referrals").unwrap();
        assert_eq!(
            referrals.lines().nth(1),
            Some(format!("Extorsion,{},1,1,1,0,0,0,0", w.authority).as_str())
        );
        // The whole report in long form.
        let long = fr.to_csv().unwrap();
        assert!(long.starts_with("section,row,column,value\n"));
        assert!(long.contains("\nscores-by-body,4,Score moyen (sur 100),73.70\n"));
        assert!(long.contains(&format!(
            "\nscores-by-body,1,Organisme,{}\n",
            report.scores_by_body.keys().next().unwrap()
        )));
        assert!(long.contains("\nsatisfaction,1,Indice (sur 100),58.33\n"));

        // JSON: the document and the typed report.
        let json = serde_json::to_value(&fr).unwrap();
        assert_eq!(json["sections"][5]["rows"][0][3], 75.0);
        assert_eq!(json["as_of"]["position"], h.end_of_first_semester.position);
        let typed = serde_json::to_value(&report).unwrap();
        assert_eq!(typed["coverage"]["overall"]["covered"], 3);
        assert_eq!(typed["findings"]["serious"]["overdue"], 1);
        assert_eq!(typed["visits_by_governorate"]["sfax"]["planned"], 3);

        // HTML: left to right in French, right to left in Arabic, labels translated.
        let html = fr.to_html().unwrap();
        assert!(html.contains("lang=\"fr\" dir=\"ltr\""));
        assert!(html.contains("<td>75.00</td>"));
        assert!(html.contains("<th scope=\"col\">Gouvernorat</th>"));
        let html = ar.to_html().unwrap();
        assert!(html.contains("lang=\"ar\" dir=\"rtl\""));
        assert!(html.contains("<td>صفاقس</td>"));
        assert!(html.contains("<th scope=\"col\">الولاية</th>"));
        assert!(html.contains("<td>لا</td>"));

        // No one who visited or reviewed appears anywhere.
        let everything = [
            serde_json::to_string(&fr).unwrap(),
            serde_json::to_string(&ar).unwrap(),
            serde_json::to_string(&report).unwrap(),
            long,
            fr.to_html().unwrap(),
        ]
        .concat();
        for actor in [w.member_1, w.member_2, w.supervisor, w.head] {
            assert!(!everything.contains(&actor.id.to_string()));
        }
    }
);

on_both_backends!(
    computing_again_from_the_returned_cursor_gives_the_same_report,
    |store: Store| async move {
        let mut h = History::first_part(store).await;
        let (report, document) = compute(&h, Semester::First, Language::Fr, None).await;

        // V7 is planned on 30 June, F2 gets a new date (20 July), V7 happens in July.
        h.second_part().await;
        let (again, again_document) =
            compute(&h, Semester::First, Language::Fr, Some(document.as_of)).await;
        assert_eq!(again, report);
        assert_eq!(
            again_document,
            ReportDocument {
                generated_at: again_document.generated_at,
                ..document.clone()
            }
        );

        // From the new head the semester has changed: one more visit planned (V7, Sfax), and
        // F2's new date is after 30 June, so nothing is overdue.
        let (now, _) = compute(&h, Semester::First, Language::Fr, None).await;
        assert!(now.as_of > report.as_of);
        assert_eq!(now.visits, visits(7, 1, 5, 4));
        assert_eq!(
            now.visits_by_governorate[&Governorate::Sfax],
            visits(4, 1, 2, 2)
        );
        assert_eq!(now.findings_total, findings(5, 3, 1, 4, 0));

        // The second semester: V7 carried out and accepted on 2-3 July covers P3 only.
        let (second, document) = compute(&h, Semester::Second, Language::Fr, None).await;
        assert_eq!(
            second.period,
            Period {
                starts_on: day(7, 1),
                ends_on: day(12, 31)
            }
        );
        assert_eq!(second.visits, visits(0, 0, 1, 1));
        assert_eq!(second.score, average(1, 10_000));
        assert_eq!(second.coverage.overall, share(1, 4));
        assert_eq!(second.findings_total, FindingCounts::default());
        assert!(second.referrals.is_empty());
        assert_eq!(second.satisfaction, Average::default());
        assert_eq!(
            document.title,
            "Citoyen superviseur : rapport d'activité, second semestre 2026"
        );
    }
);
