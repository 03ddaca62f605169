//! Signed webhooks to organisations' own systems, following the Standard Webhooks
//! convention: headers `webhook-id` (the outbox id: a receiver that sees it twice has seen
//! the same message twice), `webhook-timestamp` (Unix seconds) and
//! `webhook-signature: v1,<base64 HMAC-SHA256(secret, "<id>.<timestamp>.<body>")>`.
//! 2xx is delivered; 408, 429 and 5xx are retried; other statuses are permanent refusals.

use std::collections::HashMap;

use async_trait::async_trait;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use sha2::Sha256;

use crate::outbox::{Deliver, DeliveryError, Message};

/// An organisation's endpoint.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookSubscriber {
    /// Where to post.
    pub url: String,
    /// The shared secret of the signature (never logged).
    pub secret: SecretString,
}

/// The webhook channel: destinations are subscriber names.
#[derive(Clone, Debug)]
pub struct WebhookChannel {
    client: reqwest::Client,
    subscribers: HashMap<String, WebhookSubscriber>,
}

impl WebhookChannel {
    /// A channel to `subscribers`, giving up on a call after `timeout`.
    pub fn new(
        subscribers: HashMap<String, WebhookSubscriber>,
        timeout: std::time::Duration,
    ) -> Result<Self, reqwest::Error> {
        Ok(Self {
            client: reqwest::Client::builder()
                .timeout(timeout)
                .redirect(reqwest::redirect::Policy::none())
                .build()?,
            subscribers,
        })
    }
}

/// The `webhook-signature` value of `body` sent as message `id` at `timestamp`.
pub fn sign(secret: &[u8], id: &str, timestamp: i64, body: &[u8]) -> String {
    // HMAC takes keys of any length: `new_from_slice` cannot fail for it.
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("v1,{}", BASE64.encode(mac.finalize().into_bytes()))
}

#[async_trait]
impl Deliver for WebhookChannel {
    async fn deliver(
        &self,
        id: &str,
        destination: &str,
        message: &Message,
    ) -> Result<(), DeliveryError> {
        let Message::Webhook { body } = message else {
            return Err(DeliveryError::Permanent("not a webhook".into()));
        };
        let subscriber = self.subscribers.get(destination).ok_or_else(|| {
            DeliveryError::Permanent(format!("unknown subscriber `{destination}`"))
        })?;
        let body = serde_json::to_vec(body)
            .map_err(|e| DeliveryError::Permanent(format!("cannot serialize: {e}")))?;
        let timestamp = chrono::Utc::now().timestamp();
        let signature = sign(
            subscriber.secret.expose_secret().as_bytes(),
            id,
            timestamp,
            &body,
        );
        let response = self
            .client
            .post(&subscriber.url)
            .header("content-type", "application/json")
            .header("webhook-id", id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(body)
            .send()
            .await
            .map_err(|e| DeliveryError::Transient(e.without_url().to_string()))?;
        let status = response.status();
        match status.as_u16() {
            200..=299 => Ok(()),
            408 | 429 | 500..=599 => Err(DeliveryError::Transient(format!("HTTP {status}"))),
            _ => Err(DeliveryError::Permanent(format!("HTTP {status}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_matches_the_standard_webhooks_example() {
        // Example from the Standard Webhooks specification (secret given there in base64).
        let secret = BASE64.decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let body = br#"{"test": 2432232314}"#;
        assert_eq!(
            sign(&secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }
}
