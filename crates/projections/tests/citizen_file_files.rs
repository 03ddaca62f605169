//! Citizen files as their authors and the agents' file page see them: an author's files
//! (written or followed after a merge), the lookup by tracking code, the timeline an author
//! may see, the detail with the referral chain and deadlines, no personal data in clear,
//! rebuild equality and a replay "as of" a date, against the scripted April 2026 history.
#![allow(clippy::unwrap_used)]

mod support_citizen;

use citizen_file::{
    Channel, ClosureReason, FileId, FileStatus, InadmissibilityReason, MoreTimeReason,
    ReferralStatus, Urgency,
};
use event_store::{Store, replay_into};
use kernel::ActorId;
use kernel::calendar::ExplanationStep;
use kernel::tracking::TrackingCode;
use projections::Page;
use projections::citizen_file::{
    AuthorFile, FilesProjection, ReferralOutcome, Relation, TimelineEntry, TimelineItem,
    file_by_tracking_code, file_detail, files_of_author, timeline,
};
use support_citizen::{April, april, caught_up_runner, utc};

async fn listing(store: &Store, author: ActorId) -> Vec<(FileId, Relation)> {
    files_of_author(store.any_pool(), author, Page::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|AuthorFile { file, relation }| (file.file, relation))
        .collect()
}

async fn entries(store: &Store, file: FileId) -> Vec<(i64, TimelineEntry)> {
    timeline(store.any_pool(), file)
        .await
        .unwrap()
        .into_iter()
        .map(|item| (item.sequence, item.entry))
        .collect()
}

on_both_backends!(
    authors_find_their_files_and_the_ones_they_follow,
    |store: Store| async move {
        let history = april(&store).await;
        caught_up_runner(&store, history.events).await;
        let w = &history.world;
        let f = |i| history.file(i);
        let pool = store.any_pool();

        // C1 wrote F0, F1 and F6, and follows F5 since F6 was merged into it; the most
        // recently received first.
        let c1 = w.c1.account.unwrap();
        assert_eq!(
            listing(&store, c1).await,
            [
                (f(6), Relation::Author),
                (f(1), Relation::Author),
                (f(5), Relation::Follower),
                (f(0), Relation::Author),
            ]
        );
        let page = files_of_author(
            pool,
            c1,
            Page {
                limit: 2,
                offset: 2,
            },
        )
        .await
        .unwrap();
        assert_eq!(page.total, 4);
        assert_eq!(page.items[0].file.file, f(5));
        assert_eq!(page.items[0].file.status, FileStatus::UnderStudy);
        let merged = &files_of_author(pool, c1, Page::default())
            .await
            .unwrap()
            .items[0]
            .file;
        assert_eq!(merged.status, FileStatus::Merged(f(5)));
        assert_eq!(merged.reply_due_at, None);

        // C2 wrote F3, F4, F9 online and F7 was registered with their account.
        let c2 = w.c2.account.unwrap();
        assert_eq!(
            listing(&store, c2).await,
            [
                (f(7), Relation::Author),
                (f(9), Relation::Author),
                (f(4), Relation::Author),
                (f(3), Relation::Author),
            ]
        );
        let c4 = w.c4.account.unwrap();
        assert_eq!(
            listing(&store, c4).await,
            [(f(8), Relation::Author), (f(5), Relation::Author)]
        );
        assert!(listing(&store, ActorId::new_v7()).await.is_empty());

        // C3 has no account: F2 is reached by its tracking code.
        let f2 = file_by_tracking_code(pool, &history.codes[2])
            .await
            .unwrap()
            .unwrap();
        assert_eq!(f2.file, f(2));
        assert_eq!(f2.channel, Channel::Email);
        assert_eq!(f2.handled_by, w.office_a);
        assert_eq!(f2.status, FileStatus::UnderStudy);
        assert_eq!(f2.received_at, utc(4, 14, 8, 0));
        // Thirty days with five days of pause (16 to 20 April).
        assert_eq!(f2.reply_due_at, Some(utc(5, 19, 23, 0)));
        assert_eq!(f2.answered_at, None);
        assert_eq!(f2.updated_at, utc(4, 20, 9, 30));
        let f3 = file_by_tracking_code(pool, &history.codes[3])
            .await
            .unwrap()
            .unwrap();
        assert_eq!(f3.urgency, Some(Urgency::High));
        assert_eq!(f3.answered_at, Some(utc(4, 17, 12, 0)));
        let unknown = TrackingCode::from_value(42);
        assert_eq!(file_by_tracking_code(pool, &unknown).await.unwrap(), None);
    }
);

