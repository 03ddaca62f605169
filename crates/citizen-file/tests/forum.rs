//! The forum (decree 2019-1242 art. 11): the administration opens a topic with a question and
//! a closing date, registered users post and reply, moderators hide messages with a reason
//! kept in the history, users report abuse, and the administration closes the topic and
//! publishes a synthesis.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::{DateTime, Duration, Utc};
use citizen_file::{
    AbuseReason, ForumCommand, ForumError, ForumEvent, ForumTopic, InvalidText, PostId, TopicId,
    TopicStatus,
};
use common::World;
use cqrs_es::Aggregate;
use cqrs_es::event_sink::EventSink;
use kernel::personal_data::SubjectId;
use kernel::{Actor, ActorId, Role, Text, TextError, TextLimits};

fn text(s: &str) -> Text {
    Text::new(s, TextLimits::body(100_000)).unwrap()
}

/// A topic, its people and its messages.
#[derive(Debug)]
struct Forum {
    world: World,
    topic: TopicId,
    admin: Actor,
    moderator: Actor,
    user: Actor,
    user_subject: SubjectId,
    other_user: Actor,
    post: PostId,
}

impl Forum {
    fn new() -> Self {
        let world = World::new();
        Self {
            admin: world.bureau_agent(),
            moderator: world.agent_of(Role::ForumModerator, world.bureau),
            topic: TopicId::new_v7(),
            user: Actor::citizen(ActorId::new_v7()),
            user_subject: SubjectId::new_v7(),
            other_user: Actor::citizen(ActorId::new_v7()),
            post: PostId::new_v7(),
            world,
        }
    }

    fn closes_at(&self) -> DateTime<Utc> {
        self.world.now() + Duration::days(30)
    }

    fn open(&self) -> ForumCommand {
        ForumCommand::OpenTopic {
            actor: self.admin,
            topic: self.topic,
            title: "Simplification des procédures".into(),
            question: "Quelles procédures simplifier en priorité ?".into(),
            closes_at: self.closes_at(),
        }
    }

    fn post(&self, post: PostId) -> ForumCommand {
        ForumCommand::PostMessage {
            actor: self.user,
            post,
            subject: self.user_subject,
            text: "L'extrait de naissance en ligne.".into(),
        }
    }

    fn hide(&self, post: PostId) -> ForumCommand {
        ForumCommand::HidePost {
            actor: self.moderator,
            post,
            reason: AbuseReason::PersonalData,
            explanation: "Le message divulguait des données personnelles.".into(),
        }
    }

    async fn run(&self, commands: impl IntoIterator<Item = ForumCommand>) -> Vec<ForumEvent> {
        let services = self.world.forum_services();
        let mut topic = ForumTopic::default();
        let mut events = Vec::new();
        for command in commands {
            let sink = EventSink::default();
            topic.handle(command, &services, &sink).await.unwrap();
            events.extend(sink.collect().await);
        }
        events
    }

    /// An open topic with one message.
    async fn with_post(&self) -> Vec<ForumEvent> {
        self.run([self.open(), self.post(self.post)]).await
    }
}

// decree 2019-1242 art. 11: the administration opens the dialogue
#[tokio::test]
async fn the_administration_opens_a_topic_with_a_question_and_a_closing_date() {
    let f = Forum::new();
    f.world
        .forum()
        .given_no_previous_events()
        .when_async(f.open())
        .await
        .then_expect_events(vec![ForumEvent::TopicOpened {
            topic: f.topic,
            title: text("Simplification des procédures"),
            question: text("Quelles procédures simplifier en priorité ?"),
            closes_at: f.closes_at(),
            by: f.admin.id,
            organisation: f.world.bureau,
            at: f.world.now(),
        }]);
}

#[tokio::test]
async fn only_the_administration_opens_a_topic() {
    let f = Forum::new();
    for actor in [f.user, f.moderator, f.world.office_agent()] {
        f.world
            .forum()
            .given_no_previous_events()
            .when_async(ForumCommand::OpenTopic {
                actor,
                topic: f.topic,
                title: "Titre".into(),
                question: "Question ?".into(),
                closes_at: f.closes_at(),
            })
            .await
            .then_expect_error(ForumError::NotTheAdministration);
    }
}

