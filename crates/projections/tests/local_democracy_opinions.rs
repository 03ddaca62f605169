#![allow(clippy::unwrap_used)]
//! The register of opinions and the council reporting read models on the scripted 2026
//! history (see `support_democracy`): public and bureau views of the register by section,
//! kind and answer, the sessions with their reports and postings, and the absence of
//! personal data in clear from every view.

mod support_democracy;

use kernel::personal_data::{Revealed, Sealed};
use kernel::{Role, Text};
use opinions::{
    AddressKind, EntryKind, FinanceTopic, ProposalKind, ResidenceGround, Section, SessionStatus,
};
use projections::Page;
use projections::local_democracy::{
    AuthorKind, BureauRegisterFilter, CommitteeActKind, CommitteeCounts, OpinionsFilter,
    PublicRegisterFilter, SessionFilter, bureau_register, council_session, council_sessions,
    opinions_register, opinions_register_for_bureau, organisation_detail, public_register,
    register,
};
use support_democracy::{
    NAME_A, S1_SUMMARY, S2_SUMMARY, World, amira_contact, date, dump, midnight, personal_data_in,
    story, tunis,
};

async fn numbers(world: &World, filter: OpinionsFilter) -> Vec<u32> {
    let page = opinions_register(
        world.store.any_pool(),
        world.cast.la,
        &filter,
        Page::default(),
    )
    .await
    .unwrap();
    assert_eq!(page.total, page.items.len() as u64);
    page.items.iter().map(|entry| entry.number).collect()
}

async fn opened(world: &World, sealed: &Sealed<Text>) -> String {
    match world.cipher.open(sealed).await.unwrap() {
        Revealed::Clear(text) => text.into_string(),
        Revealed::Erased => panic!("erased"),
    }
}

on_both_backends!(
    the_public_register_of_opinions_shows_entries_answers_and_committee_work_without_texts,
    |world: World| async move {
        story(&world).await;
        let (pool, cast) = (world.store.any_pool(), &world.cast);
        let all = opinions_register(pool, cast.la, &OpinionsFilter::default(), Page::default())
            .await
            .unwrap();
        assert_eq!(all.total, 8);
        let rows: Vec<(u32, u8, EntryKind, AuthorKind, u32)> = all
            .items
            .iter()
            .map(|e| (e.number, e.section.number(), e.kind, e.author, e.answers))
            .collect();
        use AuthorKind::{Organisation, Resident};
        use EntryKind::{Opinion, Proposal, Question};
        assert_eq!(
            rows,
            [
                (1, 1, Opinion, Resident, 1),
                (2, 6, Question, Resident, 2),
                (3, 5, Proposal, Organisation, 1),
                (4, 4, Opinion, Resident, 1),
                (5, 2, Question, Resident, 1),
                (6, 3, Opinion, Resident, 1),
                (7, 5, Proposal, Organisation, 0),
                (8, 1, Question, Resident, 1),
            ]
        );
        let entry = |n: usize| &all.items[n - 1];
        assert_eq!(entry(1).entry, cast.entry(1));
        assert_eq!(entry(1).local_authority, cast.la);
        assert_eq!(entry(1).filed_at, tunis(2026, 2, 3, 10));
        assert_eq!(entry(1).first_answered_at, Some(tunis(2026, 2, 9, 10)));
        // Two answers: the first dates the answer, the last is kept too.
        assert_eq!(entry(2).first_answered_at, Some(tunis(2026, 2, 19, 10)));
        assert_eq!(entry(2).last_answered_at, Some(tunis(2026, 2, 23, 10)));
        assert_eq!(
            entry(2).section,
            Section::LocalFinances {
                topic: FinanceTopic::LocalFees
            }
        );
        assert_eq!(entry(4).section, Section::DraftByLaw { draft: cast.draft });
        // An organisation is a legal person: its registered name is public.
        assert_eq!(entry(3).organisation, Some(cast.a));
        assert_eq!(entry(3).organisation_name.as_deref(), Some(NAME_A));
        assert_eq!(entry(1).organisation_name, None);
        assert_eq!(
            entry(3).committee,
            CommitteeCounts {
                consultations: 1,
                proposals: 1,
                correspondences: 1,
                follow_up_meetings: 1,
                minutes: 1,
            }
        );
        assert_eq!(
            entry(7).committee,
            CommitteeCounts {
                consultations: 1,
                proposals: 1,
                ..CommitteeCounts::default()
            }
        );
        assert_eq!(entry(7).first_answered_at, None);

        let filter = |section, kind, answered| OpinionsFilter {
            section,
            kind,
            answered,
        };
        assert_eq!(numbers(&world, filter(Some(1), None, None)).await, [1, 8]);
        assert_eq!(numbers(&world, filter(Some(5), None, None)).await, [3, 7]);
        assert_eq!(
            numbers(&world, filter(None, Some(Question), None)).await,
            [2, 5, 8]
        );
        assert_eq!(numbers(&world, filter(None, None, Some(false))).await, [7]);
        assert_eq!(
            numbers(&world, filter(None, None, Some(true))).await,
            [1, 2, 3, 4, 5, 6, 8]
        );
        assert_eq!(
            numbers(&world, filter(Some(5), None, Some(true))).await,
            [3]
        );
        assert!(
            numbers(&world, filter(Some(9), None, None))
                .await
                .is_empty()
        );
        let page = opinions_register(
            pool,
            cast.la,
            &OpinionsFilter::default(),
            Page {
                limit: 3,
                offset: 3,
            },
        )
        .await
        .unwrap();
        let page_numbers: Vec<u32> = page.items.iter().map(|e| e.number).collect();
        assert_eq!((page_numbers, page.total), (vec![4, 5, 6], 8));
        // Another local authority's register is empty.
        let other = opinions_register(pool, cast.sbs, &OpinionsFilter::default(), Page::default())
            .await
            .unwrap();
        assert_eq!(other.total, 0);
    }
);

