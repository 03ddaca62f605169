//! The transactional outbox: messages to deliver, written with the projection that decided
//! them, delivered at least once by [`OutboxWorker`].
//!
//! A projection that decides to notify someone calls [`enqueue`] inside its transaction, so
//! the message exists if and only if the projection's checkpoint moved past the event that
//! caused it. The message id is derived from that event and the recipient: replaying the
//! log (a rebuild, a restart after a crash) finds the id taken and queues nothing twice.
//!
//! The worker claims due messages with a lease (a conditional update, so two processes never
//! send the same message at the same time), delivers them through the channel they name,
//! and records the outcome: delivered; or a retry after an exponential back-off; or, after
//! the last attempt or a permanent refusal, dead. Dead letters can be listed and retried.
//! Between rounds the worker sleeps until the next message is due (an indexed `MIN`), or
//! until woken, never scanning the table.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use event_store::{Store, StoreError};
use kernel::Clock;
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

/// Where a message goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    /// E-mail over SMTP.
    Email,
    /// A signed HTTP call to an organisation's own system.
    Webhook,
    /// The outbound event feed (NATS JetStream).
    Feed,
}

impl ChannelKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Webhook => "webhook",
            Self::Feed => "feed",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        match text {
            "email" => Some(Self::Email),
            "webhook" => Some(Self::Webhook),
            "feed" => Some(Self::Feed),
            _ => None,
        }
    }
}

/// What is delivered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Message {
    /// An e-mail, already rendered in the recipient's language.
    Email {
        /// `ar` or `fr`.
        language: String,
        /// Subject line.
        subject: String,
        /// Plain-text body.
        text: String,
    },
    /// A JSON document posted to a subscriber.
    Webhook {
        /// The event, as the subscriber receives it.
        body: serde_json::Value,
    },
    /// A public domain event for the feed.
    Feed {
        /// The subject it is published on.
        subject: String,
        /// The global position of the event (consumers de-duplicate on it).
        position: i64,
        /// The event, without personal data in clear.
        body: serde_json::Value,
    },
}

/// One message to queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutgoingMessage {
    /// Idempotency key: the same for every replay of the same decision.
    pub id: String,
    /// The channel.
    pub channel: ChannelKind,
    /// The recipient on that channel: an e-mail address, a subscriber, a feed.
    pub destination: String,
    /// The content.
    pub message: Message,
}

/// A stored message, as the worker and the dead-letter list see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OutboxEntry {
    /// Its id.
    pub id: String,
    /// Its channel.
    pub channel: ChannelKind,
    /// Its recipient.
    pub destination: String,
    /// Its content.
    pub message: Message,
    /// `pending`, `delivered` or `dead`.
    pub status: String,
    /// Delivery attempts so far.
    pub attempts: i64,
    /// When it is next due (Unix milliseconds).
    pub next_attempt_at: i64,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
}

/// Why the outbox failed.
#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
    /// The database failed.
    #[error("outbox database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A stored message could not be read back.
    #[error("corrupt outbox message {id}: {reason}")]
    Corrupt {
        /// The message.
        id: String,
        /// Why.
        reason: String,
    },
    /// A message could not be serialized.
    #[error("cannot serialize a message: {0}")]
    Serialize(#[from] serde_json::Error),
}

impl From<OutboxError> for event_store::ProjectionError {
    fn from(error: OutboxError) -> Self {
        match error {
            OutboxError::Database(e) => Self::Database(e),
            other => Self::Invalid(other.to_string()),
        }
    }
}

impl From<StoreError> for OutboxError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Database(e) => Self::Database(e),
            other => Self::Corrupt {
                id: String::new(),
                reason: other.to_string(),
            },
        }
    }
}

/// Queues `message` in the caller's transaction; returns false when its id was already
/// queued (a replay).
pub async fn enqueue(
    tx: &mut AnyConnection,
    message: &OutgoingMessage,
    now_ms: i64,
) -> Result<bool, OutboxError> {
    let content = serde_json::to_string(&message.message)?;
    let inserted = sqlx::query(
        "INSERT INTO outbox (id, channel, destination, message, status, attempts, \
         next_attempt_at, created_at) VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5) \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(&message.id)
    .bind(message.channel.as_str())
    .bind(&message.destination)
    .bind(content)
    .bind(now_ms)
    .execute(tx)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// A delivery failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    /// May work later (network, server busy, 5xx).
    #[error("temporary failure: {0}")]
    Transient(String),
    /// Will never work (address refused, 4xx): straight to the dead letters.
    #[error("permanent failure: {0}")]
    Permanent(String),
}

/// A channel that delivers messages.
#[async_trait]
pub trait Deliver: Send + Sync {
    /// Delivers one message; `id` is its idempotency key (use it so that a receiver can
    /// recognise a second delivery of the same message).
    async fn deliver(
        &self,
        id: &str,
        destination: &str,
        message: &Message,
    ) -> Result<(), DeliveryError>;
}

/// Retry policy.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct RetryPolicy {
    /// Attempts before a message is dead.
    pub max_attempts: u32,
    /// Wait after the first failure; doubled after each further failure.
    pub first_backoff_ms: u64,
    /// Longest wait between attempts.
    pub max_backoff_ms: u64,
    /// How long a claimed message stays with the worker that claimed it.
    pub lease_ms: u64,
    /// Most messages per round.
    pub batch_size: u32,
    /// Longest sleep between looks at the outbox when nothing is due (messages queued by
    /// other processes).
    pub idle_poll_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 8,
            first_backoff_ms: 10_000,
            max_backoff_ms: 3_600_000,
            lease_ms: 60_000,
            batch_size: 50,
            idle_poll_ms: 1_000,
        }
    }
}

