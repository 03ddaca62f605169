//! Commands of the [`ForumTopic`](super::ForumTopic) aggregate.

use chrono::{DateTime, Utc};
use kernel::Actor;
use kernel::personal_data::SubjectId;

use super::events::AbuseReason;
use crate::ids::{PostId, TopicId};

/// What can be asked of a forum topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ForumCommand {
    /// The administration opens a topic with a question and a closing date.
    OpenTopic {
        /// A Central Bureau agent.
        actor: Actor,
        /// The topic (the aggregate id).
        topic: TopicId,
        /// Title.
        title: String,
        /// The question put to users.
        question: String,
        /// When posting ends; in the future, within the configured longest duration.
        closes_at: DateTime<Utc>,
    },
    /// A registered user posts a message.
    PostMessage {
        /// A registered user.
        actor: Actor,
        /// The message's identifier.
        post: PostId,
        /// The user's data subject, whose key seals the message.
        subject: SubjectId,
        /// The message.
        text: String,
    },
    /// A registered user replies to a message.
    ReplyToPost {
        /// A registered user.
        actor: Actor,
        /// The reply's identifier.
        post: PostId,
        /// The message replied to.
        in_reply_to: PostId,
        /// The user's data subject.
        subject: SubjectId,
        /// The reply.
        text: String,
    },
    /// A moderator hides a message, saying why.
    HidePost {
        /// A forum moderator of the topic's organisation.
        actor: Actor,
        /// The message.
        post: PostId,
        /// Why, from the closed list.
        reason: AbuseReason,
        /// Why, in words (public: must not quote the message).
        explanation: String,
    },
    /// A registered user reports a message as abusive.
    ReportAbuse {
        /// A registered user.
        actor: Actor,
        /// The message.
        post: PostId,
        /// Why.
        reason: AbuseReason,
    },
    /// The administration closes the topic.
    CloseTopic {
        /// A Central Bureau agent of the topic's organisation.
        actor: Actor,
    },
    /// The administration publishes the synthesis of a closed topic.
    PublishSynthesis {
        /// A Central Bureau agent of the topic's organisation.
        actor: Actor,
        /// The synthesis (public, without personal data).
        synthesis: String,
    },
}