on_both_backends!(
    the_bureau_s_register_of_opinions_holds_sealed_texts_every_answer_and_every_committee_act,
    |world: World| async move {
        story(&world).await;
        let (pool, cast) = (world.store.any_pool(), &world.cast);
        let proposals = opinions_register_for_bureau(
            pool,
            cast.la,
            &OpinionsFilter {
                section: Some(5),
                ..OpinionsFilter::default()
            },
            Page::default(),
        )
        .await
        .unwrap();
        assert_eq!(proposals.total, 2);
        let three = &proposals.items[0];
        assert_eq!(three.public.number, 3);
        assert_eq!(three.residence_ground, None);
        assert_eq!(three.addresses, [AddressKind::Postal, AddressKind::Email]);
        // Sealed under the person writing for the organisation.
        assert_eq!(three.contact.subject(), cast.amira_subject);
        assert_eq!(
            world.cipher.open(&three.contact).await.unwrap(),
            Revealed::Clear(amira_contact())
        );
        assert_eq!(
            opened(&world, &three.text).await,
            "Nous proposons une aire de jeux dans le parc."
        );
        let answers: Vec<_> = three
            .answer_history
            .iter()
            .map(|a| (a.number, a.answered_at, a.by, a.role))
            .collect();
        assert_eq!(
            answers,
            [(
                1,
                tunis(2026, 4, 14, 10),
                cast.signatory.id,
                Role::Signatory
            )]
        );
        assert_eq!(
            opened(&world, &three.answer_history[0].text).await,
            "Nous avons transmis : l'aire de jeux est au budget 2027."
        );
        let acts: Vec<_> = three
            .committee_acts
            .iter()
            .map(|a| {
                (
                    a.sequence,
                    a.act,
                    a.number,
                    a.proposal_kind,
                    a.at,
                    a.meeting_at,
                    a.by,
                    a.role,
                    a.channels.clone(),
                )
            })
            .collect();
        let both = vec![AddressKind::Postal, AddressKind::Email];
        let committee = cast.committee.id;
        assert_eq!(
            acts,
            [
                (
                    2,
                    CommitteeActKind::Consultation,
                    None,
                    None,
                    tunis(2026, 2, 10, 10),
                    None,
                    committee,
                    None,
                    vec![]
                ),
                (
                    3,
                    CommitteeActKind::Proposal,
                    Some(1),
                    Some(ProposalKind::Answer),
                    tunis(2026, 2, 11, 10),
                    None,
                    committee,
                    None,
                    vec![]
                ),
                (
                    4,
                    CommitteeActKind::Correspondence,
                    Some(1),
                    Some(ProposalKind::Answer),
                    tunis(2026, 2, 13, 10),
                    None,
                    cast.bureau.id,
                    Some(Role::RegisterBureauAgent),
                    both.clone()
                ),
                (
                    5,
                    CommitteeActKind::MeetingInvitation,
                    Some(1),
                    None,
                    tunis(2026, 2, 16, 10),
                    Some(tunis(2026, 2, 26, 10)),
                    committee,
                    None,
                    both
                ),
                (
                    6,
                    CommitteeActKind::Minutes,
                    Some(1),
                    None,
                    tunis(2026, 2, 27, 10),
                    None,
                    committee,
                    None,
                    vec![]
                ),
            ]
        );
        assert_eq!(
            opened(&world, three.committee_acts[4].text.as_ref().unwrap()).await,
            "Nous avons transmis le compte rendu : aire de jeux à l'étude."
        );
        assert!(three.committee_acts[0].text.is_none());

        let seven = &proposals.items[1];
        let kinds: Vec<_> = seven
            .committee_acts
            .iter()
            .map(|a| (a.act, a.proposal_kind))
            .collect();
        assert_eq!(
            kinds,
            [
                (CommitteeActKind::Consultation, None),
                (
                    CommitteeActKind::Proposal,
                    Some(ProposalKind::RequestForExplanations)
                )
            ]
        );
        assert!(seven.answer_history.is_empty());

        let all = opinions_register_for_bureau(
            pool,
            cast.la,
            &OpinionsFilter::default(),
            Page::default(),
        )
        .await
        .unwrap();
        assert_eq!(all.items[0].residence_ground, Some(ResidenceGround::Lives));
        assert_eq!(all.items[1].residence_ground, Some(ResidenceGround::Works));
        assert_eq!(all.items[3].deliberation_on, Some(date(2026, 3, 12)));
        let roles: Vec<_> = all.items[1]
            .answer_history
            .iter()
            .map(|a| (a.number, a.role))
            .collect();
        assert_eq!(
            roles,
            [(1, Role::Signatory), (2, Role::RegisterBureauAgent)]
        );
    }
);

