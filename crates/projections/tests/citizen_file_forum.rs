//! The forum's public pages (decree 2019-1242 art. 11): topics by status, messages in order
//! with hidden ones shown as hidden (reason kept, text not shown), the moderators' queue of
//! reported messages, sealed message texts, and rebuild equality.
#![allow(clippy::unwrap_used)]

mod support_citizen;

use citizen_file::{AbuseReason, ForumCommand, PostId, TopicId, TopicStatus};
use event_store::Store;
use kernel::{OrganisationId, Role};
use projections::Page;
use projections::citizen_file::{
    PostContent, forum_posts, forum_topic, forum_topics, moderation_queue,
};
use support_citizen::{Script, World, caught_up_runner, utc};

/// Two topics and three messages: P1 by C1; P2 by C2, reported by C1 and hidden; P3, C2's
/// reply to P1; C2 reports P1. T1 closes early and gets its synthesis.
struct Forum {
    world: World,
    t1: TopicId,
    t2: TopicId,
    p1: PostId,
    p2: PostId,
    p3: PostId,
    events: usize,
}

async fn forum(store: &Store) -> Forum {
    let world = World::new();
    let mut script = Script::new(store, &world);
    let w = &world;
    let admin = w.agent(Role::CentralBureauAgent, w.bureau);
    let [t1, t2] = [TopicId::new_v7(), TopicId::new_v7()];
    let [p1, p2, p3] = [PostId::new_v7(), PostId::new_v7(), PostId::new_v7()];
    let open = |topic, title: &str, closes_at| ForumCommand::OpenTopic {
        actor: admin,
        topic,
        title: title.into(),
        question: "Quelles démarches faut-il simplifier ?".into(),
        closes_at,
    };
    script
        .topic(
            utc(4, 1, 9, 0),
            t1,
            open(t1, "Simplification des procédures", utc(4, 30, 23, 0)),
        )
        .await;
    let post = |author: &support_citizen::Citizen, post, in_reply_to, text: &str| match in_reply_to
    {
        None => ForumCommand::PostMessage {
            actor: author.actor(),
            post,
            subject: author.subject,
            text: text.into(),
        },
        Some(in_reply_to) => ForumCommand::ReplyToPost {
            actor: author.actor(),
            post,
            in_reply_to,
            subject: author.subject,
            text: text.into(),
        },
    };
    let p1_text = "Une idée confidentielle d'Amira";
    script
        .topic(utc(4, 2, 10, 0), t1, post(&w.c1, p1, None, p1_text))
        .await;
    script
        .topic(
            utc(4, 2, 11, 0),
            t1,
            post(&w.c2, p2, None, "Un message injurieux"),
        )
        .await;
    script
        .topic(
            utc(4, 2, 12, 0),
            t1,
            post(&w.c2, p3, Some(p1), "Je suis d'accord"),
        )
        .await;
    let report = |author: &support_citizen::Citizen, post, reason| ForumCommand::ReportAbuse {
        actor: author.actor(),
        post,
        reason,
    };
    script
        .topic(utc(4, 2, 13, 0), t1, report(&w.c1, p2, AbuseReason::Insult))
        .await;
    script
        .topic(
            utc(4, 2, 13, 30),
            t1,
            report(&w.c2, p1, AbuseReason::OffTopic),
        )
        .await;
    let hide = ForumCommand::HidePost {
        actor: w.agent(Role::ForumModerator, w.bureau),
        post: p2,
        reason: AbuseReason::Insult,
        explanation: "Propos injurieux".into(),
    };
    script.topic(utc(4, 2, 14, 0), t1, hide).await;
    script
        .topic(
            utc(4, 3, 9, 0),
            t2,
            open(t2, "Accueil dans les services", utc(5, 3, 9, 0)),
        )
        .await;
    script
        .topic(
            utc(4, 5, 9, 0),
            t1,
            ForumCommand::CloseTopic { actor: admin },
        )
        .await;
    let synthesis = ForumCommand::PublishSynthesis {
        actor: admin,
        synthesis: "Synthèse publique des échanges".into(),
    };
    script.topic(utc(4, 6, 9, 0), t1, synthesis).await;
    let events = script.events;
    drop(script);
    Forum {
        world,
        t1,
        t2,
        p1,
        p2,
        p3,
        events,
    }
}

