#![allow(clippy::unwrap_used)]
//! The civil-society register read model on the scripted 2026 history (see
//! `support_democracy`): the public register and the bureau's, every filter, the detail of an
//! entry with its art. 9 steps, and the domains' lookups answered from it.

mod support_democracy;

use civil_society::{
    DocumentKind, OrganisationCommand, OrganisationStatus, RegisterCommand, RegisterFacts,
    RegisterIndex, RegistrationRequirements, RepresentativeDetails, RequestChannel, Requirement,
};
use kernel::CivilSocietyOrganisationId;
use kernel::calendar::RollPolicy;
use kernel::personal_data::Revealed;
use opinions::{OrganisationStanding, Standing};
use projections::Page;
use projections::local_democracy::{
    BureauRegisterFilter, PublicRegisterFilter, RegisterLookup, RegisterStanding, bureau_register,
    live_entry_with_register_number, organisation_detail, public_organisation, public_register,
    register,
};
use support_democracy::{
    NAME_A, NAME_B, NAME_C, NAME_D, NAME_F, World, complete, date, eligible, entry_a, statutes,
    story,
};

fn names<T>(items: &[T], name: impl Fn(&T) -> &str) -> Vec<String> {
    items.iter().map(|item| name(item).to_owned()).collect()
}

async fn public_names(world: &World, filter: PublicRegisterFilter) -> Vec<String> {
    let page = public_register(
        world.store.any_pool(),
        world.cast.la,
        &filter,
        Page::default(),
    )
    .await
    .unwrap();
    assert_eq!(page.total, page.items.len() as u64);
    names(&page.items, |o| &o.name)
}

async fn bureau_names(world: &World, filter: BureauRegisterFilter) -> Vec<String> {
    let page = bureau_register(
        world.store.any_pool(),
        world.cast.la,
        &filter,
        Page::default(),
    )
    .await
    .unwrap();
    names(&page.items, |o| &o.public.name)
}