#[tokio::test]
async fn a_topic_closes_in_the_future_but_not_too_far() {
    let f = Forum::new();
    let open_until = |closes_at| ForumCommand::OpenTopic {
        actor: f.admin,
        topic: f.topic,
        title: "Titre".into(),
        question: "Question ?".into(),
        closes_at,
    };
    f.world
        .forum()
        .given_no_previous_events()
        .when_async(open_until(f.world.now()))
        .await
        .then_expect_error(ForumError::ClosingDateNotInFuture);
    f.world
        .forum()
        .given_no_previous_events()
        .when_async(open_until(f.world.now() + Duration::days(366)))
        .await
        .then_expect_error(ForumError::ClosingDateTooFar { max_days: 365 });
}

#[tokio::test]
async fn a_topic_needs_a_one_line_title_and_is_opened_once() {
    let f = Forum::new();
    f.world
        .forum()
        .given_no_previous_events()
        .when_async(ForumCommand::OpenTopic {
            actor: f.admin,
            topic: f.topic,
            title: "Titre\nsur deux lignes".into(),
            question: "Question ?".into(),
            closes_at: f.closes_at(),
        })
        .await
        .then_expect_error(ForumError::InvalidText(InvalidText {
            field: "title",
            error: TextError::LineBreak { position: 6 },
        }));
    let history = f.run([f.open()]).await;
    f.world
        .forum()
        .given(history)
        .when_async(f.open())
        .await
        .then_expect_error(ForumError::AlreadyOpened);
}

#[tokio::test]
async fn nothing_happens_in_a_topic_never_opened() {
    let f = Forum::new();
    f.world
        .forum()
        .given_no_previous_events()
        .when_async(f.post(f.post))
        .await
        .then_expect_error(ForumError::NoSuchTopic);
}

// decree 2019-1242 art. 11: dialogue among registered users
#[tokio::test]
async fn a_registered_user_posts_a_message_sealed_under_their_key() {
    let f = Forum::new();
    let history = f.run([f.open()]).await;
    let sealed = f
        .world
        .cipher
        .seal(f.user_subject, &text("L'extrait de naissance en ligne."))
        .await
        .unwrap();
    f.world
        .forum()
        .given(history)
        .when_async(f.post(f.post))
        .await
        .then_expect_events(vec![ForumEvent::MessagePosted {
            post: f.post,
            in_reply_to: None,
            author: f.user.id,
            text: sealed,
            at: f.world.now(),
        }]);
}

#[tokio::test]
async fn a_registered_user_replies_to_a_message() {
    let f = Forum::new();
    let history = f.with_post().await;
    let reply = PostId::new_v7();
    let events = f
        .world
        .forum()
        .given(history)
        .when_async(ForumCommand::ReplyToPost {
            actor: f.other_user,
            post: reply,
            in_reply_to: f.post,
            subject: SubjectId::new_v7(),
            text: "D'accord, et la carte grise.".into(),
        })
        .await
        .inspect_result()
        .unwrap();
    assert!(matches!(
        events.as_slice(),
        [ForumEvent::MessagePosted { post, in_reply_to: Some(parent), author, .. }]
            if *post == reply && *parent == f.post && *author == f.other_user.id
    ));
}

#[tokio::test]
async fn agents_and_workers_do_not_post() {
    let f = Forum::new();
    let history = f.run([f.open()]).await;
    for actor in [f.admin, f.moderator, f.world.worker()] {
        f.world
            .forum()
            .given(history.clone())
            .when_async(ForumCommand::PostMessage {
                actor,
                post: f.post,
                subject: SubjectId::new_v7(),
                text: "Bonjour".into(),
            })
            .await
            .then_expect_error(ForumError::NotARegisteredUser);
    }
}

#[tokio::test]
async fn a_message_is_not_empty_nor_over_long() {
    let f = Forum::new();
    let history = f.run([f.open()]).await;
    for (raw, error) in [
        (String::new(), TextError::Empty),
        (
            "m".repeat(5_001),
            TextError::TooLong {
                max: 5_000,
                actual: 5_001,
            },
        ),
    ] {
        f.world
            .forum()
            .given(history.clone())
            .when_async(ForumCommand::PostMessage {
                actor: f.user,
                post: f.post,
                subject: f.user_subject,
                text: raw,
            })
            .await
            .then_expect_error(ForumError::InvalidText(InvalidText {
                field: "text",
                error,
            }));
    }
}

