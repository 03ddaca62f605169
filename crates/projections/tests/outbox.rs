//! The outbox: idempotent queuing, at-least-once delivery, back-off, dead letters.

#![allow(clippy::unwrap_used)]

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use async_trait::async_trait;
use chrono::{Duration, TimeZone, Utc};
use event_store::Store;
use kernel::ManualClock;
use projections::{
    ChannelKind, Channels, Deliver, DeliveryError, Message, OutboxWorker, OutgoingMessage,
    RetryPolicy, Round, enqueue,
};

/// Fails transiently `failures` times, then delivers; counts calls.
struct Flaky {
    failures: u32,
    calls: AtomicU32,
    permanent: bool,
}

#[async_trait]
impl Deliver for Flaky {
    async fn deliver(&self, _: &str, _: &str, _: &Message) -> Result<(), DeliveryError> {
        let call = self.calls.fetch_add(1, Ordering::SeqCst);
        if self.permanent {
            return Err(DeliveryError::Permanent("address refused".into()));
        }
        if call < self.failures {
            Err(DeliveryError::Transient(format!("busy ({call})")))
        } else {
            Ok(())
        }
    }
}

fn message(id: &str) -> OutgoingMessage {
    OutgoingMessage {
        id: id.into(),
        channel: ChannelKind::Email,
        destination: "citizen@example.tn".into(),
        message: Message::Email {
            language: "ar".into(),
            subject: "إشعار".into(),
            text: "تم تسجيل ملفكم".into(),
        },
    }
}

const POLICY: RetryPolicy = RetryPolicy {
    max_attempts: 3,
    first_backoff_ms: 60_000,
    max_backoff_ms: 600_000,
    lease_ms: 30_000,
    batch_size: 10,
    idle_poll_ms: 50,
};

fn worker(store: &Store, channel: Arc<Flaky>, clock: &ManualClock) -> OutboxWorker {
    OutboxWorker::new(
        store.clone(),
        Channels {
            email: Some(channel),
            ..Channels::default()
        },
        POLICY,
        Arc::new(clock.clone()),
    )
}

async fn queue(store: &Store, message: &OutgoingMessage, now_ms: i64) -> bool {
    let mut tx = store.any_pool().begin().await.unwrap();
    let queued = enqueue(&mut tx, message, now_ms).await.unwrap();
    tx.commit().await.unwrap();
    queued
}

on_both_backends!(
    a_replayed_decision_queues_nothing_twice,
    |store: Store| async move {
        assert!(queue(&store, &message("evt-7/receipt"), 0).await);
        assert!(!queue(&store, &message("evt-7/receipt"), 0).await);
        let clock = ManualClock::at(Utc.timestamp_millis_opt(0).unwrap());
        let flaky = Arc::new(Flaky {
            failures: 0,
            calls: AtomicU32::new(0),
            permanent: false,
        });
        let worker = worker(&store, flaky.clone(), &clock);
        assert_eq!(
            worker.deliver_due().await.unwrap(),
            Round {
                delivered: 1,
                retried: 0,
                dead: 0
            }
        );
        assert_eq!(flaky.calls.load(Ordering::SeqCst), 1);
        // Nothing left; a second round delivers nothing again.
        assert_eq!(worker.deliver_due().await.unwrap(), Round::default());
        assert_eq!(worker.list("delivered", 10).await.unwrap().len(), 1);
    }
);

on_both_backends!(failures_back_off_then_deliver, |store: Store| async move {
    let start = Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap();
    let clock = ManualClock::at(start);
    queue(&store, &message("m-1"), start.timestamp_millis()).await;
    let flaky = Arc::new(Flaky {
        failures: 2,
        calls: AtomicU32::new(0),
        permanent: false,
    });
    let worker = worker(&store, flaky.clone(), &clock);

    assert_eq!(worker.deliver_due().await.unwrap().retried, 1);
    // Next attempt after the first back-off (1 minute), not before.
    assert_eq!(
        worker.next_due().await.unwrap(),
        Some((start + Duration::minutes(1)).timestamp_millis())
    );
    clock.advance(Duration::seconds(59));
    assert_eq!(worker.deliver_due().await.unwrap(), Round::default());
    clock.advance(Duration::seconds(1));
    assert_eq!(worker.deliver_due().await.unwrap().retried, 1);
    // The second back-off doubles: 2 minutes.
    clock.advance(Duration::minutes(2));
    assert_eq!(worker.deliver_due().await.unwrap().delivered, 1);
    assert_eq!(flaky.calls.load(Ordering::SeqCst), 3);
    let delivered = worker.list("delivered", 10).await.unwrap();
    assert_eq!(delivered[0].attempts, 3);
    assert_eq!(delivered[0].last_error, None);
});

