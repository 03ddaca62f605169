//! The [`ForumTopic`] aggregate. See the [module documentation](crate::forum).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, TimeDelta, Utc};
use cqrs_es::Aggregate;
use cqrs_es::event_sink::EventSink;
use kernel::personal_data::SubjectId;
use kernel::{Actor, ActorId, ActorKind, OrganisationId, Role, TextLimits};
use serde::{Deserialize, Serialize};

use super::commands::ForumCommand;
use super::error::ForumError;
use super::events::{AbuseReason, ForumEvent};
use crate::ids::PostId;
use crate::services::ForumServices;
use crate::validation::text;

/// Where a topic stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TopicStatus {
    /// Taking messages until its closing date.
    Open,
    /// Closed; the synthesis is being written.
    Closed,
    /// Closed and synthesised.
    SynthesisPublished,
}

/// A forum topic and its messages.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ForumTopic {
    /// `None` until opened.
    topic: Option<TopicState>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct TopicState {
    organisation: OrganisationId,
    closes_at: DateTime<Utc>,
    status: TopicStatus,
    posts: BTreeMap<PostId, Post>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Post {
    author: ActorId,
    hidden: bool,
    reporters: BTreeSet<ActorId>,
}

impl ForumTopic {
    /// Where the topic stands, once opened.
    pub fn status(&self) -> Option<TopicStatus> {
        self.topic.as_ref().map(|t| t.status)
    }

    async fn decide(
        &self,
        command: ForumCommand,
        services: &ForumServices,
    ) -> Result<ForumEvent, ForumError> {
        use ForumCommand as C;
        let now = services.clock.now();
        let Some(topic) = &self.topic else {
            return match command {
                C::OpenTopic {
                    actor,
                    topic,
                    title,
                    question,
                    closes_at,
                } => {
                    let organisation = match actor.acting_as {
                        Some(grant) if grant.role == Role::CentralBureauAgent => grant.organisation,
                        _ => return Err(ForumError::NotTheAdministration),
                    };
                    let config = &services.config;
                    if closes_at <= now {
                        return Err(ForumError::ClosingDateNotInFuture);
                    }
                    if closes_at - now > TimeDelta::days(i64::from(config.max_open_days)) {
                        return Err(ForumError::ClosingDateTooFar {
                            max_days: config.max_open_days,
                        });
                    }
                    Ok(ForumEvent::TopicOpened {
                        topic,
                        title: text("title", &title, TextLimits::line(config.title))?,
                        question: text("question", &question, TextLimits::body(config.question))?,
                        closes_at,
                        by: actor.id,
                        organisation,
                        at: now,
                    })
                }
                _ => Err(ForumError::NoSuchTopic),
            };
        };
        match command {
            C::OpenTopic { .. } => Err(ForumError::AlreadyOpened),
            C::PostMessage {
                actor,
                post,
                subject,
                text,
            } => {
                let message = NewMessage {
                    post,
                    in_reply_to: None,
                    subject,
                    text,
                };
                topic.post(&actor, message, services).await
            }
            C::ReplyToPost {
                actor,
                post,
                in_reply_to,
                subject,
                text,
            } => {
                let message = NewMessage {
                    post,
                    in_reply_to: Some(in_reply_to),
                    subject,
                    text,
                };
                topic.post(&actor, message, services).await
            }
            C::HidePost {
                actor,
                post,
                reason,
                explanation,
            } => {
                if !actor.acts_for(topic.organisation, &[Role::ForumModerator]) {
                    return Err(ForumError::NotAModerator);
                }
                topic.visible_post(post)?;
                let limits = TextLimits::body(services.config.explanation);
                Ok(ForumEvent::PostHidden {
                    post,
                    reason,
                    explanation: text("explanation", &explanation, limits)?,
                    by: actor.id,
                    organisation: topic.organisation,
                    at: now,
                })
            }
            C::ReportAbuse {
                actor,
                post,
                reason,
            } => topic.report(&actor, post, reason, now),
            C::CloseTopic { actor } => {
                let organisation = topic.administration(&actor)?;
                topic.expect_status(TopicStatus::Open)?;
                Ok(ForumEvent::TopicClosed {
                    by: actor.id,
                    organisation,
                    at: now,
                })
            }
            C::PublishSynthesis { actor, synthesis } => {
                let organisation = topic.administration(&actor)?;
                topic.expect_status(TopicStatus::Closed)?;
                let limits = TextLimits::body(services.config.synthesis);
                Ok(ForumEvent::SynthesisPublished {
                    synthesis: text("synthesis", &synthesis, limits)?,
                    by: actor.id,
                    organisation,
                    at: now,
                })
            }
        }
    }
}

/// A message or a reply about to be posted.
#[derive(Debug)]
struct NewMessage {
    post: PostId,
    in_reply_to: Option<PostId>,
    subject: SubjectId,
    text: String,
}

impl TopicState {
    fn administration(&self, actor: &Actor) -> Result<OrganisationId, ForumError> {
        if actor.acts_for(self.organisation, &[Role::CentralBureauAgent]) {
            Ok(self.organisation)
        } else {
            Err(ForumError::NotTheAdministration)
        }
    }

    fn expect_status(&self, expected: TopicStatus) -> Result<(), ForumError> {
        if self.status == expected {
            Ok(())
        } else {
            Err(ForumError::WrongState {
                status: self.status,
            })
        }
    }

    /// The message, which must exist and not be hidden.
    fn visible_post(&self, post: PostId) -> Result<&Post, ForumError> {
        match self.posts.get(&post) {
            None => Err(ForumError::NoSuchPost { post }),
            Some(found) if found.hidden => Err(ForumError::PostHidden { post }),
            Some(found) => Ok(found),
        }
    }

    async fn post(
        &self,
        actor: &Actor,
        message: NewMessage,
        services: &ForumServices,
    ) -> Result<ForumEvent, ForumError> {
        if actor.kind != ActorKind::Citizen {
            return Err(ForumError::NotARegisteredUser);
        }
        self.expect_status(TopicStatus::Open)?;
        let now = services.clock.now();
        if now >= self.closes_at {
            return Err(ForumError::PostingClosed {
                closes_at: self.closes_at,
            });
        }
        if self.posts.contains_key(&message.post) {
            return Err(ForumError::PostAlreadyExists { post: message.post });
        }
        if let Some(parent) = message.in_reply_to {
            self.visible_post(parent)?;
        }
        let body = text(
            "text",
            &message.text,
            TextLimits::body(services.config.post),
        )?;
        Ok(ForumEvent::MessagePosted {
            post: message.post,
            in_reply_to: message.in_reply_to,
            author: actor.id,
            text: services.cipher.seal(message.subject, &body).await?,
            at: now,
        })
    }

    fn report(
        &self,
        actor: &Actor,
        post: PostId,
        reason: AbuseReason,
        now: DateTime<Utc>,
    ) -> Result<ForumEvent, ForumError> {
        if actor.kind != ActorKind::Citizen {
            return Err(ForumError::NotARegisteredUser);
        }
        let found = self.visible_post(post)?;
        if found.author == actor.id {
            return Err(ForumError::CannotReportOwnPost);
        }
        if found.reporters.contains(&actor.id) {
            return Err(ForumError::AlreadyReported);
        }
        Ok(ForumEvent::AbuseReported {
            post,
            reason,
            by: actor.id,
            at: now,
        })
    }

    fn apply(&mut self, event: ForumEvent) {
        match event {
            ForumEvent::TopicOpened { .. } => {}
            ForumEvent::MessagePosted { post, author, .. } => {
                self.posts.insert(
                    post,
                    Post {
                        author,
                        hidden: false,
                        reporters: BTreeSet::new(),
                    },
                );
            }
            ForumEvent::PostHidden { post, .. } => {
                if let Some(found) = self.posts.get_mut(&post) {
                    found.hidden = true;
                }
            }
            ForumEvent::AbuseReported { post, by, .. } => {
                if let Some(found) = self.posts.get_mut(&post) {
                    found.reporters.insert(by);
                }
            }
            ForumEvent::TopicClosed { .. } => self.status = TopicStatus::Closed,
            ForumEvent::SynthesisPublished { .. } => self.status = TopicStatus::SynthesisPublished,
        }
    }
}

impl Aggregate for ForumTopic {
    const TYPE: &'static str = "ForumTopic";
    type Command = ForumCommand;
    type Event = ForumEvent;
    type Error = ForumError;
    type Services = ForumServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let event = self.decide(command, services).await?;
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match (&mut self.topic, event) {
            (
                None,
                ForumEvent::TopicOpened {
                    organisation,
                    closes_at,
                    ..
                },
            ) => {
                self.topic = Some(TopicState {
                    organisation,
                    closes_at,
                    status: TopicStatus::Open,
                    posts: BTreeMap::new(),
                });
            }
            (Some(topic), event) => topic.apply(event),
            // Nothing but an opening can start a stream.
            (None, _) => {}
        }
    }
}