on_both_backends!(
    the_timeline_shows_what_the_author_may_see,
    |store: Store| async move {
        let history = april(&store).await;
        caught_up_runner(&store, history.events).await;
        let w = &history.world;
        let f = |i| history.file(i);

        // F0: the return of R0, S1's reply and the drafts stay internal.
        let items = timeline(store.any_pool(), f(0)).await.unwrap();
        assert_eq!(
            items.iter().map(|i| (i.sequence, i.at)).collect::<Vec<_>>(),
            [
                (1, utc(3, 2, 9, 0)),
                (2, utc(3, 2, 10, 0)),
                (3, utc(3, 2, 11, 0)),
                (5, utc(3, 3, 10, 0)),
                (8, utc(4, 6, 14, 0)),
                (9, utc(4, 7, 9, 0)),
                (11, utc(4, 8, 15, 0)),
                (12, utc(4, 10, 9, 0)),
            ]
        );
        let entry = |sequence| {
            items
                .iter()
                .find(|i: &&TimelineItem| i.sequence == sequence)
                .unwrap()
                .entry
                .clone()
        };
        assert_eq!(
            entry(1),
            TimelineEntry::Received {
                channel: Channel::Online,
                reply_due_at: Some(utc(4, 1, 23, 0)),
                first_response_due_at: None,
            }
        );
        assert_eq!(entry(2), TimelineEntry::Admitted);
        assert_eq!(
            entry(3),
            TimelineEntry::Referred {
                structure: w.structure_2
            }
        );
        assert_eq!(
            entry(5),
            TimelineEntry::Referred {
                structure: w.structure_1
            }
        );
        let TimelineEntry::AnswerSigned {
            answer,
            organisation,
            signature,
            within_deadline,
            contest_due_at,
        } = entry(8)
        else {
            panic!("not an answer: {:?}", entry(8));
        };
        assert_eq!(w.open_text(&answer).await, "Réponse initiale");
        assert_eq!(organisation, w.office_a);
        assert_eq!(signature.algorithm, "fake");
        assert_eq!(signature.document_hash, "ab".repeat(32));
        // Signed on 6 April, the reply was due on 1 April.
        assert!(!within_deadline);
        assert_eq!(contest_due_at, Some(utc(5, 6, 23, 0)));
        let TimelineEntry::AnswerContested {
            grounds,
            reply_due_at,
        } = entry(9)
        else {
            panic!("not a contest");
        };
        assert_eq!(
            w.open_text(&grounds).await,
            "La réponse ne traite pas ma demande"
        );
        assert_eq!(reply_due_at, Some(utc(5, 7, 23, 0)));
        let TimelineEntry::AnswerSigned {
            answer,
            within_deadline,
            ..
        } = entry(11)
        else {
            panic!("not an answer");
        };
        assert_eq!(w.open_text(&answer).await, "Réponse après réexamen");
        assert!(within_deadline);
        let TimelineEntry::AnswerRated { stars, comment } = entry(12) else {
            panic!("not a rating");
        };
        assert_eq!(stars, 2);
        assert_eq!(
            w.open_text(&comment.unwrap()).await,
            "Commentaire de Amira Ben Salah"
        );

        // F2, by e-mail, without an account.
        let f2 = entries(&store, f(2)).await;
        assert_eq!(
            f2[0],
            (
                1,
                TimelineEntry::Received {
                    channel: Channel::Email,
                    reply_due_at: Some(utc(5, 14, 23, 0)),
                    first_response_due_at: Some(utc(4, 16, 8, 0)),
                }
            )
        );
        assert_eq!(
            f2[1],
            (
                2,
                TimelineEntry::MoreTimeNeeded {
                    reason: MoreTimeReason::DocumentsToConsult
                }
            )
        );
        assert_eq!(f2[2], (3, TimelineEntry::Admitted));
        let (
            4,
            TimelineEntry::InformationRequested {
                question,
                answer_due_at,
            },
        ) = &f2[3]
        else {
            panic!("not a request: {:?}", f2[3]);
        };
        assert_eq!(
            w.open_text(question).await,
            "Quelle est votre adresse exacte ?"
        );
        assert_eq!(*answer_due_at, Some(utc(5, 15, 23, 0)));
        let (
            5,
            TimelineEntry::InformationProvided {
                answer,
                attachments,
                reply_due_at,
            },
        ) = &f2[4]
        else {
            panic!("not the information: {:?}", f2[4]);
        };
        assert_eq!(
            w.open_text(answer).await,
            "Mon adresse est 5 rue de Marseille"
        );
        assert!(attachments.is_empty());
        assert_eq!(*reply_due_at, Some(utc(5, 19, 23, 0)));
        assert_eq!(f2.len(), 5);

        // F7: declared inadmissible with a note to its author. Its reply would have been due
        // on 27 May, Aid al-Adha (27 and 28 May 2026, estimated): rolled to Friday 29 May.
        let f7 = entries(&store, f(7)).await;
        assert_eq!(
            f7[0].1,
            TimelineEntry::Received {
                channel: Channel::Phone,
                reply_due_at: Some(utc(5, 29, 23, 0)),
                first_response_due_at: None,
            }
        );
        let (2, TimelineEntry::DeclaredInadmissible { reason, note }) = &f7[1] else {
            panic!("not inadmissible: {:?}", f7[1]);
        };
        assert_eq!(*reason, InadmissibilityReason::OutsideCompetence);
        assert_eq!(
            w.open_text(note.as_ref().unwrap()).await,
            "Adressez-vous à la municipalité"
        );

        // F6 merged into F5; F5's author is not told of someone else's duplicate.
        assert_eq!(
            entries(&store, f(6)).await[1],
            (2, TimelineEntry::Merged { into: f(5) })
        );
        assert_eq!(
            entries(&store, f(5))
                .await
                .into_iter()
                .map(|(sequence, _)| sequence)
                .collect::<Vec<_>>(),
            [1, 2]
        );
        // F4: two referrals shown (S2, then S1), the return in between is not.
        assert_eq!(
            entries(&store, f(4)).await[2..],
            [
                (
                    3,
                    TimelineEntry::Referred {
                        structure: w.structure_2
                    }
                ),
                (
                    5,
                    TimelineEntry::Referred {
                        structure: w.structure_1
                    }
                ),
            ]
        );
        // F3: the referral's extension, S2's report and the draft stay internal.
        assert_eq!(
            entries(&store, f(3))
                .await
                .into_iter()
                .map(|(sequence, _)| sequence)
                .collect::<Vec<_>>(),
            [1, 2, 3, 7, 8]
        );
    }
);