on_both_backends!(
    the_public_register_lists_the_entries_in_register_order_with_their_standing,
    |world: World| async move {
        story(&world).await;
        let (pool, cast) = (world.store.any_pool(), &world.cast);
        let all = public_register(
            pool,
            cast.la,
            &PublicRegisterFilter::default(),
            Page::default(),
        )
        .await
        .unwrap();
        // Register order is the registration date: B's paper date (2018) comes first.
        assert_eq!(all.total, 4);
        assert_eq!(
            names(&all.items, |o| &o.name),
            [NAME_B, NAME_A, NAME_C, NAME_D]
        );
        let standings: Vec<RegisterStanding> = all.items.iter().map(|o| o.standing).collect();
        assert_eq!(
            standings,
            [
                RegisterStanding::Active,
                RegisterStanding::Active,
                RegisterStanding::StruckOff,
                RegisterStanding::Withdrawn
            ]
        );
        let a = &all.items[1];
        assert_eq!(a.organisation, cast.a);
        assert_eq!(a.local_authority, cast.la);
        assert_eq!(a.legal_form.as_deref(), Some("Association"));
        // Normalised by the domain: upper case, no white space.
        assert_eq!(a.national_register_number.as_deref(), Some("1523467B"));
        assert_eq!(
            a.legal_publication_reference.as_deref(),
            Some("JORT, annonce 2019A01234")
        );
        assert_eq!(
            a.registered_office.as_deref(),
            Some("Avenue Habib Bourguiba, 2070 La Marsa")
        );
        assert_eq!(a.fields_of_activity, ["Environnement", "Culture"]);
        assert_eq!(a.registered_on, date(2026, 1, 12));
        assert!(!a.imported_from_paper);
        let b = &all.items[0];
        assert_eq!(b.registered_on, date(2018, 3, 15));
        assert!(b.imported_from_paper);
        // The update of 3 February added the number.
        assert_eq!(b.national_register_number.as_deref(), Some("9988776E"));
        assert_eq!(
            public_organisation(pool, cast.b).await.unwrap().as_ref(),
            Some(b)
        );
        assert_eq!(
            public_organisation(pool, CivilSocietyOrganisationId::new_v7())
                .await
                .unwrap(),
            None
        );

        // Filters, alone and combined.
        let filter = |standing, field: Option<&str>, name: Option<&str>| PublicRegisterFilter {
            standing,
            field: field.map(str::to_owned),
            name_contains: name.map(str::to_owned),
        };
        let active = Some(RegisterStanding::Active);
        assert_eq!(
            public_names(&world, filter(active, None, None)).await,
            [NAME_B, NAME_A]
        );
        assert_eq!(
            public_names(
                &world,
                filter(Some(RegisterStanding::StruckOff), None, None)
            )
            .await,
            [NAME_C]
        );
        assert_eq!(
            public_names(&world, filter(None, Some("culture"), None)).await,
            [NAME_B, NAME_A]
        );
        assert_eq!(
            public_names(&world, filter(None, Some(" JEUNESSE "), None)).await,
            [NAME_B, NAME_C]
        );
        // A field is matched whole, not in part.
        assert!(
            public_names(&world, filter(None, Some("Cult"), None))
                .await
                .is_empty()
        );
        assert_eq!(
            public_names(&world, filter(None, None, Some("marsa"))).await,
            [NAME_A, NAME_C, NAME_D]
        );
        // Case folding covers accented capitals on both backends.
        assert_eq!(
            public_names(&world, filter(None, None, Some("RÉSEAU"))).await,
            [NAME_D]
        );
        // LIKE wildcards in the search are plain characters.
        assert!(
            public_names(&world, filter(None, None, Some("_")))
                .await
                .is_empty()
        );
        assert!(
            public_names(&world, filter(None, None, Some("%")))
                .await
                .is_empty()
        );
        assert_eq!(
            public_names(&world, filter(active, Some("Culture"), Some("amis"))).await,
            [NAME_A]
        );

        // Paging: the total counts every match.
        let page = public_register(
            pool,
            cast.la,
            &PublicRegisterFilter::default(),
            Page {
                limit: 2,
                offset: 1,
            },
        )
        .await
        .unwrap();
        assert_eq!(names(&page.items, |o| &o.name), [NAME_A, NAME_C]);
        assert_eq!(page.total, 4);

        // Each local authority has its own register.
        let sbs = public_register(
            pool,
            cast.sbs,
            &PublicRegisterFilter::default(),
            Page::default(),
        )
        .await
        .unwrap();
        assert_eq!(names(&sbs.items, |o| &o.name), [NAME_F]);
    }
);

