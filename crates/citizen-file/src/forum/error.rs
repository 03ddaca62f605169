//! Why a [`ForumTopic`](super::ForumTopic) command was refused.

use chrono::{DateTime, Utc};
use kernel::personal_data::EnvelopeError;

use super::aggregate::TopicStatus;
use crate::ids::PostId;
use crate::validation::InvalidText;

/// A refused command on a forum topic.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ForumError {
    /// No topic was opened under this identifier.
    #[error("no such topic")]
    NoSuchTopic,
    /// A topic was already opened under this identifier.
    #[error("a topic was already opened under this identifier")]
    AlreadyOpened,
    /// The command does not apply in the topic's current state.
    #[error("not possible while the topic is {status:?}")]
    WrongState {
        /// The topic's state.
        status: TopicStatus,
    },
    /// Only the administration (a Central Bureau agent, of the topic's organisation) does this.
    #[error("only the administration running the topic may do this")]
    NotTheAdministration,
    /// Only registered users post and report (art. 11).
    #[error("only registered users may do this")]
    NotARegisteredUser,
    /// Only a moderator of the topic's organisation hides messages.
    #[error("only a moderator of this forum may hide messages")]
    NotAModerator,
    /// The closing date passed: no more messages.
    #[error("the topic stopped taking messages at {closes_at}")]
    PostingClosed {
        /// The closing date.
        closes_at: DateTime<Utc>,
    },
    /// The closing date must be in the future.
    #[error("the closing date must be in the future")]
    ClosingDateNotInFuture,
    /// The closing date is further than allowed.
    #[error("a topic may stay open at most {max_days} days")]
    ClosingDateTooFar {
        /// The longest duration.
        max_days: u32,
    },
    /// No message with this identifier.
    #[error("no such message")]
    NoSuchPost {
        /// The message.
        post: PostId,
    },
    /// A message with this identifier exists.
    #[error("a message with this identifier exists")]
    PostAlreadyExists {
        /// The message.
        post: PostId,
    },
    /// The message is hidden.
    #[error("the message is hidden")]
    PostHidden {
        /// The message.
        post: PostId,
    },
    /// This user already reported this message.
    #[error("you already reported this message")]
    AlreadyReported,
    /// Users do not report their own messages.
    #[error("you cannot report your own message")]
    CannotReportOwnPost,
    /// A text field was refused.
    #[error(transparent)]
    InvalidText(#[from] InvalidText),
    /// The message could not be sealed (e.g. the user's data was erased).
    #[error(transparent)]
    PersonalData(#[from] EnvelopeError),
}
