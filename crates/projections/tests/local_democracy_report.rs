#![allow(clippy::unwrap_used)]
//! The committee's report to each ordinary session (decree 2019-401 art. 14-15) on the
//! scripted 2026 history (see `support_democracy`): every figure computed by hand, the
//! rendering in JSON, CSV and HTML in French and Arabic, no personal data anywhere, and the
//! same report again from the cursor it returns whatever is appended after.

mod support_democracy;

use event_store::Cursor;
use opinions::{CouncilSessionId, ReportingCommand};
use projections::ReportDocument;
use projections::local_democracy::{
    CommitteeFigures, CommitteeReport, CommitteeReportError, CommitteeReportParams, DelayFigures,
    EntryFigures, PostingState, PublicSummary, ReportLanguage, SectionFigures, SessionPosting,
    committee_report,
};
use support_democracy::{S1_SUMMARY, S2_SUMMARY, World, date, personal_data_in, story};

fn params(
    world: &World,
    session: CouncilSessionId,
    language: ReportLanguage,
) -> CommitteeReportParams {
    CommitteeReportParams {
        local_authority: world.cast.la,
        session,
        language,
    }
}

async fn report(
    world: &World,
    session: CouncilSessionId,
    as_of: Option<Cursor>,
) -> (CommitteeReport, ReportDocument) {
    committee_report(
        &world.store.log(),
        params(world, session, ReportLanguage::Fr),
        as_of,
    )
    .await
    .unwrap()
}

fn delays(mean: f64, median: f64, max: f64) -> DelayFigures {
    DelayFigures {
        mean_days: Some(mean),
        median_days: Some(median),
        max_days: Some(max),
    }
}

/// Entries of one kind, all answered or all not.
fn one(kind: &str, answered: Option<f64>) -> EntryFigures {
    EntryFigures {
        filed: 1,
        opinions: u64::from(kind == "opinion"),
        questions: u64::from(kind == "question"),
        proposals: u64::from(kind == "proposal"),
        answered: u64::from(answered.is_some()),
        unanswered: u64::from(answered.is_none()),
        delays: answered.map_or(DelayFigures::default(), |days| delays(days, days, days)),
    }
}

fn sections(figures: [EntryFigures; 6]) -> Vec<SectionFigures> {
    (1..=6)
        .zip(figures)
        .map(|(section, figures)| SectionFigures { section, figures })
        .collect()
}

/// S1 as it stands at the end of the story.
fn s1_posting(world: &World) -> SessionPosting {
    SessionPosting {
        session: world.cast.s1,
        date: date(2026, 3, 16),
        report_due_on: Some(date(2026, 3, 15)),
        report_filed_on: Some(date(2026, 3, 11)),
        held_on: Some(date(2026, 3, 16)),
        posting_due_on: Some(date(2026, 3, 23)),
        posted_on: Some(date(2026, 3, 24)),
        state: PostingState::PostedLate,
        display_until_on: Some(date(2026, 4, 8)),
        taken_down_on: Some(date(2026, 4, 10)),
    }
}

on_both_backends!(
    the_report_to_the_first_session_counts_everything_filed_before_its_eve,
    |world: World| async move {
        story(&world).await;
        let head = world.head().await;
        let (report, document) = report(&world, world.cast.s1, None).await;
        let none = EntryFigures::default();
        assert_eq!(
            report,
            CommitteeReport {
                local_authority: world.cast.la,
                session: world.cast.s1,
                session_date: date(2026, 3, 16),
                // The first session: from the beginning of the register to its eve.
                period_start: None,
                period_end: date(2026, 3, 15),
                as_of: head,
                // #1 (I) answered after 6 days, #4 (IV) after 32, #2 (VI) after 15 (its
                // second answer does not count), #3 (V) answered only on 14 April.
                sections: sections([
                    one("opinion", Some(6.0)),
                    none,
                    none,
                    one("opinion", Some(32.0)),
                    one("proposal", None),
                    one("question", Some(15.0)),
                ]),
                // Delays 6, 15, 32: mean 53 / 3 = 17.67, median 15, maximum 32.
                total: EntryFigures {
                    filed: 4,
                    opinions: 2,
                    questions: 1,
                    proposals: 1,
                    answered: 3,
                    unanswered: 1,
                    delays: delays(17.67, 15.0, 32.0),
                },
                earlier_unanswered_at_start: 0,
                earlier_answered_in_period: 0,
                // All on #3, in February.
                committee: CommitteeFigures {
                    consultations: 1,
                    proposals_to_answer: 1,
                    proposals_to_clarify: 0,
                    proposals_to_ask_explanations: 0,
                    correspondences: 1,
                    meetings_invited: 1,
                    meetings_with_minutes: 1,
                },
                // S2 comes after: only S1, posted a day late.
                sessions: vec![s1_posting(&world)],
                public_summary: Some(PublicSummary {
                    filed_on: date(2026, 3, 11),
                    text: S1_SUMMARY.to_owned(),
                }),
            }
        );
        assert_eq!(document.as_of, head);
        assert_eq!(document.period_start, None);
        assert_eq!(document.period_end, Some(date(2026, 3, 15)));
    }
);