on_both_backends!(
    the_file_page_shows_the_referral_chain_and_the_deadlines,
    |store: Store| async move {
        let history = april(&store).await;
        caught_up_runner(&store, history.events).await;
        let w = &history.world;
        let f = |i| history.file(i);
        let pool = store.any_pool();

        let f0 = file_detail(pool, f(0)).await.unwrap().unwrap();
        assert_eq!(f0.status, FileStatus::Answered);
        assert_eq!(f0.tracking_code, history.codes[0]);
        assert_eq!(
            w.open(&f0.statement).await.body.as_str(),
            "Exposé confidentiel du dossier F0"
        );
        assert_eq!(w.open(&f0.author_details).await.name, "Amira Ben Salah");
        // The chain of custody: to S2 (returned), then to S1 (replied late).
        let [r0, r0b] = <[_; 2]>::try_from(f0.referrals.clone()).unwrap();
        assert_eq!(
            (r0.referral, r0.from, r0.to, r0.at, r0.status),
            (
                history.r0,
                w.office_a,
                w.structure_2,
                utc(3, 2, 11, 0),
                ReferralStatus::Returned
            )
        );
        assert_eq!(w.open_text(&r0.reason).await, "Note interne d'orientation");
        let Some(ReferralOutcome::Returned { reason, at, .. }) = &r0.outcome else {
            panic!("not returned");
        };
        assert_eq!(*at, utc(3, 3, 9, 0));
        assert_eq!(w.open_text(reason).await, "Hors de notre compétence");
        assert_eq!(
            (r0b.referral, r0b.to, r0b.status),
            (history.r0b, w.structure_1, ReferralStatus::Replied)
        );
        assert_eq!(r0b.deadline.computed.due_at(), Some(utc(4, 2, 23, 0)));
        let Some(ReferralOutcome::Replied {
            at,
            within_deadline,
            ..
        }) = &r0b.outcome
        else {
            panic!("not replied");
        };
        assert_eq!((*at, *within_deadline), (utc(4, 6, 9, 0), false));
        // Two answers, the second owed from the contest.
        assert_eq!(
            f0.answers
                .iter()
                .map(|a| (a.at, a.owed_since, a.within_deadline))
                .collect::<Vec<_>>(),
            [
                (utc(4, 6, 14, 0), utc(3, 2, 9, 0), false),
                (utc(4, 8, 15, 0), utc(4, 7, 9, 0), true),
            ]
        );
        assert_eq!(f0.contested_at, [utc(4, 7, 9, 0)]);
        assert_eq!(f0.ratings.len(), 1);
        assert_eq!(f0.reply_owed_since, utc(4, 7, 9, 0));
        assert_eq!(f0.reply_deadline.computed.due_at(), Some(utc(5, 7, 23, 0)));
        assert_eq!(f0.reply_due_at(), None);

        // F3: the referral's deadline with its extension, explained.
        let f3 = file_detail(pool, f(3)).await.unwrap().unwrap();
        let r3 = &f3.referrals[0];
        assert_eq!(r3.deadline.deadline.extensions.len(), 1);
        assert_eq!(r3.deadline.computed.due_at(), Some(utc(4, 17, 14, 0)));
        assert!(matches!(
            r3.deadline.computed.explanation.steps.last(),
            Some(ExplanationStep::Due { due_at, .. }) if *due_at == utc(4, 17, 14, 0)
        ));
        assert!(f3.coordinates.is_some());
        assert_eq!(f3.urgency(), Some(Urgency::High));

        // F2: the e-mail's first response was given the next day; the pause is explained.
        let f2 = file_detail(pool, f(2)).await.unwrap().unwrap();
        let first = f2.first_response.as_ref().unwrap();
        assert_eq!(first.due.due_at(), Some(utc(4, 16, 8, 0)));
        assert_eq!(first.given_at, Some(utc(4, 15, 9, 10)));
        let pauses = &f2.reply_deadline.deadline.pauses;
        assert_eq!(pauses.len(), 1);
        assert_eq!(
            (pauses[0].from, pauses[0].until),
            (utc(4, 15, 11, 0), Some(utc(4, 20, 9, 30)))
        );
        assert_eq!(f2.author.account, None);

        // F5 has a follower; F7 is closed as inadmissible.
        let f5 = file_detail(pool, f(5)).await.unwrap().unwrap();
        assert_eq!(f5.duplicates, [f(6)]);
        assert_eq!(f5.followers, [w.c1.author_ref()]);
        let f7 = file_detail(pool, f(7)).await.unwrap().unwrap();
        assert_eq!(f7.status, FileStatus::Closed(ClosureReason::Inadmissible));
        assert_eq!(f7.ended_at, Some(utc(4, 27, 10, 0)));
        assert_eq!(file_detail(pool, FileId::new_v7()).await.unwrap(), None);
    }
);

