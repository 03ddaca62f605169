//! Events of the [`ForumTopic`](super::ForumTopic) aggregate (`event_version` "1").

use chrono::{DateTime, Utc};
use cqrs_es::DomainEvent;
use kernel::personal_data::Sealed;
use kernel::{ActorId, OrganisationId, Text};
use serde::{Deserialize, Serialize};

use crate::ids::{PostId, TopicId};

/// Why a message is abusive: grounds for a report and for hiding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AbuseReason {
    /// Insults, threats, hatred.
    Insult,
    /// Someone's personal data disclosed.
    PersonalData,
    /// Advertising or repeated messages.
    Spam,
    /// Unrelated to the topic.
    OffTopic,
    /// Otherwise unlawful content.
    Unlawful,
}

/// Everything that happens to a forum topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ForumEvent {
    /// The topic was opened.
    TopicOpened {
        /// The topic.
        topic: TopicId,
        /// Title.
        title: Text,
        /// The question.
        question: Text,
        /// When posting ends.
        closes_at: DateTime<Utc>,
        /// Who.
        by: ActorId,
        /// For which organisation.
        organisation: OrganisationId,
        /// When.
        at: DateTime<Utc>,
    },
    /// A message or a reply was posted.
    MessagePosted {
        /// The message.
        post: PostId,
        /// The message replied to, if a reply.
        in_reply_to: Option<PostId>,
        /// Its author's account.
        author: ActorId,
        /// The message.
        text: Sealed<Text>,
        /// When.
        at: DateTime<Utc>,
    },
    /// A moderator hid a message; it stays in the history.
    PostHidden {
        /// The message.
        post: PostId,
        /// Why.
        reason: AbuseReason,
        /// Why, in words.
        explanation: Text,
        /// Who.
        by: ActorId,
        /// For which organisation.
        organisation: OrganisationId,
        /// When.
        at: DateTime<Utc>,
    },
    /// A user reported a message.
    AbuseReported {
        /// The message.
        post: PostId,
        /// Why.
        reason: AbuseReason,
        /// Who.
        by: ActorId,
        /// When.
        at: DateTime<Utc>,
    },
    /// The topic was closed.
    TopicClosed {
        /// Who.
        by: ActorId,
        /// For which organisation.
        organisation: OrganisationId,
        /// When.
        at: DateTime<Utc>,
    },
    /// The synthesis was published.
    SynthesisPublished {
        /// The synthesis.
        synthesis: Text,
        /// Who.
        by: ActorId,
        /// For which organisation.
        organisation: OrganisationId,
        /// When.
        at: DateTime<Utc>,
    },
}

impl DomainEvent for ForumEvent {
    fn event_type(&self) -> String {
        match self {
            Self::TopicOpened { .. } => "TopicOpened",
            Self::MessagePosted { .. } => "MessagePosted",
            Self::PostHidden { .. } => "PostHidden",
            Self::AbuseReported { .. } => "AbuseReported",
            Self::TopicClosed { .. } => "TopicClosed",
            Self::SynthesisPublished { .. } => "SynthesisPublished",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}