on_both_backends!(
    the_report_to_the_second_session_covers_the_days_since_the_first,
    |world: World| async move {
        story(&world).await;
        let cast = &world.cast;
        let (report, _) = report(&world, cast.s2, None).await;
        let none = EntryFigures::default();
        assert_eq!(report.session_date, date(2026, 6, 22));
        // From S1's day to the eve of S2, moved to 22 June.
        assert_eq!(report.period_start, Some(date(2026, 3, 16)));
        assert_eq!(report.period_end, date(2026, 6, 21));
        // #8 (I) 10 days, #5 (II) 2 days, #6 (III) 5 days, #7 (V) unanswered.
        assert_eq!(
            report.sections,
            sections([
                one("question", Some(10.0)),
                one("question", Some(2.0)),
                one("opinion", Some(5.0)),
                none,
                one("proposal", None),
                none,
            ])
        );
        // Delays 2, 5, 10: mean 17 / 3 = 5.67, median 5, maximum 10.
        assert_eq!(
            report.total,
            EntryFigures {
                filed: 4,
                opinions: 1,
                questions: 2,
                proposals: 1,
                answered: 3,
                unanswered: 1,
                delays: delays(5.67, 5.0, 10.0),
            }
        );
        // #3 was unanswered on 16 March and answered on 14 April.
        assert_eq!(report.earlier_unanswered_at_start, 1);
        assert_eq!(report.earlier_answered_in_period, 1);
        assert_eq!(
            report.committee,
            CommitteeFigures {
                consultations: 2,
                proposals_to_ask_explanations: 1,
                ..CommitteeFigures::default()
            }
        );
        assert_eq!(
            report.sessions,
            [
                s1_posting(&world),
                SessionPosting {
                    session: cast.s2,
                    date: date(2026, 6, 22),
                    report_due_on: Some(date(2026, 6, 21)),
                    report_filed_on: Some(date(2026, 6, 17)),
                    held_on: Some(date(2026, 6, 22)),
                    posting_due_on: Some(date(2026, 6, 29)),
                    posted_on: None,
                    state: PostingState::Due,
                    display_until_on: None,
                    taken_down_on: None,
                }
            ]
        );
        assert_eq!(
            report.public_summary,
            Some(PublicSummary {
                filed_on: date(2026, 6, 17),
                text: S2_SUMMARY.to_owned(),
            })
        );
    }
);

on_both_backends!(
    a_report_as_of_a_cursor_sees_the_log_as_it_was_then,
    |world: World| async move {
        let marks = story(&world).await;
        let cast = &world.cast;
        let (report, document) = report(&world, cast.s2, Some(marks.after_suspension)).await;
        assert_eq!(report.as_of, marks.after_suspension);
        assert_eq!(document.as_of, marks.after_suspension);
        // On 27 April S2 was still set for 15 June.
        assert_eq!(report.session_date, date(2026, 6, 15));
        assert_eq!(report.period_end, date(2026, 6, 14));
        // #5 (2 days) and #6 (5 days): mean and median 3.5, maximum 5.
        assert_eq!(
            report.total,
            EntryFigures {
                filed: 2,
                opinions: 1,
                questions: 1,
                proposals: 0,
                answered: 2,
                unanswered: 0,
                delays: delays(3.5, 3.5, 5.0),
            }
        );
        assert_eq!(report.committee.consultations, 1);
        assert_eq!(report.sessions[1].state, PostingState::MeetingNotHeld);
        assert_eq!(report.sessions[1].report_filed_on, None);
        assert_eq!(report.public_summary, None);

        // A cursor past the head is brought back to it.
        let head = world.head().await;
        let far = Cursor {
            transaction: i64::MAX,
            position: i64::MAX,
        };
        assert_eq!(report_as_of(&world, far).await, head);
    }
);

async fn report_as_of(world: &World, as_of: Cursor) -> Cursor {
    report(world, world.cast.s2, Some(as_of)).await.0.as_of
}

