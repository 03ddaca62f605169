//! Inboxes of citizen files: who holds which file and what it owes first, the order (due
//! date, none last, then receipt), every filter, overdue at query time, the Central Bureau's
//! monitoring view, rebuild equality, and an inbox "as of" a date replayed into a scratch
//! store, all against the scripted April 2026 history (see `support_citizen::april`).
#![allow(clippy::unwrap_used)]

mod support_citizen;

use chrono::{DateTime, Utc};
use citizen_file::{Channel, FileId, FileKind, Urgency};
use event_store::{Store, replay_into};
use kernel::OrganisationId;
use projections::Page;
use projections::citizen_file::{
    Duty, FileState, InboxFilter, InboxProjection, InboxRow, inbox, monitoring,
};
use support_citizen::{April, april, caught_up_runner, utc};

/// The files of an inbox page, in order.
async fn files_in(
    store: &Store,
    organisation: OrganisationId,
    filter: &InboxFilter,
    now: DateTime<Utc>,
) -> Vec<FileId> {
    inbox(store.any_pool(), organisation, filter, now, Page::default())
        .await
        .unwrap()
        .items
        .iter()
        .map(|row| row.file)
        .collect()
}

/// Every organisation's inbox and the monitoring view, for comparisons.
async fn snapshot(store: &Store, history: &April, now: DateTime<Utc>) -> Vec<Vec<InboxRow>> {
    let w = &history.world;
    let mut all = Vec::new();
    for organisation in [
        w.office_a,
        w.office_b,
        w.bureau,
        w.structure_1,
        w.structure_2,
    ] {
        let page = inbox(
            store.any_pool(),
            organisation,
            &InboxFilter::default(),
            now,
            Page::default(),
        )
        .await
        .unwrap();
        all.push(page.items);
    }
    let everything = monitoring(
        store.any_pool(),
        &InboxFilter::default(),
        now,
        Page::default(),
    )
    .await
    .unwrap();
    all.push(everything.items);
    all
}

on_both_backends!(
    each_organisation_sees_what_it_owes_soonest_due_first,
    |store: Store| async move {
        let history = april(&store).await;
        caught_up_runner(&store, history.events).await;
        let w = &history.world;
        let f = |i| history.file(i);
        let pool = store.any_pool();
        let now = utc(5, 19, 12, 0);

        // Office A holds F8 (due 18 May 23:00, rolled from Saturday 16 May), F2 (the reply,
        // 19 May 23:00 after five days of pause; its e-mail first response was given) and
        // F9 (waiting for its author: no due date, last). F0 and F1 are answered, F7 closed.
        let page = inbox(
            pool,
            w.office_a,
            &InboxFilter::default(),
            now,
            Page::default(),
        )
        .await
        .unwrap();
        assert_eq!(page.total, 3);
        let [f8, f2, f9] = <[InboxRow; 3]>::try_from(page.items).unwrap();
        assert_eq!(
            f8,
            InboxRow {
                file: f(8),
                organisation: w.office_a,
                duty: Duty::Handling,
                tracking_code: history.codes[8].clone(),
                kind: FileKind::Petition,
                urgency: None,
                state: FileState::UnderStudy,
                channel: Channel::Mail,
                received_at: utc(4, 16, 9, 0),
                obligation: Some("file.reply".into()),
                due_at: Some(utc(5, 18, 23, 0)),
                overdue: true,
            }
        );
        assert_eq!(
            (f2.file, f2.due_at, f2.overdue, f2.state, f2.channel),
            (
                f(2),
                Some(utc(5, 19, 23, 0)),
                false,
                FileState::UnderStudy,
                Channel::Email
            )
        );
        assert_eq!(
            (f9.file, f9.due_at, f9.obligation, f9.overdue, f9.state),
            (f(9), None, None, false, FileState::AwaitingInformation)
        );

        // Office B: F5, overdue since 22 April; F6 was merged into it.
        let page = inbox(
            pool,
            w.office_b,
            &InboxFilter::default(),
            now,
            Page::default(),
        )
        .await
        .unwrap();
        assert_eq!(page.items.len(), 1);
        assert_eq!(
            (
                page.items[0].file,
                page.items[0].due_at,
                page.items[0].overdue
            ),
            (f(5), Some(utc(4, 22, 23, 0)), true)
        );

        // The Central Bureau owes the reply on F4 (with S1); F3 is answered.
        let bureau = inbox(
            pool,
            w.bureau,
            &InboxFilter::default(),
            now,
            Page::default(),
        )
        .await
        .unwrap()
        .items;
        assert_eq!(bureau.len(), 1);
        assert_eq!(
            (
                bureau[0].file,
                bureau[0].state,
                bureau[0].kind,
                bureau[0].due_at
            ),
            (
                f(4),
                FileState::Referred,
                FileKind::Suggestion,
                Some(utc(5, 15, 23, 0))
            )
        );

        // S1 owes its reply on R4b; R0b and R1 are replied. S2 replied or returned all.
        let s1 = inbox(
            pool,
            w.structure_1,
            &InboxFilter::default(),
            now,
            Page::default(),
        )
        .await
        .unwrap()
        .items;
        assert_eq!(s1.len(), 1);
        assert_eq!(
            (
                s1[0].file,
                s1[0].duty,
                s1[0].obligation.as_deref(),
                s1[0].due_at
            ),
            (
                f(4),
                Duty::Referral {
                    referral: history.r4b
                },
                Some("referral.reply"),
                Some(utc(5, 15, 23, 0))
            )
        );
        assert!(
            files_in(&store, w.structure_2, &InboxFilter::default(), now)
                .await
                .is_empty()
        );
    }
);

