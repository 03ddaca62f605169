#![allow(clippy::unwrap_used)]
//! The local registers' read models are rebuildable: a rebuild from position zero gives the
//! same rows, cell by cell; a replay into a scratch store gives the read models "as of" a
//! cursor in the middle of the history (found by position or by date), without touching the
//! live ones; and a replay of the whole log gives the live rows.

mod support_democracy;

use civil_society::{OrganisationStatus, RegisterIndex};
use event_store::replay_into;
use opinions::{OrganisationStanding, SessionStatus, Standing};
use projections::Page;
use projections::local_democracy::{
    BureauRegisterFilter, OpinionsFilter, PublicRegisterFilter, RegisterLookup, RegisterStanding,
    SessionFilter, bureau_register, council_sessions, opinions_register, projections,
    public_register,
};
use support_democracy::{NAMES, World, date, dump, events, sqlite_store, story, tunis};

on_both_backends!(
    a_rebuild_from_position_zero_gives_identical_rows,
    |world: World| async move {
        story(&world).await;
        let pool = world.store.any_pool();
        let before = dump(pool).await;
        // The story filled every table.
        for (table, rows) in &before {
            assert!(!rows.is_empty(), "{table} is empty");
        }
        let total = u64::try_from(world.appended()).unwrap();
        for name in NAMES {
            assert_eq!(world.runner.rebuild(name).await.unwrap(), total, "{name}");
        }
        assert_eq!(dump(pool).await, before);
    }
);

on_both_backends!(
    the_read_models_as_of_a_cursor_are_replayed_into_a_scratch_store,
    |world: World| async move {
        let marks = story(&world).await;
        let (log, cast) = (world.store.log(), &world.cast);
        let all = events(&world).await;
        let before_mark = all
            .iter()
            .filter(|event| event.cursor() <= marks.after_suspension)
            .count();

        // As of a date: the last event recorded by the end of Mon 27 April (the recorded time
        // is the gateway's, from the metadata) is the mark.
        assert_eq!(
            log.cursor_as_of(tunis(2026, 4, 28, 0)).await.unwrap(),
            marks.after_suspension
        );

        let (scratch, _dir) = sqlite_store().await;
        for projection in projections() {
            let applied = replay_into(
                &log,
                &scratch,
                projection.as_ref(),
                Some(marks.after_suspension),
                7,
            )
            .await
            .unwrap();
            assert_eq!(applied, before_mark as u64);
        }
        let pool = scratch.any_pool();
        // C suspended, D regularised and still registered.
        let public = public_register(
            pool,
            cast.la,
            &PublicRegisterFilter::default(),
            Page::default(),
        )
        .await
        .unwrap();
        let standings: Vec<RegisterStanding> = public.items.iter().map(|o| o.standing).collect();
        assert_eq!(
            standings,
            [
                RegisterStanding::Active,
                RegisterStanding::Active,
                RegisterStanding::Suspended,
                RegisterStanding::Active
            ]
        );
        let bureau = bureau_register(
            pool,
            cast.la,
            &BureauRegisterFilter::default(),
            Page::default(),
        )
        .await
        .unwrap();
        let (c, d) = (&bureau.items[2], &bureau.items[3]);
        assert_eq!(c.status, OrganisationStatus::Suspended);
        assert_eq!(c.regularisation_due_on, Some(date(2026, 4, 10)));
        assert_eq!(d.status, OrganisationStatus::Active);
        assert_eq!(d.regularisation_due_on, None);
        assert_eq!(d.last_step_on, date(2026, 3, 23));
        let lookup = RegisterLookup::new(pool.clone());
        assert_eq!(
            lookup.standing(cast.la, cast.c).await.unwrap(),
            Standing::Suspended
        );
        assert_eq!(
            lookup.standing(cast.la, cast.d).await.unwrap(),
            Standing::Active
        );
        assert_eq!(
            lookup
                .live_entry_with_register_number(cast.la, "4455667D")
                .await
                .unwrap(),
            Some(cast.d)
        );
        let entries = opinions_register(pool, cast.la, &OpinionsFilter::default(), Page::default())
            .await
            .unwrap();
        let numbers: Vec<u32> = entries.items.iter().map(|e| e.number).collect();
        assert_eq!(numbers, [1, 2, 3, 4, 5, 6]);
        let sessions = council_sessions(pool, cast.la, &SessionFilter::default(), Page::default())
            .await
            .unwrap();
        let calendar: Vec<_> = sessions.items.iter().map(|s| (s.date, s.status)).collect();
        assert_eq!(
            calendar,
            [
                (date(2026, 3, 16), SessionStatus::SummaryTakenDown),
                (date(2026, 6, 15), SessionStatus::Scheduled)
            ]
        );

        // The live read models are untouched.
        let live = bureau_register(
            world.store.any_pool(),
            cast.la,
            &BureauRegisterFilter::default(),
            Page::default(),
        )
        .await
        .unwrap();
        assert_eq!(live.items[2].status, OrganisationStatus::StruckOff);

        // Replaying the whole log gives the live rows.
        let (whole, _dir) = sqlite_store().await;
        for projection in projections() {
            replay_into(&log, &whole, projection.as_ref(), None, 50)
                .await
                .unwrap();
        }
        assert_eq!(
            dump(whole.any_pool()).await,
            dump(world.store.any_pool()).await
        );
    }
);
