//! The outbound event feed on NATS JetStream: one subject per bounded context and event
//! (`emoatinet.<context>.<EventType>`), each message carrying the event's global position in
//! the `Nats-Msg-Id` header, so JetStream drops a second publication of the same event
//! within its duplicate window and consumers can de-duplicate beyond it.

use async_nats::jetstream;
use async_nats::jetstream::stream::Config as StreamConfig;
use async_trait::async_trait;
use serde::Deserialize;

use crate::outbox::{Deliver, DeliveryError, Message};

/// Where the feed goes.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeedSettings {
    /// Off by default: the administration's other services opt in.
    pub enabled: bool,
    /// `nats://host:4222`.
    pub url: String,
    /// The JetStream stream (created if missing).
    pub stream: String,
    /// Subject prefix.
    pub subject_prefix: String,
}

impl Default for FeedSettings {
    fn default() -> Self {
        Self {
            enabled: false,
            url: "nats://127.0.0.1:4222".into(),
            stream: "EMOATINET".into(),
            subject_prefix: "emoatinet".into(),
        }
    }
}

/// The feed channel. It connects on first use (and again after a failed connection), so a
/// NATS outage delays the feed without stopping anything else.
#[derive(Debug)]
pub struct FeedChannel {
    settings: FeedSettings,
    jetstream: tokio::sync::OnceCell<jetstream::Context>,
}

impl FeedChannel {
    /// A channel to `settings`' server, not connected yet.
    pub fn new(settings: FeedSettings) -> Self {
        Self {
            settings,
            jetstream: tokio::sync::OnceCell::new(),
        }
    }

    /// A channel connected now, with its stream created if missing.
    pub async fn connect(settings: &FeedSettings) -> Result<Self, DeliveryError> {
        let channel = Self::new(settings.clone());
        channel.jetstream().await?;
        Ok(channel)
    }

    async fn jetstream(&self) -> Result<&jetstream::Context, DeliveryError> {
        self.jetstream
            .get_or_try_init(|| async {
                let client = async_nats::connect(&self.settings.url)
                    .await
                    .map_err(|e| DeliveryError::Transient(format!("cannot reach NATS: {e}")))?;
                let jetstream = jetstream::new(client);
                jetstream
                    .get_or_create_stream(StreamConfig {
                        name: self.settings.stream.clone(),
                        subjects: vec![format!("{}.>", self.settings.subject_prefix)],
                        ..StreamConfig::default()
                    })
                    .await
                    .map_err(|e| {
                        DeliveryError::Transient(format!("cannot create the stream: {e}"))
                    })?;
                Ok(jetstream)
            })
            .await
    }
}

#[async_trait]
impl Deliver for FeedChannel {
    async fn deliver(
        &self,
        _id: &str,
        _destination: &str,
        message: &Message,
    ) -> Result<(), DeliveryError> {
        let Message::Feed {
            subject,
            position,
            body,
        } = message
        else {
            return Err(DeliveryError::Permanent("not a feed message".into()));
        };
        let payload = serde_json::to_vec(body)
            .map_err(|e| DeliveryError::Permanent(format!("cannot serialize: {e}")))?;
        let mut headers = async_nats::HeaderMap::new();
        headers.insert("Nats-Msg-Id", position.to_string().as_str());
        self.jetstream()
            .await?
            .publish_with_headers(subject.clone(), headers, payload.into())
            .await
            .map_err(|e| DeliveryError::Transient(e.to_string()))?
            .await
            .map_err(|e| DeliveryError::Transient(e.to_string()))?;
        Ok(())
    }
}