on_both_backends!(inbox_filters_combine_and_page, |store: Store| async move {
    let history = april(&store).await;
    caught_up_runner(&store, history.events).await;
    let w = &history.world;
    let f = |i| history.file(i);
    let now = utc(5, 19, 12, 0);
    let office = w.office_a;

    let by_kind = InboxFilter {
        kind: Some(FileKind::GuidanceRequest),
        ..InboxFilter::default()
    };
    assert_eq!(files_in(&store, office, &by_kind, now).await, [f(2), f(9)]);
    let by_state = InboxFilter {
        state: Some(FileState::UnderStudy),
        ..InboxFilter::default()
    };
    assert_eq!(files_in(&store, office, &by_state, now).await, [f(8), f(2)]);
    let by_channel = InboxFilter {
        channel: Some(Channel::Mail),
        ..InboxFilter::default()
    };
    assert_eq!(files_in(&store, office, &by_channel, now).await, [f(8)]);
    // Strictly before: F2 falls due at 19 May 23:00, F9 has no due date.
    let due_before = InboxFilter {
        due_before: Some(utc(5, 19, 23, 0)),
        ..InboxFilter::default()
    };
    assert_eq!(files_in(&store, office, &due_before, now).await, [f(8)]);
    let overdue = InboxFilter {
        overdue_only: true,
        ..InboxFilter::default()
    };
    assert_eq!(files_in(&store, office, &overdue, now).await, [f(8)]);
    // Overdue is decided at query time: the expiry instant itself is overdue.
    assert_eq!(
        files_in(&store, office, &overdue, utc(5, 19, 23, 0)).await,
        [f(8), f(2)]
    );
    assert!(
        files_in(&store, office, &overdue, utc(5, 18, 22, 59))
            .await
            .is_empty()
    );
    let combined = InboxFilter {
        kind: Some(FileKind::GuidanceRequest),
        state: Some(FileState::UnderStudy),
        channel: Some(Channel::Email),
        ..InboxFilter::default()
    };
    assert_eq!(files_in(&store, office, &combined, now).await, [f(2)]);
    let none = InboxFilter {
        kind: Some(FileKind::Notification),
        ..InboxFilter::default()
    };
    assert!(files_in(&store, office, &none, now).await.is_empty());

    // Pages: the total counts every match.
    let page = inbox(
        store.any_pool(),
        office,
        &InboxFilter::default(),
        now,
        Page {
            limit: 2,
            offset: 1,
        },
    )
    .await
    .unwrap();
    assert_eq!(page.total, 3);
    assert_eq!(
        page.items.iter().map(|r| r.file).collect::<Vec<_>>(),
        [f(2), f(9)]
    );
});