#[tokio::test]
async fn a_message_identifier_is_used_once_and_replies_go_to_visible_messages() {
    let f = Forum::new();
    let history = f.with_post().await;
    f.world
        .forum()
        .given(history.clone())
        .when_async(f.post(f.post))
        .await
        .then_expect_error(ForumError::PostAlreadyExists { post: f.post });
    let missing = PostId::new_v7();
    let reply_to = |parent| ForumCommand::ReplyToPost {
        actor: f.user,
        post: PostId::new_v7(),
        in_reply_to: parent,
        subject: f.user_subject,
        text: "Réponse".into(),
    };
    f.world
        .forum()
        .given(history.clone())
        .when_async(reply_to(missing))
        .await
        .then_expect_error(ForumError::NoSuchPost { post: missing });
    let hidden = f.run([f.open(), f.post(f.post), f.hide(f.post)]).await;
    f.world
        .forum()
        .given(hidden)
        .when_async(reply_to(f.post))
        .await
        .then_expect_error(ForumError::PostHidden { post: f.post });
}

#[tokio::test]
async fn posting_stops_at_the_closing_date() {
    let f = Forum::new();
    let history = f.run([f.open()]).await;
    let closes_at = f.closes_at();
    f.world.clock.set(closes_at);
    f.world
        .forum()
        .given(history)
        .when_async(f.post(f.post))
        .await
        .then_expect_error(ForumError::PostingClosed { closes_at });
}

// decree 2019-1242 art. 11: the dialogue is held under the administration's supervision
#[tokio::test]
async fn a_moderator_hides_a_message_with_a_reason_kept_in_the_history() {
    let f = Forum::new();
    let history = f.with_post().await;
    f.world
        .forum()
        .given(history)
        .when_async(f.hide(f.post))
        .await
        .then_expect_events(vec![ForumEvent::PostHidden {
            post: f.post,
            reason: AbuseReason::PersonalData,
            explanation: text("Le message divulguait des données personnelles."),
            by: f.moderator.id,
            organisation: f.world.bureau,
            at: f.world.now(),
        }]);
}

#[tokio::test]
async fn only_a_moderator_of_the_topics_organisation_hides() {
    let f = Forum::new();
    let history = f.with_post().await;
    for actor in [
        f.world.agent_of(Role::ForumModerator, f.world.office),
        f.admin,
        f.other_user,
    ] {
        f.world
            .forum()
            .given(history.clone())
            .when_async(ForumCommand::HidePost {
                actor,
                post: f.post,
                reason: AbuseReason::Spam,
                explanation: "Publicité".into(),
            })
            .await
            .then_expect_error(ForumError::NotAModerator);
    }
}

#[tokio::test]
async fn a_message_is_hidden_once_and_the_explanation_is_required() {
    let f = Forum::new();
    let hidden = f.run([f.open(), f.post(f.post), f.hide(f.post)]).await;
    f.world
        .forum()
        .given(hidden)
        .when_async(f.hide(f.post))
        .await
        .then_expect_error(ForumError::PostHidden { post: f.post });
    let history = f.with_post().await;
    f.world
        .forum()
        .given(history.clone())
        .when_async(ForumCommand::HidePost {
            actor: f.moderator,
            post: f.post,
            reason: AbuseReason::Insult,
            explanation: "  ".into(),
        })
        .await
        .then_expect_error(ForumError::InvalidText(InvalidText {
            field: "explanation",
            error: TextError::Empty,
        }));
    let missing = PostId::new_v7();
    f.world
        .forum()
        .given(history)
        .when_async(f.hide(missing))
        .await
        .then_expect_error(ForumError::NoSuchPost { post: missing });
}

#[tokio::test]
async fn moderation_continues_after_the_topic_is_closed() {
    let f = Forum::new();
    let closed = f
        .run([
            f.open(),
            f.post(f.post),
            ForumCommand::CloseTopic { actor: f.admin },
        ])
        .await;
    assert!(
        f.world
            .forum()
            .given(closed)
            .when_async(f.hide(f.post))
            .await
            .inspect_result()
            .is_ok()
    );
}

#[tokio::test]
async fn a_user_reports_abuse_once_per_message() {
    let f = Forum::new();
    let history = f.with_post().await;
    let report = ForumCommand::ReportAbuse {
        actor: f.other_user,
        post: f.post,
        reason: AbuseReason::OffTopic,
    };
    f.world
        .forum()
        .given(history.clone())
        .when_async(report.clone())
        .await
        .then_expect_events(vec![ForumEvent::AbuseReported {
            post: f.post,
            reason: AbuseReason::OffTopic,
            by: f.other_user.id,
            at: f.world.now(),
        }]);
    let reported = f.run([f.open(), f.post(f.post), report.clone()]).await;
    f.world
        .forum()
        .given(reported)
        .when_async(report)
        .await
        .then_expect_error(ForumError::AlreadyReported);
}

