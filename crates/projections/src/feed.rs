//! The outbound event feed: public domain events queued for NATS JetStream through the
//! outbox, one subject per bounded context and event type, each carrying its global position
//! (also its idempotency key).
//!
//! What is published: the events of the citizen files and forum, of both local registers,
//! and the Citizen Watcher's service points, checklists and surveys. Not published: visits,
//! campaigns and referrals (they name watchers, and referrals are the department's alone).
//! The metadata (actor ids, client descriptions) stays home. Personal data is never in
//! clear in events anyway: sealed values go out as ciphertext.

use async_trait::async_trait;
use event_store::{Projection, ProjectionError, RecordedEvent};
use serde_json::json;
use sqlx::AnyConnection;

use crate::outbox::{ChannelKind, Message, OutgoingMessage, enqueue};

/// The projection's name.
pub const FEED: &str = "feed";

/// The bounded context of a published aggregate type; `None` for what is not published.
pub fn context_of(aggregate_type: &str) -> Option<&'static str> {
    Some(match aggregate_type {
        "CitizenFile" | "ForumTopic" => "citizen_file",
        "CivilSocietyRegister" | "RegisteredOrganisation" => "civil_society",
        "OpinionEntry" | "CouncilReporting" => "opinions",
        "ServicePoint" | "Checklist" | "SatisfactionSurvey" => "watcher",
        _ => return None,
    })
}

/// See the module documentation.
#[derive(Debug)]
pub struct FeedProjection {
    subject_prefix: String,
}

impl FeedProjection {
    /// Publishes under `subject_prefix` (`emoatinet`).
    pub fn new(subject_prefix: impl Into<String>) -> Self {
        Self {
            subject_prefix: subject_prefix.into(),
        }
    }
}

#[async_trait]
impl Projection for FeedProjection {
    fn name(&self) -> &str {
        FEED
    }

    async fn apply(
        &self,
        tx: &mut AnyConnection,
        event: &RecordedEvent,
    ) -> Result<(), ProjectionError> {
        let Some(context) = context_of(&event.aggregate_type) else {
            return Ok(());
        };
        let message = OutgoingMessage {
            id: format!("feed/{}", event.position),
            channel: ChannelKind::Feed,
            destination: "feed".into(),
            message: Message::Feed {
                subject: format!("{}.{context}.{}", self.subject_prefix, event.event_type),
                position: event.position,
                body: json!({
                    "position": event.position,
                    "aggregate_type": event.aggregate_type,
                    "aggregate_id": event.aggregate_id,
                    "sequence": event.sequence,
                    "event_type": event.event_type,
                    "event_version": event.event_version,
                    "recorded_at": event.recorded_at,
                    "payload": event.payload,
                }),
            },
        };
        enqueue(tx, &message, event.recorded_at.timestamp_millis()).await?;
        Ok(())
    }

    /// None of its own: what was queued stays queued (and de-duplicated by id).
    fn tables(&self) -> &[&'static str] {
        &[]
    }
}