on_both_backends!(
    after_the_last_attempt_a_message_is_dead_and_can_be_retried,
    |store: Store| async move {
        let start = Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap();
        let clock = ManualClock::at(start);
        queue(&store, &message("m-2"), start.timestamp_millis()).await;
        let always_busy = Arc::new(Flaky {
            failures: u32::MAX,
            calls: AtomicU32::new(0),
            permanent: false,
        });
        let worker = worker(&store, always_busy, &clock);
        for _ in 0..3 {
            worker.deliver_due().await.unwrap();
            clock.advance(Duration::minutes(10));
        }
        let dead = worker.list("dead", 10).await.unwrap();
        assert_eq!(dead.len(), 1);
        assert_eq!(dead[0].attempts, 3);
        assert_eq!(dead[0].last_error.as_deref(), Some("busy (2)"));
        assert_eq!(worker.next_due().await.unwrap(), None);

        // An operator retries it once the relay is back.
        let healthy = Arc::new(Flaky {
            failures: 0,
            calls: AtomicU32::new(0),
            permanent: false,
        });
        let worker = self::worker(&store, healthy, &clock);
        assert!(worker.retry("m-2").await.unwrap());
        assert!(
            !worker.retry("m-2").await.unwrap(),
            "only dead messages are retried"
        );
        assert_eq!(worker.deliver_due().await.unwrap().delivered, 1);
    }
);

on_both_backends!(
    a_permanent_refusal_goes_straight_to_the_dead_letters,
    |store: Store| async move {
        let clock = ManualClock::at(Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap());
        queue(&store, &message("m-3"), clock_ms(&clock)).await;
        let refused = Arc::new(Flaky {
            failures: 0,
            calls: AtomicU32::new(0),
            permanent: true,
        });
        let worker = worker(&store, refused.clone(), &clock);
        assert_eq!(worker.deliver_due().await.unwrap().dead, 1);
        assert_eq!(refused.calls.load(Ordering::SeqCst), 1);
    }
);

on_both_backends!(
    a_message_for_an_unconfigured_channel_waits,
    |store: Store| async move {
        let clock = ManualClock::at(Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap());
        let mut webhook = message("m-4");
        webhook.channel = ChannelKind::Webhook;
        queue(&store, &webhook, clock_ms(&clock)).await;
        let flaky = Arc::new(Flaky {
            failures: 0,
            calls: AtomicU32::new(0),
            permanent: false,
        });
        let round = worker(&store, flaky, &clock).deliver_due().await.unwrap();
        assert_eq!(round.retried, 1);
    }
);

on_both_backends!(
    two_workers_never_deliver_the_same_message_at_once,
    |store: Store| async move {
        let clock = ManualClock::at(Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap());
        for n in 0..20 {
            queue(&store, &message(&format!("c-{n}")), clock_ms(&clock)).await;
        }
        let channel = Arc::new(Flaky {
            failures: 0,
            calls: AtomicU32::new(0),
            permanent: false,
        });
        let a = worker(&store, channel.clone(), &clock);
        let b = worker(&store, channel.clone(), &clock);
        let mut delivered = 0;
        for _ in 0..4 {
            let (ra, rb) = tokio::join!(a.deliver_due(), b.deliver_due());
            delivered += ra.unwrap().delivered + rb.unwrap().delivered;
        }
        // Each message went out once, although both workers saw every message as due.
        assert_eq!(delivered, 20);
        assert_eq!(channel.calls.load(Ordering::SeqCst), 20);
    }
);

fn clock_ms(clock: &ManualClock) -> i64 {
    use kernel::Clock;
    clock.now().timestamp_millis()
}
