//! The forum (decree 2019-1242 art. 11): the administration opens topics and, under its
//! supervision, registered users discuss them.
//!
//! # Lifecycle
//!
//! ```text
//! OpenTopic ──▶ Open ──CloseTopic──▶ Closed ──PublishSynthesis──▶ SynthesisPublished
//!               │ PostMessage, ReplyToPost (until the closing date)
//!               │ HidePost, ReportAbuse
//! ```
//!
//! # Decisions
//!
//! - "The administration" is the Central Bureau, which runs the platform (art. 13): a
//!   `CentralBureauAgent` opens, closes and synthesises a topic, for the organisation it acts
//!   for; moderators are `ForumModerator`s of that organisation.
//! - Posting needs a registered user (`ActorKind::Citizen`; the gateway issues forum commands
//!   for accounts only). Posting stops at the closing date even before the topic is closed;
//!   closing early is allowed, and the synthesis comes after closing.
//! - A message is personal data: its text is sealed under its author's data subject, and the
//!   event keeps only the author's `ActorId` (no name; the portal shows the account's
//!   pseudonym). The topic's title and question, the moderators' explanations and the
//!   synthesis are the administration's public words, in clear.
//! - Hiding keeps the message and records why, from a closed list with an explanation; a
//!   hidden message cannot be replied to or reported again. Each user reports a message once,
//!   and not their own. Moderation continues after closing (an abuse may be found late).

mod aggregate;
mod commands;
mod error;
mod events;

pub use aggregate::{ForumTopic, TopicStatus};
pub use commands::ForumCommand;
pub use error::ForumError;
pub use events::{AbuseReason, ForumEvent};