on_both_backends!(
    the_central_bureau_monitors_every_overdue_obligation,
    |store: Store| async move {
        let history = april(&store).await;
        caught_up_runner(&store, history.events).await;
        let w = &history.world;
        let f = |i| history.file(i);
        let overdue = InboxFilter {
            overdue_only: true,
            ..InboxFilter::default()
        };
        // On 16 May: F5 at office B (since 22 April), then F4 at the Central Bureau and at S1
        // (both since 15 May 23:00, same file: by organisation).
        let page = monitoring(
            store.any_pool(),
            &overdue,
            utc(5, 16, 0, 0),
            Page::default(),
        )
        .await
        .unwrap();
        let mut f4 = [w.bureau, w.structure_1];
        f4.sort_by_key(ToString::to_string);
        let expected = vec![(f(5), w.office_b), (f(4), f4[0]), (f(4), f4[1])];
        assert_eq!(
            page.items
                .iter()
                .map(|r| (r.file, r.organisation))
                .collect::<Vec<_>>(),
            expected
        );
        assert_eq!(page.total, 3);
        // A notification would show its urgency; none of those is one.
        assert!(page.items.iter().all(|r| r.urgency.is_none()));
    }
);

on_both_backends!(
    rebuilding_the_inbox_gives_the_same_rows,
    |store: Store| async move {
        let history = april(&store).await;
        let runner = caught_up_runner(&store, history.events).await;
        let now = utc(5, 19, 12, 0);
        let before = snapshot(&store, &history, now).await;
        assert_eq!(before.iter().map(Vec::len).sum::<usize>(), 6 + 6);
        assert_eq!(
            runner.rebuild("citizen_file.inbox").await.unwrap(),
            history.events as u64
        );
        assert_eq!(snapshot(&store, &history, now).await, before);
    }
);

on_both_backends!(
    an_inbox_as_of_a_date_is_replayed_into_a_scratch_store,
    |store: Store| async move {
        let history = april(&store).await;
        caught_up_runner(&store, history.events).await;
        let w = &history.world;
        let f = |i| history.file(i);
        // 15 April, 20:00: the 31 first events (the last one refers F4 to S1).
        let as_of = store.log().cursor_as_of(utc(4, 15, 20, 0)).await.unwrap();
        let (scratch, _dir) = support_citizen::sqlite_store().await;
        let applied = replay_into(&store.log(), &scratch, &InboxProjection, Some(as_of), 7)
            .await
            .unwrap();
        assert_eq!(applied, 31);
        let now = utc(4, 15, 20, 0);
        let all = InboxFilter::default();
        // F1 waits for S1 (reply due 14 May), F2 for its author; F8 and F9 do not exist yet.
        assert_eq!(
            files_in(&scratch, w.office_a, &all, now).await,
            [f(1), f(2)]
        );
        // F3's 72 hours run out on 16 April 13:00, F4's 30 days on 15 May.
        assert_eq!(files_in(&scratch, w.bureau, &all, now).await, [f(3), f(4)]);
        assert_eq!(
            files_in(&scratch, w.structure_1, &all, now).await,
            [f(1), f(4)]
        );
        let s2 = inbox(
            scratch.any_pool(),
            w.structure_2,
            &all,
            now,
            Page::default(),
        )
        .await
        .unwrap()
        .items;
        assert_eq!(
            s2.iter()
                .map(|r| (r.file, r.due_at, r.urgency))
                .collect::<Vec<_>>(),
            // R3's 72 hours, extended by 24.
            [(f(3), Some(utc(4, 17, 14, 0)), Some(Urgency::High))]
        );
        assert_eq!(files_in(&scratch, w.office_b, &all, now).await, [f(5)]);
        // The live read model is untouched: S2 owes nothing any more.
        assert!(files_in(&store, w.structure_2, &all, now).await.is_empty());
    }
);
