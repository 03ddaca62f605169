//! The outbound event feed against a real NATS server with JetStream: one subject per
//! context and event, de-duplicated on the global position.

#![allow(clippy::unwrap_used)]

use async_nats::jetstream;
use projections::delivery::{FeedChannel, FeedSettings};
use projections::{Deliver, Message};

#[tokio::test]
async fn events_are_published_once_per_position_on_their_subject() {
    let url = test_support::nats_server().await;
    let unique = uuid_like();
    let settings = FeedSettings {
        enabled: true,
        url: url.clone(),
        stream: format!("TEST_{unique}"),
        subject_prefix: format!("t{unique}"),
    };
    let feed = FeedChannel::connect(&settings).await.unwrap();
    let message = Message::Feed {
        subject: format!("t{unique}.citizen_file.FileSubmitted"),
        position: 42,
        body: serde_json::json!({"position": 42, "event": {"FileSubmitted": {"kind": "petition"}}}),
    };
    feed.deliver("42", "feed", &message).await.unwrap();
    // Delivered again (at-least-once after a crash): JetStream drops the duplicate.
    feed.deliver("42", "feed", &message).await.unwrap();

    let client = async_nats::connect(&url).await.unwrap();
    let stream = jetstream::new(client)
        .get_stream(&settings.stream)
        .await
        .unwrap();
    let stored = stream.get_raw_message(1).await.unwrap();
    assert_eq!(
        stored.subject.as_str(),
        format!("t{unique}.citizen_file.FileSubmitted")
    );
    let body: serde_json::Value = serde_json::from_slice(&stored.payload).unwrap();
    assert_eq!(body["position"], 42);
    let mut info = stream.clone();
    assert_eq!(info.info().await.unwrap().state.messages, 1);
}

fn uuid_like() -> String {
    format!(
        "{:x}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    )
}