on_both_backends!(
    computing_again_from_the_returned_cursor_gives_the_same_report,
    |world: World| async move {
        story(&world).await;
        let cast = &world.cast;
        let (first, first_document) = report(&world, cast.s2, None).await;

        // More happens: S2's summary is posted.
        world.at(2026, 6, 25, 10);
        let post = ReportingCommand::PostSummary {
            session: cast.s2,
            actor: cast.secretary,
        };
        world.reporting(post, &cast.secretary).await;

        let (again, mut again_document) = report(&world, cast.s2, Some(first.as_of)).await;
        assert_eq!(again, first);
        again_document.generated_at = first_document.generated_at;
        assert_eq!(again_document, first_document);

        let (now, _) = report(&world, cast.s2, None).await;
        assert!(now.as_of > first.as_of);
        assert_eq!(now.sessions[1].state, PostingState::PostedOnTime);
        assert_eq!(now.sessions[1].posted_on, Some(date(2026, 6, 25)));
        assert_eq!(now.sessions[1].display_until_on, Some(date(2026, 7, 10)));
        // The figures of a past period do not move.
        assert_eq!(now.total, first.total);
    }
);

on_both_backends!(
    the_report_renders_in_json_csv_and_html_in_both_languages_without_personal_data,
    |world: World| async move {
        story(&world).await;
        let cast = &world.cast;
        let log = world.store.log();
        let (_, french) = committee_report(&log, params(&world, cast.s2, ReportLanguage::Fr), None)
            .await
            .unwrap();
        let (_, arabic) = committee_report(&log, params(&world, cast.s2, ReportLanguage::Ar), None)
            .await
            .unwrap();
        let ids: Vec<&str> = french.sections.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "overview",
                "entries-by-section",
                "committee-acts",
                "sessions-and-postings",
                "public-summary"
            ]
        );
        assert_eq!(french.kind, "committee-session");
        assert!(french.title.ends_with("session ordinaire du 2026-06-22"));

        let json = serde_json::to_value(&french).unwrap();
        assert_eq!(json["language"], "fr");
        assert_eq!(json["sections"][1]["rows"][6][0], "Total");

        let csv = french.to_csv().unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert!(lines.contains(&"overview,2,valeur,du 2026-03-16 au 2026-06-21"));
        assert!(lines.contains(&"overview,3,valeur,4"));
        assert!(lines.contains(&"committee-acts,1,nombre,2"));
        let table = french.section_csv("entries-by-section").unwrap();
        let table: Vec<&str> = table.lines().collect();
        assert_eq!(
            table[0],
            "section,entrées,avis,questions,propositions,avec réponse,sans réponse,\
             délai médian (jours),délai maximal (jours),délai moyen (jours)"
        );
        assert_eq!(table[7], "Total,4,1,2,1,3,1,5.00,10.00,5.67");
        assert_eq!(
            table[5],
            "V. Propositions sur les programmes et projets,1,0,0,1,0,1,,,"
        );
        let sessions = french.section_csv("sessions-and-postings").unwrap();
        assert!(sessions.contains(
            "2026-03-16,2026-03-15,2026-03-11,2026-03-16,2026-03-23,2026-03-24,\
             affiché en retard,2026-04-08,2026-04-10"
        ));

        let html = french.to_html().unwrap();
        assert!(html.contains("dir=\"ltr\""));
        assert!(html.contains("<td>5.67</td>"));
        let html_ar = arabic.to_html().unwrap();
        assert!(html_ar.contains("dir=\"rtl\""));
        assert!(html_ar.contains("تقرير اللجنة المكلفة بالديمقراطية التشاركية"));
        assert!(html_ar.contains("القسم الخامس"));
        assert!(html_ar.contains("المجموع"));
        // Only the labels differ between the languages.
        let figures = |document: &ReportDocument| {
            document.sections[1]
                .rows
                .iter()
                .map(|row| row[1..].to_vec())
                .collect::<Vec<_>>()
        };
        assert_eq!(figures(&arabic), figures(&french));

        for rendered in [
            serde_json::to_string(&french).unwrap(),
            serde_json::to_string(&arabic).unwrap(),
            french.to_csv().unwrap(),
            arabic.to_csv().unwrap(),
            html,
            html_ar,
        ] {
            assert_eq!(personal_data_in(&rendered), None);
        }
    }
);

on_both_backends!(
    a_session_not_on_the_local_authority_s_calendar_is_refused,
    |world: World| async move {
        story(&world).await;
        let log = world.store.log();
        let unknown = committee_report(
            &log,
            params(&world, CouncilSessionId::new_v7(), ReportLanguage::Ar),
            None,
        )
        .await;
        assert!(matches!(
            unknown,
            Err(CommitteeReportError::UnknownSession { .. })
        ));
        // S1 belongs to La Marsa, not to Sidi Bou Saïd.
        let elsewhere = committee_report(
            &log,
            CommitteeReportParams {
                local_authority: world.cast.sbs,
                session: world.cast.s1,
                language: ReportLanguage::Fr,
            },
            None,
        )
        .await;
        assert!(matches!(
            elsewhere,
            Err(CommitteeReportError::UnknownSession { .. })
        ));
    }
);