on_both_backends!(
    the_bureau_register_holds_the_procedure_the_missing_items_and_the_sealed_representative,
    |world: World| async move {
        story(&world).await;
        let (pool, cast) = (world.store.any_pool(), &world.cast);
        let all = bureau_register(
            pool,
            cast.la,
            &BureauRegisterFilter::default(),
            Page::default(),
        )
        .await
        .unwrap();
        assert_eq!(
            names(&all.items, |o| &o.public.name),
            [NAME_B, NAME_A, NAME_C, NAME_D]
        );
        let statuses: Vec<OrganisationStatus> = all.items.iter().map(|o| o.status).collect();
        assert_eq!(
            statuses,
            [
                OrganisationStatus::Active,
                OrganisationStatus::Active,
                OrganisationStatus::StruckOff,
                OrganisationStatus::Withdrawn
            ]
        );

        let b = &all.items[0];
        assert_eq!(b.channel, None);
        assert_eq!(
            b.paper_reference.as_deref(),
            Some("Registre papier, vol. 2, p. 14, n° 37")
        );
        assert_eq!(b.imported_on, Some(date(2026, 1, 14)));
        assert_eq!(b.eligibility, None);
        assert_eq!(b.representative, None);
        assert!(b.documents.is_empty());
        // Imported without number, representative, contact or statutes; the update of
        // 3 February brought the number.
        assert_eq!(
            b.missing,
            [
                Requirement::LegalRepresentative,
                Requirement::Email,
                Requirement::Phone,
                Requirement::Document(DocumentKind::Statutes)
            ]
        );
        assert_eq!(b.updated_on, Some(date(2026, 2, 3)));
        assert_eq!(b.last_step_on, date(2018, 3, 15));

        let a = &all.items[1];
        assert_eq!(a.channel, Some(RequestChannel::Electronic));
        assert_eq!(a.request_reference.as_deref(), Some("PORTAIL-2026-0001"));
        assert_eq!(a.received_on, Some(date(2026, 1, 9)));
        assert_eq!(a.eligibility, Some(eligible()));
        assert_eq!(a.documents, [statutes("statuts.pdf")]);
        assert!(a.missing.is_empty());
        assert_eq!(a.regularisation_due_on, None);
        assert!(!a.shares_register_number);
        // Kept sealed: only the representative's key opens it.
        let sealed = a.representative.as_ref().unwrap();
        assert_eq!(sealed.subject(), cast.amira_subject);
        assert_eq!(
            world.cipher.open(sealed).await.unwrap(),
            Revealed::Clear(RepresentativeDetails {
                full_name: "Amira Ben Salah".to_owned(),
                email: Some("contact@amis-parc-marsa.tn".to_owned()),
                phone: Some("+216 71 000 000".to_owned()),
            })
        );

        let (c, d) = (&all.items[2], &all.items[3]);
        // The due date goes with the procedure.
        assert_eq!(c.regularisation_due_on, None);
        assert_eq!(c.last_step_on, date(2026, 5, 11));
        assert_eq!(d.last_step_on, date(2026, 5, 4));
        assert_eq!(d.regularisation_due_on, None);

        let status = |status| BureauRegisterFilter {
            status: Some(status),
            ..BureauRegisterFilter::default()
        };
        assert_eq!(
            bureau_names(&world, status(OrganisationStatus::StruckOff)).await,
            [NAME_C]
        );
        assert!(
            bureau_names(&world, status(OrganisationStatus::Suspended))
                .await
                .is_empty()
        );
        let incomplete = |incomplete| BureauRegisterFilter {
            incomplete: Some(incomplete),
            ..BureauRegisterFilter::default()
        };
        assert_eq!(bureau_names(&world, incomplete(true)).await, [NAME_B]);
        assert_eq!(
            bureau_names(&world, incomplete(false)).await,
            [NAME_A, NAME_C, NAME_D]
        );
        let field = BureauRegisterFilter {
            field: Some("SANTÉ".to_owned()),
            name_contains: Some("solidaire".to_owned()),
            ..BureauRegisterFilter::default()
        };
        assert_eq!(bureau_names(&world, field).await, [NAME_D]);
    }
);