impl RetryPolicy {
    /// Wait before attempt `attempts + 1`, after `attempts` failures (at least 1).
    pub fn backoff_ms(&self, attempts: u32) -> u64 {
        let doublings = attempts.saturating_sub(1).min(32);
        self.first_backoff_ms
            .saturating_mul(1u64 << doublings)
            .min(self.max_backoff_ms)
    }
}

/// The channels the worker delivers through.
#[derive(Clone, Default)]
pub struct Channels {
    /// E-mail.
    pub email: Option<Arc<dyn Deliver>>,
    /// Webhooks.
    pub webhook: Option<Arc<dyn Deliver>>,
    /// The event feed.
    pub feed: Option<Arc<dyn Deliver>>,
}

impl std::fmt::Debug for Channels {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Channels")
            .field("email", &self.email.is_some())
            .field("webhook", &self.webhook.is_some())
            .field("feed", &self.feed.is_some())
            .finish()
    }
}

impl Channels {
    fn of(&self, kind: ChannelKind) -> Option<&Arc<dyn Deliver>> {
        match kind {
            ChannelKind::Email => self.email.as_ref(),
            ChannelKind::Webhook => self.webhook.as_ref(),
            ChannelKind::Feed => self.feed.as_ref(),
        }
    }
}

/// What one round did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Round {
    /// Delivered.
    pub delivered: u32,
    /// Failed, to be retried.
    pub retried: u32,
    /// Failed for good.
    pub dead: u32,
}

type Row = (
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
    Option<String>,
);

const SELECT_ENTRY: &str = "SELECT id, channel, destination, message, status, attempts, \
     next_attempt_at, last_error FROM outbox";

fn entry(row: Row) -> Result<OutboxEntry, OutboxError> {
    let (id, channel, destination, message, status, attempts, next_attempt_at, last_error) = row;
    let corrupt = |reason: String| OutboxError::Corrupt {
        id: id.clone(),
        reason,
    };
    let channel =
        ChannelKind::parse(&channel).ok_or_else(|| corrupt(format!("channel `{channel}`")))?;
    let message = serde_json::from_str(&message).map_err(|e| corrupt(e.to_string()))?;
    Ok(OutboxEntry {
        id,
        channel,
        destination,
        message,
        status,
        attempts,
        next_attempt_at,
        last_error,
    })
}

/// Delivers the outbox. Cheap to clone.
#[derive(Clone, Debug)]
pub struct OutboxWorker {
    store: Store,
    channels: Channels,
    policy: RetryPolicy,
    clock: Arc<dyn Clock>,
    wake: Arc<Notify>,
}