on_both_backends!(
    the_council_reporting_shows_each_session_s_report_meeting_posting_and_display,
    |world: World| async move {
        story(&world).await;
        let (pool, cast) = (world.store.any_pool(), &world.cast);
        let sessions = council_sessions(pool, cast.la, &SessionFilter::default(), Page::default())
            .await
            .unwrap();
        assert_eq!(sessions.total, 2);
        let s1 = &sessions.items[0];
        assert_eq!(s1.session, cast.s1);
        assert_eq!(
            (s1.date, s1.first_scheduled_for),
            (date(2026, 3, 16), date(2026, 3, 16))
        );
        assert_eq!(s1.status, SessionStatus::SummaryTakenDown);
        // The report is due by the end of the eve of the session (art. 14).
        assert_eq!(s1.report_due_on, Some(date(2026, 3, 15)));
        assert_eq!(s1.report_due_at, Some(midnight(date(2026, 3, 16))));
        assert_eq!(s1.report_filed_at, Some(tunis(2026, 3, 11, 10)));
        assert_eq!(s1.public_summary.as_deref(), Some(S1_SUMMARY));
        assert_eq!(s1.held_on, Some(date(2026, 3, 16)));
        // 5 days from Mon 16 March end on Sat 21 March: rolled to Mon 23 March.
        assert_eq!(s1.posting_due_on, Some(date(2026, 3, 23)));
        assert_eq!(s1.posting_due_at, Some(midnight(date(2026, 3, 24))));
        assert_eq!(s1.posted_at, Some(tunis(2026, 3, 24, 10)));
        assert_eq!(s1.posted_late, Some(true));
        // At least 15 days from Tue 24 March, without roll.
        assert_eq!(s1.display_until_on, Some(date(2026, 4, 8)));
        assert_eq!(s1.display_until_at, Some(midnight(date(2026, 4, 9))));
        assert_eq!(s1.taken_down_at, Some(tunis(2026, 4, 10, 10)));

        let s2 = &sessions.items[1];
        assert_eq!(
            (s2.date, s2.first_scheduled_for),
            (date(2026, 6, 22), date(2026, 6, 15))
        );
        assert_eq!(s2.status, SessionStatus::Held);
        assert_eq!(s2.report_due_on, Some(date(2026, 6, 21)));
        assert_eq!(s2.public_summary.as_deref(), Some(S2_SUMMARY));
        // 5 days from Mon 22 June end on Sat 27 June: rolled to Mon 29 June.
        assert_eq!(s2.posting_due_on, Some(date(2026, 6, 29)));
        assert_eq!(
            (s2.posted_at, s2.posted_late, s2.display_until_on),
            (None, None, None)
        );

        let filter = |status, year| SessionFilter { status, year };
        let held = council_sessions(
            pool,
            cast.la,
            &filter(Some(SessionStatus::Held), None),
            Page::default(),
        )
        .await
        .unwrap();
        assert_eq!(held.items, std::slice::from_ref(s2));
        let in_2026 = council_sessions(pool, cast.la, &filter(None, Some(2026)), Page::default())
            .await
            .unwrap();
        assert_eq!(in_2026.total, 2);
        let in_2027 = council_sessions(pool, cast.la, &filter(None, Some(2027)), Page::default())
            .await
            .unwrap();
        assert_eq!(in_2027.total, 0);
        assert_eq!(
            council_session(pool, cast.s1).await.unwrap().as_ref(),
            Some(s1)
        );
        assert_eq!(
            council_session(pool, opinions::CouncilSessionId::new_v7())
                .await
                .unwrap(),
            None
        );
    }
);

