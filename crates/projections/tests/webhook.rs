//! Signed webhooks against a real HTTP server: the receiver verifies the signature and sees
//! the idempotency id; statuses map to delivered, retry or dead.

#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use projections::delivery::{WebhookChannel, WebhookSubscriber, sign_webhook};
use projections::{Deliver, DeliveryError, Message};

const SECRET: &str = "organisation-shared-secret";

#[derive(Clone, Default)]
struct Receiver {
    received: Arc<Mutex<Vec<(String, serde_json::Value)>>>,
}

/// Verifies the signature as a subscriber would, then answers `status` from the path.
async fn receive(
    State(receiver): State<Receiver>,
    axum::extract::Path(status): axum::extract::Path<u16>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let header = |name: &str| headers.get(name).unwrap().to_str().unwrap().to_owned();
    let id = header("webhook-id");
    let timestamp: i64 = header("webhook-timestamp").parse().unwrap();
    let expected = sign_webhook(SECRET.as_bytes(), &id, timestamp, &body);
    if header("webhook-signature") != expected {
        return StatusCode::UNAUTHORIZED;
    }
    receiver
        .received
        .lock()
        .unwrap()
        .push((id, serde_json::from_slice(&body).unwrap()));
    StatusCode::from_u16(status).unwrap()
}

async fn start(receiver: Receiver) -> String {
    let app = Router::new()
        .route("/hook/{status}", post(receive))
        .with_state(receiver);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}")
}

fn channel(base: &str, secret: &str) -> WebhookChannel {
    let subscribers: HashMap<String, WebhookSubscriber> = [200u16, 410, 503]
        .into_iter()
        .map(|status| {
            (
                format!("answers-{status}"),
                WebhookSubscriber {
                    url: format!("{base}/hook/{status}"),
                    secret: secret.into(),
                },
            )
        })
        .collect();
    WebhookChannel::new(subscribers, Duration::from_secs(5)).unwrap()
}

fn event() -> Message {
    Message::Webhook {
        body: serde_json::json!({"event": "AnswerSigned", "file": "K7Q3-9XHD-2M4PX"}),
    }
}

#[tokio::test]
async fn a_subscriber_receives_a_signed_body_with_its_idempotency_id() {
    let receiver = Receiver::default();
    let base = start(receiver.clone()).await;
    channel(&base, SECRET)
        .deliver("evt-9.answers", "answers-200", &event())
        .await
        .unwrap();
    let received = receiver.received.lock().unwrap();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].0, "evt-9.answers");
    assert_eq!(received[0].1["event"], "AnswerSigned");
}

#[tokio::test]
async fn statuses_decide_between_retry_and_dead_letter() {
    let base = start(Receiver::default()).await;
    let webhooks = channel(&base, SECRET);
    let gone = webhooks
        .deliver("e1", "answers-410", &event())
        .await
        .unwrap_err();
    assert!(
        matches!(gone, DeliveryError::Permanent(ref m) if m.contains("410")),
        "{gone:?}"
    );
    let busy = webhooks
        .deliver("e2", "answers-503", &event())
        .await
        .unwrap_err();
    assert!(
        matches!(busy, DeliveryError::Transient(ref m) if m.contains("503")),
        "{busy:?}"
    );
    let unknown = webhooks
        .deliver("e3", "nobody", &event())
        .await
        .unwrap_err();
    assert!(matches!(unknown, DeliveryError::Permanent(_)));
    // A wrong secret is refused by the receiver (401): permanent.
    let forged = channel(&base, "wrong-secret")
        .deliver("e4", "answers-200", &event())
        .await
        .unwrap_err();
    assert!(
        matches!(forged, DeliveryError::Permanent(ref m) if m.contains("401")),
        "{forged:?}"
    );
}