/// Every text stored by the citizen-file read models.
async fn stored_texts(store: &Store) -> String {
    let tables: [(&str, &[&str]); 6] = [
        ("cf_file_folds", &["fold"]),
        (
            "cf_files",
            &[
                "file_id",
                "tracking_code",
                "kind",
                "urgency",
                "channel",
                "handled_by",
                "author_account",
                "status",
            ],
        ),
        ("cf_file_followers", &["account"]),
        ("cf_timeline", &["entry"]),
        ("cf_inbox_folds", &["fold"]),
        (
            "cf_inbox",
            &[
                "duty",
                "referral_id",
                "tracking_code",
                "kind",
                "urgency",
                "state",
                "channel",
                "obligation",
            ],
        ),
    ];
    let mut all = String::new();
    for (table, columns) in tables {
        for column in columns {
            let values: Vec<Option<String>> =
                sqlx::query_scalar(&format!("SELECT {column} FROM {table}"))
                    .fetch_all(store.any_pool())
                    .await
                    .unwrap();
            assert!(!values.is_empty(), "{table} is empty");
            for value in values.into_iter().flatten() {
                all.push_str(&value);
                all.push('\n');
            }
        }
    }
    all
}

on_both_backends!(
    no_personal_data_is_stored_in_clear,
    |store: Store| async move {
        let history = april(&store).await;
        caught_up_runner(&store, history.events).await;
        let w = &history.world;
        let stored = stored_texts(&store).await;
        // The sealed values are there, as ciphertext...
        assert!(stored.contains("ciphertext"));
        // ... and nothing of what people wrote or who they are.
        for citizen in [&w.c1, &w.c2, &w.c3, &w.c4] {
            let d = &citizen.details;
            for personal in [
                &d.name,
                d.email.as_ref().unwrap(),
                d.phone.as_ref().unwrap(),
            ] {
                assert!(!stored.contains(personal.as_str()), "{personal} in clear");
            }
        }
        for written in [
            "08123456",
            "rue de la Liberté",
            "Exposé confidentiel",
            "Dossier F",
            "Quelle est votre adresse",
            "Mon adresse est",
            "Commentaire de",
            "Réponse initiale",
            "Réponse interne",
            "Note interne",
            "Hors de notre compétence",
            "La réponse ne traite pas",
            "Adressez-vous",
            "Avenue Habib Bourguiba",
        ] {
            assert!(!stored.contains(written), "`{written}` in clear");
        }
    }
);