on_both_backends!(
    no_view_holds_personal_data_in_clear,
    |world: World| async move {
        story(&world).await;
        let (pool, cast) = (world.store.any_pool(), &world.cast);
        let page = Page {
            limit: 200,
            offset: 0,
        };
        let mut views = Vec::new();
        for la in [cast.la, cast.sbs] {
            let public = public_register(pool, la, &PublicRegisterFilter::default(), page)
                .await
                .unwrap();
            views.push(serde_json::to_string(&public).unwrap());
            let bureau = bureau_register(pool, la, &BureauRegisterFilter::default(), page)
                .await
                .unwrap();
            views.push(serde_json::to_string(&bureau).unwrap());
            views.push(serde_json::to_string(&register(pool, la).await.unwrap()).unwrap());
            let opinions = opinions_register(pool, la, &OpinionsFilter::default(), page)
                .await
                .unwrap();
            views.push(serde_json::to_string(&opinions).unwrap());
            let bureau = opinions_register_for_bureau(pool, la, &OpinionsFilter::default(), page)
                .await
                .unwrap();
            views.push(serde_json::to_string(&bureau).unwrap());
            let sessions = council_sessions(pool, la, &SessionFilter::default(), page)
                .await
                .unwrap();
            views.push(serde_json::to_string(&sessions).unwrap());
        }
        for organisation in [cast.a, cast.b, cast.c, cast.d, cast.f] {
            let detail = organisation_detail(pool, organisation).await.unwrap();
            views.push(serde_json::to_string(&detail).unwrap());
        }
        // And every cell of every table, whatever the views show.
        views.push(format!("{:?}", dump(pool).await));
        for view in &views {
            assert_eq!(personal_data_in(view), None, "{view}");
        }
        // The bureau's views hold the sealed values, which the keys open.
        assert!(views.iter().any(|view| view.contains("ciphertext")));
    }
);