on_both_backends!(
    an_entry_s_detail_lists_every_dated_step_of_the_art_9_procedure,
    |world: World| async move {
        story(&world).await;
        let (pool, cast) = (world.store.any_pool(), &world.cast);
        let detail = organisation_detail(pool, cast.c).await.unwrap().unwrap();
        assert_eq!(detail.entry.public.name, NAME_C);
        let steps: Vec<(i64, &str, chrono::NaiveDate, Option<&str>)> = detail
            .steps
            .iter()
            .map(|s| (s.sequence, s.step.as_str(), s.on, s.reference.as_deref()))
            .collect();
        assert_eq!(
            steps,
            [
                (1, "registered", date(2026, 1, 15), Some("BO-2026/0012")),
                (
                    2,
                    "irregularity_found",
                    date(2026, 3, 2),
                    Some("Délibération n° 2026-031")
                ),
                (
                    3,
                    "formal_notice_sent",
                    date(2026, 3, 3),
                    Some("RR 1234 5678 9TN")
                ),
                (4, "notice_acknowledged", date(2026, 3, 9), None),
                (
                    5,
                    "hearing_convened",
                    date(2026, 4, 13),
                    Some("Convocation n° 2026/77")
                ),
                (6, "hearing_held", date(2026, 4, 20), Some("PV n° 2026/12")),
                (
                    7,
                    "suspension_decided",
                    date(2026, 4, 27),
                    Some("Délibération n° 2026-058")
                ),
                (
                    8,
                    "struck_off",
                    date(2026, 5, 11),
                    Some("Délibération n° 2026-071")
                ),
            ]
        );
        assert_eq!(detail.steps[0].detail["channel"], "paper");
        assert_eq!(detail.steps[0].detail["received_on"], "2026-01-14");
        assert_eq!(detail.steps[1].detail["situation"], "financial");
        // One month from Mon 9 March is Thu 9 April, Martyrs' Day: rolled to Fri 10 April.
        let term = &detail.steps[3].detail["regularisation_term"];
        assert_eq!(term["nominal_end"], "2026-04-09");
        assert_eq!(term["due_date"], "2026-04-10");
        assert_eq!(detail.steps[4].detail["hearing_on"], "2026-04-20");
        assert_eq!(detail.steps[5].detail["organisation_appeared"], false);

        let d = organisation_detail(pool, cast.d).await.unwrap().unwrap();
        let last = d.steps.last().unwrap();
        assert_eq!(
            (last.step.as_str(), last.on, last.reference.as_deref()),
            ("withdrawn", date(2026, 5, 4), Some("BO-2026/0101"))
        );
        assert_eq!(last.detail["requested_on"], "2026-04-30");
        assert_eq!(last.detail["status_before"], "active");
        assert_eq!(d.steps[4].step, "regularised");
        assert_eq!(d.steps[4].detail["timing"], "within_term");

        let b = organisation_detail(pool, cast.b).await.unwrap().unwrap();
        let kinds: Vec<&str> = b.steps.iter().map(|s| s.step.as_str()).collect();
        assert_eq!(kinds, ["imported", "updated"]);
        assert_eq!(b.steps[1].on, date(2026, 2, 3));

        assert!(
            organisation_detail(pool, CivilSocietyOrganisationId::new_v7())
                .await
                .unwrap()
                .is_none()
        );

        let la = register(pool, cast.la).await.unwrap().unwrap();
        assert_eq!(la.opened_on, date(2026, 1, 5));
        assert_eq!(la.migration_window.due_date, date(2027, 1, 5));
        assert_eq!(la.requirements, RegistrationRequirements::default());
        let bureau = la.bureau.unwrap();
        assert_eq!(bureau.order_reference, "Arrêté n° 2026-003");
        assert_eq!(bureau.published_on, date(2026, 1, 6));
        assert_eq!(bureau.head.agent, cast.bureau_head.id);
        assert!(
            register(pool, cast.sbs)
                .await
                .unwrap()
                .unwrap()
                .bureau
                .is_none()
        );
    }
);

on_both_backends!(
    the_domains_lookups_answer_from_the_read_model,
    |world: World| async move {
        story(&world).await;
        let cast = &world.cast;
        let lookup = &world.lookup;
        let window = civil_society::MonthTerm::compute(
            &world.calendar,
            date(2026, 1, 5),
            12,
            RollPolicy::NextWorkingDay,
            "decree 2019-401 art. 17 (Arabic text): migration of the paper register",
        )
        .unwrap();
        assert_eq!(
            RegisterIndex::register(lookup, cast.la).await.unwrap(),
            Some(RegisterFacts {
                opened_on: date(2026, 1, 5),
                migration_window: window,
                requirements: RegistrationRequirements::default(),
            })
        );
        assert_eq!(
            RegisterIndex::register(lookup, kernel::OrganisationId::new_v7())
                .await
                .unwrap(),
            None
        );
        let number = |la, number: &'static str| lookup.live_entry_with_register_number(la, number);
        assert_eq!(number(cast.la, "1523467B").await.unwrap(), Some(cast.a));
        assert_eq!(number(cast.sbs, "1523467B").await.unwrap(), Some(cast.f));
        assert_eq!(number(cast.la, "9988776E").await.unwrap(), Some(cast.b));
        // Struck off and withdrawn entries are no longer live.
        assert_eq!(number(cast.la, "7788990C").await.unwrap(), None);
        assert_eq!(number(cast.la, "4455667D").await.unwrap(), None);

        let standing = |la, organisation| lookup.standing(la, organisation);
        assert_eq!(standing(cast.la, cast.a).await.unwrap(), Standing::Active);
        assert_eq!(standing(cast.la, cast.b).await.unwrap(), Standing::Active);
        assert_eq!(
            standing(cast.la, cast.c).await.unwrap(),
            Standing::StruckOff
        );
        assert_eq!(standing(cast.la, cast.d).await.unwrap(), Standing::Unknown);
        // Registered elsewhere is not registered here.
        assert_eq!(standing(cast.sbs, cast.a).await.unwrap(), Standing::Unknown);
        assert_eq!(
            standing(cast.la, CivilSocietyOrganisationId::new_v7())
                .await
                .unwrap(),
            Standing::Unknown
        );
        // The register links no account to an organisation: nobody is taken to represent one.
        assert!(!lookup.represents(cast.a, cast.amira.id).await.unwrap());
    }
);