/// Every answer of the file queries, for comparisons.
async fn snapshot(store: &Store, history: &April) -> String {
    let w = &history.world;
    let pool = store.any_pool();
    let mut all = String::new();
    for citizen in [&w.c1, &w.c2, &w.c4] {
        let page = files_of_author(pool, citizen.account.unwrap(), Page::default())
            .await
            .unwrap();
        all.push_str(&serde_json::to_string(&page).unwrap());
    }
    for (file, code) in history.files.iter().zip(&history.codes) {
        let summary = file_by_tracking_code(pool, code).await.unwrap();
        let detail = file_detail(pool, *file).await.unwrap();
        let items = timeline(pool, *file).await.unwrap();
        all.push_str(&serde_json::to_string(&(summary, detail, items)).unwrap());
    }
    all
}

on_both_backends!(
    rebuilding_the_files_gives_the_same_rows,
    |store: Store| async move {
        let history = april(&store).await;
        let runner = caught_up_runner(&store, history.events).await;
        let before = snapshot(&store, &history).await;
        assert_eq!(
            runner.rebuild("citizen_file.files").await.unwrap(),
            history.events as u64
        );
        assert_eq!(snapshot(&store, &history).await, before);
    }
);

on_both_backends!(
    a_file_as_of_a_date_is_replayed_into_a_scratch_store,
    |store: Store| async move {
        let history = april(&store).await;
        caught_up_runner(&store, history.events).await;
        let f = |i| history.file(i);
        // 7 April at noon: F0 was contested that morning and is studied again.
        let as_of = store.log().cursor_as_of(utc(4, 7, 12, 0)).await.unwrap();
        let (scratch, _dir) = support_citizen::sqlite_store().await;
        let applied = replay_into(&store.log(), &scratch, &FilesProjection, Some(as_of), 5)
            .await
            .unwrap();
        assert_eq!(applied, 11);
        let f0 = file_by_tracking_code(scratch.any_pool(), &history.codes[0])
            .await
            .unwrap()
            .unwrap();
        assert_eq!(f0.status, FileStatus::UnderStudy);
        assert_eq!(f0.reply_due_at, Some(utc(5, 7, 23, 0)));
        let then = entries(&scratch, f(0)).await;
        assert!(matches!(
            then.last(),
            Some((9, TimelineEntry::AnswerContested { .. }))
        ));
        // F1 did not exist yet; the live read model has it.
        assert_eq!(
            file_by_tracking_code(scratch.any_pool(), &history.codes[1])
                .await
                .unwrap(),
            None
        );
        assert!(
            file_by_tracking_code(store.any_pool(), &history.codes[1])
                .await
                .unwrap()
                .is_some()
        );
    }
);