on_both_backends!(
    the_forum_lists_topics_and_messages_hiding_what_was_hidden,
    |store: Store| async move {
        let forum = forum(&store).await;
        caught_up_runner(&store, forum.events).await;
        let w = &forum.world;
        let pool = store.any_pool();

        // The most recently opened first; by status.
        let all = forum_topics(pool, None, Page::default()).await.unwrap();
        assert_eq!(all.total, 2);
        assert_eq!(
            all.items.iter().map(|t| t.topic).collect::<Vec<_>>(),
            [forum.t2, forum.t1]
        );
        let open = forum_topics(pool, Some(TopicStatus::Open), Page::default())
            .await
            .unwrap();
        assert_eq!(open.items.len(), 1);
        assert_eq!(open.items[0].topic, forum.t2);
        let t1 = forum_topic(pool, forum.t1).await.unwrap().unwrap();
        assert_eq!(t1.status, TopicStatus::SynthesisPublished);
        assert_eq!(t1.organisation, w.bureau);
        assert_eq!(t1.title, "Simplification des procédures");
        assert_eq!(t1.question, "Quelles démarches faut-il simplifier ?");
        assert_eq!(
            (t1.opened_at, t1.closes_at, t1.closed_at),
            (utc(4, 1, 9, 0), utc(4, 30, 23, 0), Some(utc(4, 5, 9, 0)))
        );
        assert_eq!(
            t1.synthesis.as_deref(),
            Some("Synthèse publique des échanges")
        );
        assert_eq!(t1.synthesis_at, Some(utc(4, 6, 9, 0)));
        assert_eq!((t1.posts, t1.hidden_posts), (3, 1));
        assert_eq!(forum_topic(pool, TopicId::new_v7()).await.unwrap(), None);

        // Messages in the order posted; P2 shows why it was hidden, not what it said.
        let posts = forum_posts(pool, forum.t1, Page::default()).await.unwrap();
        assert_eq!(posts.total, 3);
        let [p1, p2, p3] = <[_; 3]>::try_from(posts.items).unwrap();
        assert_eq!(
            (p1.post, p1.author, p1.posted_at, p1.in_reply_to, p1.reports),
            (forum.p1, w.c1.account.unwrap(), utc(4, 2, 10, 0), None, 1)
        );
        let PostContent::Visible { text } = &p1.content else {
            panic!("P1 is visible");
        };
        assert_eq!(w.open_text(text).await, "Une idée confidentielle d'Amira");
        assert_eq!(p2.post, forum.p2);
        assert_eq!(
            p2.content,
            PostContent::Hidden {
                reason: AbuseReason::Insult,
                explanation: "Propos injurieux".into(),
                at: utc(4, 2, 14, 0),
            }
        );
        assert_eq!((p3.post, p3.in_reply_to), (forum.p3, Some(forum.p1)));
        assert!(
            forum_posts(pool, forum.t2, Page::default())
                .await
                .unwrap()
                .items
                .is_empty()
        );

        // The moderators' queue: reported and still visible.
        let queue = moderation_queue(pool, None, Page::default()).await.unwrap();
        assert_eq!(queue.total, 1);
        assert_eq!(queue.items[0].post, forum.p1);
        // A moderator of another organisation sees none of it.
        let elsewhere = moderation_queue(pool, Some(OrganisationId::new_v7()), Page::default())
            .await
            .unwrap();
        assert_eq!(elsewhere.total, 0);

        // Message texts are stored sealed only.
        let bodies: Vec<String> = sqlx::query_scalar("SELECT body FROM cf_forum_posts")
            .fetch_all(pool)
            .await
            .unwrap();
        assert_eq!(bodies.len(), 3);
        assert!(bodies.iter().all(|b| b.contains("ciphertext")));
        assert!(
            bodies
                .iter()
                .all(|b| !b.contains("confidentielle") && !b.contains("injurieux"))
        );
    }
);

/// Every forum query's answer, for comparisons.
async fn snapshot(store: &Store, forum: &Forum) -> String {
    let pool = store.any_pool();
    let topics = forum_topics(pool, None, Page::default()).await.unwrap();
    let posts = forum_posts(pool, forum.t1, Page::default()).await.unwrap();
    let queue = moderation_queue(pool, None, Page::default()).await.unwrap();
    serde_json::to_string(&(topics, posts, queue)).unwrap()
}

on_both_backends!(
    rebuilding_the_forum_gives_the_same_rows,
    |store: Store| async move {
        let forum = forum(&store).await;
        let runner = caught_up_runner(&store, forum.events).await;
        let before = snapshot(&store, &forum).await;
        assert_eq!(
            runner.rebuild("citizen_file.forum").await.unwrap(),
            forum.events as u64
        );
        assert_eq!(snapshot(&store, &forum).await, before);
    }
);