#[tokio::test]
async fn reports_come_from_other_registered_users_about_visible_messages() {
    let f = Forum::new();
    let history = f.with_post().await;
    let report_by = |actor| ForumCommand::ReportAbuse {
        actor,
        post: f.post,
        reason: AbuseReason::Unlawful,
    };
    f.world
        .forum()
        .given(history.clone())
        .when_async(report_by(f.user))
        .await
        .then_expect_error(ForumError::CannotReportOwnPost);
    f.world
        .forum()
        .given(history)
        .when_async(report_by(f.world.office_agent()))
        .await
        .then_expect_error(ForumError::NotARegisteredUser);
    let hidden = f.run([f.open(), f.post(f.post), f.hide(f.post)]).await;
    f.world
        .forum()
        .given(hidden)
        .when_async(report_by(f.other_user))
        .await
        .then_expect_error(ForumError::PostHidden { post: f.post });
}

#[tokio::test]
async fn the_administration_closes_the_topic_once() {
    let f = Forum::new();
    let history = f.with_post().await;
    f.world
        .forum()
        .given(history.clone())
        .when_async(ForumCommand::CloseTopic { actor: f.admin })
        .await
        .then_expect_events(vec![ForumEvent::TopicClosed {
            by: f.admin.id,
            organisation: f.world.bureau,
            at: f.world.now(),
        }]);
    f.world
        .forum()
        .given(history.clone())
        .when_async(ForumCommand::CloseTopic {
            actor: f.world.agent_of(Role::CentralBureauAgent, f.world.office),
        })
        .await
        .then_expect_error(ForumError::NotTheAdministration);
    let closed = f
        .run([f.open(), ForumCommand::CloseTopic { actor: f.admin }])
        .await;
    f.world
        .forum()
        .given(closed.clone())
        .when_async(ForumCommand::CloseTopic { actor: f.admin })
        .await
        .then_expect_error(ForumError::WrongState {
            status: TopicStatus::Closed,
        });
    f.world
        .forum()
        .given(closed)
        .when_async(f.post(f.post))
        .await
        .then_expect_error(ForumError::WrongState {
            status: TopicStatus::Closed,
        });
}

#[tokio::test]
async fn the_administration_publishes_a_public_synthesis_after_closing() {
    let f = Forum::new();
    let closed = f
        .run([
            f.open(),
            f.post(f.post),
            ForumCommand::CloseTopic { actor: f.admin },
        ])
        .await;
    let synthesis = "Les participants demandent d'abord l'état civil en ligne.";
    f.world
        .forum()
        .given(closed.clone())
        .when_async(ForumCommand::PublishSynthesis {
            actor: f.admin,
            synthesis: synthesis.into(),
        })
        .await
        .then_expect_events(vec![ForumEvent::SynthesisPublished {
            synthesis: text(synthesis),
            by: f.admin.id,
            organisation: f.world.bureau,
            at: f.world.now(),
        }]);
    f.world
        .forum()
        .given(closed.clone())
        .when_async(ForumCommand::PublishSynthesis {
            actor: f.moderator,
            synthesis: synthesis.into(),
        })
        .await
        .then_expect_error(ForumError::NotTheAdministration);
    f.world
        .forum()
        .given(closed)
        .when_async(ForumCommand::PublishSynthesis {
            actor: f.admin,
            synthesis: String::new(),
        })
        .await
        .then_expect_error(ForumError::InvalidText(InvalidText {
            field: "synthesis",
            error: TextError::Empty,
        }));
}

#[tokio::test]
async fn a_synthesis_comes_after_closing_and_once() {
    let f = Forum::new();
    let open = f.run([f.open()]).await;
    let publish = ForumCommand::PublishSynthesis {
        actor: f.admin,
        synthesis: "Synthèse".into(),
    };
    f.world
        .forum()
        .given(open)
        .when_async(publish.clone())
        .await
        .then_expect_error(ForumError::WrongState {
            status: TopicStatus::Open,
        });
    let published = f
        .run([
            f.open(),
            ForumCommand::CloseTopic { actor: f.admin },
            publish.clone(),
        ])
        .await;
    let mut topic = ForumTopic::default();
    for event in published.iter().cloned() {
        topic.apply(event);
    }
    assert_eq!(topic.status(), Some(TopicStatus::SynthesisPublished));
    f.world
        .forum()
        .given(published)
        .when_async(publish)
        .await
        .then_expect_error(ForumError::WrongState {
            status: TopicStatus::SynthesisPublished,
        });
}