impl OutboxWorker {
    /// A worker on `store`'s outbox.
    pub fn new(
        store: Store,
        channels: Channels,
        policy: RetryPolicy,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            store,
            channels,
            policy,
            clock,
            wake: Arc::new(Notify::new()),
        }
    }

    /// Wakes a sleeping worker (after queuing, after a retry from the dead letters).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    fn now_ms(&self) -> i64 {
        self.clock.now().timestamp_millis()
    }

    /// The messages in `status` (`pending`, `delivered`, `dead`), oldest first.
    pub async fn list(&self, status: &str, limit: u32) -> Result<Vec<OutboxEntry>, OutboxError> {
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "{SELECT_ENTRY} WHERE status = $1 ORDER BY created_at, id LIMIT $2"
        ))
        .bind(status)
        .bind(i64::from(limit))
        .fetch_all(self.store.any_pool())
        .await?;
        rows.into_iter().map(entry).collect()
    }

    /// Gives a dead message a new series of attempts; false if it is not dead.
    pub async fn retry(&self, id: &str) -> Result<bool, OutboxError> {
        let done = sqlx::query(
            "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $2 \
             WHERE id = $1 AND status = 'dead'",
        )
        .bind(id)
        .bind(self.now_ms())
        .execute(self.store.any_pool())
        .await?;
        self.wake();
        Ok(done.rows_affected() == 1)
    }

    /// When the next pending message is due, if any.
    pub async fn next_due(&self) -> Result<Option<i64>, OutboxError> {
        Ok(
            sqlx::query_scalar("SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending'")
                .fetch_one(self.store.any_pool())
                .await?,
        )
    }

    /// Delivers what is due now.
    pub async fn deliver_due(&self) -> Result<Round, OutboxError> {
        let now = self.now_ms();
        let due: Vec<Row> = sqlx::query_as(&format!(
            "{SELECT_ENTRY} WHERE status = 'pending' AND next_attempt_at <= $1 \
             ORDER BY next_attempt_at LIMIT $2"
        ))
        .bind(now)
        .bind(i64::from(self.policy.batch_size))
        .fetch_all(self.store.any_pool())
        .await?;
        let mut round = Round::default();
        for row in due {
            let claimed_at = row.6;
            let message = match entry(row) {
                Ok(message) => message,
                Err(error) => {
                    tracing::error!(%error, "outbox message unreadable");
                    continue;
                }
            };
            if !self.claim(&message.id, claimed_at, now).await? {
                continue; // another worker has it
            }
            let outcome = match self.channels.of(message.channel) {
                Some(channel) => {
                    channel
                        .deliver(&message.id, &message.destination, &message.message)
                        .await
                }
                None => Err(DeliveryError::Transient(format!(
                    "no {} channel configured",
                    message.channel.as_str()
                ))),
            };
            match self.record(&message, outcome).await? {
                Outcome::Delivered => round.delivered += 1,
                Outcome::Retry => round.retried += 1,
                Outcome::Dead => round.dead += 1,
            }
        }
        Ok(round)
    }

    async fn claim(&self, id: &str, seen_due: i64, now: i64) -> Result<bool, OutboxError> {
        let lease = now.saturating_add(i64::try_from(self.policy.lease_ms).unwrap_or(i64::MAX));
        let claimed = sqlx::query(
            "UPDATE outbox SET next_attempt_at = $3 \
             WHERE id = $1 AND status = 'pending' AND next_attempt_at = $2",
        )
        .bind(id)
        .bind(seen_due)
        .bind(lease)
        .execute(self.store.any_pool())
        .await?;
        Ok(claimed.rows_affected() == 1)
    }

    async fn record(
        &self,
        message: &OutboxEntry,
        outcome: Result<(), DeliveryError>,
    ) -> Result<Outcome, OutboxError> {
        let now = self.now_ms();
        let attempts = message.attempts.saturating_add(1);
        let pool = self.store.any_pool();
        let (outcome, error) = match outcome {
            Ok(()) => {
                sqlx::query(
                    "UPDATE outbox SET status = 'delivered', attempts = $2, delivered_at = $3, \
                     last_error = NULL WHERE id = $1",
                )
                .bind(&message.id)
                .bind(attempts)
                .bind(now)
                .execute(pool)
                .await?;
                return Ok(Outcome::Delivered);
            }
            Err(DeliveryError::Permanent(error)) => (Outcome::Dead, error),
            Err(DeliveryError::Transient(error))
                if attempts >= i64::from(self.policy.max_attempts) =>
            {
                (Outcome::Dead, error)
            }
            Err(DeliveryError::Transient(error)) => (Outcome::Retry, error),
        };
        let next = now.saturating_add(
            i64::try_from(
                self.policy
                    .backoff_ms(u32::try_from(attempts).unwrap_or(u32::MAX)),
            )
            .unwrap_or(i64::MAX),
        );
        let status = if outcome == Outcome::Dead {
            "dead"
        } else {
            "pending"
        };
        tracing::warn!(id = message.id, channel = message.channel.as_str(), attempts, status, %error, "delivery failed");
        sqlx::query(
            "UPDATE outbox SET status = $2, attempts = $3, next_attempt_at = $4, last_error = $5 \
             WHERE id = $1",
        )
        .bind(&message.id)
        .bind(status)
        .bind(attempts)
        .bind(next)
        .bind(error)
        .execute(pool)
        .await?;
        Ok(outcome)
    }

    /// Delivers until `shutdown`, sleeping until the next message is due.
    pub async fn run(self, shutdown: CancellationToken) {
        let idle = Duration::from_millis(self.policy.idle_poll_ms);
        loop {
            let sleep = match self.deliver_due().await {
                Ok(_) => match self.next_due().await {
                    Ok(Some(due)) => {
                        let wait = due.saturating_sub(self.now_ms()).max(0);
                        Duration::from_millis(u64::try_from(wait).unwrap_or(0)).min(idle)
                    }
                    Ok(None) => idle,
                    Err(error) => {
                        tracing::warn!(%error, "outbox: cannot read the next due time");
                        idle
                    }
                },
                Err(error) => {
                    tracing::warn!(%error, "outbox round failed");
                    idle
                }
            };
            tokio::select! {
                () = shutdown.cancelled() => return,
                () = self.wake.notified() => {}
                () = tokio::time::sleep(sleep) => {}
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Delivered,
    Retry,
    Dead,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_the_first_wait_up_to_the_cap() {
        let policy = RetryPolicy {
            first_backoff_ms: 1_000,
            max_backoff_ms: 10_000,
            ..RetryPolicy::default()
        };
        let waits: Vec<u64> = (1..=6).map(|a| policy.backoff_ms(a)).collect();
        assert_eq!(waits, [1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
        assert_eq!(policy.backoff_ms(u32::MAX), 10_000);
    }
}