on_both_backends!(
    a_duplicate_number_slipping_through_the_read_model_s_lag_is_flagged_for_the_bureau,
    |world: World| async move {
        let cast = &world.cast;
        world.at(2026, 1, 5, 10);
        let open = RegisterCommand::OpenRegister {
            actor: cast.admin,
            local_authority: cast.la,
            opened_on: date(2026, 1, 5),
            requirements: RegistrationRequirements::default(),
        };
        world.register_cmd(cast.la, open, &cast.admin).await;
        // Two requests with one number handled before the read model sees the first.
        world.at(2026, 1, 12, 10);
        for (id, data) in [
            (cast.a, entry_a(cast)),
            (
                cast.g,
                complete(
                    "Amis du Parc (doublon)",
                    "1523467B",
                    &["Environnement"],
                    (
                        cast.salma_subject,
                        "Salma Gharbi",
                        "s@example.tn",
                        "+216 22 333 444",
                    ),
                ),
            ),
        ] {
            let command = support_democracy::register(
                id,
                cast.la,
                RequestChannel::Paper,
                "BO-2026/0001",
                date(2026, 1, 12),
                data,
                &cast.bureau,
            );
            world
                .execute::<civil_society::RegisteredOrganisation>(
                    world.civil.clone(),
                    id,
                    command,
                    &cast.bureau,
                )
                .await
                .unwrap();
        }
        world.sync().await;
        let pool = world.store.any_pool();
        let flags = |items: &[projections::local_democracy::BureauOrganisation]| {
            items
                .iter()
                .map(|o| (o.public.organisation, o.shares_register_number))
                .collect::<Vec<_>>()
        };
        let all = bureau_register(
            pool,
            cast.la,
            &BureauRegisterFilter::default(),
            Page::default(),
        )
        .await
        .unwrap();
        assert_eq!(flags(&all.items), [(cast.a, true), (cast.g, true)]);
        // The lookup names the earliest entry (same day: the first identifier).
        assert_eq!(
            live_entry_with_register_number(pool, cast.la, "1523467B")
                .await
                .unwrap(),
            Some(cast.a)
        );
        // Once the duplicate leaves, nothing is flagged.
        let withdraw = OrganisationCommand::RecordWithdrawal {
            actor: cast.bureau,
            requested_on: date(2026, 1, 12),
            request_reference: "BO-2026/0002".to_owned(),
        };
        world
            .organisation(cast.g, withdraw, &cast.bureau)
            .await
            .unwrap();
        let all = bureau_register(
            pool,
            cast.la,
            &BureauRegisterFilter::default(),
            Page::default(),
        )
        .await
        .unwrap();
        assert_eq!(flags(&all.items), [(cast.a, false), (cast.g, false)]);
    }
);

#[tokio::test]
async fn an_unreachable_read_model_is_a_lookup_error_not_an_answer() {
    let (store, _dir) = support_democracy::sqlite_store().await;
    let lookup = RegisterLookup::new(store.any_pool().clone());
    store.close().await;
    let la = kernel::OrganisationId::new_v7();
    let organisation = CivilSocietyOrganisationId::new_v7();
    assert!(RegisterIndex::register(&lookup, la).await.is_err());
    assert!(
        lookup
            .live_entry_with_register_number(la, "1")
            .await
            .is_err()
    );
    let error = lookup.standing(la, organisation).await.unwrap_err();
    assert!(error.0.starts_with("civil-society register read model"));
}
